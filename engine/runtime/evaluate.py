"""Evaluate one pegawai: stages in order through the rule host, each stage's outputs feeding the next.

``evaluate(facts, documents)`` returns a Decision: outputs, capaian, actions, the trace of every rule that fired
with the fact values its conditions saw, the versions and hashes used, the engine version and an explanation.
The result is deterministic and JSON-ready: a replay with the same versions gives byte-identical canonical JSON.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, fields
from typing import Callable, Iterable

from . import derive
from .canonical import canonical_json, content_hash
from .catalogue import STAGES
from .compiler import SUBJECT, CompiledDocument, CompiledStage, compile_document
from .errors import ValidationFailed
from .explain import explain
from .facts import normalize_facts
from .outcome import apply_stage

ENGINE_VERSION = "1.0.0"
Matcher = Callable[[CompiledStage, list[tuple[str, dict]]], list[tuple[str, str]]]


@dataclass(frozen=True)
class Decision:
    """The result of one evaluation (see ``as_dict`` for the JSON shape)."""

    outputs: dict
    capaian: dict
    actions: list
    trace: list
    facts: dict
    facts_hash: str
    versions: list
    engine: dict
    explanation: dict

    def as_dict(self) -> dict:
        """The decision as JSON-ready data: a new top-level dict over the decision's own values (built fresh for
        each evaluation and never changed afterwards; `dataclasses.asdict` deep-copied them all, a fifth of the time
        of a stored decision)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def canonical(self) -> str:
        """Canonical JSON of the decision (what replay compares byte for byte)."""
        return canonical_json(self.as_dict(), finite=True)


def as_compiled(documents: dict | CompiledDocument | Iterable) -> list[CompiledDocument]:
    """Accept one resolved document, a compiled one, or a sequence of either."""
    if isinstance(documents, (dict, CompiledDocument)):
        documents = [documents]
    compiled = [d if isinstance(d, CompiledDocument) else compile_document(d) for d in documents]
    if not compiled:
        raise ValidationFailed("Tidak ada dokumen aturan", "No rule document given", code="no_rules")
    return compiled


def durable_matcher(host) -> Matcher:
    """A matcher that lets durable_rules decide which rules match each subject."""
    def match(stage: CompiledStage, subjects: list[tuple[str, dict]]) -> list[tuple[str, str]]:
        messages = []
        for key, facts in subjects:
            msg = {name: value for fact, name in stage.fields if (value := facts.get(fact)) is not None}
            msg[SUBJECT] = key
            messages.append(msg)
        return host.run(stage, messages)
    return match


def _dedupe_actions(actions: list[dict]) -> list[dict]:
    seen, out = set(), []
    for action in actions:
        key = (action["code"], canonical_json(action["params"]) if action["params"] else "")
        if key not in seen:
            seen.add(key)
            out.append(action)
    return out


def run_pipeline(facts_doc: dict, documents, matcher: Matcher, engine: dict) -> Decision:
    """The staged pipeline with a pluggable matcher (durable for decisions, Python for the oracle)."""
    compiled = as_compiled(documents)
    facts = normalize_facts(facts_doc)
    state = derive.start(facts)
    actions, trace = [], []
    for name in STAGES:
        # a stage may be split over several documents (e.g. one per rule kind): run them in document order;
        # an output keeps the first value set, actions are collected
        outputs: dict = {}
        for doc in compiled:
            stage = doc.stages.get(name)
            if stage is None:
                continue
            subjects = derive.subjects(state, name)
            outcome = apply_stage(stage, subjects, matcher(stage, subjects))
            for subject, values in outcome.outputs.items():
                merged = outputs.setdefault(subject, {})
                for key, value in values.items():
                    merged.setdefault(key, value)
            actions.extend(outcome.actions)
            trace.extend(outcome.trace)
        derive.advance(state, name, outputs, facts)
    p = state.pegawai
    actions = _dedupe_actions(actions)
    result = {k: p.get(k) for k in ("predikat", "rating_hasil_kerja", "rating_perilaku", "skor", "tpp_persen")}
    result["rating_iki"] = dict(state.rating_iki)
    return Decision(
        outputs=result,
        capaian={"iki": state.capaian, "tertimbang": p["capaian_tertimbang"]},
        actions=actions, trace=trace, facts=dict(sorted(p.items())), facts_hash=content_hash(facts, finite=True),
        versions=[d.version_info() for d in compiled], engine=engine,
        explanation=explain(p, actions))


@functools.cache
def _durable() -> tuple[dict, Matcher]:
    """The engine info and the matcher of the process-wide host, made on first use (durable loads lazily)."""
    from .host import DURABLE_VERSION, get_host
    return ({"name": "kinerja-runtime", "version": ENGINE_VERSION, "durable_rules": DURABLE_VERSION},
            durable_matcher(get_host()))


def evaluate(facts_doc: dict, documents, host=None) -> Decision:
    """Decide one evaluation with durable_rules; raise ValidationFailed for bad facts or rules."""
    engine, matcher = _durable()
    return run_pipeline(facts_doc, documents, durable_matcher(host) if host else matcher, dict(engine))
