"""`POST /evaluate`: a facts document in, the decision out, nothing stored; the versions in force for the daerah
(daerah over the national baseline) on a date, or pinned version numbers."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from admin.api.core import ApiBlueprint, actor
from admin.api.lookup import not_found
from admin.api.schemas.decisions import EvaluateResultSchema, EvaluateSchema
from admin.extensions import db
from engine.organisation import Daerah
from engine.runtime import validate_facts
from engine.runtime.errors import Problem, ValidationFailed
from rules.decisions import run, versions_for
from rules.impact import may_read_daerah_rules

blp = ApiBlueprint("keputusan_langsung", __name__, description="Memutuskan satu dokumen fakta tanpa menyimpan / "
                   "decide one facts document, nothing stored")


@blp.route("/evaluate", methods=["POST"])
@blp.arguments(EvaluateSchema)
@blp.response(200, EvaluateResultSchema)
def evaluate_view(data):
    """Decide a facts document with the daerah's rules in force (or the pinned versions); nothing is stored."""
    facts = data["facts"]
    problems = validate_facts(facts)
    if problems:
        located = [Problem(p.code, f"facts.{p.path}", p.message_id, p.message_en) for p in problems]
        raise ValidationFailed(f"Dokumen fakta tidak valid: {len(problems)} masalah.",
                               f"The facts document is invalid: {len(problems)} problems.", code="invalid_facts",
                               problems=located)
    daerah = db.session.scalar(select(Daerah).where(Daerah.code == facts["daerah"]))
    if daerah is None or not may_read_daerah_rules(actor(), daerah):
        raise not_found("daerah", "facts.daerah")
    on = data.get("on") or dt.date(int(facts["periode"]["tahun"]), 12, 31)
    pinned = {k: v for k, v in (data.get("pinned") or {}).items() if v is not None}
    return run(facts, versions_for(db.session, daerah, on, pinned or None))
