"""Schemas of the evaluation lifecycle: periods, evaluations, plan, realisasi, review, feedback, keberatan,
transitions and follow-ups."""
from __future__ import annotations

from marshmallow import fields, validate

from admin.api.fields import JsonObject, UtcDateTime, choice, count, ident, number, text
from admin.api.schemas.common import ApiSchema, LangQuery, PageQuery
from admin.api.schemas.meta import PegawaiRefSchema
from engine.runtime import ACTIONS
from workflows.machine import EVENTS, REOPEN_TARGETS
from workflows.models import BERAKHLAK, PREDIKATS, RATINGS, Arah, Aspek, EvaluationState, RhkJenis

STATES = [s.value for s in EvaluationState]


def _per_value(field_factory) -> dict:
    return {nilai: field_factory() for nilai in BERAKHLAK}


BerakhlakRatingsSchema = type("BerakhlakRatingsSchema", (ApiSchema,), {
    "__doc__": "A rating (di_atas, sesuai, di_bawah) per BerAKHLAK value; values left out are not changed.",
    **_per_value(lambda: choice(RATINGS))})
BerakhlakTextSchema = type("BerakhlakTextSchema", (ApiSchema,), {
    "__doc__": "A text per BerAKHLAK value (an empty text removes it).", **_per_value(lambda: text(5000))})


class PeriodOpenSchema(ApiSchema):
    """HR opens a daerah's tahunan period (for the whole daerah or one unit subtree)."""

    daerah = text(40, min_length=1, required=True, metadata={"description": "daerah code"})
    tahun = count(2000, 2100, required=True)
    unit_id = ident(allow_none=True)


class OpenReportSchema(ApiSchema):
    """What opening a period did."""

    period_id = fields.Integer(required=True)
    created = fields.Integer(required=True)
    existing = fields.Integer(required=True)
    total = fields.Integer(required=True)
    not_aktif = fields.Integer(required=True, metadata={"description": "pegawai skipped: not aktif (pensiun...)"})


class EvaluationQuery(PageQuery):
    """Either `mine=true` (the caller's own and their reports'), or a daerah and year (HR and auditors)."""

    mine = fields.Boolean(load_default=False)
    daerah = text(40, metadata={"description": "daerah code (required unless mine=true)"})
    tahun = count(2000, 2100, strict=False, metadata={"description": "required unless mine=true"})
    state = choice(STATES)
    unit_id = ident(strict=False, metadata={"description": "a unit and the units below it"})


class UnitRefSchema(ApiSchema):
    """A unit kerja named in another record."""

    id = fields.Integer(required=True)
    code = fields.String(required=True)
    name = fields.String(required=True)


class EvaluationSummarySchema(ApiSchema):
    """An evaluation in a list."""

    id = fields.Integer(required=True)
    daerah = fields.Function(lambda e: e.daerah.code, required=True)
    tahun = fields.Function(lambda e: e.period.tahun, required=True)
    state = fields.String(required=True, validate=validate.OneOf(STATES))
    version = fields.Integer(required=True)
    pegawai = fields.Nested(PegawaiRefSchema, required=True)
    unit = fields.Nested(UnitRefSchema, required=True)
    predikat = fields.String(allow_none=True)
    decision_id = fields.Integer(allow_none=True)
    updated_at = UtcDateTime(required=True)


class RealisasiSchema(ApiSchema):
    """A realisasi entry of an IKI (cumulative: the latest date counts)."""

    id = fields.Integer(required=True)
    realized_on = fields.Date(required=True)
    value = fields.Float(required=True)
    note = fields.String(required=True)
    evidence_url = fields.String(required=True)
    created_by = fields.String(required=True)
    created_at = UtcDateTime(required=True)


class IkiSchema(ApiSchema):
    """An IKI of the plan with its realisasi."""

    id = fields.Integer(required=True)
    position = fields.Integer(required=True)
    uraian = fields.String(required=True)
    aspek = fields.String(required=True)
    target = fields.Float(required=True)
    satuan = fields.String(required=True)
    arah = fields.String(required=True)
    bobot = fields.Float(required=True)
    realisasi = fields.List(fields.Nested(RealisasiSchema), required=True)


class RhkSchema(ApiSchema):
    """An RHK of the plan."""

    id = fields.Integer(required=True)
    position = fields.Integer(required=True)
    jenis = fields.String(required=True)
    uraian = fields.String(required=True)
    intervensi_rhk_id = fields.Integer(allow_none=True)
    iki = fields.List(fields.Nested(IkiSchema), required=True)


class NilaiTextSchema(ApiSchema):
    """A text for one BerAKHLAK value."""

    nilai = fields.String(required=True)
    text = fields.String(required=True)


class PerilakuSchema(ApiSchema):
    """The atasan's rating of one BerAKHLAK value."""

    nilai = fields.String(required=True)
    rating = fields.String(required=True)
    note = fields.String(required=True)
    rated_by = fields.String(required=True)


class KeberatanSchema(ApiSchema):
    """An objection and how it was resolved."""

    id = fields.Integer(required=True)
    round = fields.Integer(required=True)
    alasan = fields.String(required=True)
    filed_by = fields.String(required=True)
    filed_at = UtcDateTime(required=True)
    deadline_on = fields.Date(required=True)
    status = fields.String(required=True)
    resolution = fields.String(allow_none=True)
    resolved_by = fields.String(allow_none=True)
    resolved_at = UtcDateTime(allow_none=True)
    predikat_before = fields.String(allow_none=True)
    predikat_after = fields.String(allow_none=True)


class FollowUpSchema(ApiSchema):
    """A follow-up (tindak lanjut) from the decision's actions."""

    id = fields.Integer(required=True)
    evaluation_id = fields.Integer(required=True)
    decision_id = fields.Integer(required=True)
    action_code = fields.String(required=True)
    kind = fields.String(required=True)
    params = fields.Dict(required=True)
    owner_role = fields.String(required=True)
    owner_pegawai_id = fields.Integer(allow_none=True)
    due_on = fields.Date(required=True)
    status = fields.String(required=True)
    note = fields.String(allow_none=True)
    resolved_by = fields.String(allow_none=True)
    resolved_at = UtcDateTime(allow_none=True)


class DisiplinSchema(ApiSchema):
    """Attendance figures recorded by HR (PP 94/2021 inputs)."""

    hari_tidak_masuk = fields.Integer(allow_none=True)
    menit_terlambat = fields.Integer(allow_none=True)
    hari_tidak_masuk_berturut = fields.Integer(allow_none=True)


class EvaluationSchema(EvaluationSummarySchema):
    """An evaluation with its plan, realisasi, ratings, decision, keberatan and follow-ups; the caller's relations
    to it and the transitions those allow from its state (guards not checked)."""

    period_id = fields.Integer(required=True)
    atasan = fields.Function(lambda e: PegawaiRefSchema().dump(e.pegawai.atasan) if e.pegawai.atasan else None,
                             allow_none=True)
    predikat_engine = fields.String(allow_none=True)
    override_reason = fields.String(allow_none=True)
    override_by = fields.String(allow_none=True)
    umpan_balik = fields.String(allow_none=True)
    disiplin = fields.Function(lambda e: DisiplinSchema().dump(e), required=True)
    kontribusi_tim = fields.String(allow_none=True)
    inovasi = fields.Boolean(allow_none=True)
    plan_submitted_at = UtcDateTime(allow_none=True)
    plan_approved_at = UtcDateTime(allow_none=True)
    feedback_at = UtcDateTime(allow_none=True)
    acknowledged_at = UtcDateTime(allow_none=True)
    closed_at = UtcDateTime(allow_none=True)
    created_at = UtcDateTime(required=True)
    rhk = fields.List(fields.Nested(RhkSchema), required=True)
    ekspektasi = fields.List(fields.Nested(NilaiTextSchema), required=True)
    perilaku = fields.List(fields.Nested(PerilakuSchema), required=True)
    keberatan = fields.List(fields.Nested(KeberatanSchema), required=True)
    follow_ups = fields.List(fields.Nested(FollowUpSchema), required=True)
    relations = fields.List(fields.String(), required=True)
    allowed_events = fields.List(fields.String(), required=True)


class IkiInSchema(ApiSchema):
    """An IKI of the plan (with `id` to keep an existing one)."""

    id = ident()
    uraian = text(5000, min_length=1, required=True)
    aspek = choice([a.value for a in Aspek], required=True)
    target = number(0, 1e12, required=True)
    satuan = text(60)
    arah = choice([a.value for a in Arah], load_default="naik")
    bobot = number(0, 100, required=True)


class RhkInSchema(ApiSchema):
    """An RHK of the plan (with `id` to keep an existing one)."""

    id = ident()
    jenis = choice([j.value for j in RhkJenis], required=True)
    uraian = text(5000, min_length=1, required=True)
    intervensi_rhk_id = ident(allow_none=True)
    iki = fields.List(fields.Nested(IkiInSchema), load_default=list, validate=validate.Length(max=10))


class PlanSchema(ApiSchema):
    """The whole draft plan: RHK left out are removed."""

    rhk = fields.List(fields.Nested(RhkInSchema), required=True, validate=validate.Length(max=30))


class EkspektasiSchema(ApiSchema):
    """Ekspektasi khusus pimpinan per BerAKHLAK value."""

    values = fields.Nested(BerakhlakTextSchema, required=True)


class RealisasiInSchema(ApiSchema):
    """A realisasi of an IKI as of a date, with a note and an evidence link."""

    iki_id = ident(required=True)
    value = number(0, 1e12, required=True)
    realized_on = fields.Date(required=True)
    note = text(5000, load_default="")
    evidence_url = text(500, load_default="")


class ActivityInSchema(ApiSchema):
    """A daily activity entry."""

    activity_on = fields.Date(required=True)
    description = text(5000, min_length=1, required=True)
    iki_id = ident(allow_none=True)


class ActivitySchema(ApiSchema):
    """A stored daily activity entry."""

    id = fields.Integer(required=True)
    activity_on = fields.Date(required=True)
    description = fields.String(required=True)
    iki_id = fields.Integer(allow_none=True)


class DisiplinInSchema(ApiSchema):
    """HR's attendance figures for the year."""

    hari_tidak_masuk = count(0, 366, required=True)
    menit_terlambat = count(0, 1_000_000, required=True)
    hari_tidak_masuk_berturut = count(0, 366, allow_none=True)


class RatingsInSchema(ApiSchema):
    """The atasan's ratings (some or all values), notes, kontribusi tim and inovasi."""

    ratings = fields.Nested(BerakhlakRatingsSchema, required=True)
    notes = fields.Nested(BerakhlakTextSchema)
    kontribusi_tim = choice(RATINGS, allow_none=True)
    inovasi = fields.Boolean(allow_none=True)


class OverrideSchema(ApiSchema):
    """A predikat other than the engine's, with a written reason."""

    predikat = choice(PREDIKATS, required=True)
    reason = text(5000, min_length=1, required=True)


class FeedbackSchema(ApiSchema):
    """The atasan's umpan balik."""

    umpan_balik = text(10_000, min_length=1, required=True)


class KeberatanInSchema(ApiSchema):
    """The pegawai's objection with its reasons."""

    alasan = text(10_000, min_length=1, required=True)


class KeberatanResolveSchema(ApiSchema):
    """The atasan's atasan upholds the decision, or changes it with new ratings and/or a predikat."""

    uphold = fields.Boolean(required=True)
    reason = text(5000, min_length=1, required=True)
    perilaku = fields.Nested(BerakhlakRatingsSchema)
    predikat = choice(PREDIKATS, allow_none=True)


class TransitionInSchema(ApiSchema):
    """A lifecycle step (feedback, acknowledge and keberatan have their own endpoints); `force` (HR) passes the
    role and guard checks with a reason."""

    event = choice(EVENTS, required=True)
    reason = text(5000, load_default="")
    to = choice(REOPEN_TARGETS, allow_none=True, metadata={"description": "target state of reopen"})
    force = fields.Boolean(load_default=False)


class HistorySchema(ApiSchema):
    """One transition of an evaluation."""

    id = fields.Integer(required=True)
    event = fields.String(required=True)
    from_state = fields.String(required=True)
    to_state = fields.String(required=True)
    actor = fields.String(required=True)
    reason = fields.String(required=True)
    forced = fields.Boolean(required=True)
    at = UtcDateTime(required=True)


class FollowUpInSchema(ApiSchema):
    """A follow-up added by HR or the atasan from the action catalogue."""

    code = choice(list(ACTIONS), required=True)
    note = text(5000, min_length=1, required=True)
    due_days = count(1, 730, allow_none=True)
    params = JsonObject(allow_none=True)


class FollowUpResolveSchema(ApiSchema):
    """Marking a follow-up done or cancelled."""

    note = text(5000, min_length=1, required=True)
    status = choice(("done", "cancelled"), load_default="done")


class EvaluationGetQuery(LangQuery):
    """Reading an evaluation."""
