"""From matched rules to a stage's outputs, actions and trace (shared by the durable path and the oracle).

Within a stage, matches are taken in rule order (``seq``): an output is set by the first matching rule that sets
it (later ones are ``superseded``); actions of every matching rule are collected; a decision table with hit policy
``first`` (or ``unique``) applies only its first matching row (later rows are ``shadowed``), ``collect`` applies all.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .catalogue import ACTIONS
from .compiler import CompiledStage


@dataclass
class StageOutcome:
    """What one stage decided: outputs per subject, actions, trace entries."""

    outputs: dict = field(default_factory=dict)
    actions: list = field(default_factory=list)
    trace: list = field(default_factory=list)


def make_action(spec: dict, unit, stage: str) -> dict:
    """An emitted action: catalogue defaults (kind, owner, due days) overridden by the rule's own values."""
    cat = ACTIONS[spec["code"]]
    return {"code": cat.code, "kind": cat.kind, "owner": spec.get("owner", cat.owner),
            "due_days": spec.get("due_days", cat.due_days), "params": dict(spec.get("params") or {}),
            "note": spec.get("note", unit.note), "legal_basis": spec.get("legal_basis", unit.legal_basis),
            "label": {"id": cat.label_id, "en": cat.label_en}, "rule": unit.key, "stage": stage}


def apply_stage(stage: CompiledStage, subjects: list[tuple[str, dict]], hits: list[tuple[str, str]]) -> StageOutcome:
    """Resolve the (rule key, subject) hits of one stage into its outcome, deterministically."""
    result = StageOutcome()
    by_subject: dict[str, list] = {}
    for key, subject in hits:
        by_subject.setdefault(subject, []).append(stage.by_key[key])
    for subject, facts in subjects:
        outputs = result.outputs.setdefault(subject, {})
        decided_tables: set[str] = set()
        for rule in sorted(by_subject.get(subject, ()), key=lambda r: r.unit.seq):
            unit = rule.unit
            entry = {"stage": stage.stage, "rule": unit.rule_id, "row": unit.row_id,
                     "subject": None if subject == "_" else subject,
                     "seen": {f: facts.get(f) for f in rule.facts}}
            if unit.origin:
                entry["origin"] = unit.origin.get("pack")
            if unit.hit_policy in ("first", "unique"):
                if unit.rule_id in decided_tables:
                    entry["effect"] = "shadowed"
                    result.trace.append(entry)
                    continue
                decided_tables.add(unit.rule_id)
            applied = {}
            for name, value in unit.set.items():
                if name not in outputs:
                    outputs[name] = applied[name] = value
            emitted = [make_action(a, unit, stage.stage) for a in unit.actions]
            result.actions.extend(emitted)
            entry["set"] = applied
            entry["actions"] = [a["code"] for a in emitted]
            entry["effect"] = "applied" if applied or emitted else "superseded"
            result.trace.append(entry)
    return result
