"""Rule-level diff of two version documents as human lines in Indonesian and English.

Example lines: ``hasil_kerja/hk_di_atas: ambang capaian_tertimbang >= 110 -> 105`` /
``hasil_kerja/hk_di_atas: threshold capaian_tertimbang >= 110 -> 105``; rule added/removed; table rows
added/removed/changed; actions added/removed/changed. Provenance (``origin``) is not compared.
"""
from __future__ import annotations

from .canonical import canonical_json
from .catalogue import STAGES
from .conditions import render


def _line(path: str, msg_id: str, msg_en: str) -> dict:
    return {"path": path, "id": msg_id, "en": msg_en}


def _lit(value) -> str:
    return canonical_json(value) if isinstance(value, (list, dict, bool)) or value is None else str(value)


def _cond(old, new, path: str, out: list) -> None:
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        if "fact" in old and "fact" in new and old.get("fact") == new.get("fact") and old.get("op") == new.get("op"):
            o, n = _lit(old.get("value")), _lit(new.get("value"))
            out.append(_line(path, f"ambang {old['fact']} {old['op']} {o} -> {n}",
                             f"threshold {old['fact']} {old['op']} {o} -> {n}"))
            return
        for kind in ("all", "any"):
            if kind in old and kind in new and len(old[kind]) == len(new[kind]):
                for i, (a, b) in enumerate(zip(old[kind], new[kind])):
                    _cond(a, b, path, out)
                return
        if "not" in old and "not" in new:
            _cond(old["not"], new["not"], path, out)
            return
    out.append(_line(path, f"kondisi berubah: {_when(old, 'id')} -> {_when(new, 'id')}",
                     f"condition changed: {_when(old, 'en')} -> {_when(new, 'en')}"))


def _when(cond, lang: str) -> str:
    if cond == "otherwise":
        return "selain itu" if lang == "id" else "otherwise"
    return render(cond, lang)


def _effects(old: dict, new: dict, path: str, out: list) -> None:
    old_set, new_set = old.get("set") or {}, new.get("set") or {}
    for key in sorted(set(old_set) | set(new_set)):
        if old_set.get(key) != new_set.get(key):
            o, n = _lit(old_set.get(key)), _lit(new_set.get(key))
            out.append(_line(path, f"output {key}: {o} -> {n}", f"output {key}: {o} -> {n}"))
    old_act = {a.get("code"): a for a in old.get("actions") or []}
    new_act = {a.get("code"): a for a in new.get("actions") or []}
    for code in old_act:
        if code not in new_act:
            out.append(_line(path, f"tindakan {code} dihapus", f"action {code} removed"))
    for code, action in new_act.items():
        if code not in old_act:
            out.append(_line(path, f"tindakan {code} ditambahkan", f"action {code} added"))
            continue
        before = old_act[code]
        for key in ("params", "due_days", "owner", "note", "legal_basis"):
            if before.get(key) != action.get(key):
                o, n = _lit(before.get(key)), _lit(action.get(key))
                out.append(_line(path, f"tindakan {code}: {key} {o} -> {n}", f"action {code}: {key} {o} -> {n}"))
    for key, label in (("note", ("catatan", "note")), ("legal_basis", ("dasar hukum", "legal basis"))):
        if old.get(key) != new.get(key):
            o, n = _lit(old.get(key)), _lit(new.get(key))
            out.append(_line(path, f"{label[0]}: {o} -> {n}", f"{label[1]}: {o} -> {n}"))


def _table(old: dict, new: dict, path: str, out: list) -> None:
    if old.get("hit_policy", "first") != new.get("hit_policy", "first"):
        out.append(_line(path, f"hit_policy {old.get('hit_policy', 'first')} -> {new.get('hit_policy', 'first')}",
                         f"hit policy {old.get('hit_policy', 'first')} -> {new.get('hit_policy', 'first')}"))
    if old.get("inputs") != new.get("inputs"):
        out.append(_line(path, f"input tabel {_lit(old.get('inputs'))} -> {_lit(new.get('inputs'))}",
                         f"table inputs {_lit(old.get('inputs'))} -> {_lit(new.get('inputs'))}"))
    old_rows = {r.get("id"): r for r in old.get("rows") or []}
    new_rows = {r.get("id"): r for r in new.get("rows") or []}
    inputs = new.get("inputs") or []
    for rid in old_rows:
        if rid not in new_rows:
            out.append(_line(f"{path}.rows[{rid}]", f"baris {rid} dihapus", f"row {rid} removed"))
    for rid, row in new_rows.items():
        rpath = f"{path}.rows[{rid}]"
        if rid not in old_rows:
            out.append(_line(rpath, f"baris {rid} ditambahkan: {_lit(row.get('when'))}",
                             f"row {rid} added: {_lit(row.get('when'))}"))
            continue
        before = old_rows[rid]
        for i, (a, b) in enumerate(zip(before.get("when") or [], row.get("when") or [])):
            if a != b:
                name = inputs[i] if i < len(inputs) else str(i)
                out.append(_line(rpath, f"baris {rid}, sel {name}: {_lit(a)} -> {_lit(b)}",
                                 f"row {rid}, cell {name}: {_lit(a)} -> {_lit(b)}"))
        _effects(before, row, rpath, out)
    if [r for r in old_rows if r in new_rows] != [r for r in new_rows if r in old_rows]:
        out.append(_line(path, "urutan baris berubah", "row order changed"))


def diff_documents(old: dict, new: dict) -> list[dict]:
    """Human-readable differences between two rule documents: [{path, id, en}, ...]."""
    out: list[dict] = []
    for key in ("version", "legal_basis", "contoh"):
        if old.get(key) != new.get(key):
            o, n = _lit(old.get(key)), _lit(new.get(key))
            out.append(_line(key, f"{key}: {o} -> {n}", f"{key}: {o} -> {n}"))
    if old.get("kurva") != new.get("kurva"):
        for org in sorted(set(old.get("kurva") or {}) | set(new.get("kurva") or {})):
            a, b = (old.get("kurva") or {}).get(org), (new.get("kurva") or {}).get(org)
            if a != b:
                out.append(_line(f"kurva.{org}", f"kurva {org}: {_lit(a)} -> {_lit(b)}",
                                 f"distribution curve {org}: {_lit(a)} -> {_lit(b)}"))
    old_stages, new_stages = old.get("stages") or {}, new.get("stages") or {}
    for stage in STAGES:
        old_rules = {r.get("id"): r for r in (old_stages.get(stage) or {}).get("rules", [])}
        new_rules = {r.get("id"): r for r in (new_stages.get(stage) or {}).get("rules", [])}
        for rid in old_rules:
            if rid not in new_rules:
                out.append(_line(f"{stage}/{rid}", f"{stage}/{rid}: aturan dihapus", f"{stage}/{rid}: rule removed"))
        for rid, rule in new_rules.items():
            path = f"{stage}/{rid}"
            if rid not in old_rules:
                what = "tabel" if "table" in rule else _when(rule.get("when", "otherwise"), "id")
                what_en = "table" if "table" in rule else _when(rule.get("when", "otherwise"), "en")
                out.append(_line(path, f"{path}: aturan ditambahkan: {what}", f"{path}: rule added: {what_en}"))
                continue
            before = old_rules[rid]
            lines: list[dict] = []
            if "table" in before and "table" in rule:
                _table(before["table"], rule["table"], path, lines)
            elif "table" in before or "table" in rule:
                lines.append(_line(path, "bentuk aturan berubah (tabel/kondisi)", "rule form changed (table/condition)"))
            else:
                _cond(before.get("when", "otherwise"), rule.get("when", "otherwise"), path, lines)
            _effects(before, rule, path, lines)
            for line in lines:
                line["id"], line["en"] = f"{path}: {line['id']}", f"{path}: {line['en']}"
            out.extend(lines)
        common_old = [r for r in old_rules if r in new_rules]
        common_new = [r for r in new_rules if r in old_rules]
        if common_old != common_new:
            out.append(_line(stage, f"{stage}: urutan aturan berubah", f"{stage}: rule order changed"))
    return out
