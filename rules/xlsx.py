"""A rule version as an Excel workbook (openpyxl), losslessly: export -> import gives the same content hash.

Sheets: ``petunjuk`` (how to read and edit), ``dokumen`` (top-level keys), ``tahap`` (stage keys other than
rules), ``aturan`` (one line per rule, in order) and one ``tabel_N`` sheet per decision table (hit policy, inputs,
one line per row). Each cell holds one value: a plain number, TRUE/FALSE, text, or JSON for lists and objects;
text that would read as something else (``"110"``, ``"true"``, a leading ``=``) is written as a JSON string, and an
empty cell means "key absent". Column headings are only labels: import reads columns by position.
"""
from __future__ import annotations

import io
import json
import zipfile

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill

from engine.runtime.conditions import render
from engine.runtime.errors import Problem, ValidationFailed

MAX_BYTES = 2 * 1024 * 1024            #: largest upload accepted
MAX_UNPACKED = 40 * 1024 * 1024        #: largest total size of the zip members (zip bombs)
RULE_COLUMNS = ("tahap", "id", "label", "when", "otherwise", "table", "set", "actions", "note", "legal_basis",
                "lainnya", "dibaca")
ROW_COLUMNS = ("id", "set", "actions", "note", "legal_basis", "lainnya")
_HEAD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_JSONISH = ("{", "[", '"')

HELP = [
    ("Petunjuk", "Guide"),
    ("Berkas ini adalah satu versi aturan Kinerja. Impor kembali lewat konsol (Aturan > Impor) menjadi draf baru.",
     "This file is one Kinerja rule version. Import it back in the console (Rules > Import) as a new draft."),
    ("Lembar 'aturan': satu baris per aturan, berurutan. Lembar 'tabel_N': tabel keputusan (kolom: id baris, satu "
     "kolom per input, lalu set, actions, note, legal_basis).",
     "Sheet 'aturan': one line per rule, in order. Sheets 'tabel_N': decision tables (columns: row id, one column "
     "per input, then set, actions, note, legal_basis)."),
    ("Isi sel: angka biasa, TRUE/FALSE, teks, atau JSON untuk daftar dan objek. Sel kosong berarti kunci tidak ada. "
     "Teks yang mirip angka ditulis dalam tanda kutip, mis. \"110\".",
     "Cells: plain numbers, TRUE/FALSE, text, or JSON for lists and objects. An empty cell means the key is absent. "
     "Text that looks like a number is quoted, e.g. \"110\"."),
    ("Sel tabel: '-' berarti nilai apa saja; nilai biasa berarti sama dengan; {\"op\": \"between\", \"value\": [3, 5]} "
     "untuk operator lain. Kolom 'dibaca' hanya untuk dibaca dan diabaikan saat impor.",
     "Table cells: '-' means any value; a plain value means equal to; {\"op\": \"between\", \"value\": [3, 5]} for "
     "other operators. The 'dibaca' column is for reading only and ignored on import."),
]


# --- cell encoding -------------------------------------------------------------------------------------------------
def _encode(value):
    """One JSON value as a cell value (see the module docstring)."""
    if value is None:
        return "null"
    if isinstance(value, bool) or isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if not value.is_integer() else json.dumps(value)  # 110.0 stays a float on the way back
    if isinstance(value, str):
        if value == "" or value != value.strip() or value.startswith(("=", *_JSONISH)) or \
                any(ord(ch) < 32 for ch in value):
            return json.dumps(value, ensure_ascii=False)
        try:
            json.loads(value)
        except ValueError:
            return value
        return json.dumps(value, ensure_ascii=False)  # "110", "true", "null": would read back as another type
    return json.dumps(value, ensure_ascii=False)


class _Absent:
    pass


ABSENT = _Absent()


def _decode(value, where: str, problems: list[Problem]):
    """A cell value back to a JSON value; ABSENT for an empty cell."""
    if value is None:
        return ABSENT
    if isinstance(value, bool) or isinstance(value, (int, float)):
        return value
    text = value if isinstance(value, str) else str(value)  # a date typed into a cell becomes its text
    if text == "":
        return ABSENT
    try:
        return json.loads(text)
    except ValueError:
        if text.lstrip().startswith(_JSONISH):
            problems.append(Problem("not_json", where, f"{where}: JSON tidak sah: {text[:60]}",
                                    f"{where}: invalid JSON: {text[:60]}"))
        return text


def _head(ws, names) -> None:
    ws.append(list(names))
    for cell in ws[ws.max_row]:
        cell.font, cell.fill = _HEAD, _HEAD_FILL


# --- export --------------------------------------------------------------------------------------------------------
def _table_ok(table) -> bool:
    return (isinstance(table, dict) and isinstance(table.get("inputs"), list) and isinstance(table.get("rows"), list)
            and all(isinstance(r, dict) and isinstance(r.get("when"), list) and len(r["when"]) == len(table["inputs"])
                    for r in table["rows"]))


def _structured(doc) -> bool:
    if not isinstance(doc, dict) or not isinstance(doc.get("stages"), dict):
        return False
    return all(isinstance(body, dict) and isinstance(body.get("rules", []), list)
               and all(isinstance(r, dict) for r in body.get("rules", [])) for body in doc["stages"].values())


def _readable(rule: dict) -> str:
    try:
        if "table" in rule:
            return "tabel keputusan / decision table"
        if "otherwise" in rule:
            return "selain itu / otherwise"
        return render(rule.get("when"), "id")
    except (AttributeError, KeyError, TypeError):
        return ""


def export_xlsx(doc: dict, title: str = "") -> bytes:
    """The document as an .xlsx workbook (bytes)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "petunjuk"
    if title:
        ws.append([title])
        ws["A1"].font = Font(bold=True, size=13)
    for id_text, en_text in HELP:
        ws.append([id_text, en_text])
    ws.column_dimensions["A"].width = ws.column_dimensions["B"].width = 90
    for row in ws.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    meta = wb.create_sheet("dokumen")
    _head(meta, ("kunci / key", "nilai / value"))
    if not _structured(doc):
        meta.append(["$json", json.dumps(doc, ensure_ascii=False)])  # a malformed draft: kept whole
        return _save(wb)
    for key, value in doc.items():
        if key != "stages":
            meta.append([key, _encode(value)])
    meta.column_dimensions["A"].width, meta.column_dimensions["B"].width = 18, 100

    stages = wb.create_sheet("tahap")
    _head(stages, ("tahap / stage", "punya rules / has rules", "lainnya / other keys (JSON)"))
    rules = wb.create_sheet("aturan")
    _head(rules, RULE_COLUMNS)
    tables = 0
    for stage, body in doc["stages"].items():
        rest = {k: v for k, v in body.items() if k != "rules"}
        stages.append([stage, "rules" in body, _encode(rest) if rest else None])
        for rule in body.get("rules", []):
            line = [stage]
            for key in RULE_COLUMNS[1:10]:
                if key not in rule:
                    line.append(None)
                elif key == "table" and _table_ok(rule["table"]):
                    tables += 1
                    name = f"tabel_{tables}"
                    _table_sheet(wb.create_sheet(name), rule)
                    line.append(name)
                else:
                    line.append(_encode(rule[key]))
            rest = {k: v for k, v in rule.items() if k not in RULE_COLUMNS}
            line.append(_encode(rest) if rest else None)
            line.append(_readable(rule))
            rules.append(line)
    for col, width in zip("ABCDEFGHIJKL", (12, 24, 24, 60, 10, 12, 30, 50, 40, 30, 20, 60)):
        rules.column_dimensions[col].width = width
    return _save(wb)


def _table_sheet(ws, rule: dict) -> None:
    table = rule["table"]
    ws.append(["aturan / rule", _encode(rule.get("id"))])
    for key in ("hit_policy", "allow_gaps"):
        ws.append([key, _encode(table[key]) if key in table else None])
    rest = {k: v for k, v in table.items() if k not in ("hit_policy", "allow_gaps", "inputs", "rows")}
    ws.append(["lainnya", _encode(rest) if rest else None])
    ws.append(["inputs", *[_encode(i) for i in table["inputs"]]])
    ws.append([])
    n = len(table["inputs"])
    _head(ws, ("id", *[f"input {i + 1}" for i in range(n)], *ROW_COLUMNS[1:]))
    for row in table["rows"]:
        line = [_encode(row["id"]) if "id" in row else None, *[_encode(c) for c in row["when"]]]
        for key in ROW_COLUMNS[1:5]:
            line.append(_encode(row[key]) if key in row else None)
        rest = {k: v for k, v in row.items() if k not in ROW_COLUMNS and k != "when"}
        line.append(_encode(rest) if rest else None)
        ws.append(line)
    ws.column_dimensions["A"].width = 16


def _save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- import --------------------------------------------------------------------------------------------------------
def _fail(problems: list[Problem]) -> None:
    raise ValidationFailed(f"Berkas Excel tidak dapat dibaca: {problems[0].message_id}",
                           f"The Excel file cannot be read: {problems[0].message_en}", code="bad_xlsx",
                           field="file", problems=problems)


def _problem(where: str, msg_id: str, msg_en: str) -> Problem:
    return Problem("bad_xlsx", where, msg_id, msg_en)


def _open(data: bytes):
    if len(data) > MAX_BYTES:
        _fail([_problem("$", f"berkas lebih dari {MAX_BYTES // 1024 // 1024} MB",
                        f"the file is larger than {MAX_BYTES // 1024 // 1024} MB")])
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
                _fail([_problem("$", "isi berkas terlalu besar", "the file unpacks too large")])
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ValidationFailed:
        raise
    except Exception:  # openpyxl raises many types (zip, XML, KeyError) for a file that is not a workbook
        _fail([_problem("$", "bukan berkas Excel (.xlsx) yang sah", "not a valid Excel (.xlsx) file")])


def _rows(ws) -> list[list]:
    rows = []
    for row in ws.iter_rows(values_only=True):
        values = list(row)
        while values and values[-1] in (None, ""):
            values.pop()
        rows.append(values)
    return rows


def _cell(row: list, index: int):
    return row[index] if index < len(row) else None


def import_xlsx(data: bytes) -> dict:
    """A rule document from a workbook written by `export_xlsx` (and possibly edited); raise ValidationFailed."""
    wb = _open(data)
    try:
        names = wb.sheetnames
        if "dokumen" not in names:
            _fail([_problem("dokumen", "lembar 'dokumen' tidak ada", "the sheet 'dokumen' is missing")])
        problems: list[Problem] = []
        doc: dict = {}
        for i, row in enumerate(_rows(wb["dokumen"])[1:], start=2):
            key = _cell(row, 0)
            if key in (None, ""):
                continue
            value = _decode(_cell(row, 1), f"dokumen!B{i}", problems)
            if key == "$json":
                return value if value is not ABSENT else {}
            if value is not ABSENT:
                doc[str(key)] = value
        if "aturan" not in names or "tahap" not in names:
            _fail([_problem("aturan", "lembar 'tahap' atau 'aturan' tidak ada", "sheet 'tahap' or 'aturan' is missing")])
        stages: dict = {}
        has_rules: dict[str, bool] = {}
        for i, row in enumerate(_rows(wb["tahap"])[1:], start=2):
            stage = _cell(row, 0)
            if stage in (None, ""):
                continue
            stage = str(stage)
            rest = _decode(_cell(row, 2), f"tahap!C{i}", problems)
            body = rest if isinstance(rest, dict) else {}
            if rest is not ABSENT and not isinstance(rest, dict):
                problems.append(_problem(f"tahap!C{i}", "harus objek JSON", "must be a JSON object"))
            has_rules[stage] = _cell(row, 1) is not False
            stages[stage] = {"rules": [], **body} if has_rules[stage] else dict(body)
        for i, row in enumerate(_rows(wb["aturan"])[1:], start=2):
            if not row:
                continue
            stage = str(_cell(row, 0) or "")
            if stage not in stages:
                problems.append(_problem(f"aturan!A{i}", f"tahap '{stage}' tidak ada di lembar 'tahap'",
                                         f"stage '{stage}' is not in the sheet 'tahap'"))
                continue
            rule: dict = {}
            for c, key in enumerate(RULE_COLUMNS[1:10], start=1):
                raw = _cell(row, c)
                if key == "table" and isinstance(raw, str) and raw in names and raw.startswith("tabel_"):
                    rule["table"] = _read_table(wb[raw], raw, problems)
                    continue
                value = _decode(raw, f"aturan!{'ABCDEFGHIJKL'[c]}{i}", problems)
                if value is not ABSENT:
                    rule[key] = value
            rest = _decode(_cell(row, 10), f"aturan!K{i}", problems)
            if isinstance(rest, dict):
                rule.update(rest)
            elif rest is not ABSENT:
                problems.append(_problem(f"aturan!K{i}", "harus objek JSON", "must be a JSON object"))
            stages[stage].setdefault("rules", []).append(rule)
        if problems:
            _fail(problems)
        doc["stages"] = stages
        return doc
    finally:
        wb.close()


def _read_table(ws, name: str, problems: list[Problem]) -> dict:
    rows = _rows(ws)
    table: dict = {}
    index = 1
    while index < len(rows) and _cell(rows[index], 0) in ("hit_policy", "allow_gaps", "lainnya"):
        key = rows[index][0]
        value = _decode(_cell(rows[index], 1), f"{name}!B{index + 1}", problems)
        if key == "lainnya":
            if isinstance(value, dict):
                table.update(value)
            elif value is not ABSENT:
                problems.append(_problem(f"{name}!B{index + 1}", "harus objek JSON", "must be a JSON object"))
        elif value is not ABSENT:
            table[key] = value
        index += 1
    if index >= len(rows) or _cell(rows[index], 0) != "inputs":
        problems.append(_problem(f"{name}!A{index + 1}", "baris 'inputs' tidak ditemukan", "the 'inputs' line is missing"))
        return table
    inputs = [_decode(v, f"{name}!{index + 1}", problems) for v in rows[index][1:]]
    table["inputs"] = [v for v in inputs if v is not ABSENT]
    n = len(table["inputs"])
    table["rows"] = []
    for r, line in enumerate(rows[index + 3:], start=index + 4):
        if not line:
            continue
        row: dict = {}
        value = _decode(_cell(line, 0), f"{name}!A{r}", problems)
        if value is not ABSENT:
            row["id"] = value
        cells = []
        for c in range(1, n + 1):
            cell = _decode(_cell(line, c), f"{name}!R{r}C{c + 1}", problems)
            cells.append("-" if cell is ABSENT else cell)
        row["when"] = cells
        for c, key in enumerate(ROW_COLUMNS[1:5], start=n + 1):
            value = _decode(_cell(line, c), f"{name}!R{r}C{c + 1}", problems)
            if value is not ABSENT:
                row[key] = value
        rest = _decode(_cell(line, n + 5), f"{name}!R{r}C{n + 6}", problems)
        if isinstance(rest, dict):
            row.update(rest)
        table["rows"].append(row)
    return table
