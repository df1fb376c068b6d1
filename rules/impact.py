"""Trying a draft before it is published: one facts document (the coba panel) and last period's population.

A draft replaces the version of its own kind; the other kinds stay as they are (in force, or as recorded in each
decision), so what the preview shows is the effect of this draft and nothing else (OpenFisca calls it a reform).
Nothing here stores anything.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, defer, joinedload, selectinload

from engine.identity import User
from engine.organisation import Daerah, Pegawai
from engine.permissions import read_scope
from engine.runtime import canonical_json
from engine.runtime.catalogue import PREDIKATS
from engine.runtime.errors import EngineError, NotAllowed, NotFound, Problem
from rules.decisions import NASIONAL, RunPlan, plan, run, run_plan
from rules.models import Decision, RuleKind, RuleVersion
from rules.versions import in_force, version_problems

#: At most this many decisions are replayed in one preview (a larger daerah is sampled evenly in NIP order).
IMPACT_LIMIT = 5000
CHUNK = 500  #: decisions loaded at a time


def may_read_daerah_rules(actor: User, daerah: Daerah) -> bool:
    """Readers of a daerah's rules may read them; anyone who reads some daerah's rules may read the nasional baseline."""
    scope = read_scope(actor, "rules")
    if scope.allows(daerah.id):
        return True
    return daerah.code == NASIONAL and (scope.everywhere or bool(scope.daerah_ids))


def may_read_rules(actor: User, version: RuleVersion) -> bool:
    """True when `actor` may read this version (its daerah's rules, or the nasional baseline)."""
    return may_read_daerah_rules(actor, version.rule_set.daerah)


def require_rules_read(actor: User, version: RuleVersion) -> None:
    """Raise NotFound (as for a missing version) unless `actor` may read this version."""
    if not may_read_rules(actor, version):
        raise NotFound("Versi aturan tidak ditemukan.", "Rule version not found.", code="not_found")


def _kind_order(kind: str) -> int:
    return [k.value for k in RuleKind].index(str(kind))


def versions_with_draft(session: Session, draft: RuleVersion, on: dt.date) -> list[RuleVersion]:
    """The versions a decision on `on` would use for the draft's daerah, with `draft` in place of its own kind."""
    daerah = draft.rule_set.daerah
    nasional = session.scalar(select(Daerah).where(Daerah.code == NASIONAL))
    chosen = []
    for kind in RuleKind:
        if kind == draft.rule_set.kind:
            chosen.append(draft)
            continue
        version = in_force(session, daerah.id, kind, on)
        if version is None and nasional is not None and nasional.id != daerah.id:
            version = in_force(session, nasional.id, kind, on)
        if version is not None:
            chosen.append(version)
    return chosen


def current_versions(session: Session, daerah: Daerah, on: dt.date) -> list[RuleVersion]:
    """The versions in force for the daerah on `on` (nasional where the daerah has none); may be empty."""
    nasional = session.scalar(select(Daerah).where(Daerah.code == NASIONAL))
    chosen = []
    for kind in RuleKind:
        version = in_force(session, daerah.id, kind, on)
        if version is None and nasional is not None and nasional.id != daerah.id:
            version = in_force(session, nasional.id, kind, on)
        if version is not None:
            chosen.append(version)
    return chosen


def try_version(session: Session, actor: User, version: RuleVersion, facts: dict,
                on: dt.date | None = None) -> dict:
    """Decide `facts` with `version` in place of its kind and, beside it, with the versions in force today.

    Returns ``{"result": ..., "current": ... or None, "current_error": message or None}``; raises
    ValidationFailed for bad facts or an invalid draft. Nothing is stored.
    """
    require_rules_read(actor, version)
    on = on or dt.date.today()
    result = run(facts, versions_with_draft(session, version, on))
    current, current_error = None, None
    in_force_now = current_versions(session, version.rule_set.daerah, on)
    if in_force_now:
        try:
            current = run(facts, in_force_now)
        except EngineError as error:
            current_error = {"id": error.message_id, "en": error.message_en}
    return {"result": result, "current": current, "current_error": current_error}


def sample_decisions(session: Session, actor: User, daerah: Daerah, limit: int = 200) -> list[Decision]:
    """The daerah's latest decision per pegawai (newest first): the sample cases of the coba panel."""
    if not read_scope(actor, "decisions").allows(daerah.id):
        return []
    rows = session.scalars(select(Decision).where(Decision.daerah_id == daerah.id)
                           .order_by(Decision.decided_at.desc(), Decision.id.desc()).limit(limit * 5)).all()
    seen, out = set(), []
    for decision in rows:
        key = decision.pegawai_id or decision.subject
        if key in seen:
            continue
        seen.add(key)
        out.append(decision)
        if len(out) >= limit:
            break
    return out


def decision_year(decision: Decision) -> int | None:
    """The period year of a decision (from its facts snapshot)."""
    try:
        return int(decision.facts["periode"]["tahun"])
    except (KeyError, TypeError, ValueError):
        return None


@dataclass
class ImpactRow:
    """One pegawai whose outcome the draft would change (or whose case could not be decided)."""

    decision_id: int
    nama: str
    nip: str
    unit: str
    old_predikat: str | None
    new_predikat: str | None
    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    old_skor: object = None
    new_skor: object = None
    error: dict | None = None


@dataclass
class Impact:
    """The draft replayed over one period's decisions of the daerah."""

    year: int
    years: list[tuple[int, int]]
    total: int = 0
    changed_predikat: int = 0
    changed_actions: int = 0
    changed_any: int = 0
    errors: int = 0
    population: int = 0       # pegawai decided in the year; `total` of them replayed (all, or an even sample)
    truncated: bool = False
    matrix: dict[tuple[str | None, str | None], int] = field(default_factory=dict)
    before: dict[str | None, int] = field(default_factory=dict)
    after: dict[str | None, int] = field(default_factory=dict)
    rows: list[ImpactRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def unchanged(self) -> int:
        """Cases whose predikat and actions stay the same."""
        return self.total - self.changed_any - self.errors

    def transitions(self) -> list[tuple[str | None, str | None, int]]:
        """(old, new, count) for every pair that occurs, changes first, in predikat order."""
        order = {p: i for i, p in enumerate((*PREDIKATS, None))}
        pairs = sorted(self.matrix.items(), key=lambda kv: (kv[0][0] == kv[0][1], order.get(kv[0][0], 9),
                                                            order.get(kv[0][1], 9)))
        return [(old, new, n) for (old, new), n in pairs]


def _action_keys(actions: list[dict]) -> dict[str, dict]:
    return {f"{a.get('code')}|{canonical_json(a.get('params') or {})}": a for a in actions or []}


def _years(session: Session, daerah_id: int) -> list[tuple[int, int]]:
    year = Decision.facts[("periode", "tahun")].as_integer()
    rows = session.execute(select(year, Decision.pegawai_id, Decision.subject)
                           .where(Decision.daerah_id == daerah_id)).all()
    people: dict[int, set] = {}
    for y, pegawai_id, subject in rows:
        if y is not None:
            people.setdefault(int(y), set()).add(pegawai_id or subject)
    return sorted(((y, len(p)) for y, p in people.items()), reverse=True)


@dataclass(frozen=True)
class _Sample:
    ids: list[int]
    population: int


def _latest_per_pegawai(session: Session, daerah_id: int, year: int) -> list[int]:
    """The id of each pegawai's latest decision of the period year, in NIP (subject) order; light columns only."""
    tahun = Decision.facts[("periode", "tahun")].as_integer()
    rows = session.execute(select(Decision.id, Decision.pegawai_id, Decision.subject)
                           .where(Decision.daerah_id == daerah_id, tahun == year)
                           .order_by(Decision.decided_at.desc(), Decision.id.desc()))
    latest: dict[object, tuple[str, int]] = {}
    for decision_id, pegawai_id, subject in rows:
        latest.setdefault(pegawai_id or subject, (subject, decision_id))
    return [decision_id for _, decision_id in sorted(latest.values())]


def _sample(ids: list[int], limit: int) -> _Sample:
    """At most `limit` of `ids`, spread evenly over the whole list: the middle one of each of `limit` equal stretches
    in NIP order (the first `limit` would all be the oldest NIPs, the earliest birth dates)."""
    if len(ids) <= limit:
        return _Sample(ids, len(ids))
    step = len(ids) / limit
    return _Sample([ids[int((i + 0.5) * step)] for i in range(limit)], len(ids))


def _load(session: Session, ids: list[int]):
    """(decision, its pegawai with the unit, its stored outputs and actions) for `ids`, in the order of `ids`; the
    stored result's trace and explanation stay in the database (they are most of its size)."""
    rows = session.execute(select(Decision, Decision.result["outputs"], Decision.result["actions"])
                           .where(Decision.id.in_(ids))
                           .options(defer(Decision.result), selectinload(Decision.versions))).all()
    found = {d.id: (d, {"outputs": outputs or {}, "actions": actions or []}) for d, outputs, actions in rows}
    people = {p.id: p for p in session.scalars(
        select(Pegawai).where(Pegawai.id.in_({d.pegawai_id for d, _ in found.values() if d.pegawai_id} or {-1}))
        .options(joinedload(Pegawai.unit)))}
    return [(d, people.get(d.pegawai_id), stored) for d, stored in (found[i] for i in ids if i in found)]


def _versions_for_replay(decision: Decision, draft: RuleVersion) -> list[RuleVersion]:
    by_kind = {str(link.rule_version.rule_set.kind): link.rule_version for link in decision.versions}
    by_kind[str(draft.rule_set.kind)] = draft
    return [by_kind[k] for k in sorted(by_kind, key=_kind_order)]


def preview_impact(session: Session, actor: User, draft: RuleVersion, year: int | None = None,
                   limit: int = IMPACT_LIMIT) -> Impact:
    """Replay the daerah's decisions of `year` (default: last year) with `draft` in place of its kind's version.

    Takes the latest decision per pegawai whose facts are of that period year, compares its stored predikat and
    actions with the draft's, and counts the changes. Each decision keeps the other kinds' versions it was taken
    with, so only this draft's effect shows. An empty result (`total == 0`) means there was nothing to replay.
    """
    require_rules_read(actor, draft)
    daerah = draft.rule_set.daerah
    if daerah.code == NASIONAL:
        raise NotAllowed("Pratinjau dampak dijalankan per daerah: buka draf daerah yang memakai baseline ini.",
                         "The impact preview runs per daerah: open a daerah draft that uses this baseline.",
                         code="nasional_impact")
    if not read_scope(actor, "decisions").allows(daerah.id):
        raise NotAllowed("Anda tidak berwenang membaca keputusan daerah ini.",
                         "You are not allowed to read this daerah's decisions.", code="forbidden")
    year = year or dt.date.today().year - 1
    impact = Impact(year=year, years=_years(session, daerah.id))
    impact.problems = version_problems(draft)
    if impact.problems:
        return impact
    chosen = _sample(_latest_per_pegawai(session, daerah.id, year), limit)
    impact.population, impact.truncated = chosen.population, len(chosen.ids) < chosen.population
    before, after, matrix = Counter(), Counter(), Counter()
    plans: dict[tuple[int, ...], RunPlan] = {}
    for start in range(0, len(chosen.ids), CHUNK):  # a chunk at a time: 50,000 stored decisions are 2.5 GB
        for decision, person, stored in _load(session, chosen.ids[start:start + CHUNK]):
            impact.total += 1
            row = ImpactRow(decision.id, person.name if person else "-", decision.subject,
                            person.unit.name if person and person.unit else "-",
                            stored["outputs"].get("predikat"), None, old_skor=stored["outputs"].get("skor"))
            key = tuple(link.rule_version_id for link in decision.versions)
            try:
                if key not in plans:  # the draft compiled once per set of recorded versions, not per decision
                    plans[key] = plan(_versions_for_replay(decision, draft))
                new = run_plan(decision.facts, plans[key])
            except EngineError as error:
                row.error = {"id": error.message_id, "en": error.message_en}
                impact.errors += 1
                impact.rows.append(row)
                continue
            row.new_predikat, row.new_skor = new["outputs"].get("predikat"), new["outputs"].get("skor")
            old_actions, new_actions = _action_keys(stored["actions"]), _action_keys(new["actions"])
            row.added = [a for k, a in new_actions.items() if k not in old_actions]
            row.removed = [a for k, a in old_actions.items() if k not in new_actions]
            before[row.old_predikat] += 1
            after[row.new_predikat] += 1
            matrix[(row.old_predikat, row.new_predikat)] += 1
            predikat_changed = row.old_predikat != row.new_predikat
            actions_changed = bool(row.added or row.removed)
            impact.changed_predikat += predikat_changed
            impact.changed_actions += actions_changed
            if predikat_changed or actions_changed or row.old_skor != row.new_skor:
                impact.changed_any += 1
                impact.rows.append(row)
    impact.before, impact.after, impact.matrix = dict(before), dict(after), dict(matrix)
    return impact
