"""Reading a (validated) rule document: stages flattened into ordered rule units, and YAML/JSON import/export.

A decision-table row becomes one unit (``key`` = ``table_id.row_id``) so the compiler, the oracle and the
outcome step all see the same flat, ordered list; ``seq`` is the position inside the stage.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import Problem, ValidationFailed
from .yaml_text import error_position, load_yaml

from .catalogue import STAGES
from .conditions import row_condition


@dataclass(frozen=True)
class RuleUnit:
    """One matchable unit of a stage: a plain rule or one row of a decision table."""

    stage: str
    seq: int
    rule_id: str
    row_id: str | None
    hit_policy: str | None
    when: dict | None
    set: dict
    actions: tuple
    note: str | None
    legal_basis: str | None
    origin: dict | None

    @property
    def key(self) -> str:
        """Stable id of the unit: the rule id, or ``table.row`` for a table row."""
        return self.rule_id if self.row_id is None else f"{self.rule_id}.{self.row_id}"


def stage_units(doc: dict, stage: str) -> list[RuleUnit]:
    """The ordered units of one stage of a valid document."""
    units: list[RuleUnit] = []
    for rule in (doc.get("stages") or {}).get(stage, {}).get("rules", []):
        common = {"origin": rule.get("origin")}
        table = rule.get("table")
        if table is None:
            units.append(RuleUnit(stage, len(units), rule["id"], None, None, rule.get("when"),
                                  dict(rule.get("set") or {}), tuple(rule.get("actions") or ()),
                                  rule.get("note"), rule.get("legal_basis"), **common))
            continue
        for row in table["rows"]:
            units.append(RuleUnit(stage, len(units), rule["id"], row["id"], table.get("hit_policy", "first"),
                                  row_condition(table["inputs"], row["when"]), dict(row.get("set") or {}),
                                  tuple(row.get("actions") or ()), row.get("note", rule.get("note")),
                                  row.get("legal_basis", rule.get("legal_basis")), **common))
    return units


def all_units(doc: dict) -> dict[str, list[RuleUnit]]:
    """Units of every stage the document defines, in pipeline order."""
    stages = doc.get("stages") or {}
    return {s: stage_units(doc, s) for s in STAGES if s in stages}


def load_document(source: str | Path) -> dict:
    """Load a rule document from a .yaml/.yml/.json path, or from YAML/JSON text."""
    if isinstance(source, Path) or (isinstance(source, str) and "\n" not in source and
                                    source.endswith((".yaml", ".yml", ".json"))):
        source = Path(source).read_text(encoding="utf-8")
    try:
        return load_yaml(source)
    except yaml.YAMLError as error:
        at, reason = error_position(error)
        where = f"baris {at[0]}, kolom {at[1]}" if at else "?"
        where_en = f"line {at[0]}, column {at[1]}" if at else "?"
        raise ValidationFailed(f"Dokumen bukan JSON/YAML yang sah ({where}: {reason}).",
                               f"The document is not valid JSON/YAML ({where_en}: {reason}).", code="not_json",
                               problems=[Problem("not_json", where_en, f"{where}: {reason}", f"{where_en}: {reason}")])


def dump_yaml(doc: dict) -> str:
    """Export a document as YAML (keys in document order, unicode kept)."""
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=110)


def dump_json(doc: dict) -> str:
    """Export a document as indented JSON."""
    return json.dumps(doc, ensure_ascii=False, indent=2)


def load_pack(name: str, packs_dir: str | Path) -> dict:
    """Load the pack ``<packs_dir>/<name>.yaml`` (the engine never imports the rules package)."""
    return load_document(Path(packs_dir) / f"{name}.yaml")
