"""The evaluation lifecycle over HTTP on the workflows services: open a period, list and read evaluations, and
every step from the SKP plan to the follow-ups. Every change needs `If-Match` with the evaluation's ETag."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from admin.api.core import ApiBlueprint, actor, etag_of, page_of, require_if_match
from admin.api.lookup import not_found
from admin.api.schemas.common import LangQuery, page_schema
from admin.api.schemas.evaluations import (ActivityInSchema, ActivitySchema, DisiplinInSchema, EkspektasiSchema,
                                           EvaluationQuery, EvaluationSchema, EvaluationSummarySchema,
                                           FeedbackSchema, FollowUpInSchema, FollowUpResolveSchema, FollowUpSchema,
                                           HistorySchema, KeberatanInSchema, KeberatanResolveSchema,
                                           OpenReportSchema, OverrideSchema, PeriodOpenSchema, PlanSchema,
                                           RatingsInSchema, RealisasiInSchema, TransitionInSchema)
from admin.api.schemas.rules import EmptySchema
from admin.extensions import db
from engine.organisation import Daerah, Pegawai, UnitKerja
from engine.runtime.errors import Problem, ValidationFailed
from workflows.feedback import acknowledge_evaluation, file_keberatan, give_feedback, resolve_keberatan
from workflows.followup import add_follow_up, get_follow_up, resolve_follow_up
from workflows.machine import allowed_events
from workflows.models import Evaluation, Iki, Keberatan, Rhk
from workflows.periods import get_evaluation, list_evaluations, my_evaluations, open_period
from workflows.permissions import relations_to
from workflows.plan import approve_plan, return_plan, revise_plan, save_plan, set_ekspektasi, submit_plan
from workflows.realization import (log_activity, record_disiplin, record_realisasi, start_realization,
                                   submit_realization)
from workflows.review import decide_evaluation, override_predikat, rate_perilaku
from workflows.transitions import (apply_transition, close_evaluation, evaluation_history, force_transition,
                                   reopen_evaluation)

blp = ApiBlueprint("evaluasi", __name__, description="Periode, evaluasi dan tindak lanjut / periods, evaluations, "
                   "follow-ups")
ONE = "/evaluations/<int(max=2147483647):evaluation_id>"
#: events with their own endpoint (they take more than a reason)
OWN_ENDPOINT = {"give_feedback": "feedback", "acknowledge": "acknowledge", "file_keberatan": "keberatan",
                "resolve_keberatan": "keberatan/resolve"}


class EvaluationView:
    """An evaluation as the caller sees it: the row, plus their relations, the allowed events and the keberatan."""

    def __init__(self, evaluation: Evaluation):
        self._evaluation = evaluation
        rels = relations_to(actor(), evaluation.pegawai)
        self.relations = sorted(str(r) for r in rels)
        self.allowed_events = allowed_events(str(evaluation.state), frozenset(rels))
        self.keberatan = db.session.scalars(select(Keberatan).where(Keberatan.evaluation_id == evaluation.id)
                                            .order_by(Keberatan.round)).all()

    def __getattr__(self, name):
        return getattr(self._evaluation, name)


#: what EvaluationSchema reads, loaded in one query per relation (lazily it was one query per RHK and per IKI)
READ_WHOLE = (selectinload(Evaluation.rhk).selectinload(Rhk.iki).selectinload(Iki.realisasi),
              selectinload(Evaluation.ekspektasi), selectinload(Evaluation.perilaku),
              selectinload(Evaluation.follow_ups), joinedload(Evaluation.pegawai).joinedload(Pegawai.atasan))


def _answer(evaluation: Evaluation, status: int = 200):
    db.session.refresh(evaluation)  # services flush child rows; read back what is stored now
    return EvaluationView(evaluation), status, {"ETag": etag_of(evaluation)}


def _for_write(evaluation_id: int) -> tuple[Evaluation, int]:
    evaluation = get_evaluation(db.session, actor(), evaluation_id)
    return evaluation, require_if_match(evaluation)


@blp.route("/periods", methods=["POST"])
@blp.arguments(PeriodOpenSchema)
@blp.response(201, OpenReportSchema)
def open_period_view(data):
    """HR opens the tahunan period: an evaluation in plan_draft for every pegawai without one (idempotent)."""
    daerah = db.session.scalar(select(Daerah).where(Daerah.code == data["daerah"]))
    if daerah is None:
        raise not_found("daerah", "daerah")
    unit = None
    if data.get("unit_id"):
        unit = db.session.get(UnitKerja, data["unit_id"])
        if unit is None or unit.daerah_id != daerah.id:
            raise not_found("unit_kerja", "unit_id")
    report = open_period(db.session, actor(), daerah, data["tahun"], unit)
    return {"period_id": report.period_id, "created": report.created, "existing": report.existing,
            "total": report.total, "not_aktif": report.not_aktif}


@blp.route("/evaluations", methods=["GET"])
@blp.arguments(EvaluationQuery, location="query")
@blp.response(200, page_schema(EvaluationSummarySchema))
def list_view(args):
    """The caller's own and their reports' evaluations (`mine=true`), or a daerah's of a year (HR, auditors)."""
    if args["mine"]:
        query = my_evaluations(db.session, actor(), args.get("tahun"), args.get("state"))
        return page_of(query, args["page"], args["per_page"])
    missing = [k for k in ("daerah", "tahun") if not args.get(k)]
    if missing:
        raise ValidationFailed("daerah dan tahun wajib diisi (atau mine=true).",
                               "daerah and tahun are required (or mine=true).", code="invalid",
                               problems=[_required(k) for k in missing])
    daerah = db.session.scalar(select(Daerah).where(Daerah.code == args["daerah"]))
    if daerah is None:
        raise not_found("daerah", "daerah")
    unit = None
    if args.get("unit_id"):
        unit = db.session.get(UnitKerja, args["unit_id"])
        if unit is None or unit.daerah_id != daerah.id:
            raise not_found("unit_kerja", "unit_id")
    query = list_evaluations(db.session, actor(), daerah, args["tahun"], state=args.get("state"), unit=unit)
    return page_of(query, args["page"], args["per_page"])


def _required(key: str) -> Problem:
    return Problem("required", key, "wajib diisi", "is required")


@blp.route(ONE, methods=["GET"])
@blp.arguments(LangQuery, location="query")
@blp.response(200, EvaluationSchema, headers={"ETag": {"schema": {"type": "string"},
                                                       "description": "send it back in If-Match to change"}})
def get_view(args, evaluation_id):
    """One evaluation with everything the caller may see, and its ETag."""
    evaluation = get_evaluation(db.session, actor(), evaluation_id, options=READ_WHOLE)
    return EvaluationView(evaluation), 200, {"ETag": etag_of(evaluation)}


@blp.route(ONE + "/history", methods=["GET"])
@blp.arguments(LangQuery, location="query")
@blp.response(200, HistorySchema(many=True))
def history_view(args, evaluation_id):
    """Every transition of the evaluation, oldest first."""
    return evaluation_history(db.session, actor(), get_evaluation(db.session, actor(), evaluation_id))


@blp.route(ONE + "/plan", methods=["PUT"])
@blp.arguments(PlanSchema)
@blp.response(200, EvaluationSchema)
def plan_view(data, evaluation_id):
    """The pegawai saves the whole draft SKP plan (RHK with their IKI)."""
    evaluation, version = _for_write(evaluation_id)
    save_plan(db.session, actor(), evaluation, data["rhk"], version=version)
    return _answer(evaluation)


@blp.route(ONE + "/ekspektasi", methods=["PUT"])
@blp.arguments(EkspektasiSchema)
@blp.response(200, EvaluationSchema)
def ekspektasi_view(data, evaluation_id):
    """The atasan sets ekspektasi khusus pimpinan per BerAKHLAK value."""
    evaluation, version = _for_write(evaluation_id)
    set_ekspektasi(db.session, actor(), evaluation, data["values"], version=version)
    return _answer(evaluation)


@blp.route(ONE + "/realisasi", methods=["POST"])
@blp.arguments(RealisasiInSchema)
@blp.response(201, EvaluationSchema)
def realisasi_view(data, evaluation_id):
    """The pegawai records an IKI's cumulative realisasi (the first one starts the realisation phase)."""
    evaluation, version = _for_write(evaluation_id)
    record_realisasi(db.session, actor(), evaluation, data["iki_id"], data["value"], data["realized_on"],
                     note=data["note"], evidence_url=data["evidence_url"], version=version)
    return _answer(evaluation, 201)


@blp.route(ONE + "/activities", methods=["POST"])
@blp.arguments(ActivityInSchema)
@blp.response(201, ActivitySchema)
def activity_view(data, evaluation_id):
    """The pegawai writes a daily activity entry."""
    evaluation, _ = _for_write(evaluation_id)
    row = log_activity(db.session, actor(), evaluation, data["activity_on"], data["description"],
                       iki_id=data.get("iki_id"))
    return row, 201, {"ETag": etag_of(evaluation)}


@blp.route(ONE + "/disiplin", methods=["PUT"])
@blp.arguments(DisiplinInSchema)
@blp.response(200, EvaluationSchema)
def disiplin_view(data, evaluation_id):
    """HR records the year's attendance figures."""
    evaluation, version = _for_write(evaluation_id)
    record_disiplin(db.session, actor(), evaluation, hari_tidak_masuk=data["hari_tidak_masuk"],
                    menit_terlambat=data["menit_terlambat"],
                    hari_tidak_masuk_berturut=data.get("hari_tidak_masuk_berturut"), version=version)
    return _answer(evaluation)


@blp.route(ONE + "/perilaku", methods=["PUT"])
@blp.arguments(RatingsInSchema)
@blp.response(200, EvaluationSchema)
def perilaku_view(data, evaluation_id):
    """The atasan rates BerAKHLAK values (a change after a decision withdraws it)."""
    evaluation, version = _for_write(evaluation_id)
    rate_perilaku(db.session, actor(), evaluation, data["ratings"], notes=data.get("notes"),
                  kontribusi_tim=data.get("kontribusi_tim"), inovasi=data.get("inovasi"), version=version)
    return _answer(evaluation)


@blp.route(ONE + "/decide", methods=["POST"])
@blp.arguments(EmptySchema, required=False)
@blp.response(200, EvaluationSchema)
def decide_view(data, evaluation_id):
    """The atasan (or HR) decides the evaluation in review with the rules in force; the decision is stored."""
    evaluation, version = _for_write(evaluation_id)
    decide_evaluation(db.session, actor(), evaluation, version=version)
    return _answer(evaluation)


@blp.route(ONE + "/override", methods=["POST"])
@blp.arguments(OverrideSchema)
@blp.response(200, EvaluationSchema)
def override_view(data, evaluation_id):
    """The atasan sets another predikat than the engine's, with a written reason (both are kept)."""
    evaluation, version = _for_write(evaluation_id)
    override_predikat(db.session, actor(), evaluation, data["predikat"], data["reason"], version=version)
    return _answer(evaluation)


@blp.route(ONE + "/feedback", methods=["POST"])
@blp.arguments(FeedbackSchema)
@blp.response(200, EvaluationSchema)
def feedback_view(data, evaluation_id):
    """The atasan writes umpan balik and hands the decided evaluation to the pegawai."""
    evaluation, version = _for_write(evaluation_id)
    give_feedback(db.session, actor(), evaluation, data["umpan_balik"], version=version)
    return _answer(evaluation)


@blp.route(ONE + "/acknowledge", methods=["POST"])
@blp.arguments(EmptySchema, required=False)
@blp.response(200, EvaluationSchema)
def acknowledge_view(data, evaluation_id):
    """The pegawai accepts the result; the decision's actions become follow-ups (none: the evaluation closes)."""
    evaluation, version = _for_write(evaluation_id)
    acknowledge_evaluation(db.session, actor(), evaluation, version=version)
    return _answer(evaluation)


@blp.route(ONE + "/keberatan", methods=["POST"])
@blp.arguments(KeberatanInSchema)
@blp.response(201, EvaluationSchema)
def keberatan_view(data, evaluation_id):
    """The pegawai objects to the result before the daerah's deadline."""
    evaluation, version = _for_write(evaluation_id)
    file_keberatan(db.session, actor(), evaluation, data["alasan"], version=version)
    return _answer(evaluation, 201)


@blp.route(ONE + "/keberatan/resolve", methods=["POST"])
@blp.arguments(KeberatanResolveSchema)
@blp.response(200, EvaluationSchema)
def resolve_keberatan_view(data, evaluation_id):
    """The atasan's atasan upholds the decision or changes it; the follow-ups start."""
    evaluation, version = _for_write(evaluation_id)
    resolve_keberatan(db.session, actor(), evaluation, uphold=data["uphold"], reason=data["reason"],
                      perilaku=data.get("perilaku") or None, predikat=data.get("predikat"), version=version)
    return _answer(evaluation)


def _transition(evaluation: Evaluation, version: int, data: dict) -> None:
    event, reason = data["event"], data["reason"]
    if data["force"]:
        force_transition(db.session, actor(), evaluation, event, reason, version=version, reopen_to=data.get("to"))
        return
    if event in OWN_ENDPOINT:
        raise ValidationFailed(f"Gunakan {ONE.split('<')[0]}{{id}}/{OWN_ENDPOINT[event]} untuk langkah ini.",
                               f"Use /evaluations/{{id}}/{OWN_ENDPOINT[event]} for this step.", code="own_endpoint",
                               field="event")
    steps = {
        "submit_plan": lambda: submit_plan(db.session, actor(), evaluation, version=version),
        "approve_plan": lambda: approve_plan(db.session, actor(), evaluation, version=version, note=reason),
        "return_plan": lambda: return_plan(db.session, actor(), evaluation, reason, version=version),
        "revise_plan": lambda: revise_plan(db.session, actor(), evaluation, reason, version=version),
        "start_realization": lambda: start_realization(db.session, actor(), evaluation, version=version),
        "submit_realization": lambda: submit_realization(db.session, actor(), evaluation, version=version),
        "close": lambda: close_evaluation(db.session, actor(), evaluation, reason, version=version),
        "reopen": lambda: reopen_evaluation(db.session, actor(), evaluation, reason, to=data.get("to") or "review",
                                            version=version),
    }
    step = steps.get(event) or (lambda: apply_transition(db.session, actor(), evaluation, event, reason=reason,
                                                         version=version))
    step()


@blp.route(ONE + "/transitions", methods=["POST"])
@blp.arguments(TransitionInSchema)
@blp.response(200, EvaluationSchema)
def transition_view(data, evaluation_id):
    """A lifecycle step: submit/approve/return/revise the plan, start/submit realisation, close, reopen; HR may
    force any step with a reason."""
    evaluation, version = _for_write(evaluation_id)
    _transition(evaluation, version, data)
    return _answer(evaluation)


@blp.route(ONE + "/follow-ups", methods=["POST"])
@blp.arguments(FollowUpInSchema)
@blp.response(201, FollowUpSchema)
def add_follow_up_view(data, evaluation_id):
    """HR or the atasan adds a follow-up from the action catalogue."""
    evaluation, _ = _for_write(evaluation_id)
    row = add_follow_up(db.session, actor(), evaluation, data["code"], note=data["note"],
                        due_days=data.get("due_days"), params=data.get("params"))
    return row, 201, {"ETag": etag_of(evaluation)}


@blp.route("/follow-ups/<int(max=2147483647):follow_up_id>", methods=["GET"])
@blp.arguments(LangQuery, location="query")
@blp.response(200, FollowUpSchema)
def get_follow_up_view(args, follow_up_id):
    """One follow-up."""
    return get_follow_up(db.session, actor(), follow_up_id)


@blp.route("/follow-ups/<int(max=2147483647):follow_up_id>/resolve", methods=["POST"])
@blp.arguments(FollowUpResolveSchema)
@blp.response(200, FollowUpSchema)
def resolve_follow_up_view(data, follow_up_id):
    """The owner marks a follow-up done or cancelled; the last one closes the evaluation."""
    row = get_follow_up(db.session, actor(), follow_up_id)
    return resolve_follow_up(db.session, actor(), row, data["note"], status=data["status"])
