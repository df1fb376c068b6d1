"""SKP plan services: the pegawai writes RHK and IKI while the plan is a draft; the atasan sets the ekspektasi
khusus pimpinan per BerAKHLAK value until the review."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.audit import set_actor
from engine.identity import User
from workflows.errors import WorkflowConflict, invalid, problem
from workflows.machine import STATE_LABELS
from workflows.models import BERAKHLAK, Ekspektasi, Evaluation, EvaluationState as S, Iki, Rhk, TransitionHistory
from workflows.permissions import Relation, require_access, require_relation
from workflows.skp import plan_input_problems
from workflows.transitions import apply_transition, check_version, flush, touch

EKSPEKTASI_STATES = (S.plan_draft, S.plan_submitted, S.plan_approved, S.realization)


def require_state(evaluation: Evaluation, states: tuple[str, ...], what_id: str, what_en: str) -> None:
    """Raise 409 naming the states where the action is possible, unless the evaluation is in one."""
    if evaluation.state not in states:
        where_id = ", ".join(STATE_LABELS[s][0] for s in states)
        where_en = ", ".join(STATE_LABELS[s][1] for s in states)
        raise WorkflowConflict(
            f"Tidak dapat {what_id}: evaluasi berstatus '{STATE_LABELS[evaluation.state][0]}'; hanya pada: {where_id}.",
            f"Cannot {what_en}: the evaluation is in '{STATE_LABELS[evaluation.state][1]}'; only in: {where_en}.",
            code="wrong_state")


def _atasan_rhk_ids(session: Session, evaluation: Evaluation) -> set[int]:
    atasan_id = evaluation.pegawai.atasan_id
    if atasan_id is None:
        return set()
    return set(session.scalars(select(Rhk.id).join(Evaluation, Evaluation.id == Rhk.evaluation_id).where(
        Evaluation.pegawai_id == atasan_id, Evaluation.period_id == evaluation.period_id)))


def save_plan(session: Session, actor: User, evaluation: Evaluation, rhk: list[dict], *,
              version: int | None = None) -> Evaluation:
    """The pegawai saves the whole draft plan: items with an `id` update that RHK/IKI, items without one are new,
    RHK/IKI left out are removed."""
    rels = require_access(actor, evaluation.pegawai)
    require_relation(rels, {Relation.pegawai}, "mengubah rencana SKP", "change the SKP plan")
    set_actor(session, actor)
    check_version(evaluation, version)
    require_state(evaluation, (S.plan_draft,), "mengubah rencana SKP (minta atasan mengembalikannya)",
                   "change the SKP plan (ask the atasan to return it)")
    problems = plan_input_problems(rhk)
    existing = {r.id: r for r in evaluation.rhk}
    existing_iki = {i.id: i for r in evaluation.rhk for i in r.iki}
    allowed_links = None
    for i, item in enumerate(rhk if isinstance(rhk, list) else []):
        if not isinstance(item, dict):
            continue
        if item.get("id") is not None and item["id"] not in existing:
            problems.append(problem("unknown_id", f"rhk[{i}].id", f"RHK #{item['id']} bukan bagian rencana ini; "
                                    "hapus id untuk RHK baru", f"RHK #{item['id']} is not part of this plan; "
                                    "leave the id out for a new RHK"))
        ikis = item.get("iki") if isinstance(item.get("iki"), list) else []
        for k, iki in enumerate(ikis):
            if isinstance(iki, dict) and iki.get("id") is not None and iki["id"] not in existing_iki:
                problems.append(problem("unknown_id", f"rhk[{i}].iki[{k}].id", f"IKI #{iki['id']} bukan bagian "
                                        "rencana ini; hapus id untuk IKI baru", f"IKI #{iki['id']} is not part of "
                                        "this plan; leave the id out for a new IKI"))
        link = item.get("intervensi_rhk_id")
        if isinstance(link, int):
            allowed_links = _atasan_rhk_ids(session, evaluation) if allowed_links is None else allowed_links
            if link not in allowed_links:
                problems.append(problem("intervensi", f"rhk[{i}].intervensi_rhk_id",
                                        f"RHK #{link} bukan RHK atasan langsung pada periode ini; pilih salah satu "
                                        "RHK atasan", f"RHK #{link} is not an RHK of the direct atasan in this "
                                        "period; pick one of the atasan's RHK"))
    if problems:
        raise invalid(problems, "Rencana SKP tidak dapat disimpan", "The SKP plan cannot be saved")
    kept_rhk, kept_iki = set(), set()
    for position, item in enumerate(rhk):
        row = existing.get(item.get("id")) if item.get("id") is not None else None
        if row is None:
            row = Rhk(evaluation_id=evaluation.id)
            evaluation.rhk.append(row)
        row.position, row.jenis, row.uraian = position, item["jenis"], item["uraian"].strip()
        row.intervensi_rhk_id = item.get("intervensi_rhk_id")
        kept_rhk.add(id(row))
        for k, data in enumerate(item.get("iki", [])):
            iki = existing_iki.get(data.get("id")) if data.get("id") is not None else None
            if iki is None:
                iki = Iki(evaluation_id=evaluation.id)
            if iki not in row.iki:
                row.iki.append(iki)
            iki.position, iki.uraian, iki.aspek = k, data["uraian"].strip(), data["aspek"]
            iki.target, iki.bobot = float(data["target"]), float(data["bobot"])
            iki.satuan, iki.arah = (data.get("satuan") or "").strip(), data.get("arah", "naik")
            kept_iki.add(id(iki))
    for row in list(evaluation.rhk):
        for iki in list(row.iki):
            if id(iki) not in kept_iki:
                row.iki.remove(iki)
        if id(row) not in kept_rhk:
            evaluation.rhk.remove(row)
    touch(evaluation)
    flush(session, evaluation)
    session.expire(evaluation, ["iki"])
    return evaluation


def set_ekspektasi(session: Session, actor: User, evaluation: Evaluation, values: dict[str, str], *,
                   version: int | None = None) -> list[Ekspektasi]:
    """The atasan sets ekspektasi khusus pimpinan for BerAKHLAK values (an empty text removes one)."""
    rels = require_access(actor, evaluation.pegawai)
    require_relation(rels, {Relation.atasan}, "menetapkan ekspektasi pimpinan", "set the leader's expectations")
    set_actor(session, actor)
    check_version(evaluation, version)
    require_state(evaluation, EKSPEKTASI_STATES, "menetapkan ekspektasi pimpinan", "set the leader's expectations")
    unknown = [k for k in values if k not in BERAKHLAK]
    if unknown or not all(isinstance(v, str) for v in values.values()):
        raise invalid([problem("enum", f"ekspektasi.{k}", f"'{k}' bukan nilai BerAKHLAK; pilih dari "
                               f"{', '.join(BERAKHLAK)}", f"'{k}' is not a BerAKHLAK value; pick one of "
                               f"{', '.join(BERAKHLAK)}") for k in unknown]
                      or [problem("type", "ekspektasi", "ekspektasi harus teks", "expectations must be text")],
                      "Ekspektasi tidak valid", "Invalid expectations")
    current = {e.nilai: e for e in evaluation.ekspektasi}
    for nilai, text in values.items():
        row = current.get(nilai)
        if not text.strip():
            if row is not None:
                evaluation.ekspektasi.remove(row)
            continue
        if row is None:
            evaluation.ekspektasi.append(Ekspektasi(evaluation_id=evaluation.id, nilai=nilai, text=text.strip()))
        else:
            row.text = text.strip()
    touch(evaluation)
    flush(session, evaluation)
    return list(evaluation.ekspektasi)


def submit_plan(session: Session, actor: User, evaluation: Evaluation, *, version: int | None = None) -> TransitionHistory:
    """The pegawai submits the draft plan to the atasan (guards: RHK utama, IKI per RHK, bobot 100, targets)."""
    return apply_transition(session, actor, evaluation, "submit_plan", version=version)


def approve_plan(session: Session, actor: User, evaluation: Evaluation, *, version: int | None = None,
                 note: str = "") -> TransitionHistory:
    """The atasan approves the submitted plan (the guards are checked again)."""
    return apply_transition(session, actor, evaluation, "approve_plan", version=version, reason=note)


def return_plan(session: Session, actor: User, evaluation: Evaluation, reason: str, *,
                version: int | None = None) -> TransitionHistory:
    """The atasan returns the submitted plan to draft, with a reason."""
    return apply_transition(session, actor, evaluation, "return_plan", reason=reason, version=version)


def revise_plan(session: Session, actor: User, evaluation: Evaluation, reason: str, *,
                version: int | None = None) -> TransitionHistory:
    """The atasan reopens an approved plan for a change (perubahan SKP), with a reason; realisasi is kept."""
    return apply_transition(session, actor, evaluation, "revise_plan", reason=reason, version=version)
