"""HR of Pontianak gives every pegawai a login at once and downloads the activation codes; a pegawai activates
their account with NIP and code, chooses a password and lands on their own page, in Chromium."""
from __future__ import annotations

import csv
import io

import pytest

from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.browser


def test_hr_creates_accounts_and_a_pegawai_activates_theirs(page):
    sign_in(page, "hr.pontianak")
    page.click("text=Akun pegawai")
    page.wait_for_url("**/admin/akun/")
    without = int(page.locator("#accounts-without").get_attribute("data-count"))
    assert without >= 50, "the demo gives logins to a few pegawai only"
    screenshot(page, "06-akun-pegawai")
    with page.expect_download() as download:
        page.click("#accounts-create-button")
    assert download.value.suggested_filename == "kode-aktivasi-pontianak.csv"
    with open(download.value.path(), encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(io.StringIO(handle.read()), delimiter=";"))
    assert len(rows) == without
    first = rows[0]
    page.reload()
    assert page.locator("#accounts-without").get_attribute("data-count") == "0"
    page.click("#logout")
    page.wait_for_url("**/login")

    page.click("#activation-link")
    page.wait_for_url("**/aktivasi")
    page.fill("#username", first["NIP"])
    page.fill("#code", first["Kode aktivasi"])
    page.fill("#new_password", "Kinerja-Pontianak-2026")
    page.fill("#confirm_password", "Kinerja-Pontianak-2027")
    page.click("#activate")
    assert page.locator('[data-error-for="confirm_password"]').inner_text() == "Ulangan kata sandi tidak sama."
    page.fill("#code", first["Kode aktivasi"])
    page.fill("#new_password", "Kinerja-Pontianak-2026")
    page.fill("#confirm_password", "Kinerja-Pontianak-2026")
    page.click("#activate")
    page.wait_for_url("**/admin/")
    assert "Akun aktif." in page.locator(".alert-success").inner_text()
    assert page.locator("#current-user").inner_text() == first["Nama"]
    screenshot(page, "07-akun-aktif")
