"""SIASN export files for the import tests: the columns of a real export (with some the import ignores), as CSV or
XLSX bytes."""
from __future__ import annotations

import io

from openpyxl import Workbook

HEADER = ["PNS ID", "NIP BARU", "NAMA", "GELAR DEPAN", "GELAR BELAKANG", "JABATAN NAMA", "JENIS JABATAN NAMA",
          "ESELON", "GOL AKHIR NAMA", "UNOR ID", "UNOR NAMA", "ATASAN NIP"]


def siasn_csv(rows, header=HEADER, delimiter=";") -> bytes:
    """A UTF-8 CSV file with a BOM, as Excel saves one."""
    lines = [delimiter.join(header)] + [delimiter.join(str(v) for v in row) for row in rows]
    return ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")


def siasn_xlsx(rows, header=HEADER) -> bytes:
    """An XLSX workbook whose first sheet holds the header and the rows."""
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
