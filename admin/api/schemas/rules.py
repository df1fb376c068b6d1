"""Schemas of rule sets and versions, their documents, validation, diff, trial and impact."""
from __future__ import annotations

from marshmallow import fields, validate

from admin.api.fields import JsonObject, UtcDateTime, choice, count, ident, text
from admin.api.schemas.common import ApiSchema, LangQuery, MessageSchema, PageQuery, ProblemSchema
from rules.models import RuleKind, VersionStatus

KINDS = [k.value for k in RuleKind]
STATUSES = [s.value for s in VersionStatus]


class RuleSetSchema(ApiSchema):
    """The rules of one daerah for one kind."""

    id = fields.Integer(required=True)
    daerah = fields.String(required=True)
    kind = fields.String(required=True)
    name = fields.String(required=True)
    requires_second_approval = fields.Boolean(required=True)
    latest_number = fields.Integer(allow_none=True)
    in_force_number = fields.Integer(allow_none=True, metadata={"description": "the version in force today"})


class RuleSetQuery(PageQuery):
    """Filters of the rule set list."""

    daerah = text(40, metadata={"description": "daerah code"})
    kind = choice(KINDS)


class VersionQuery(PageQuery):
    """Filters of a rule set's versions."""

    status = choice(STATUSES)


class VersionSummarySchema(ApiSchema):
    """A rule version without its document."""

    id = fields.Integer(required=True)
    label = fields.String(required=True)
    daerah = fields.Function(lambda v: v.rule_set.daerah.code, required=True)
    kind = fields.Function(lambda v: str(v.rule_set.kind), required=True)
    number = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    content_hash = fields.String(allow_none=True)
    extends = fields.Function(lambda v: v.extends.label if v.extends else None, allow_none=True)
    effective_from = fields.Date(allow_none=True)
    effective_to = fields.Date(allow_none=True)
    legal_basis = fields.String(required=True)
    change_note = fields.String(required=True)
    contoh = fields.Boolean(required=True)
    problem_count = fields.Integer(required=True)
    author = fields.String(required=True)
    created_at = UtcDateTime(required=True)
    updated_at = UtcDateTime(required=True)
    approved_by = fields.String(allow_none=True)
    approved_at = UtcDateTime(allow_none=True)
    publisher = fields.String(allow_none=True)
    published_at = UtcDateTime(allow_none=True)
    retired_at = UtcDateTime(allow_none=True)


class VersionSchema(VersionSummarySchema):
    """A rule version with its document (and, when asked, the document resolved over its baseline)."""

    document = fields.Dict(required=True)
    resolved = fields.Dict(allow_none=True)


class VersionGetQuery(LangQuery):
    """Options of reading a version."""

    resolved = fields.Boolean(load_default=False, metadata={"description": "add the document resolved over its "
                                                                          "baseline, each rule with its origin"})


class DraftCreateSchema(ApiSchema):
    """A new draft: the given document, or a copy of the latest version."""

    document = JsonObject(metadata={"description": "the rule document (docs/rules.md); default: the latest version"})
    extends_version_id = ident(allow_none=True, metadata={"description": "the baseline version it overrides; "
                                                                        "default: that of the latest version"})
    change_note = text(5000)


class DraftImportSchema(ApiSchema):
    """A rule document as YAML or JSON text, stored as a new draft."""

    format = choice(("yaml", "json"), required=True)
    content = text(1_000_000, min_length=1, required=True, strip=False)
    change_note = text(5000)


class DraftSaveSchema(ApiSchema):
    """A draft's new document (saved even with problems, which are returned)."""

    document = JsonObject(required=True)
    change_note = text(5000)


class DraftResultSchema(ApiSchema):
    """A saved draft and what still stops it from being published."""

    version = fields.Nested(VersionSchema, required=True)
    problems = fields.List(fields.Nested(ProblemSchema), required=True)


class ValidationResultSchema(ApiSchema):
    """Whether a version could be published, and why not."""

    publishable = fields.Boolean(required=True)
    problems = fields.List(fields.Nested(ProblemSchema), required=True)


class PublishSchema(ApiSchema):
    """Publishing freezes a draft with its legal basis and effective period."""

    legal_basis = text(300, min_length=1, required=True, metadata={"description": "Perkada/Perwal/Perbup number"})
    effective_from = fields.Date(required=True)
    effective_to = fields.Date(allow_none=True)
    change_note = text(5000)


class RetireSchema(ApiSchema):
    """Retiring takes a published version out of force."""

    reason = text(2000, min_length=1, required=True)


class EmptySchema(ApiSchema):
    """No fields (an action without input)."""


class DiffQuery(LangQuery):
    """Which version to compare with (default: the one before)."""

    against = count(1, 100_000, strict=False, metadata={"description": "version number; default number - 1"})


class DiffLineSchema(ApiSchema):
    """One rule-level difference."""

    path = fields.String(required=True)
    id = fields.String(required=True)
    en = fields.String(required=True)


class DiffSchema(ApiSchema):
    """The differences between two versions as they apply (each resolved over its baseline)."""

    old = fields.String(required=True, data_key="from")
    new = fields.String(required=True, data_key="to")
    lines = fields.List(fields.Nested(DiffLineSchema), required=True)


class RuleVersionRefSchema(ApiSchema):
    """A rule version a decision used."""

    id = fields.Integer(required=True)
    label = fields.String(required=True)
    kind = fields.String(required=True)
    number = fields.Integer(required=True)
    hash = fields.String(allow_none=True)
    extends = fields.String(allow_none=True)


class DecisionResultSchema(ApiSchema):
    """The engine's answer: outputs, capaian, actions, trace, facts, versions and an explanation (docs/rules.md §11)."""

    outputs = fields.Dict(required=True)
    capaian = fields.Dict(required=True)
    actions = fields.List(fields.Dict(), required=True)
    trace = fields.List(fields.Dict(), required=True)
    facts = fields.Dict(required=True)
    facts_hash = fields.String(required=True)
    versions = fields.List(fields.Dict(), required=True)
    engine = fields.Dict(required=True)
    explanation = fields.Dict(required=True)
    rule_versions = fields.List(fields.Nested(RuleVersionRefSchema), required=True)


class TrySchema(ApiSchema):
    """A facts document to decide with this version in place of its kind."""

    facts = JsonObject(required=True)
    on = fields.Date(allow_none=True, metadata={"description": "which versions are in force for the other kinds; "
                                                              "default today"})


class TryResultSchema(ApiSchema):
    """The decision with this version, beside the one with the versions in force."""

    result = fields.Nested(DecisionResultSchema, required=True)
    current = fields.Nested(DecisionResultSchema, allow_none=True)
    current_error = fields.Nested(MessageSchema, allow_none=True)


class ImpactQuery(LangQuery):
    """Which period year to replay (default: last year)."""

    year = count(2000, 2100, strict=False)


class ImpactRowSchema(ApiSchema):
    """A pegawai whose outcome would change."""

    decision_id = fields.Integer(required=True)
    nama = fields.String(required=True)
    nip = fields.String(required=True)
    unit = fields.String(required=True)
    old_predikat = fields.String(allow_none=True)
    new_predikat = fields.String(allow_none=True)
    added = fields.List(fields.Dict(), required=True)
    removed = fields.List(fields.Dict(), required=True)
    old_skor = fields.Raw(allow_none=True)
    new_skor = fields.Raw(allow_none=True)
    error = fields.Nested(MessageSchema, allow_none=True)


class TransitionCountSchema(ApiSchema):
    """How many pegawai move from one predikat to another."""

    old = fields.String(allow_none=True, data_key="from")
    new = fields.String(allow_none=True, data_key="to")
    count = fields.Integer(required=True)


class ImpactSchema(ApiSchema):
    """The version replayed over a period's decisions of its daerah."""

    year = fields.Integer(required=True)
    total = fields.Integer(required=True)
    changed_predikat = fields.Integer(required=True)
    changed_actions = fields.Integer(required=True)
    changed_any = fields.Integer(required=True)
    unchanged = fields.Integer(required=True)
    errors = fields.Integer(required=True)
    population = fields.Integer(required=True, metadata={"description": "pegawai decided in the year; `total` of "
                                                         "them were replayed (all, or an even sample)"})
    truncated = fields.Boolean(required=True)
    transitions = fields.List(fields.Nested(TransitionCountSchema), required=True)
    rows = fields.List(fields.Nested(ImpactRowSchema), required=True)
    problems = fields.List(fields.Nested(ProblemSchema), required=True)
