"""XLSX export and import of a rule version: lossless (hit policy, types, ids and order), broken files refused."""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from engine.runtime import content_hash, load_pack
from engine.runtime.errors import ValidationFailed
from rules.packs import DAERAH_PACKS, NASIONAL, PACKS_DIR, split_pack
from rules.xlsx import export_xlsx, import_xlsx


def _parts():
    base = load_pack(NASIONAL, PACKS_DIR)
    for name in (NASIONAL, *DAERAH_PACKS):
        doc = load_pack(name, PACKS_DIR)
        yield f"{name}", doc
        for kind, part in split_pack(doc, None if name == NASIONAL else base).items():
            yield f"{name}-{kind}", part


@pytest.mark.parametrize(("name", "doc"), list(_parts()), ids=[n for n, _ in _parts()])
def test_every_shipped_pack_round_trips(name, doc):
    back = import_xlsx(export_xlsx(doc, name))
    assert content_hash(back) == content_hash(doc)
    assert back == doc  # order of rules and rows too


def test_types_and_odd_texts_survive():
    doc = {"pack": "x", "version": "110", "contoh": False, "note": "", "legal_basis": "=SUM(A1)", "title": " spasi ",
           "x_float": 110.0, "x_list": [1, "2", None, True, 2.5], "x_text": "true",
           "stages": {"triggers": {"remove": ["a"]},
                      "skor": {"rules": [{"id": "t", "label": "<b>x</b>\nbaris", "table": {
                          "hit_policy": "unique", "inputs": ["predikat", "tahun_berturut_sangat_baik"], "extra": 1,
                          "rows": [{"id": "r1", "when": [{"op": "in", "value": ["baik"]}, "-"], "set": {"skor": 2.0}},
                                   {"id": "r2", "when": ["sangat_baik", 3], "set": {"skor": 3}, "note": "-"}]},
                          "before": "u"}]}}}
    back = import_xlsx(export_xlsx(doc))
    assert back == doc and content_hash(back) == content_hash(doc)
    assert isinstance(back["x_float"], float) and back["version"] == "110" and back["x_text"] == "true"


def test_a_malformed_draft_is_kept_whole():
    for doc in ({"pack": 3, "stages": [1]}, {"stages": {"skor": {"rules": ["not a rule"]}}}):
        assert import_xlsx(export_xlsx(doc)) == doc


def test_an_edit_in_excel_is_read_back():
    doc = load_pack(NASIONAL, PACKS_DIR)
    wb = load_workbook(io.BytesIO(export_xlsx(doc)))
    sheet = wb["aturan"]
    for row in sheet.iter_rows(min_row=2):
        if row[1].value == "iki_di_atas":
            row[3].value = '{"fact": "iki.capaian", "op": ">=", "value": 120}'
    table = next(wb[n] for n in wb.sheetnames if n.startswith("tabel_") and wb[n]["B1"].value == "matriks_predikat")
    assert table["B2"].value == "first"
    out = io.BytesIO()
    wb.save(out)
    back = import_xlsx(out.getvalue())
    rule = next(r for r in back["stages"]["iki_rating"]["rules"] if r["id"] == "iki_di_atas")
    assert rule["when"]["value"] == 120
    assert back["stages"]["predikat"]["rules"][0]["table"]["hit_policy"] == "first"


@pytest.mark.parametrize("data", [b"", b"not a zip", b"PK\x03\x04 broken"])
def test_a_broken_file_is_refused(data):
    with pytest.raises(ValidationFailed) as error:
        import_xlsx(data)
    assert error.value.field == "file" and "xlsx" in error.value.message_en.lower()


def test_bad_json_in_a_cell_is_located():
    wb = load_workbook(io.BytesIO(export_xlsx(load_pack(NASIONAL, PACKS_DIR))))
    wb["aturan"]["D2"].value = "{rusak"
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(ValidationFailed) as error:
        import_xlsx(out.getvalue())
    assert error.value.problems[0].path == "aturan!D2"


def test_a_workbook_without_the_sheets_is_refused():
    from openpyxl import Workbook
    out = io.BytesIO()
    Workbook().save(out)
    with pytest.raises(ValidationFailed) as error:
        import_xlsx(out.getvalue())
    assert "dokumen" in error.value.message_id
