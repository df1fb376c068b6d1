"""A user signs in through the real login page and sees their dashboard, in Chromium."""
from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def _login(page, username: str, password: str = "kinerja-demo") -> None:
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button[type=submit]")


def test_hr_signs_in_and_sees_the_dashboard(page):
    page.goto("/admin/")
    assert "/login" in page.url
    assert page.locator("h1").inner_text() == "Kinerja"
    screenshot(page, "01-login")
    _login(page, "hr.palu")
    page.wait_for_url("**/admin/")
    assert "Selamat datang" in page.locator("#welcome").inner_text()
    assert page.locator('[data-role="hr"]').is_visible()
    assert int(page.locator('[data-count="pegawai"]').inner_text()) >= 60
    screenshot(page, "02-beranda-hr")
    page.click("text=Pegawai")
    page.wait_for_url("**/admin/pegawai/**")
    assert page.locator("table.model-list tbody tr").count() == 20
    screenshot(page, "03-daftar-pegawai")
    page.click("#logout")
    page.wait_for_url("**/login")


def test_wrong_password_shows_one_message(page):
    _login(page, "hr.palu", "salah")
    assert page.locator("#login-error").inner_text() == "Nama pengguna atau kata sandi salah."


def test_pegawai_sees_own_record_and_switches_to_english(page):
    _login(page, "pegawai.bantul")
    page.wait_for_url("**/admin/")
    assert "198801282014012002" in page.locator("#my-record").inner_text()
    page.click("#lang-switch")
    assert "Welcome" in page.locator("#welcome").inner_text()


def _pick_atasan(page, typed: str, label: str | None = None) -> list[str]:
    """Open the atasan picker, type, and choose `label` (or nothing); the labels offered."""
    page.click("#s2id_atasan a.select2-choice")
    page.keyboard.type(typed)
    results = page.locator(".select2-drop-active .select2-result-label")
    results.first.wait_for()
    labels = results.all_inner_texts()
    if label is not None:
        results.filter(has_text=label).first.click()
    return labels


def test_hr_picks_an_atasan_by_typing_part_of_a_name(page):
    """The atasan is searched as one types (the form no longer lists every pegawai of the daerah)."""
    _login(page, "hr.palu")
    page.wait_for_url("**/admin/")
    page.goto("/admin/pegawai/")
    page.locator("table.model-list tbody tr a[href*='/edit/']").first.click()
    page.wait_for_url("**/admin/pegawai/edit/**")
    edit, name = page.url, page.locator("#name").input_value()
    assert page.locator("#atasan option").count() == 0  # nothing listed up front
    original = page.locator("#s2id_atasan .select2-chosen").inner_text()
    labels = _pick_atasan(page, "an")
    assert labels and all("an" in text.lower() for text in labels)  # names hold the letters typed (NIPs none)
    choice = next(text for text in labels if text != original and not text.startswith(name + " ("))
    page.keyboard.press("Escape")
    _pick_atasan(page, choice.split(" (")[0], choice)
    page.click("input[type=submit][value='Simpan']")
    page.wait_for_url("**/admin/pegawai/**")
    page.goto(edit)
    assert page.locator("#s2id_atasan .select2-chosen").inner_text() == choice
    if " (" in original:  # put the demo back as it was
        _pick_atasan(page, original.split(" (")[0], original)
        page.click("input[type=submit][value='Simpan']")
        page.wait_for_url("**/admin/pegawai/**")
