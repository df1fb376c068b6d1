"""Schemas of decisions, their replay, the stateless evaluate call and the audit log."""
from __future__ import annotations

from marshmallow import fields, validate

from admin.api.fields import JsonObject, UtcDateTime, choice, count, text
from admin.api.schemas.common import ApiSchema, LangQuery, PageQuery
from admin.api.schemas.rules import DecisionResultSchema
from workflows.models import PREDIKATS


class PinnedSchema(ApiSchema):
    """Version numbers to use instead of those in force, per kind (e.g. a draft to try)."""

    scoring = count(1, 100_000)
    reward_punishment = count(1, 100_000)
    coaching = count(1, 100_000)


class EvaluateSchema(ApiSchema):
    """A facts document (docs/rules.md §2) to decide; nothing is stored."""

    facts = JsonObject(required=True)
    on = fields.Date(allow_none=True, metadata={"description": "date for the versions in force; default 31 "
                                                              "December of periode.tahun"})
    pinned = fields.Nested(PinnedSchema, allow_none=True)


class DecisionQuery(PageQuery):
    """Filters of the decision list."""

    daerah = text(40, metadata={"description": "daerah code"})
    nip = text(40, metadata={"description": "the pegawai's NIP (the decision's subject)"})
    predikat = choice(PREDIKATS)


class DecisionVersionSchema(ApiSchema):
    """A rule version a stored decision was taken with, and its hash then."""

    position = fields.Integer(required=True)
    rule_version_id = fields.Integer(required=True)
    content_hash = fields.String(required=True)
    label = fields.Function(lambda d: d.rule_version.label, required=True)
    number = fields.Function(lambda d: d.rule_version.number, required=True)
    kind = fields.Function(lambda d: str(d.rule_version.rule_set.kind), required=True)
    daerah = fields.Function(lambda d: d.rule_version.rule_set.daerah.code, required=True)


class DecisionSummarySchema(ApiSchema):
    """A stored decision in a list."""

    id = fields.Integer(required=True)
    daerah_id = fields.Integer(required=True)
    pegawai_id = fields.Integer(allow_none=True)
    subject = fields.String(required=True)
    predikat = fields.String(allow_none=True)
    result_hash = fields.String(required=True)
    engine_version = fields.String(required=True)
    actor = fields.String(required=True)
    decided_at = UtcDateTime(required=True)
    supersedes_id = fields.Integer(allow_none=True)


class DecisionSchema(DecisionSummarySchema):
    """A stored decision: the facts it saw, the result with its trace, and the exact versions."""

    facts = fields.Dict(required=True)
    result = fields.Dict(required=True)
    versions = fields.List(fields.Nested(DecisionVersionSchema), required=True)


class ReplaySchema(ApiSchema):
    """The decision re-run with its recorded versions: identical means byte for byte."""

    identical = fields.Boolean(required=True)
    result_hash = fields.String(required=True)
    replay_hash = fields.String(required=True)
    changed_versions = fields.List(fields.String(), required=True)
    result = fields.Nested(DecisionResultSchema, required=True)


class AuditQuery(PageQuery):
    """Filters of the audit log (newest first)."""

    daerah = text(40, metadata={"description": "daerah code"})
    entity = text(60)
    entity_id = text(80)
    action = text(40)
    actor = text(120)
    since = fields.DateTime(metadata={"description": "UTC, inclusive"})
    until = fields.DateTime(metadata={"description": "UTC, exclusive"})


class AuditRowSchema(ApiSchema):
    """One audited change."""

    seq = fields.Integer(required=True)
    at = UtcDateTime(required=True)
    actor = fields.String(required=True)
    action = fields.String(required=True)
    entity = fields.String(required=True)
    entity_id = fields.String(required=True)
    daerah_id = fields.Integer(allow_none=True)
    before = fields.Raw(allow_none=True)
    after = fields.Raw(allow_none=True)
    prev_hash = fields.String(required=True)
    hash = fields.String(required=True)


class ChainQuery(LangQuery):
    """`next`: the token a previous answer gave, to go on where that segment of the check stopped."""

    next = fields.String(validate=validate.Length(max=2000),
                         metadata={"description": "the `next` of the previous answer (absent: from the first row)"})


class ChainSchema(ApiSchema):
    """One segment of the audit chain check (a few seconds): rows checked so far and the first broken one. Until
    `complete`, call again with `next`; `ok` is true only once the whole chain was checked intact."""

    ok = fields.Boolean(required=True, metadata={"description": "the whole chain was checked and is intact"})
    complete = fields.Boolean(required=True, metadata={"description": "a verdict: a broken row or the chain's end"})
    checked = fields.Integer(required=True)
    broken_seq = fields.Integer(allow_none=True)
    reason = fields.String(required=True)
    reason_en = fields.String(required=True)
    next = fields.String(allow_none=True, metadata={"description": "pass it back as ?next= to go on"})


class EvaluateResultSchema(DecisionResultSchema):
    """The decision for the facts (not stored)."""

