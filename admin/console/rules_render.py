"""Rules in words for the console: labels from the catalogue, conditions and tables as structures for templates.

Nothing here builds HTML: templates escape every value. Numbers are returned as separate segments so a `contoh`
version can mark each one visibly.
"""
from __future__ import annotations

import re

from admin.converters import digits
from admin.i18n import current_language
from engine.runtime.catalogue import (ACTIONS, BERAKHLAK, CATALOGUE, OPERATORS_BY_TYPE, OUTPUTS, PREDIKAT_LABELS,
                                      RATING_LABELS, STAGE_LABELS, STAGES, fact_visible)
from rules.models import KIND_LABELS

VALUE_LABELS: dict[str, tuple[str, str]] = {
    **RATING_LABELS, **PREDIKAT_LABELS,
    "tahunan": ("Tahunan", "Annual"), "semesteran": ("Semesteran", "Half-yearly"),
    "triwulan_1": ("Triwulan I", "Quarter 1"), "triwulan_2": ("Triwulan II", "Quarter 2"),
    "triwulan_3": ("Triwulan III", "Quarter 3"), "triwulan_4": ("Triwulan IV", "Quarter 4"),
    "bulanan": ("Bulanan", "Monthly"), "jpt": ("JPT", "Senior executive (JPT)"),
    "administrator": ("Administrator", "Administrator"), "pengawas": ("Pengawas", "Supervisor"),
    "pelaksana": ("Pelaksana", "Staff (pelaksana)"), "fungsional": ("Fungsional", "Functional"),
    "pns": ("PNS", "PNS"), "pppk": ("PPPK", "PPPK"),
    "pendidikan": ("Pendidikan", "Education"), "kesehatan": ("Kesehatan", "Health"),
    "kependudukan": ("Kependudukan", "Civil registry"), "perizinan": ("Perizinan", "Licensing"),
    "umum": ("Umum", "General"), "kuantitas": ("Kuantitas", "Quantity"), "kualitas": ("Kualitas", "Quality"),
    "waktu": ("Waktu", "Time"), "biaya": ("Biaya", "Cost"),
    "naik": ("naik (makin besar makin baik)", "up (higher is better)"),
    "turun": ("turun (makin kecil makin baik)", "down (lower is better)"),
    "utama": ("RHK utama", "main RHK"), "tambahan": ("RHK tambahan", "additional RHK"),
    "target_nol": ("target nol", "zero target"), "realisasi_kosong": ("realisasi kosong", "no realisation"),
    "penurunan_jabatan": ("penurunan jabatan", "demotion"), "pembebasan_jabatan": ("pembebasan jabatan", "removal from post"),
    "pemberhentian_dengan_hormat": ("pemberhentian dengan hormat", "honourable discharge"),
    "hr": ("BKPSDM / kepegawaian", "HR (BKPSDM)"), "atasan": ("atasan langsung", "direct superior"),
}
OP_LABELS: dict[str, tuple[str, str]] = {
    "=": ("sama dengan", "equals"), "!=": ("tidak sama dengan", "is not"),
    "<": ("kurang dari", "less than"), "<=": ("paling banyak", "at most"),
    ">": ("lebih dari", "more than"), ">=": ("paling sedikit", "at least"),
    "between": ("antara (termasuk batas)", "between (inclusive)"), "in": ("salah satu dari", "one of"),
    "is_set": ("terisi (datanya ada)", "is set (has a value)"),
}
ENUM_OP_LABELS: dict[str, tuple[str, str]] = {"=": ("adalah", "is"), "!=": ("bukan", "is not")}
ORIGIN_LABELS: dict[str, tuple[str, str]] = {
    "baseline": ("nasional", "national"), "override": ("diubah daerah", "changed by daerah"),
    "added": ("tambahan daerah", "added by daerah"),
}
PARAM_LABELS: dict[str, tuple[str, str]] = {
    "percent": ("persen", "percent"), "months": ("bulan", "months"), "jenis": ("jenis", "kind"),
}
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def pick(pair: tuple[str, str]) -> str:
    """The member of an (id, en) pair for the request's language."""
    return pair[1] if current_language() == "en" else pair[0]


def fact_label(fact: object) -> str:
    """A fact's label in the request's language (the raw id when unknown)."""
    spec = CATALOGUE.get(fact) if isinstance(fact, str) else None
    return pick((spec.label_id, spec.label_en)) if spec else str(fact)


def value_label(value: object) -> str:
    """A value as a reader says it: labels for enum values, ya/tidak for booleans, numbers Indonesian-style."""
    if isinstance(value, bool):
        return pick(("ya", "yes")) if value else pick(("tidak", "no"))
    if isinstance(value, (int, float)):
        return number_text(value)
    if isinstance(value, str) and value in VALUE_LABELS:
        return pick(VALUE_LABELS[value])
    return str(value)


def number_text(value: int | float) -> str:
    """1234.5 as '1.234,5' in Indonesian, '1,234.5' in English."""
    text = f"{value:,}" if isinstance(value, int) else f"{value:,.4f}".rstrip("0").rstrip(".")
    if current_language() == "en":
        return text
    return text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")


def op_label(op: object, fact: object = None) -> str:
    """An operator in words; `=`/`!=` read 'adalah'/'bukan' for enum and text facts."""
    spec = CATALOGUE.get(fact) if isinstance(fact, str) else None
    if spec is not None and spec.type in ("enum", "string", "boolean") and op in ENUM_OP_LABELS:
        return pick(ENUM_OP_LABELS[op])
    return pick(OP_LABELS[op]) if op in OP_LABELS else str(op)


def action_label(code: object) -> str:
    """An action's label from the catalogue."""
    spec = ACTIONS.get(code) if isinstance(code, str) else None
    return pick((spec.label_id, spec.label_en)) if spec else str(code)


def output_label(name: object) -> str:
    """An output's label."""
    spec = OUTPUTS.get(name) if isinstance(name, str) else None
    return pick((spec.label_id, spec.label_en)) if spec else str(name)


def stage_label(stage: object) -> str:
    """A stage's label."""
    return pick(STAGE_LABELS[stage]) if stage in STAGE_LABELS else str(stage)


def kind_label(kind: object) -> str:
    """A rule kind's label."""
    return pick(KIND_LABELS[str(kind)]) if str(kind) in KIND_LABELS else str(kind)


# --- segments: (text, is_number) ------------------------------------------------------------------------------------
def _value_segments(value) -> list[tuple[str, bool]]:
    if isinstance(value, list):
        out: list[tuple[str, bool]] = []
        for i, item in enumerate(value):
            if i:
                out.append((", ", False))
            out.extend(_value_segments(item))
        return out
    return [(value_label(value), isinstance(value, (int, float)) and not isinstance(value, bool))]


def leaf_segments(cond: dict) -> list[tuple[str, bool]]:
    """A leaf as words: [fact label, operator, value(s)] with numbers flagged."""
    fact, op = cond.get("fact"), cond.get("op")
    out = [(fact_label(fact), False), (" " + op_label(op, fact), False)]
    if op == "is_set":
        return out
    value = cond.get("value")
    if op == "between" and isinstance(value, list) and len(value) == 2:
        lo, hi = _value_segments(value[0]), _value_segments(value[1])
        return out + [(" ", False), *lo, (" " + pick(("s.d.", "to")) + " ", False), *hi]
    return out + [(" ", False), *_value_segments(value)]


def condition_tree(cond) -> dict:
    """A condition as a tree for the template: leaf (segments), all/any (items) or not (item)."""
    if not isinstance(cond, dict):
        return {"kind": "leaf", "segments": [(str(cond), False)]}
    if "all" in cond or "any" in cond:
        key = "all" if "all" in cond else "any"
        items = cond[key] if isinstance(cond[key], list) else []
        return {"kind": key, "children": [condition_tree(c) for c in items]}
    if "not" in cond:
        return {"kind": "not", "item": condition_tree(cond["not"])}
    return {"kind": "leaf", "segments": leaf_segments(cond)}


def cell_segments(fact: str, cell) -> list[tuple[str, bool]]:
    """A decision-table cell in words ('-' = any value)."""
    if cell == "-":
        return [(pick(("bebas", "any")), False)]
    if isinstance(cell, dict):
        op = cell.get("op")
        if op == "is_set":
            return [(op_label(op, fact), False)]
        value = cell.get("value")
        if op == "between" and isinstance(value, list) and len(value) == 2:
            return [*_value_segments(value[0]), (" " + pick(("s.d.", "to")) + " ", False), *_value_segments(value[1])]
        return [(op_label(op, fact) + " ", False), *_value_segments(value)]
    return _value_segments(cell)


def _actions(actions) -> list[dict]:
    out = []
    for action in actions if isinstance(actions, list) else []:
        if not isinstance(action, dict):
            continue
        params = action.get("params") if isinstance(action.get("params"), dict) else {}
        out.append({"code": action.get("code"), "label": action_label(action.get("code")),
                    "params": [(pick(PARAM_LABELS.get(k, (k, k))), _value_segments(v)) for k, v in params.items()],
                    "due_days": action.get("due_days"),
                    "owner": value_label(action["owner"]) if "owner" in action else None,
                    "note": action.get("note"), "legal_basis": action.get("legal_basis")})
    return out


def _sets(values) -> list[tuple[str, list]]:
    return [(output_label(k), _value_segments(v)) for k, v in values.items()] if isinstance(values, dict) else []


def rule_view(rule: dict, contoh: bool) -> dict:
    """One rule (of a resolved document) for the read-only view."""
    view = {"id": rule.get("id"), "label": rule.get("label"), "note": rule.get("note"),
            "legal_basis": rule.get("legal_basis"), "contoh": contoh,
            "origin": (rule.get("origin") or {}).get("change"),
            "origin_label": pick(ORIGIN_LABELS.get((rule.get("origin") or {}).get("change"), ("", ""))),
            "sets": _sets(rule.get("set")), "actions": _actions(rule.get("actions"))}
    if "table" in rule and isinstance(rule["table"], dict):
        table = rule["table"]
        inputs = table.get("inputs") if isinstance(table.get("inputs"), list) else []
        rows = []
        for row in table.get("rows") or []:
            if not isinstance(row, dict):
                continue
            cells = row.get("when") if isinstance(row.get("when"), list) else []
            rows.append({"id": row.get("id"), "cells": [cell_segments(f, c) for f, c in zip(inputs, cells)],
                         "sets": _sets(row.get("set")), "actions": _actions(row.get("actions")),
                         "note": row.get("note")})
        view.update(form="table", hit_policy=table.get("hit_policy", "first"),
                    inputs=[fact_label(f) for f in inputs], rows=rows)
    elif "otherwise" in rule:
        view["form"] = "otherwise"
    else:
        view.update(form="when", condition=condition_tree(rule.get("when")))
    return view


def stages_view(doc: dict, stages: tuple[str, ...], contoh_pack: str | None) -> list[dict]:
    """The stages of a (resolved) document in pipeline order, each with its rules in words."""
    out = []
    body = doc.get("stages") if isinstance(doc.get("stages"), dict) else {}
    for stage in STAGES:
        if stage not in stages and stage not in body:
            continue
        rules = (body.get(stage) or {}).get("rules") if isinstance(body.get(stage), dict) else None
        views = []
        for rule in rules if isinstance(rules, list) else []:
            if not isinstance(rule, dict):
                continue
            origin_pack = (rule.get("origin") or {}).get("pack", doc.get("pack"))
            views.append(rule_view(rule, contoh_pack is not None and origin_pack == contoh_pack))
        out.append({"id": stage, "label": stage_label(stage), "rules": views})
    return out


# --- the catalogue for the editor's script ----------------------------------------------------------------------
def editor_catalogue(stages: tuple[str, ...]) -> dict:
    """Everything the editor script needs, labels already in the request's language."""
    facts = []
    for spec in CATALOGUE.values():
        facts.append({"id": spec.id, "type": spec.type, "label": pick((spec.label_id, spec.label_en)),
                      "source": spec.source, "values": list(spec.values)})
    values = {}
    for spec in CATALOGUE.values():
        for v in spec.values:
            values[v] = value_label(v)
    for spec in ACTIONS.values():
        for p in spec.params:
            for v in p.values:
                values[v] = value_label(v)
    return {
        "facts": facts,
        "stage_facts": {s: [f.id for f in CATALOGUE.values() if fact_visible(f, s)] for s in STAGES},
        "stages": {s: stage_label(s) for s in STAGES},
        "kind_stages": list(stages),
        "outputs": [{"id": o.id, "type": o.type, "stage": o.stage, "label": pick((o.label_id, o.label_en)),
                     "values": list(o.values)} for o in OUTPUTS.values()],
        "actions": [{"code": a.code, "label": pick((a.label_id, a.label_en)), "kind": a.kind, "owner": a.owner,
                     "due_days": a.due_days,
                     "params": [{"name": p.name, "label": pick(PARAM_LABELS.get(p.name, (p.name, p.name))),
                                 "type": p.type, "required": p.required, "minimum": p.minimum, "maximum": p.maximum,
                                 "values": list(p.values)} for p in a.params]} for a in ACTIONS.values()],
        "ops": {t: [o for o in ("=", "!=", "<", "<=", ">", ">=", "between", "in", "is_set") if o in ops]
                for t, ops in OPERATORS_BY_TYPE.items()},
        "op_labels": {o: pick(p) for o, p in OP_LABELS.items()},
        "enum_op_labels": {o: pick(p) for o, p in ENUM_OP_LABELS.items()},
        "values": values,
        "owners": {"hr": value_label("hr"), "atasan": value_label("atasan")},
        "berakhlak": list(BERAKHLAK),
    }


_WORDS = {"when": ("syarat", "condition"), "value": ("nilai", "value"), "op": ("pembanding", "comparison"),
          "fact": ("data", "fact"), "not": ("bukan", "not"), "table": ("tabel", "table"), "set": ("hasil", "output"),
          "hit_policy": ("cara membaca tabel", "hit policy"), "inputs": ("kolom input", "input columns"),
          "rows": ("baris", "rows"), "params": ("parameter", "parameter"), "legal_basis": ("dasar hukum", "legal basis"),
          "note": ("catatan", "note"), "id": ("id", "id"), "due_days": ("tenggat", "due days"),
          "owner": ("penanggung jawab", "owner"), "actions": ("tindak lanjut", "follow-up"), "remove": ("hapus", "remove"),
          "before": ("sebelum", "before"), "label": ("nama", "name")}
_TOKEN = re.compile(r"([a-z_]+)(?:\[([^\]]*)\])?")


def _token(name: str, index: str | None) -> str:
    word = pick(_WORDS[name]) if name in _WORDS else name
    if index is None:
        return word
    if name in ("all", "any"):
        return f"{pick(('syarat', 'condition'))} {int(index) + 1}" if digits(index) else word
    if name == "when" and digits(index):
        return f"{pick(('kolom', 'column'))} {int(index) + 1}"
    if name == "actions" and index in ACTIONS:
        return f"{word} {action_label(index)}"
    if name == "inputs" and digits(index):
        return f"{pick(('kolom', 'column'))} {int(index) + 1}"
    return f"{word} {int(index) + 1 if digits(index) else index}"


def problem_location(path: str) -> str:
    """A problem path in words: 'rating hasil kerja › hk_di_atas › syarat › syarat 1 › nilai'."""
    match = re.match(r"^stages\.([a-z_]+)(?:\.rules\[([^\]]+)\])?\.?(.*)$", path or "")
    if not match:
        return path
    stage, rule, rest = match.groups()
    parts = [stage_label(stage)]
    if rule:
        parts.append(rule)
    for piece in rest.split(".") if rest else []:
        token = _TOKEN.fullmatch(piece)
        parts.append(_token(token.group(1), token.group(2)) if token else piece)
    return " › ".join(parts)
