"""Daerah overrides over a baseline: ``resolve(baseline, override)`` gives one full document with provenance.

An override document says ``extends: <baseline pack>`` and, per stage, lists rules: a rule whose id exists in the
baseline stage replaces it in place; a new id is appended, or inserted before the rule named in ``before``;
``remove: [ids]`` drops baseline rules. A top-level ``kurva`` replaces the baseline table. Every rule of the
result carries ``origin: {pack, version, change}`` with change = baseline | override | added.
"""
from __future__ import annotations

import copy

from .canonical import content_hash
from .catalogue import STAGES
from .errors import Problem, ValidationFailed
from .values import did_you_mean

_OVERRIDE_TOP = ("pack", "version", "title", "description", "extends", "contoh", "legal_basis", "note", "kurva",
                 "stages")


def _origin(doc: dict, change: str) -> dict:
    return {"pack": doc.get("pack"), "version": doc.get("version"), "change": change}


def with_origin(doc: dict) -> dict:
    """A baseline document as a resolved one: every rule marked as coming from it."""
    out = copy.deepcopy(doc)
    stages = out.get("stages")
    for body in stages.values() if isinstance(stages, dict) else ():  # a wrong shape is validate_document's to name
        rules = body.get("rules") if isinstance(body, dict) else None
        for rule in rules if isinstance(rules, list) else ():
            if isinstance(rule, dict):
                rule.setdefault("origin", _origin(doc, "baseline"))
    out["resolved"] = True
    return out


def resolve(baseline: dict, override: dict | None) -> dict:
    """Merge an override pack into its baseline; raise ValidationFailed (located problems) when it cannot."""
    base = baseline if baseline.get("resolved") else with_origin(baseline)
    if override is None:
        return base
    problems: list[Problem] = []
    if not isinstance(override, dict):
        raise ValidationFailed("Override harus objek", "The override must be an object", code="invalid_override",
                               problems=[Problem("shape", "$", "override harus objek", "the override must be an object")])
    for key in override:
        if key not in _OVERRIDE_TOP:
            hint = did_you_mean(key, _OVERRIDE_TOP)
            problems.append(Problem("unknown_key", key, f"kunci '{key}' tidak dikenal{hint[0]}", f"unknown key '{key}'{hint[1]}"))
    if override.get("extends") != baseline.get("pack"):
        problems.append(Problem("extends", "extends",
                                f"'extends' harus '{baseline.get('pack')}', bukan '{override.get('extends')}'",
                                f"'extends' must be '{baseline.get('pack')}', not '{override.get('extends')}'"))
    out = copy.deepcopy(base)
    for key in ("pack", "version", "title", "description", "contoh", "legal_basis", "note", "kurva"):
        if key in override:
            out[key] = copy.deepcopy(override[key])
    out["base"] = {"pack": baseline.get("pack"), "version": baseline.get("version"),
                   "hash": content_hash(baseline)}
    out.pop("extends", None)
    out["stages"] = stages = out.get("stages") or {}
    wanted = override.get("stages") or {}
    if not isinstance(wanted, dict):
        problems.append(Problem("shape", "stages", "'stages' wajib berupa objek nama tahap -> {rules: [...]}",
                                "'stages' must be an object of stage name -> {rules: [...]}"))
        wanted = {}
    for stage, body in wanted.items():
        path = f"stages.{stage}"
        if stage not in STAGES:
            hint = did_you_mean(stage, STAGES)
            problems.append(Problem("unknown_stage", path, f"tahap '{stage}' tidak dikenal{hint[0]}", f"unknown stage '{stage}'{hint[1]}"))
            continue
        if not isinstance(body, dict) or not isinstance(body.get("rules") or [], list) \
                or not isinstance(body.get("remove") or [], list):
            problems.append(Problem("shape", path, "tahap harus objek {rules: [...], remove: [...]}",
                                    "a stage must be an object {rules: [...], remove: [...]}"))
            continue
        rules = stages.setdefault(stage, {"rules": []})["rules"]
        for rid in body.get("remove", []) or []:
            index = next((i for i, r in enumerate(rules) if r.get("id") == rid), None)
            if index is None:
                hint = did_you_mean(rid, [r.get("id") for r in rules])
                problems.append(Problem("unknown_rule", f"{path}.remove[{rid}]",
                                        f"aturan '{rid}' tidak ada di baseline tahap {stage}{hint[0]}",
                                        f"rule '{rid}' is not in the baseline stage {stage}{hint[1]}"))
            else:
                rules.pop(index)
        given: set[str] = set()
        for i, rule in enumerate(body.get("rules", []) or []):
            if not isinstance(rule, dict) or not isinstance(rule.get("id"), str):
                problems.append(Problem("shape", f"{path}.rules[{i}]", "aturan harus objek dengan 'id'",
                                        "a rule must be an object with an 'id'"))
                continue
            if rule["id"] in given:  # the second would replace the first as an override does, silently
                problems.append(Problem("duplicate", f"{path}.rules[{rule['id']}].id",
                                        f"id aturan '{rule['id']}' dua kali di tahap ini",
                                        f"rule id '{rule['id']}' is given twice in this stage"))
                continue
            given.add(rule["id"])
            rule = copy.deepcopy(rule)
            before = rule.pop("before", None)
            index = next((j for j, r in enumerate(rules) if r.get("id") == rule["id"]), None)
            if index is not None:
                rule["origin"] = _origin(override, "override")
                rules[index] = rule
                continue
            rule["origin"] = _origin(override, "added")
            if before is None:
                rules.append(rule)
                continue
            at = next((j for j, r in enumerate(rules) if r.get("id") == before), None)
            if at is None:
                hint = did_you_mean(before, [r.get("id") for r in rules])
                problems.append(Problem("unknown_rule", f"{path}.rules[{rule['id']}].before",
                                        f"'before': aturan '{before}' tidak ada{hint[0]}",
                                        f"'before': rule '{before}' does not exist{hint[1]}"))
                rules.append(rule)
            else:
                rules.insert(at, rule)
    if problems:
        raise ValidationFailed("Override tidak dapat diterapkan", "The override cannot be applied",
                               code="invalid_override", problems=problems)
    return out
