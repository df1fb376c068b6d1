"""HR of Kemuning imports new pegawai from a SIASN export in the console, in Chromium: a file with a mistake is
shown back row by row with nothing stored; the corrected file passes the check, then is imported."""
from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot, sign_in
from tests.factories import valid_nip
from tests.siasn_files import siasn_csv

pytestmark = pytest.mark.browser

HEAD, NURSE = valid_nip(7101), valid_nip(7102)


def _rows(golongan: str) -> list[list]:
    return [["k1", HEAD, "Ratna Sari", "", "S.K.M.", "Kepala Seksi Surveilans", "Struktural", "IV.a", "III/d",
             "dinkes", "", ""],
            ["k2", NURSE, "Yusuf Hamid", "", "A.Md.Kep.", "Perawat Terampil", "Fungsional Tertentu", "", golongan,
             "pkm-kemuning-1", "", HEAD]]


def _choose(page, golongan: str) -> None:
    page.set_input_files("#file", files=[{"name": "siasn-kemuning.csv", "mimeType": "text/csv",
                                          "buffer": siasn_csv(_rows(golongan))}])


def test_hr_checks_a_siasn_file_fixes_it_and_imports_it(page):
    sign_in(page, "hr.kemuning")
    page.goto("/admin/pegawai/")
    page.click("#pegawai-import")
    page.wait_for_url("**/admin/pegawai/import/")
    assert page.locator("#import-daerah").inner_text() == "Kabupaten Kemuning"

    _choose(page, "Pengatur (II/x)")
    page.click("#import-check")
    problems = page.locator("#import-problems tbody tr")
    problems.first.wait_for()
    assert "Tidak ada yang disimpan" in page.locator("#import-error").inner_text()
    assert page.locator("#import-filename").inner_text() == "Berkas: siasn-kemuning.csv"
    assert problems.all_inner_texts() == ["3\tGOL AKHIR NAMA\tgolongan 'Pengatur (II/x)' tidak dikenal (contoh: III/a)"]
    screenshot(page, "04-impor-siasn-salah")

    _choose(page, "Pengatur (II/c)")
    page.click("#import-check")
    checked = page.locator("#import-checked")
    checked.wait_for()
    assert "2 baris: 2 pegawai baru, 0 diubah, 0 tanpa perubahan, 0 unit kerja baru." in checked.inner_text()

    _choose(page, "Pengatur (II/c)")
    page.click("#import-run")
    page.wait_for_url("**/admin/pegawai/")
    assert "Impor Kabupaten Kemuning selesai. 2 baris: 2 pegawai baru" in page.locator(".alert-success").inner_text()
    screenshot(page, "05-impor-siasn-berhasil")
    page.fill("input[name=search]", "Yusuf Hamid")
    page.keyboard.press("Enter")
    row = page.locator("table.model-list tbody tr")
    row.first.wait_for()
    assert row.count() == 1 and "Ratna Sari, S.K.M." in row.inner_text() and NURSE in row.inner_text()
