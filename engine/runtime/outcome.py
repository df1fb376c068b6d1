"""From matched rules to a stage's outputs, actions and trace (shared by the durable path and the oracle).

Within a stage, matches are taken in rule order (``seq``): an output is set by the first matching rule that sets
it (later ones are ``superseded``); actions of every matching rule are collected; a decision table with hit policy
``first`` (or ``unique``) applies only its first matching row (later rows are ``shadowed``), ``collect`` applies all.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .compiler import CompiledRule, CompiledStage


@dataclass
class StageOutcome:
    """What one stage decided: outputs per subject, actions, trace entries."""

    outputs: dict = field(default_factory=dict)
    actions: list = field(default_factory=list)
    trace: list = field(default_factory=list)


def _emit(template: dict) -> dict:
    """A fresh copy of a compiled action (its nested params and label too: a decision owns its values)."""
    return {**template, "params": dict(template["params"]), "label": dict(template["label"])}


def _seq(rule: CompiledRule) -> int:
    return rule.unit.seq


def apply_stage(stage: CompiledStage, subjects: list[tuple[str, dict]], hits: list[tuple[str, str]]) -> StageOutcome:
    """Resolve the (rule key, subject) hits of one stage into its outcome, deterministically."""
    result = StageOutcome()
    by_subject: dict[str, list] = {}
    by_key = stage.by_key
    for key, subject in hits:
        by_subject.setdefault(subject, []).append(by_key[key])
    name, trace, emitted_all = stage.stage, result.trace, result.actions
    for subject, facts in subjects:
        outputs = result.outputs.setdefault(subject, {})
        rules = by_subject.get(subject)
        if not rules:
            continue
        rules.sort(key=_seq)
        decided_tables: set[str] = set()
        shown = None if subject == "_" else subject
        for rule in rules:
            unit = rule.unit
            entry = {"stage": name, "rule": unit.rule_id, "row": unit.row_id, "subject": shown,
                     "seen": {f: facts.get(f) for f in rule.facts}}
            if unit.origin:
                entry["origin"] = unit.origin.get("pack")
            if unit.hit_policy in ("first", "unique"):
                if unit.rule_id in decided_tables:
                    entry["effect"] = "shadowed"
                    trace.append(entry)
                    continue
                decided_tables.add(unit.rule_id)
            applied = {}
            for output, value in unit.set.items():
                if output not in outputs:
                    outputs[output] = applied[output] = value
            emitted = [_emit(t) for t in rule.actions]
            emitted_all.extend(emitted)
            entry["set"] = applied
            entry["actions"] = [a["code"] for a in emitted]
            entry["effect"] = "applied" if applied or emitted else "superseded"
            trace.append(entry)
    return result
