"""The shipped rule packs (data files in rules/packs/): split by kind and installed as published versions."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.identity import User
from engine.organisation import Daerah
from engine.runtime import ACTIONS, load_pack
from rules.models import RuleKind, RuleSet, RuleVersion, VersionStatus

PACKS_DIR = Path(__file__).resolve().parent / "packs"
NASIONAL = "nasional"
DAERAH_PACKS = ("palangkaraya", "kemuning", "palu", "pontianak", "bantul")
SCORING_STAGES = ("iki_rating", "hasil_kerja", "perilaku", "predikat", "skor")
#: Stages each kind of rule set may hold.
KIND_STAGES = {RuleKind.scoring: SCORING_STAGES, RuleKind.reward_punishment: ("triggers",),
               RuleKind.coaching: ("triggers",)}
_HEADER_SKIP = ("stages", "kurva")


def trigger_kind(rule: dict) -> RuleKind:
    """Coaching when every action of the trigger is a coaching action; reward/punishment otherwise."""
    codes = [a.get("code") for a in rule.get("actions", []) if isinstance(a, dict)]
    kinds = {getattr(ACTIONS.get(code), "kind", None) for code in codes}
    return RuleKind.coaching if kinds == {"coaching"} else RuleKind.reward_punishment


def rule_kinds(doc: dict) -> dict[str, RuleKind]:
    """Which kind each trigger rule id of a pack belongs to."""
    rules = doc.get("stages", {}).get("triggers", {}).get("rules", [])
    return {r["id"]: trigger_kind(r) for r in rules if isinstance(r, dict) and "id" in r}


def split_pack(doc: dict, baseline: dict | None = None) -> dict[RuleKind, dict]:
    """One document per kind; trigger removals go to the kind of the baseline rule they remove."""
    header = {k: v for k, v in doc.items() if k not in _HEADER_SKIP}
    stages = doc.get("stages", {}) or {}
    out = {kind: {**header, "stages": {}} for kind in RuleKind}
    for name in SCORING_STAGES:
        if name in stages:
            out[RuleKind.scoring]["stages"][name] = stages[name]
    if "kurva" in doc:
        out[RuleKind.scoring]["kurva"] = doc["kurva"]
    triggers = stages.get("triggers")
    if triggers:
        owner = rule_kinds(baseline) if baseline else {}
        for kind in (RuleKind.reward_punishment, RuleKind.coaching):
            rules = [r for r in triggers.get("rules", []) if trigger_kind(r) == kind]
            removed = [rid for rid in triggers.get("remove", []) or [] if owner.get(rid, RuleKind.reward_punishment) == kind]
            body = {}
            if rules:
                body["rules"] = rules
            if removed:
                body["remove"] = removed
            if body:
                out[kind]["stages"]["triggers"] = body
    return out


def ensure_rule_set(session: Session, daerah: Daerah, kind: RuleKind) -> RuleSet:
    """The rule set of a daerah and kind, created when missing."""
    rule_set = session.scalar(select(RuleSet).where(RuleSet.daerah_id == daerah.id, RuleSet.kind == kind))
    if rule_set is None:
        from rules.models import KIND_LABELS

        rule_set = RuleSet(daerah=daerah, kind=kind, name=f"{KIND_LABELS[kind][0]} - {daerah.name}")
        session.add(rule_set)
        session.flush()
    return rule_set


def install_packs(session: Session, actor: User, effective_from: dt.date = dt.date(2025, 1, 1),
                  names: tuple[str, ...] = DAERAH_PACKS) -> list[RuleVersion]:
    """Install nasional and the daerah packs as published versions (idempotent: same content, nothing new)."""
    from rules.versions import create_draft, publish_version

    installed = []
    baseline = load_pack(NASIONAL, PACKS_DIR)
    base_versions: dict[RuleKind, RuleVersion] = {}
    for name in (NASIONAL, *names):
        daerah = session.scalar(select(Daerah).where(Daerah.code == name))
        if daerah is None:
            continue
        doc = baseline if name == NASIONAL else load_pack(name, PACKS_DIR)
        for kind, part in split_pack(doc, None if name == NASIONAL else baseline).items():
            rule_set = ensure_rule_set(session, daerah, kind)
            current = session.scalar(select(RuleVersion).where(
                RuleVersion.rule_set_id == rule_set.id, RuleVersion.status == VersionStatus.published))
            if current is not None:
                if name == NASIONAL:
                    base_versions[kind] = current
                continue
            version = create_draft(session, actor, rule_set, document=part,
                                   extends=base_versions.get(kind) if name != NASIONAL else None,
                                   change_note="Paket bawaan / shipped pack")
            publish_version(session, actor, version, legal_basis=str(doc.get("legal_basis", "")),
                            effective_from=effective_from, change_note="Paket bawaan / shipped pack")
            installed.append(version)
            if name == NASIONAL:
                base_versions[kind] = version
    return installed
