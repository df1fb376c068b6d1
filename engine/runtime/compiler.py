"""Compiler from a resolved rule document to durable_rules JSON rulesets, one per stage.

Only whitelisted operators are emitted: ``=`` -> equality, ``!=`` -> ``$neq`` (never ``$ne``, which registers
and never matches), ``in`` -> ``$or`` of equalities, ``between`` -> ``$and`` of ``$gte``/``$lte``, ``is_set`` ->
``$ex``. ``not`` is pushed down with De Morgan; because durable makes every test on a missing field false, each
negated leaf also matches "field missing" (``$nex``), so ``not (x > 5)`` is true when x is unset, as in Python.
Every rule ANDs the marker field (so no rule can match the engine's own state fact) and a lowest-priority
catch-all makes every evaluation run at least one action (no ``delete_state`` on an untouched sid). ``pri`` is
the rule's position (0..64999); a ruleset holds at most 400 rules. Literal types are checked again here.
"""
from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field

from .canonical import content_hash
from .catalogue import ACTIONS, CATALOGUE, STAGES
from .conditions import facts_in
from .document import RuleUnit, stage_units
from .errors import EngineError, ValidationFailed
from .validate import validate_document
from .values import literal_problem

MARKER = "__e"
SUBJECT = "__k"
DONE_KEY = "__done"
DONE_PRI = 65000
MAX_PRI = 64999
MAX_RULES = 400
_NEGATE_CMP = {"<": "$gte", "<=": "$gt", ">": "$lte", ">=": "$lt"}
_CMP = {"<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte"}


class CompileError(EngineError):
    """A document could not be turned into a safe durable ruleset."""


@dataclass(frozen=True)
class CompiledRule:
    """One durable rule and the rule unit it came from."""

    key: str
    unit: RuleUnit
    facts: tuple[str, ...]
    actions: tuple[dict, ...] = ()   # the unit's actions with catalogue defaults applied (copied when emitted)


@dataclass(frozen=True)
class CompiledStage:
    """The durable ruleset of one stage; ``definition[...]["run"]`` holds the rule key until the host binds it."""

    stage: str
    ruleset: str
    definition: dict
    rules: tuple[CompiledRule, ...]
    by_key: dict = field(repr=False)
    facts: tuple[str, ...] = ()
    fields: tuple[tuple[str, str], ...] = ()   # (fact id, durable field) of every fact the stage reads


@dataclass(frozen=True)
class CompiledDocument:
    """A compiled resolved document: its identity and one CompiledStage per stage with rules."""

    pack: str
    version: str
    hash: str
    stages: dict
    kurva: dict | None
    base: dict | None = None

    def version_info(self) -> dict:
        """Identity recorded in every decision."""
        info = {"pack": self.pack, "version": self.version, "hash": self.hash}
        if self.base:
            info["base"] = dict(self.base)
        return info


def compile_action(spec: dict, unit: RuleUnit) -> dict:
    """An action as a decision emits it: catalogue defaults (kind, owner, due days) overridden by the rule's own."""
    cat = ACTIONS[spec["code"]]
    return {"code": cat.code, "kind": cat.kind, "owner": spec.get("owner", cat.owner),
            "due_days": spec.get("due_days", cat.due_days), "params": dict(spec.get("params") or {}),
            "note": spec.get("note", unit.note), "legal_basis": spec.get("legal_basis", unit.legal_basis),
            "label": {"id": cat.label_id, "en": cat.label_en}, "rule": unit.key, "stage": unit.stage}


def ruleset_name(pack: str, version: str, doc_hash: str, stage: str) -> str:
    """A durable ruleset name of [a-z0-9_] only (names with $state/$flow would change durable's behaviour)."""
    raw = f"k_{pack}_{version}_{doc_hash[:16]}_{stage}".lower()
    return re.sub(r"[^a-z0-9_]", "_", raw)


def _literal(fact: str, value):
    spec = CATALOGUE[fact]
    bad = literal_problem(value, spec.type, spec.values)
    if bad:
        raise CompileError(f"Nilai untuk '{fact}' {bad[0]}", f"Value for '{fact}' {bad[1]}", code="literal")
    return value


def _and(items: list[dict]) -> dict:
    return items[0] if len(items) == 1 else {"$and": items}


def _or(items: list[dict]) -> dict:
    return items[0] if len(items) == 1 else {"$or": items}


def _leaf(cond: dict, negate: bool) -> dict:
    fact, op = cond["fact"], cond["op"]
    f = CATALOGUE[fact].field
    missing = {"$nex": {f: 1}}
    if op == "is_set":
        return missing if negate else {"$ex": {f: 1}}
    value = cond["value"]
    if op == "between":
        lo, hi = _literal(fact, value[0]), _literal(fact, value[1])
        if negate:
            return _or([{"$lt": {f: lo}}, {"$gt": {f: hi}}, missing])
        return _and([{"$gte": {f: lo}}, {"$lte": {f: hi}}])
    if op == "in":
        values = [_literal(fact, v) for v in value]
        if negate:
            return _or([_and([{"$neq": {f: v}} for v in values]), missing])
        return _or([{f: v} for v in values])
    value = _literal(fact, value)
    if op == "=":
        return _or([{"$neq": {f: value}}, missing]) if negate else {f: value}
    if op == "!=":
        return _or([{f: value}, missing]) if negate else {"$neq": {f: value}}
    if negate:
        return _or([{_NEGATE_CMP[op]: {f: value}}, missing])
    return {_CMP[op]: {f: value}}


def compile_condition(cond: dict | None, negate: bool = False) -> dict | None:
    """A validated condition as a durable expression (None: no condition beyond the marker)."""
    if cond is None:
        return None
    if "not" in cond:
        return compile_condition(cond["not"], not negate)
    if "all" in cond or "any" in cond:
        conj = "all" in cond
        parts = [compile_condition(c, negate) for c in cond["all" if conj else "any"]]
        return _and(parts) if conj != negate else _or(parts)
    return _leaf(cond, negate)


def compile_stage(doc: dict, doc_hash: str, stage: str) -> CompiledStage | None:
    """Compile one stage of a valid resolved document (None when the stage has no rules)."""
    units = stage_units(doc, stage)
    if not units:
        return None
    if len(units) > MAX_RULES:
        raise CompileError(f"Tahap '{stage}' punya {len(units)} aturan; batas per ruleset {MAX_RULES}",
                           f"Stage '{stage}' has {len(units)} rules; the limit per ruleset is {MAX_RULES}",
                           code="too_many_rules")
    definition: dict = {}
    rules = []
    for unit in units:
        pri = unit.seq
        if not 0 <= pri <= MAX_PRI:
            raise CompileError(f"Prioritas {pri} di luar 0..{MAX_PRI}", f"Priority {pri} outside 0..{MAX_PRI}",
                               code="priority")
        key = f"r{unit.seq:03d}"
        expr = compile_condition(unit.when)
        match = {"$and": [{MARKER: 1}, expr]} if expr is not None else {MARKER: 1}
        definition[key] = {"pri": pri, "all": [{"m": match}], "run": key}
        rules.append(CompiledRule(key, unit, tuple(facts_in(unit.when)),
                                  tuple(compile_action(a, unit) for a in unit.actions)))
    # the catch-all matches every fact: assert_facts refuses a whole batch if any one fact matches nothing
    definition[DONE_KEY] = {"pri": DONE_PRI, "all": [{"m": {"$ex": {MARKER: 1}}}], "run": DONE_KEY}
    name = ruleset_name(doc["pack"], doc["version"], doc_hash, stage)
    used: list[str] = []
    for rule in rules:
        used.extend(f for f in rule.facts if f not in used)
    return CompiledStage(stage, name, definition, tuple(rules), {r.key: r for r in rules}, tuple(used),
                         tuple((f, CATALOGUE[f].field) for f in used))


_CACHE: OrderedDict[str, CompiledDocument] = OrderedDict()
_CACHE_SIZE = 64


def compile_document(doc: dict) -> CompiledDocument:
    """Validate and compile a resolved document (cached by content hash); raise ValidationFailed if invalid."""
    doc_hash = content_hash(doc)
    cached = _CACHE.get(doc_hash)
    if cached is not None:
        _CACHE.move_to_end(doc_hash)
        return cached
    problems = validate_document(doc)
    if problems:
        raise ValidationFailed("Dokumen aturan tidak valid", "The rule document is invalid", code="invalid_rules",
                               problems=problems)
    stages = {}
    for stage in STAGES:
        compiled = compile_stage(doc, doc_hash, stage)
        if compiled is not None:
            stages[stage] = compiled
    result = CompiledDocument(doc["pack"], doc["version"], doc_hash, stages, doc.get("kurva"), doc.get("base"))
    _CACHE[doc_hash] = result
    if len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return result
