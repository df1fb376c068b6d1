"""Validation of rule documents against the catalogue; every problem is located and bilingual.

Checks: document shape, unknown stage/fact/output/action (with "did you mean"), a fact read before its stage,
type mismatches, operators that do not fit a type, empty or contradictory conditions, decision tables with gaps,
shadowed (``first``) or overlapping (``unique``) rows, conflicting ``collect`` rows, bad action params.
Drafts may be invalid; publishing and compiling refuse a document with any problem.
"""
from __future__ import annotations

import itertools
import re

from .catalogue import ACTIONS, CATALOGUE, OPERATORS, OPERATORS_BY_TYPE, OUTPUTS, OWNER_ROLES, STAGES, fact_visible
from .conditions import cell_condition, holds, render
from .errors import Problem
from .kurva import validate_kurva_table
from .values import did_you_mean, is_number, literal_problem, type_name

ID_RE = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,63}$")
TOP_KEYS = ("pack", "version", "title", "description", "extends", "contoh", "legal_basis", "note", "kurva",
            "stages", "base", "resolved")
RULE_KEYS = ("id", "label", "when", "otherwise", "table", "set", "actions", "note", "legal_basis", "origin")
TABLE_KEYS = ("hit_policy", "inputs", "rows", "allow_gaps")
ROW_KEYS = ("id", "when", "set", "actions", "note", "legal_basis")
ACTION_KEYS = ("code", "params", "due_days", "owner", "note", "legal_basis")
HIT_POLICIES = ("first", "unique", "collect")
MAX_SAMPLES = 50000


class _Out:
    def __init__(self):
        self.problems: list[Problem] = []

    def add(self, path: str, code: str, msg_id: str, msg_en: str) -> None:
        self.problems.append(Problem(code, path, msg_id, msg_en))


def validate_document(doc: object) -> list[Problem]:
    """All problems of a rule version document (empty list: the document may be compiled and published)."""
    out = _Out()
    if not isinstance(doc, dict):
        out.add("$", "shape", f"dokumen harus objek, bukan {type_name(doc)[0]}",
                f"the document must be an object, not {type_name(doc)[1]}")
        return out.problems
    for key in doc:
        if key not in TOP_KEYS:
            hint = did_you_mean(key, TOP_KEYS)
            out.add(key, "unknown_key", f"kunci '{key}' tidak dikenal{hint[0]}", f"unknown key '{key}'{hint[1]}")
    for key in ("pack", "version"):
        if not isinstance(doc.get(key), str) or not doc.get(key):
            out.add(key, "required", f"'{key}' wajib berupa teks", f"'{key}' must be a non-empty string")
    if isinstance(doc.get("pack"), str) and not ID_RE.match(doc["pack"]):
        out.add("pack", "format", "nama pack hanya huruf kecil, angka, _ dan -",
                "the pack name may only hold lowercase letters, digits, _ and -")
    for key in ("legal_basis", "note", "description"):
        if key in doc and doc[key] is not None and not isinstance(doc[key], str):
            out.add(key, "type", f"'{key}' harus teks", f"'{key}' must be a string")
    if "contoh" in doc and not isinstance(doc["contoh"], bool):
        out.add("contoh", "type", "'contoh' harus true/false", "'contoh' must be true/false")
    if "kurva" in doc:
        out.problems.extend(validate_kurva_table(doc["kurva"], "kurva"))
    stages = doc.get("stages")
    if not isinstance(stages, dict):
        out.add("stages", "shape", "'stages' wajib berupa objek nama tahap -> {rules: [...]}",
                "'stages' must be an object of stage name -> {rules: [...]}")
        return out.problems
    seen_ids: dict[str, str] = {}
    for stage, body in stages.items():
        path = f"stages.{stage}"
        if stage not in STAGES:
            hint = did_you_mean(stage, STAGES)
            out.add(path, "unknown_stage", f"tahap '{stage}' tidak dikenal (tahap: {', '.join(STAGES)}){hint[0]}",
                    f"unknown stage '{stage}' (stages: {', '.join(STAGES)}){hint[1]}")
            continue
        if not isinstance(body, dict) or not isinstance(body.get("rules"), list):
            out.add(path, "shape", "tahap harus berisi {rules: [...]}", "a stage must be {rules: [...]}")
            continue
        for key in body:
            if key != "rules":
                out.add(f"{path}.{key}", "unknown_key", f"kunci '{key}' tidak dikenal", f"unknown key '{key}'")
        for i, rule in enumerate(body["rules"]):
            _rule(out, stage, rule, i, path, seen_ids)
    return out.problems


def _rule(out: _Out, stage: str, rule, index: int, stage_path: str, seen_ids: dict) -> None:
    if not isinstance(rule, dict):
        out.add(f"{stage_path}.rules[{index}]", "shape", "aturan harus objek", "a rule must be an object")
        return
    rid = rule.get("id")
    path = f"{stage_path}.rules[{rid if isinstance(rid, str) else index}]"
    if not isinstance(rid, str) or not ID_RE.match(rid):
        out.add(f"{stage_path}.rules[{index}].id", "id", "id aturan wajib: huruf kecil, angka, _ atau -",
                "a rule id is required: lowercase letters, digits, _ or -")
    elif rid in seen_ids:
        out.add(f"{path}.id", "duplicate", f"id aturan '{rid}' sudah dipakai di {seen_ids[rid]}",
                f"rule id '{rid}' is already used in {seen_ids[rid]}")
    else:
        seen_ids[rid] = stage_path
    for key in rule:
        if key not in RULE_KEYS:
            hint = did_you_mean(key, RULE_KEYS)
            out.add(f"{path}.{key}", "unknown_key", f"kunci '{key}' tidak dikenal{hint[0]}",
                    f"unknown key '{key}'{hint[1]}")
    forms = [k for k in ("when", "otherwise", "table") if k in rule]
    if len(forms) != 1:
        out.add(path, "shape", "aturan harus punya tepat satu dari 'when', 'otherwise: true' atau 'table'",
                "a rule needs exactly one of 'when', 'otherwise: true' or 'table'")
        return
    for key in ("note", "legal_basis"):
        if key in rule and not isinstance(rule[key], str):
            out.add(f"{path}.{key}", "type", f"'{key}' harus teks", f"'{key}' must be a string")
    if "table" in rule:
        for key in ("set", "actions"):
            if key in rule:
                out.add(f"{path}.{key}", "shape", f"'{key}' milik baris tabel, bukan tabelnya",
                        f"'{key}' belongs to the table rows, not the table")
        _table(out, stage, rule["table"], f"{path}.table")
        return
    if "otherwise" in rule and rule["otherwise"] is not True:
        out.add(f"{path}.otherwise", "type", "'otherwise' harus true", "'otherwise' must be true")
    if "when" in rule:
        _condition(out, stage, rule["when"], f"{path}.when")
    _effects(out, stage, rule, path)


def _effects(out: _Out, stage: str, rule: dict, path: str) -> None:
    if not rule.get("set") and not rule.get("actions"):
        out.add(path, "no_effect", "aturan tidak menetapkan output maupun tindakan ('set' atau 'actions')",
                "the rule sets no output and emits no action ('set' or 'actions')")
    if "set" in rule:
        _set(out, stage, rule["set"], f"{path}.set")
    if "actions" in rule:
        _actions(out, stage, rule["actions"], f"{path}.actions")


def _set(out: _Out, stage: str, values, path: str) -> None:
    if not isinstance(values, dict):
        out.add(path, "shape", "'set' harus objek output -> nilai", "'set' must be an object of output -> value")
        return
    for name, value in values.items():
        spec = OUTPUTS.get(name)
        if spec is None:
            hint = did_you_mean(name, OUTPUTS)
            out.add(f"{path}.{name}", "unknown_output", f"output '{name}' tidak dikenal{hint[0]}",
                    f"unknown output '{name}'{hint[1]}")
        elif spec.stage != stage:
            out.add(f"{path}.{name}", "wrong_stage", f"output '{name}' ditetapkan di tahap '{spec.stage}', bukan '{stage}'",
                    f"output '{name}' is set in stage '{spec.stage}', not '{stage}'")
        else:
            bad = literal_problem(value, spec.type, spec.values)
            if bad:
                out.add(f"{path}.{name}", "type", f"nilai output {bad[0]}", f"output value {bad[1]}")


def _actions(out: _Out, stage: str, actions, path: str) -> None:
    if not isinstance(actions, list) or not actions:
        out.add(path, "shape", "'actions' harus daftar tindakan yang tidak kosong",
                "'actions' must be a non-empty list of actions")
        return
    if stage == "iki_rating":
        out.add(path, "wrong_stage", "tindakan tidak boleh di tahap iki_rating (pakai tahap triggers)",
                "actions are not allowed in stage iki_rating (use the triggers stage)")
    for i, action in enumerate(actions):
        apath = f"{path}[{i}]"
        if not isinstance(action, dict):
            out.add(apath, "shape", "tindakan harus objek {code: ...}", "an action must be an object {code: ...}")
            continue
        for key in action:
            if key not in ACTION_KEYS:
                out.add(f"{apath}.{key}", "unknown_key", f"kunci '{key}' tidak dikenal", f"unknown key '{key}'")
        spec = ACTIONS.get(action.get("code"))
        if spec is None:
            hint = did_you_mean(action.get("code"), ACTIONS)
            out.add(f"{apath}.code", "unknown_action", f"tindakan '{action.get('code')}' tidak ada di katalog{hint[0]}",
                    f"action '{action.get('code')}' is not in the catalogue{hint[1]}")
            continue
        apath = f"{path}[{spec.code}]"
        if "due_days" in action and (not isinstance(action["due_days"], int) or isinstance(action["due_days"], bool)
                                     or not 0 <= action["due_days"] <= 3650):
            out.add(f"{apath}.due_days", "range", "'due_days' harus bilangan bulat 0..3650",
                    "'due_days' must be an integer 0..3650")
        if "owner" in action and action["owner"] not in OWNER_ROLES:
            out.add(f"{apath}.owner", "enum", f"'owner' harus salah satu dari {', '.join(OWNER_ROLES)}",
                    f"'owner' must be one of {', '.join(OWNER_ROLES)}")
        for key in ("note", "legal_basis"):
            if key in action and not isinstance(action[key], str):
                out.add(f"{apath}.{key}", "type", f"'{key}' harus teks", f"'{key}' must be a string")
        params = action.get("params", {})
        if not isinstance(params, dict):
            out.add(f"{apath}.params", "shape", "'params' harus objek", "'params' must be an object")
            continue
        known = {p.name: p for p in spec.params}
        for name in params:
            if name not in known:
                allowed = ", ".join(known) or "-"
                out.add(f"{apath}.params.{name}", "unknown_param",
                        f"parameter '{name}' tidak dikenal untuk {spec.code} (yang ada: {allowed})",
                        f"unknown parameter '{name}' for {spec.code} (known: {allowed})")
        for p in spec.params:
            ppath = f"{apath}.params.{p.name}"
            if p.name not in params:
                if p.required:
                    out.add(ppath, "required", f"parameter '{p.name}' wajib untuk {spec.code}",
                            f"parameter '{p.name}' is required for {spec.code}")
                continue
            value = params[p.name]
            bad = literal_problem(value, p.type, p.values)
            if bad:
                out.add(ppath, "type", f"parameter {bad[0]}", f"parameter {bad[1]}")
            elif is_number(value) and ((p.minimum is not None and value < p.minimum) or
                                       (p.maximum is not None and value > p.maximum)):
                out.add(ppath, "range", f"parameter '{p.name}' harus {p.minimum:g}..{p.maximum:g}",
                        f"parameter '{p.name}' must be {p.minimum:g}..{p.maximum:g}")


def _leaf(out: _Out, stage: str, cond: dict, path: str) -> bool:
    """Check one leaf; True when it is well-formed (so deeper analysis may use it)."""
    for key in cond:
        if key not in ("fact", "op", "value"):
            out.add(f"{path}.{key}", "unknown_key", f"kunci '{key}' tidak dikenal dalam kondisi",
                    f"unknown key '{key}' in a condition")
    fact, op = cond.get("fact"), cond.get("op")
    spec = CATALOGUE.get(fact) if isinstance(fact, str) else None
    if spec is None:
        hint = did_you_mean(fact, CATALOGUE)
        out.add(f"{path}.fact", "unknown_fact", f"fakta '{fact}' tidak ada di katalog{hint[0]}",
                f"fact '{fact}' is not in the catalogue{hint[1]}")
        return False
    if not fact_visible(spec, stage):
        where = ("hanya di tahap iki_rating", "only in stage iki_rating") if spec.scope == "iki" else \
            (f"mulai tahap '{spec.available_from}'", f"from stage '{spec.available_from}' on")
        out.add(f"{path}.fact", "not_available", f"fakta '{fact}' belum tersedia di tahap '{stage}' ({where[0]})",
                f"fact '{fact}' is not available in stage '{stage}' ({where[1]})")
        return False
    if op not in OPERATORS:
        hint = did_you_mean(op, OPERATORS)
        out.add(f"{path}.op", "unknown_op", f"operator '{op}' tidak dikenal ({', '.join(OPERATORS)}){hint[0]}",
                f"unknown operator '{op}' ({', '.join(OPERATORS)}){hint[1]}")
        return False
    if op not in OPERATORS_BY_TYPE[spec.type]:
        allowed = ", ".join(o for o in OPERATORS if o in OPERATORS_BY_TYPE[spec.type])
        out.add(f"{path}.op", "op_type", f"operator '{op}' tidak cocok untuk fakta {spec.type} '{fact}' (pakai: {allowed})",
                f"operator '{op}' does not fit the {spec.type} fact '{fact}' (use: {allowed})")
        return False
    if op == "is_set":
        if "value" in cond:
            out.add(f"{path}.value", "shape", "'is_set' tidak memakai 'value'", "'is_set' takes no 'value'")
            return False
        return True
    if "value" not in cond:
        out.add(f"{path}.value", "required", "'value' wajib diisi", "'value' is required")
        return False
    value = cond["value"]
    if op in ("between", "in"):
        if not isinstance(value, list) or (op == "between" and len(value) != 2) or (op == "in" and not value):
            shape = ("[batas_bawah, batas_atas]", "[low, high]") if op == "between" else ("daftar nilai yang tidak kosong", "a non-empty list of values")
            out.add(f"{path}.value", "shape", f"'{op}' butuh {shape[0]}", f"'{op}' needs {shape[1]}")
            return False
        ok = True
        for i, item in enumerate(value):
            bad = literal_problem(item, spec.type, spec.values)
            if bad:
                out.add(f"{path}.value[{i}]", "type", f"nilai untuk '{fact}' {bad[0]}", f"value for '{fact}' {bad[1]}")
                ok = False
        if ok and op == "between" and value[0] > value[1]:
            out.add(f"{path}.value", "empty_range", f"rentang kosong: {value[0]} > {value[1]}",
                    f"empty range: {value[0]} > {value[1]}")
            return False
        return ok
    bad = literal_problem(value, spec.type, spec.values)
    if bad:
        out.add(f"{path}.value", "type", f"nilai untuk '{fact}' {bad[0]}", f"value for '{fact}' {bad[1]}")
        return False
    return True


def _condition(out: _Out, stage: str, cond, path: str) -> bool:
    if not isinstance(cond, dict):
        out.add(path, "shape", "kondisi harus objek (all/any/not atau fact/op/value)",
                "a condition must be an object (all/any/not or fact/op/value)")
        return False
    kinds = [k for k in ("all", "any", "not", "fact") if k in cond]
    if len(kinds) != 1:
        out.add(path, "shape", "kondisi harus punya tepat satu dari all, any, not atau fact",
                "a condition needs exactly one of all, any, not or fact")
        return False
    kind = kinds[0]
    if kind == "fact":
        return _leaf(out, stage, cond, path)
    if len(cond) != 1:
        out.add(path, "shape", f"'{kind}' tidak boleh disertai kunci lain", f"'{kind}' takes no other keys")
    if kind == "not":
        return _condition(out, stage, cond["not"], f"{path}.not")
    items = cond[kind]
    if not isinstance(items, list) or not items:
        out.add(f"{path}.{kind}", "empty", f"'{kind}' tidak boleh kosong", f"'{kind}' must not be empty")
        return False
    ok = all([_condition(out, stage, c, f"{path}.{kind}[{i}]") for i, c in enumerate(items)])
    if ok and kind == "all":
        _contradiction(out, items, f"{path}.all")
    return ok


def _points(fact: str, leaves: list[dict]) -> list:
    spec = CATALOGUE[fact]
    if spec.type == "enum":
        return list(spec.values)
    if spec.type == "boolean":
        return [True, False]
    literals = []
    for leaf in leaves:
        value = leaf.get("value")
        literals.extend(value if isinstance(value, list) else [] if value is None else [value])
    if spec.type == "string":
        return sorted(set(literals)) + ["\u0000lain"]
    bounds = sorted(set(literals)) or [0]
    points = [bounds[0] - 1, bounds[-1] + 1] + bounds
    points += [(a + b) / 2 for a, b in zip(bounds, bounds[1:])]
    return sorted(set(points))


def _contradiction(out: _Out, items: list, path: str) -> None:
    by_fact: dict[str, list[dict]] = {}
    for c in items:
        if "fact" in c:
            by_fact.setdefault(c["fact"], []).append(c)
    for fact, leaves in by_fact.items():
        if len(leaves) < 2:
            continue
        if not any(all(holds(leaf, {fact: v}) for leaf in leaves) for v in _points(fact, leaves)):
            out.add(path, "contradiction",
                    f"kondisi bertentangan, tidak pernah benar: {' dan '.join(render(c, 'id') for c in leaves)}",
                    f"contradictory conditions, never true: {' and '.join(render(c, 'en') for c in leaves)}")


def _table(out: _Out, stage: str, table, path: str) -> None:
    if not isinstance(table, dict):
        out.add(path, "shape", "'table' harus objek {hit_policy, inputs, rows}",
                "'table' must be an object {hit_policy, inputs, rows}")
        return
    for key in table:
        if key not in TABLE_KEYS:
            hint = did_you_mean(key, TABLE_KEYS)
            out.add(f"{path}.{key}", "unknown_key", f"kunci '{key}' tidak dikenal{hint[0]}", f"unknown key '{key}'{hint[1]}")
    policy = table.get("hit_policy", "first")
    if policy not in HIT_POLICIES:
        hint = did_you_mean(policy, HIT_POLICIES)
        out.add(f"{path}.hit_policy", "enum", f"hit_policy harus first, unique atau collect{hint[0]}",
                f"hit_policy must be first, unique or collect{hint[1]}")
        return
    inputs, rows = table.get("inputs"), table.get("rows")
    if not isinstance(inputs, list) or not inputs or not all(isinstance(i, str) for i in inputs):
        out.add(f"{path}.inputs", "shape", "'inputs' harus daftar id fakta yang tidak kosong",
                "'inputs' must be a non-empty list of fact ids")
        return
    inputs_ok = True
    for i, fact in enumerate(inputs):
        spec = CATALOGUE.get(fact)
        if spec is None:
            hint = did_you_mean(fact, CATALOGUE)
            out.add(f"{path}.inputs[{i}]", "unknown_fact", f"fakta '{fact}' tidak ada di katalog{hint[0]}",
                    f"fact '{fact}' is not in the catalogue{hint[1]}")
            inputs_ok = False
        elif not fact_visible(spec, stage):
            out.add(f"{path}.inputs[{i}]", "not_available", f"fakta '{fact}' belum tersedia di tahap '{stage}'",
                    f"fact '{fact}' is not available in stage '{stage}'")
            inputs_ok = False
    if not isinstance(rows, list):
        out.add(f"{path}.rows", "shape", "'rows' harus daftar baris", "'rows' must be a list of rows")
        return
    if not rows:
        out.add(f"{path}.rows", "empty", "tabel harus punya baris", "the table needs rows")
        return
    parsed: list[tuple[str, list[dict | None], dict]] = []
    row_ids: set[str] = set()
    for r, row in enumerate(rows):
        rpath = f"{path}.rows[{r}]"
        if not isinstance(row, dict):
            out.add(rpath, "shape", "baris harus objek {id, when, set|actions}", "a row must be an object {id, when, set|actions}")
            continue
        rid = row.get("id")
        if isinstance(rid, str) and ID_RE.match(rid) and rid not in row_ids:
            row_ids.add(rid)
            rpath = f"{path}.rows[{rid}]"
        else:
            out.add(f"{rpath}.id", "id", "id baris wajib dan unik (huruf kecil, angka, _ atau -)",
                    "a row id is required and unique (lowercase letters, digits, _ or -)")
        for key in row:
            if key not in ROW_KEYS:
                out.add(f"{rpath}.{key}", "unknown_key", f"kunci '{key}' tidak dikenal", f"unknown key '{key}'")
        _effects(out, stage, row, rpath)
        cells = row.get("when")
        if not isinstance(cells, list) or len(cells) != len(inputs):
            out.add(f"{rpath}.when", "shape", f"'when' harus daftar {len(inputs)} sel (satu per input; '-' = bebas)",
                    f"'when' must be a list of {len(inputs)} cells (one per input; '-' = any)")
            continue
        if not inputs_ok:
            continue
        leaves, ok = [], True
        for c, (fact, cell) in enumerate(zip(inputs, cells)):
            leaf = cell_condition(fact, cell)
            if leaf is not None and not _leaf(out, stage, leaf, f"{rpath}.when[{c}]"):
                ok = False
            leaves.append(leaf)
        if ok:
            parsed.append((rpath, leaves, row.get("set") or {}))
    if inputs_ok and len(parsed) == sum(1 for r in rows if isinstance(r, dict)):
        _table_coverage(out, table, policy, inputs, parsed, path)


def _table_coverage(out: _Out, table: dict, policy: str, inputs: list[str], parsed: list, path: str) -> None:
    per_input = [_points(f, [lv[i] for _, lv, _ in parsed if lv[i] is not None]) for i, f in enumerate(inputs)]
    total = 1
    for points in per_input:
        total *= len(points)
    if total > MAX_SAMPLES:
        return
    matched_by: list[list[int]] = []
    samples = list(itertools.product(*per_input))
    for combo in samples:
        facts = dict(zip(inputs, combo))
        matched_by.append([i for i, (_, leaves, _) in enumerate(parsed)
                           if all(holds(lf, facts) for lf in leaves if lf is not None)])
    decides = any(s for _, _, s in parsed)
    if decides and policy != "collect" and not table.get("allow_gaps", False):
        gaps = [combo for combo, rows in zip(samples, matched_by) if not rows]
        for combo in gaps[:10]:
            where = ", ".join(f"{f}={v}" for f, v in zip(inputs, combo))
            out.add(f"{path}.rows", "gap", f"tidak ada baris untuk kombinasi {where}",
                    f"no row covers the combination {where}")
        if len(gaps) > 10:
            out.add(f"{path}.rows", "gap", f"... dan {len(gaps) - 10} kombinasi lain tanpa baris",
                    f"... and {len(gaps) - 10} more uncovered combinations")
    if policy == "first":
        for i, (rpath, _, _) in enumerate(parsed):
            mine = [rows for rows in matched_by if i in rows]
            if not mine:
                out.add(rpath, "unreachable", "baris ini tidak pernah cocok", "this row can never match")
            elif all(rows[0] < i for rows in mine):
                earlier = parsed[min(rows[0] for rows in mine)][0].rsplit("[", 1)[-1].rstrip("]")
                out.add(rpath, "shadowed", f"baris ini tertutup oleh baris sebelumnya (mis. '{earlier}'): tidak pernah terpakai dengan hit_policy first",
                        f"this row is shadowed by earlier rows (e.g. '{earlier}'): never used with hit_policy first")
    else:
        reported: set[tuple[int, int]] = set()
        for combo, rows in zip(samples, matched_by):
            for a, b in itertools.combinations(rows, 2):
                if (a, b) in reported:
                    continue
                conflict = {k for k in parsed[a][2] if k in parsed[b][2] and parsed[a][2][k] != parsed[b][2][k]}
                if policy == "unique" or conflict:
                    reported.add((a, b))
                    where = ", ".join(f"{f}={v}" for f, v in zip(inputs, combo))
                    name_b = parsed[b][0].rsplit("[", 1)[-1].rstrip("]")
                    out.add(parsed[a][0], "overlap",
                            f"baris ini tumpang tindih dengan baris '{name_b}' (mis. {where})"
                            + (f" dan menetapkan {', '.join(sorted(conflict))} berbeda" if conflict else ""),
                            f"this row overlaps row '{name_b}' (e.g. {where})"
                            + (f" and sets {', '.join(sorted(conflict))} differently" if conflict else ""))
