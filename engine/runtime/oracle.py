"""Test oracle: the same rule documents evaluated directly in Python (conditions via `conditions.holds`).

It shares derivation and outcome resolution with `evaluate`, so comparing the two checks exactly what durable
decides: the compiled conditions. It is for tests and the bench only; decisions always come from durable.
"""
from __future__ import annotations

from .compiler import CompiledStage
from .conditions import holds
from .evaluate import ENGINE_VERSION, Decision, run_pipeline


def python_matcher(stage: CompiledStage, subjects: list[tuple[str, dict]]) -> list[tuple[str, str]]:
    """Every (rule key, subject) whose condition holds, evaluated in Python."""
    return [(rule.key, key) for key, facts in subjects for rule in stage.rules if holds(rule.unit.when, facts)]


def evaluate_oracle(facts_doc: dict, documents) -> Decision:
    """Evaluate with the Python matcher (engine field differs from `evaluate`; everything else must match)."""
    engine = {"name": "kinerja-runtime", "version": ENGINE_VERSION, "durable_rules": None}
    return run_pipeline(facts_doc, documents, python_matcher, engine)
