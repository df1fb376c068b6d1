"""Decisions: the versions in force, the engine's answer, and the record an auditor can replay byte for byte."""
from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import Callable, TypeVar

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import Session, defer

from engine.audit import record_event
from engine.identity import User
from engine.organisation import Daerah, Pegawai
from engine.permissions import read_scope, require_read
from engine.runtime import CompiledDocument, canonical_json, compile_document, content_hash, evaluate, get_host
from engine.runtime.errors import NotAllowed, NotFound
from rules.models import Decision, DecisionVersion, RuleKind, RuleSet, RuleVersion, VersionStatus
from rules.versions import resolved_document

NASIONAL = "nasional"
T = TypeVar("T")
_resolved_cache: dict[tuple, dict] = {}
_compiled_cache: dict[tuple, CompiledDocument] = {}
_reference_cache: dict[tuple, dict] = {}
_cache_lock = threading.Lock()


def _published(cache: dict, version: RuleVersion, build: Callable[[], T]) -> T:
    """`build()` once per process for a published version (it never changes: service and database trigger); a
    draft's is built afresh every time."""
    if version.status == VersionStatus.draft:
        return build()
    key = (version.id, version.content_hash or "", version.rule_set_id, version.number, version.extends_id)
    with _cache_lock:
        value = cache.get(key)
    if value is None:
        value = build()
        with _cache_lock:
            cache[key] = value
    return value


def _resolved(version: RuleVersion) -> dict:
    """The version's document resolved over its baseline."""
    return _published(_resolved_cache, version, lambda: resolved_document(version))


def _compiled(version: RuleVersion) -> CompiledDocument:
    """The resolved document compiled for the rule host."""
    return _published(_compiled_cache, version, lambda: compile_document(_resolved(version)))


def unload_version(version: RuleVersion) -> list[str]:
    """Unregister from this process's rule host the durable rulesets compiled for `version` (on retirement); return
    their names. Other worker processes drop them as the least recently used (engine.runtime.host); a replay of a
    decision made with the version compiles and registers them again."""
    with _cache_lock:
        compiled = [c for key, c in _compiled_cache.items() if key[0] == version.id]
    if not compiled:  # never decided with here (and durable perhaps not even loaded)
        return []
    host = get_host()
    return [s.ruleset for c in compiled for s in c.stages.values() if host.unregister(s.ruleset)]


def _reference(version: RuleVersion) -> dict:
    """How a decision names a version (reading it costs several queries a decision)."""
    return dict(_published(_reference_cache, version, lambda: {
        "id": version.id, "label": version.label, "kind": version.rule_set.kind, "number": version.number,
        "hash": version.content_hash, "extends": version.extends.label if version.extends else None}))


#: what `in_force` selects, for every kind of a daerah and of nasional; built once (it runs for every decision)
_CANDIDATES = (
    select(RuleVersion, Daerah.code, RuleSet.kind).select_from(RuleVersion)
    .join(RuleSet, RuleSet.id == RuleVersion.rule_set_id).join(Daerah, Daerah.id == RuleSet.daerah_id)
    .where(or_(RuleSet.daerah_id == bindparam("daerah_id"), Daerah.code == NASIONAL),
           RuleVersion.status == VersionStatus.published, RuleVersion.effective_from <= bindparam("on"))
    .options(defer(RuleVersion.document), defer(RuleVersion.canonical))
    .order_by(RuleVersion.effective_from.desc()))


def versions_for(session: Session, daerah: Daerah, on: dt.date,
                 pinned: dict[str, int] | None = None) -> list[RuleVersion]:
    """For each kind: the daerah's version in force on `on` (or the pinned number), else the national one."""
    # what `in_force` selects, for every kind of the daerah and of nasional in one query; the documents stay
    # unloaded (the compiled ones are cached per published version)
    candidates = session.execute(_CANDIDATES, {"daerah_id": daerah.id, "on": on}).all()

    def in_force_of(owner: str, kind: RuleKind) -> RuleVersion | None:
        return next((v for v, code, k in candidates if code == owner and k == kind
                     and (v.effective_to is None or v.effective_to >= on)), None)

    chosen = []
    for kind in RuleKind:
        number = (pinned or {}).get(kind.value)
        if number is not None:
            version = session.scalar(select(RuleVersion).join(RuleSet).where(
                RuleSet.daerah_id == daerah.id, RuleSet.kind == kind, RuleVersion.number == number))
            if version is None:
                raise NotFound(f"Versi {daerah.code}/{kind.value} v{number} tidak ada.",
                               f"Version {daerah.code}/{kind.value} v{number} does not exist.", code="not_found",
                               field="version")
        else:
            version = in_force_of(daerah.code, kind) or in_force_of(NASIONAL, kind)
        if version is not None:
            chosen.append(version)
    if not chosen:
        raise NotFound(f"Tidak ada aturan yang berlaku untuk {daerah.code} pada {on}.",
                       f"No rules are in force for {daerah.code} on {on}.", code="no_rules_in_force")
    return chosen


@dataclass(frozen=True)
class RunPlan:
    """What deciding on a list of versions needs, read off the versions once: their compiled documents, how a
    decision names them, and the (rule version id, content hash) a decision links to, in position order. Plain
    data, so a bulk job keeps it across commits (ORM versions would be expired and loaded again at each one)."""

    compiled: tuple[CompiledDocument, ...]
    references: tuple[dict, ...]
    links: tuple[tuple[int, str], ...]


def plan(versions: list[RuleVersion]) -> RunPlan:
    """The run plan of the given versions (drafts compiled afresh, published ones from the process cache)."""
    return RunPlan(tuple(_compiled(v) for v in versions), tuple(_reference(v) for v in versions),
                   tuple((v.id, v.content_hash or "") for v in versions))


def run_plan(facts: dict, prepared: RunPlan) -> dict:
    """Decide with durable_rules on a run plan; the result records the versions' ids and hashes."""
    result = evaluate(facts, prepared.compiled).as_dict()
    result["rule_versions"] = [dict(r) for r in prepared.references]
    return result


def run(facts: dict, versions: list[RuleVersion]) -> dict:
    """Decide with durable_rules on the given versions; the result records the versions' ids and hashes."""
    return run_plan(facts, plan(versions))



def may_decide(actor: User, daerah_id: int, pegawai: Pegawai | None) -> bool:
    """HR and admins of the daerah, or the pegawai's atasan (or the atasan's atasan, for keberatan)."""
    if read_scope(actor, "decisions").allows(daerah_id) and any(g.role in ("admin", "hr") for g in actor.grants):
        return True
    me = actor.pegawai_id
    if pegawai is None or me is None:
        return False
    atasan = pegawai.atasan
    return atasan is not None and (atasan.id == me or (atasan.atasan_id is not None and atasan.atasan_id == me))


def decide(session: Session, actor: User, *, daerah: Daerah, pegawai: Pegawai | None, facts: dict, on: dt.date,
           supersedes: Decision | None = None, pinned: dict[str, int] | None = None) -> Decision:
    """Decide one evaluation and store the decision with its facts, result, trace and exact versions."""
    if not may_decide(actor, daerah.id, pegawai):
        raise NotAllowed("Anda tidak berwenang memutuskan penilaian ini.",
                         "You are not allowed to decide this evaluation.", code="forbidden")
    versions = versions_for(session, daerah, on, pinned)
    result = run(facts, versions)
    decision = Decision(daerah_id=daerah.id, pegawai_id=pegawai.id if pegawai else None,
                        subject=(pegawai.nip if pegawai else str(facts.get("pegawai", {}).get("nip", ""))),
                        facts=facts, result=result, result_hash=content_hash(result, finite=True),
                        predikat=result["outputs"].get("predikat"), engine_version=result["engine"]["version"],
                        actor=actor.username, supersedes_id=supersedes.id if supersedes else None)
    decision.versions = [DecisionVersion(position=i, rule_version_id=v.id, content_hash=v.content_hash or "")
                         for i, v in enumerate(versions)]
    session.add(decision)
    session.flush()
    record_event(session, "decide", "decision", decision.id, daerah_id=daerah.id,
                 after={"pegawai": decision.subject, "predikat": decision.predikat, "result_hash": decision.result_hash,
                        "versions": [f"{r['label']}#{(r['hash'] or '')[:12]}" for r in result["rule_versions"]],
                        "supersedes": decision.supersedes_id}, actor=actor)
    return decision


def replay(session: Session, decision: Decision) -> dict:
    """Re-run a decision with its recorded versions: {identical, result_hash, replay_hash, result}."""
    versions = [link.rule_version for link in decision.versions]
    changed = [v.label for v, link in zip(versions, decision.versions) if v.content_hash != link.content_hash]
    result = run(decision.facts, versions)
    same = canonical_json(result, finite=True) == canonical_json(decision.result, finite=True)
    return {"identical": not changed and same, "result_hash": decision.result_hash,
            "replay_hash": content_hash(result, finite=True), "changed_versions": changed, "result": result}


def get_decision(session: Session, actor: User, decision_id: int) -> Decision:
    """A decision the actor may read (404 for another daerah's, as for a missing one)."""
    decision = session.get(Decision, decision_id)
    if decision is None or not read_scope(actor, "decisions").allows(decision.daerah_id):
        raise NotFound("Keputusan tidak ditemukan.", "Decision not found.", code="not_found")
    require_read(session, actor, "decisions", decision.daerah_id)
    return decision
