"""The audit log: rows in the caller's reach with filters, and the check of the whole hash chain."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from admin.api.core import ApiBlueprint, actor, page_of
from admin.api.lookup import daerah_by_code
from admin.api.schemas.common import page_schema
from admin.api.schemas.decisions import AuditQuery, AuditRowSchema, ChainQuery, ChainSchema
from admin.audit_chain import check_segment, token_of
from admin.extensions import db
from engine.audit import AuditLog
from engine.permissions import read_scope
from engine.runtime.errors import NotAllowed

blp = ApiBlueprint("audit", __name__, description="Log audit dan pemeriksaan rantai hash / audit log and chain check")


def _scope():
    scope = read_scope(actor(), "audit")
    if not scope.everywhere and not scope.daerah_ids:
        raise NotAllowed("Hanya auditor dan administrator yang dapat membaca log audit.",
                         "Only auditors and administrators may read the audit log.", code="forbidden")
    return scope


def _utc(moment: dt.datetime) -> dt.datetime:
    """A naive UTC datetime, as stored (a moment without zone is taken as UTC)."""
    return moment.astimezone(dt.UTC).replace(tzinfo=None) if moment.tzinfo else moment


@blp.route("/audit", methods=["GET"])
@blp.arguments(AuditQuery, location="query")
@blp.response(200, page_schema(AuditRowSchema))
def list_view(args):
    """Audit rows, newest first: an auditor of a daerah sees that daerah's rows; one of every daerah sees all."""
    scope = _scope()
    query = select(AuditLog).order_by(AuditLog.seq.desc())
    if not scope.everywhere:
        query = query.where(AuditLog.daerah_id.in_(scope.daerah_ids))
    if args.get("daerah"):
        query = query.where(AuditLog.daerah_id == daerah_by_code(args["daerah"], "audit", "daerah").id)
    for key in ("entity", "entity_id", "action", "actor"):
        if args.get(key):
            query = query.where(getattr(AuditLog, key) == args[key])
    if args.get("since"):
        query = query.where(AuditLog.at >= _utc(args["since"]))
    if args.get("until"):
        query = query.where(AuditLog.at < _utc(args["until"]))
    return page_of(query, args["page"], args["per_page"])


@blp.route("/audit/verify", methods=["GET"])
@blp.arguments(ChainQuery, location="query")
@blp.response(200, ChainSchema)
def verify_view(args):
    """Check the audit chain's hashes, a few seconds a call, and name the first broken row, if any: until the
    answer is `complete`, call again with its `next` (a signed token, valid for an hour)."""
    _scope()
    report = check_segment(db.session, args.get("next"), "next")
    return {"ok": report.ok, "complete": report.complete, "checked": report.checked, "broken_seq": report.broken_seq,
            "reason": report.reason, "reason_en": report.reason_en,
            "next": token_of(report.resume) if report.resume else None}
