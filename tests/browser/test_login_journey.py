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
