"""Stored decisions: list, read (facts, result, trace, exact versions) and replay."""
from __future__ import annotations

from sqlalchemy import select

from admin.api.core import ApiBlueprint, actor, page_of
from admin.api.lookup import daerah_by_code
from admin.api.schemas.common import LangQuery, page_schema
from admin.api.schemas.decisions import DecisionQuery, DecisionSchema, DecisionSummarySchema, ReplaySchema
from admin.api.schemas.rules import EmptySchema
from admin.extensions import db
from engine.permissions import read_scope
from engine.runtime.errors import NotAllowed
from rules.decisions import get_decision, replay
from rules.models import Decision

blp = ApiBlueprint("keputusan", __name__, description="Keputusan tersimpan dan replay / stored decisions and replay")


@blp.route("/decisions", methods=["GET"])
@blp.arguments(DecisionQuery, location="query")
@blp.response(200, page_schema(DecisionSummarySchema))
def list_view(args):
    """Decisions of the daerah the caller may read, newest first."""
    scope = read_scope(actor(), "decisions")
    if not scope.everywhere and not scope.daerah_ids:
        raise NotAllowed("Anda tidak berwenang membaca keputusan.", "You are not allowed to read decisions.",
                         code="forbidden")
    query = select(Decision).order_by(Decision.decided_at.desc(), Decision.id.desc())
    if not scope.everywhere:
        query = query.where(Decision.daerah_id.in_(scope.daerah_ids))
    if args.get("daerah"):
        query = query.where(Decision.daerah_id == daerah_by_code(args["daerah"], "decisions", "daerah").id)
    if args.get("nip"):
        query = query.where(Decision.subject == "".join(args["nip"].split()))
    if args.get("predikat"):
        query = query.where(Decision.predikat == args["predikat"])
    return page_of(query, args["page"], args["per_page"])


@blp.route("/decisions/<int(max=2147483647):decision_id>", methods=["GET"])
@blp.arguments(LangQuery, location="query")
@blp.response(200, DecisionSchema)
def get_view(args, decision_id):
    """One decision: the facts it saw, its result and trace, the exact rule versions and hashes."""
    return get_decision(db.session, actor(), decision_id)


@blp.route("/decisions/<int(max=2147483647):decision_id>/replay", methods=["POST"])
@blp.arguments(EmptySchema, required=False)
@blp.response(200, ReplaySchema)
def replay_view(data, decision_id):
    """Re-run the decision with its recorded versions and compare byte for byte (nothing stored)."""
    return replay(db.session, get_decision(db.session, actor(), decision_id))
