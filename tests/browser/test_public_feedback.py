"""Transparency end to end in Chromium: HR opens a unit's satisfaction form, a citizen rates the service without
logging in, HR approves the comment and sees the month's responses, HR publishes the year's report, and the public
reads it in Indonesian and English, as CSV and in print layout; nothing is requested from outside the server."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.browser
COMMENT = "Perekaman KTP-el cepat, petugas ramah."
FORM = "/publik/palangkaraya/survei/disdukcapil"
YEAR = dt.date.today().year - 1  # the year the live server's lifecycle demo closed for palangkaraya


@pytest.fixture
def citizen(browser, live_server):
    """A second, anonymous visitor (own cookies) that also refuses every request leaving the server."""
    context = browser.new_context(locale="id-ID", base_url=live_server, viewport={"width": 412, "height": 915})
    outside: list[str] = []

    def guard(route):
        if route.request.url.startswith(live_server):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    yield context.new_page()
    context.close()
    assert outside == [], f"the public pages requested outside the server: {outside}"


def _answer(page) -> str:
    a, b = re.search(r"(\d+) \+ (\d+)", page.locator("label[for=answer]").inner_text()).groups()
    return str(int(a) + int(b))


def _fill(page) -> None:
    for i in range(1, 10):
        page.check(f'#q-u{i} input[value="{4 if i % 3 else 3}"]')
    page.fill("#comment", COMMENT)


def test_citizen_feedback_moderation_and_the_public_report(page, citizen):
    sign_in(page, "hr.palangkaraya")
    page.goto("/admin/publik/survei/")
    row = page.locator('tr[data-unit="disdukcapil"]')
    if row.locator("text=Tutup").count() == 0:
        row.locator("select[name=jenis_layanan]").select_option("kependudukan")
        row.locator("input[name=title]").fill("Pembuatan KTP-el")
        row.locator("button[type=submit]").click()
        page.wait_for_load_state()
    assert page.locator('tr[data-unit="disdukcapil"] .badge-success').inner_text() == "terbuka"
    screenshot(page, "publik-01-hr-formulir-survei")

    citizen.goto("/publik/palangkaraya/")
    citizen.click("text=Dinas Kependudukan dan Pencatatan Sipil")
    citizen.wait_for_url(f"**{FORM}")
    assert "Pembuatan KTP-el" in citizen.locator(".lead").inner_text()
    _fill(citizen)
    citizen.fill("#answer", _answer(citizen))
    with citizen.expect_navigation():
        citizen.click("#submit")  # at once: faster than a person, refused with the answers kept
    assert "terlalu cepat" in citizen.locator("#errors").inner_text()
    assert citizen.locator('#q-u1 input[value="4"]').is_checked()
    assert citizen.locator("#comment").input_value() == COMMENT
    citizen.fill("#answer", str(int(_answer(citizen)) + 1))
    citizen.wait_for_timeout(3200)
    with citizen.expect_navigation():
        citizen.click("#submit")
    assert "Jawaban pertanyaan keamanan salah" in citizen.locator("#errors").inner_text()
    citizen.fill("#answer", _answer(citizen))
    screenshot(citizen, "publik-02-formulir-survei")
    citizen.wait_for_timeout(3200)
    with citizen.expect_navigation():
        citizen.click("#submit")
    assert "/terima-kasih" in citizen.url, citizen.locator("#errors").inner_text()
    assert "sudah kami terima" in citizen.locator("#thanks").inner_text()
    screenshot(citizen, "publik-03-terima-kasih")
    citizen.goto(FORM)
    assert COMMENT not in citizen.locator("#comments").inner_text()  # waits for HR

    page.goto("/admin/publik/moderasi/?daerah=palangkaraya")
    pending = page.locator("#comments tr", has_text=COMMENT)
    screenshot(page, "publik-04-moderasi")
    pending.locator("button.approve").click()
    page.wait_for_load_state()
    citizen.goto(FORM)
    assert COMMENT in citizen.locator("#comments").inner_text()
    assert "1 responden" in citizen.locator("#current-ikm").inner_text()

    page.goto("/admin/publik/survei/")
    page.locator('tr[data-unit="disdukcapil"] a', has_text="Pembuatan KTP-el").click()
    # the chart library loads at the end of the page: wait for it to draw (a timeout fails the test)
    page.wait_for_function("window.Chart !== undefined && "
                           "Chart.getChart(document.getElementById('months-chart')) !== undefined")
    assert sum(int(c) for c in page.locator("#months tbody tr td:nth-child(2)").all_inner_texts()) >= 1
    screenshot(page, "publik-05-tanggapan-per-bulan")

    page.goto("/admin/publik/laporan/")
    page.fill("#publish-tahun", str(YEAR))
    page.click("#publish-year button")
    page.wait_for_load_state()
    assert page.locator(f'tr[data-tahun="{YEAR}"] .badge-success').count() == 1

    citizen.goto(f"/publik/palangkaraya/{YEAR}")
    assert citizen.locator("#report-title").inner_text() == f"Laporan Kinerja ASN Kota Palangka Raya Tahun {YEAR}"
    assert "tanpa nama, NIP atau nilai perorangan" in citizen.locator("#small-cell-rule").inner_text()
    # the closed year's decisions are counted, per unit and in total, and drawn
    assert int(citizen.locator("#assessed").inner_text()) > 0
    assert citizen.locator("#distribution tbody tr").count() > 1
    assert citizen.evaluate("Chart.getChart(document.getElementById('distribution-chart')) !== undefined")
    screenshot(citizen, "publik-06-laporan")
    response = citizen.request.get(f"/publik/palangkaraya/{YEAR}.csv")
    assert response.ok and response.headers["content-type"].startswith("text/csv")
    assert "Kota Palangka Raya" in response.text()
    citizen.click("#lang-switch")
    assert citizen.locator("#report-title").inner_text() == f"ASN Performance Report Kota Palangka Raya {YEAR}"
    citizen.click("#print-link")
    citizen.wait_for_url(f"**/{YEAR}/cetak")
    assert citizen.locator("header.site").is_hidden()
    screenshot(citizen, "publik-07-laporan-cetak")

    assert citizen.goto(f"/publik/palangkaraya/{YEAR - 1}").status == 404
    page.goto("/admin/publik/survei/")
    page.locator('tr[data-unit="disdukcapil"]').locator("text=Tutup").click()
    page.wait_for_load_state()
    assert citizen.goto(FORM).status == 404
