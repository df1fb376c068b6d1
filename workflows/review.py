"""Review: the atasan rates the seven BerAKHLAK values, the rules engine decides from the facts in the database,
and the atasan may override the predikat with a written reason (both values are kept)."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.audit import set_actor
from engine.db import utcnow
from engine.identity import User
from engine.runtime import validate_facts
from rules.decisions import decide
from rules.models import Decision
from workflows.errors import WorkflowConflict, invalid, problem
from workflows.facts import gather_facts
from workflows.models import (BERAKHLAK, PREDIKATS, RATINGS, Evaluation, EvaluationDecision, EvaluationState as S,
                              PerilakuRating)
from workflows.permissions import Relation, require_access, require_relation
from workflows.plan import require_state
from workflows.transitions import check_version, save_evaluation

PREDIKAT_LABELS = {"sangat_baik": "Sangat Baik", "baik": "Baik", "butuh_perbaikan": "Butuh Perbaikan",
                   "kurang_misconduct": "Kurang/Misconduct", "sangat_kurang": "Sangat Kurang"}


def _rating_problems(ratings: dict, kontribusi_tim, inovasi) -> list:
    out = []
    if not isinstance(ratings, dict):
        return [problem("type", "perilaku", "penilaian perilaku harus objek nilai -> rating",
                        "behaviour ratings must be an object of value -> rating")]
    for nilai, rating in ratings.items():
        if nilai not in BERAKHLAK:
            out.append(problem("enum", f"perilaku.{nilai}", f"'{nilai}' bukan nilai BerAKHLAK; pilih dari "
                               f"{', '.join(BERAKHLAK)}", f"'{nilai}' is not a BerAKHLAK value; pick one of "
                               f"{', '.join(BERAKHLAK)}"))
        elif rating not in RATINGS:
            out.append(problem("enum", f"perilaku.{nilai}", f"rating harus di_atas, sesuai atau di_bawah, bukan "
                               f"{rating!r}", f"the rating must be di_atas, sesuai or di_bawah, not {rating!r}"))
    if kontribusi_tim is not None and kontribusi_tim not in RATINGS:
        out.append(problem("enum", "kontribusi_tim", "kontribusi tim harus di_atas, sesuai atau di_bawah",
                           "kontribusi_tim must be di_atas, sesuai or di_bawah"))
    if inovasi is not None and not isinstance(inovasi, bool):
        out.append(problem("type", "inovasi", "inovasi harus true atau false", "inovasi must be true or false"))
    return out


def apply_ratings(session: Session, actor: User, evaluation: Evaluation, ratings: dict[str, str],
                  notes: dict[str, str] | None = None) -> dict:
    """Store ratings (no permission check: callers check); return {nilai: [before, after]} of what changed."""
    current = {r.nilai: r for r in evaluation.perilaku}
    changed = {}
    for nilai, rating in ratings.items():
        row = current.get(nilai)
        note = (notes or {}).get(nilai, row.note if row else "")
        if row is None:
            evaluation.perilaku.append(PerilakuRating(evaluation_id=evaluation.id, nilai=nilai, rating=rating,
                                                      note=note, rated_by=actor.username))
            changed[nilai] = [None, rating]
        elif row.rating != rating or row.note != note:
            if row.rating != rating:
                changed[nilai] = [row.rating, rating]
            row.rating, row.note, row.rated_by = rating, note, actor.username
    return changed


def rate_perilaku(session: Session, actor: User, evaluation: Evaluation, ratings: dict[str, str], *,
                  notes: dict[str, str] | None = None, kontribusi_tim: str | None = None,
                  inovasi: bool | None = None, version: int | None = None) -> Evaluation:
    """The atasan rates BerAKHLAK values (some or all), and optionally kontribusi tim and inovasi; a change after
    a decision withdraws it, so the evaluation must be decided again."""
    rels = require_access(actor, evaluation.pegawai)
    require_relation(rels, {Relation.atasan}, "menilai perilaku kerja", "rate work behaviour")
    set_actor(session, actor)
    check_version(evaluation, version)
    require_state(evaluation, (S.review,), "menilai perilaku kerja", "rate work behaviour")
    problems = _rating_problems(ratings, kontribusi_tim, inovasi)
    if problems:
        raise invalid(problems, "Penilaian perilaku tidak valid", "Invalid behaviour ratings")
    changed = apply_ratings(session, actor, evaluation, ratings, notes)
    before = {"kontribusi_tim": evaluation.kontribusi_tim, "inovasi": evaluation.inovasi,
              "decision_id": evaluation.decision_id}
    if kontribusi_tim is not None and kontribusi_tim != evaluation.kontribusi_tim:
        evaluation.kontribusi_tim, changed["kontribusi_tim"] = kontribusi_tim, [before["kontribusi_tim"], kontribusi_tim]
    if inovasi is not None and inovasi != evaluation.inovasi:
        evaluation.inovasi, changed["inovasi"] = inovasi, [before["inovasi"], inovasi]
    if changed and evaluation.decision_id is not None:
        _withdraw_decision(evaluation)
    save_evaluation(session, evaluation, "rate_perilaku", before,
                    {"changed": changed, "decision_id": evaluation.decision_id})
    return evaluation


def _withdraw_decision(evaluation: Evaluation) -> None:
    """The inputs changed: the decision no longer describes them (it stays linked, for the record)."""
    evaluation.decision_id = None
    evaluation.predikat_engine = evaluation.predikat = None
    evaluation.override_reason = evaluation.override_by = evaluation.override_at = None


def decision_guard(facts: dict, *, full: bool = True) -> None:
    """Refuse to decide with unrated values, no IKI or (with `full`) facts the engine would reject, naming each
    problem."""
    problems = []
    unrated = [v for v in BERAKHLAK if v not in facts["perilaku"]]
    if unrated:
        problems.append(problem("perilaku_unrated", "perilaku", f"nilai perilaku belum dinilai: {', '.join(unrated)}",
                                f"behaviour values not rated yet: {', '.join(unrated)}"))
    if not facts["iki"]:
        problems.append(problem("iki_required", "iki", "rencana SKP tidak memiliki IKI",
                                "the SKP plan has no IKI"))
    if not problems and full:  # named by where they are (iki[0].realisasi...): the message alone would not say
        problems = [problem(p.code, p.path, f"{p.path}: {p.message_id}", f"{p.path}: {p.message_en}")
                    for p in validate_facts(facts)]
    if problems:
        raise invalid(problems, "Evaluasi belum dapat diputuskan", "The evaluation cannot be decided yet",
                      code="not_decidable")


def link_decision(session: Session, evaluation: Evaluation, decision: Decision, reason: str, actor: User) -> None:
    """Point the evaluation at a new decision and keep the link row (the earlier ones stay)."""
    seq = (session.scalar(select(func.max(EvaluationDecision.seq))
                          .where(EvaluationDecision.evaluation_id == evaluation.id)) or 0) + 1
    session.add(EvaluationDecision(evaluation_id=evaluation.id, decision_id=decision.id, daerah_id=evaluation.daerah_id,
                                   seq=seq, reason=reason, predikat=decision.predikat,
                                   result_hash=decision.result_hash, actor=actor.username))
    evaluation.decision_id = decision.id
    evaluation.predikat_engine = evaluation.predikat = decision.predikat
    evaluation.override_reason = evaluation.override_by = evaluation.override_at = None


def latest_decision(session: Session, evaluation: Evaluation) -> Decision | None:
    """The evaluation's most recent decision, in force or withdrawn."""
    link = session.scalar(select(EvaluationDecision).where(EvaluationDecision.evaluation_id == evaluation.id)
                          .order_by(EvaluationDecision.seq.desc()).limit(1))
    return session.get(Decision, link.decision_id) if link else None


def run_decision(session: Session, actor: User, evaluation: Evaluation, reason: str) -> Decision:
    """Gather the facts, decide through the rules service (superseding the latest decision) and link it."""
    facts = gather_facts(session, evaluation)
    decision_guard(facts)
    decision = decide(session, actor, daerah=evaluation.daerah, pegawai=evaluation.pegawai, facts=facts,
                      on=evaluation.period.ends_on, supersedes=latest_decision(session, evaluation))
    before = {"decision_id": evaluation.decision_id, "predikat": evaluation.predikat}
    link_decision(session, evaluation, decision, reason, actor)
    save_evaluation(session, evaluation, "decide", before,
                    {"decision_id": decision.id, "predikat": decision.predikat, "reason": reason})
    return decision


def decide_evaluation(session: Session, actor: User, evaluation: Evaluation, *,
                      version: int | None = None) -> Decision:
    """The atasan (or HR) decides the evaluation in review: facts from the database, the rules in force at the
    period's end, the Decision stored and linked."""
    rels = require_access(actor, evaluation.pegawai)
    require_relation(rels, {Relation.atasan, Relation.hr}, "memutuskan evaluasi", "decide the evaluation")
    set_actor(session, actor)
    check_version(evaluation, version)
    require_state(evaluation, (S.review,), "memutuskan evaluasi", "decide the evaluation")
    return run_decision(session, actor, evaluation, "review")


def override_predikat(session: Session, actor: User, evaluation: Evaluation, predikat: str, reason: str, *,
                      version: int | None = None) -> Evaluation:
    """The atasan sets a different predikat than the engine's, with a written reason; both are kept."""
    rels = require_access(actor, evaluation.pegawai)
    require_relation(rels, {Relation.atasan}, "mengubah predikat", "override the predikat")
    set_actor(session, actor)
    check_version(evaluation, version)
    require_state(evaluation, (S.review,), "mengubah predikat", "override the predikat")
    apply_override(session, actor, evaluation, predikat, reason)
    return evaluation


def apply_override(session: Session, actor: User, evaluation: Evaluation, predikat: str, reason: str) -> None:
    """Set the effective predikat over the engine's (callers check who and when)."""
    if evaluation.decision_id is None:
        raise WorkflowConflict("Predikat hanya dapat diubah setelah evaluasi diputuskan.",
                               "The predikat can only be overridden once the evaluation is decided.",
                               code="no_decision")
    problems = []
    if predikat not in PREDIKATS:
        problems.append(problem("enum", "predikat", f"predikat harus salah satu dari {', '.join(PREDIKATS)}, bukan "
                                f"{predikat!r}", f"predikat must be one of {', '.join(PREDIKATS)}, not {predikat!r}"))
    if not isinstance(reason, str) or len(reason.strip()) < 10:
        problems.append(problem("reason_required", "reason", "alasan tertulis wajib diisi (paling sedikit 10 huruf)",
                                "a written reason is required (at least 10 characters)"))
    if problems:
        raise invalid(problems, "Predikat tidak dapat diubah", "The predikat cannot be overridden")
    before = {"predikat": evaluation.predikat, "predikat_engine": evaluation.predikat_engine,
              "override_reason": evaluation.override_reason}
    evaluation.predikat = predikat
    if predikat == evaluation.predikat_engine:
        evaluation.override_reason = evaluation.override_by = evaluation.override_at = None
    else:
        evaluation.override_reason, evaluation.override_by = reason.strip(), actor.username
        evaluation.override_at = utcnow()
    save_evaluation(session, evaluation, "override_predikat", before,
                    {"predikat": predikat, "predikat_engine": evaluation.predikat_engine, "reason": reason.strip()})
