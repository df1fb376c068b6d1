"""engine.runtime: the pure rules kernel (no Flask, no SQLAlchemy; only host.py imports durable).

Public API:
- ``CATALOGUE``, ``OUTPUTS``, ``ACTIONS``, ``STAGES``, ``catalogue_as_dict()``: the typed fact/output/action catalogue.
- ``validate_facts(doc) -> list[Problem]``, ``normalize_facts(doc) -> dict``: the evaluation facts document.
- ``load_pack(name, packs_dir) -> dict``, ``load_document(path_or_text) -> dict``, ``dump_yaml(doc)``, ``dump_json(doc)``.
- ``validate_document(doc) -> list[Problem]``: rule document problems (path + id/en messages).
- ``resolve(baseline, override) -> dict``: a daerah override merged over its baseline, with per-rule ``origin``.
- ``compile(doc) -> CompiledDocument`` (alias of ``compile_document``): durable rulesets, one per stage.
- ``evaluate(facts, documents, host=None) -> Decision``: the staged decision through durable_rules.
- ``evaluate_oracle(facts, documents) -> Decision``: the same in plain Python (tests and bench only).
- ``diff_documents(old, new) -> list[{path, id, en}]``; ``canonical_json(doc)``, ``content_hash(doc)``.
- ``check_kurva(counts, org_predikat, kurva_table) -> dict``: kurva distribusi violations.
- ``get_host() -> RuleHost``: the process-wide durable host (imported lazily, so importing the kernel does not load durable).
"""
from __future__ import annotations

from .canonical import canonical_json, content_hash
from .catalogue import ACTIONS, CATALOGUE, OUTPUTS, STAGES, catalogue_as_dict
from .compiler import CompiledDocument, compile_document
from .diff import diff_documents
from .document import dump_json, dump_yaml, load_document, load_pack
from .errors import EngineError, Problem, RuleEvaluationError, ValidationFailed
from .evaluate import Decision, evaluate
from .facts import normalize_facts, validate_facts
from .kurva import check_kurva
from .oracle import evaluate_oracle
from .resolve import resolve
from .validate import validate_document

compile = compile_document  # noqa: A001 - the public name the API and CLI use


def get_host():
    """The process-wide durable rule host."""
    from .host import get_host as _get_host
    return _get_host()


__all__ = [
    "ACTIONS", "CATALOGUE", "OUTPUTS", "STAGES", "CompiledDocument", "Decision", "EngineError", "Problem",
    "RuleEvaluationError", "ValidationFailed", "canonical_json", "catalogue_as_dict", "check_kurva", "compile",
    "compile_document", "content_hash", "diff_documents", "dump_json", "dump_yaml", "evaluate", "evaluate_oracle",
    "get_host", "load_document", "load_pack", "normalize_facts", "resolve", "validate_document", "validate_facts",
]
