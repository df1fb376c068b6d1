"""Tables as files to download (CSV or XLSX), with cells a spreadsheet program will not run as formulas."""
from __future__ import annotations

import csv
import io
import re
from typing import Iterable, Sequence
from urllib.parse import quote

from flask import Response

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: the control characters XML 1.0 cannot hold (openpyxl refuses a cell with one: IllegalCharacterError)
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010\013\014\016-\037]")


def safe_cell(value):
    """A cell as text a spreadsheet shows as typed: a leading =, +, -, @ or control character is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def attachment(filename: str) -> str:
    """A Content-Disposition value for a download named `filename`: an ASCII name for every browser, and the name
    as typed (RFC 6266 filename*) where it holds other characters. A header may only hold Latin-1: a daerah code in
    another script made the server answer its bare 500."""
    plain = re.sub(r"[^A-Za-z0-9._-]", "_", filename)
    if plain == filename:
        return f'attachment; filename="{plain}"'
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _xlsx_cell(value):
    """A cell openpyxl can write: control characters (which XML cannot hold) dropped, then as safe_cell."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return safe_cell(value)


def table_download(name: str, fmt: str, header: Sequence | None, rows: Iterable[Sequence],
                   sheet: str = "data") -> Response:
    """`rows` (after `header`, if any) as `name`.csv (UTF-8 with a byte-order mark, so spreadsheet programs read
    it right) or `name`.xlsx (written row by row: 50,000 rows take a few seconds)."""
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        if header is not None:
            writer.writerow(header)
        writer.writerows([safe_cell(c) for c in row] for row in rows)
        response = Response("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        page = book.create_sheet(sheet)
        if header is not None:
            page.append(header)
        for row in rows:
            page.append([_xlsx_cell(c) for c in row])
        data = io.BytesIO()
        book.save(data)
        response = Response(data.getvalue(), content_type=XLSX)
    response.headers["Content-Disposition"] = attachment(f"{name}.{fmt}")
    return response
