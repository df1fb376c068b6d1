"""Who may act on an evaluation: the actor's relations to it (pegawai, atasan, atasan2, hr, auditor).

Relations follow the organisation chart at the time of the action: `atasan` is the pegawai's direct atasan,
`atasan2` the atasan's own atasan (keberatan). When the pegawai has no atasan in the system (e.g. the Sekretaris
Daerah, rated by the kepala daerah), HR of the daerah acts as atasan; when the atasan has none, HR acts as atasan2.
Admins count as HR everywhere. Auditors read only.
"""
from __future__ import annotations

from enum import StrEnum

from engine.identity import Role, User
from engine.organisation import Daerah, Pegawai
from engine.permissions import home_daerah_ids, scope_for
from workflows.errors import WorkflowNotAllowed, WorkflowNotFound


class Relation(StrEnum):
    """How the acting user stands to an evaluation."""

    pegawai = "pegawai"
    atasan = "atasan"
    atasan2 = "atasan2"
    hr = "hr"
    auditor = "auditor"


RELATION_LABELS: dict[str, tuple[str, str]] = {
    "pegawai": ("pegawai yang dinilai", "the pegawai being evaluated"),
    "atasan": ("atasan langsung (pejabat penilai)", "the direct atasan (appraiser)"),
    "atasan2": ("atasan dari atasan langsung", "the atasan's own atasan"),
    "hr": ("kepegawaian (BKPSDM) daerah ini", "HR (BKPSDM) of this daerah"),
    "auditor": ("auditor", "auditor"),
}
HR_ROLES = {Role.hr, Role.admin}


def is_hr(actor: User, daerah_id: int) -> bool:
    """True when the actor is HR (or admin) for the daerah."""
    return scope_for(actor, HR_ROLES).allows(daerah_id)


def relations_to(actor: User, pegawai: Pegawai) -> frozenset[Relation]:
    """Every relation the actor has to the evaluation of `pegawai`."""
    out: set[Relation] = set()
    if actor.active is False:
        return frozenset()
    me = actor.pegawai_id
    atasan = pegawai.atasan
    hr = is_hr(actor, pegawai.daerah_id)
    if me is not None and me == pegawai.id:
        out.add(Relation.pegawai)
    if atasan is not None and me is not None and me == atasan.id:
        out.add(Relation.atasan)
    if atasan is not None and me is not None and atasan.atasan_id is not None and me == atasan.atasan_id:
        out.add(Relation.atasan2)
    if hr:
        out.add(Relation.hr)
        if atasan is None and Relation.pegawai not in out:
            out.add(Relation.atasan)
        if (atasan is None or atasan.atasan_id is None) and Relation.pegawai not in out:
            out.add(Relation.atasan2)
    if scope_for(actor, {Role.auditor}).allows(pegawai.daerah_id):
        out.add(Relation.auditor)
    return frozenset(out)


def in_reach(actor: User, daerah_id: int) -> bool:
    """True when records of the daerah are visible to the actor at all (else they get 404, not 403)."""
    if any(g.daerah_id is None for g in actor.grants):
        return True
    return daerah_id in home_daerah_ids(actor)


def require_access(actor: User, pegawai: Pegawai) -> frozenset[Relation]:
    """The actor's relations to the pegawai's evaluation; NotFound outside their daerah, NotAllowed without one."""
    rels = relations_to(actor, pegawai)
    if rels:
        return rels
    if not in_reach(actor, pegawai.daerah_id):
        raise WorkflowNotFound("Evaluasi tidak ditemukan.", "Evaluation not found.", code="not_found")
    raise WorkflowNotAllowed(
        "Anda tidak berwenang membuka evaluasi ini: hanya pegawai yang dinilai, atasannya, atasan dari atasannya, "
        "kepegawaian dan auditor daerah ini.",
        "You may not open this evaluation: only the pegawai, their atasan, the atasan's atasan, HR and auditors "
        "of this daerah may.", code="forbidden")


def require_hr(actor: User, daerah: Daerah) -> None:
    """Raise unless the actor is HR (or admin) of the daerah."""
    if is_hr(actor, daerah.id):
        return
    if not in_reach(actor, daerah.id):
        raise WorkflowNotFound("Daerah tidak ditemukan.", "Daerah not found.", code="not_found")
    raise WorkflowNotAllowed(f"Hanya kepegawaian (BKPSDM) {daerah.name} yang dapat melakukan ini.",
                             f"Only HR (BKPSDM) of {daerah.name} may do this.", code="forbidden")


def require_relation(rels: frozenset[Relation], allowed: set[Relation], what_id: str, what_en: str) -> None:
    """Raise NotAllowed naming who may do `what` unless one of `allowed` is among `rels`."""
    if rels & allowed:
        return
    who_id = " atau ".join(RELATION_LABELS[r][0] for r in sorted(allowed))
    who_en = " or ".join(RELATION_LABELS[r][1] for r in sorted(allowed))
    raise WorkflowNotAllowed(f"Hanya {who_id} yang dapat {what_id}.", f"Only {who_en} may {what_en}.",
                             code="forbidden")
