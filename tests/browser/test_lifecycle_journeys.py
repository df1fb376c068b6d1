"""The lifecycle in Chromium, in order on kemuning's demo data: HR opens the period, the pegawai plans, the atasan
approves, realisasi, the atasan reviews and decides, the pegawai objects, the atasan's atasan rules, HR resolves the
follow-ups and the evaluation closes; the auditor traces its decision to the rule version and its diff.

Other browser tests use palu and bantul; this module only touches kemuning."""
from __future__ import annotations

import re

import pytest

from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.browser
D = "kemuning"
BERAKHLAK = ("berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal", "adaptif", "kolaboratif")
seen: dict[str, int] = {}


def _evaluation(page) -> None:
    """Open the pegawai's evaluation (found from their own list on the first visit)."""
    if "id" not in seen:
        pytest.fail("no evaluation to open: test_01 (HR opens the period) did not get that far")
    page.goto(f"/admin/evaluation/{seen['id']}/")


def _state(page) -> str:
    return page.locator("#ev-state").get_attribute("data-state")


def test_01_hr_opens_the_period_and_sees_the_board(page):
    sign_in(page, f"hr.{D}")
    page.click("text=Siklus penilaian")
    page.wait_for_url("**/admin/lifecycle/**")
    assert page.locator("#no-period").is_visible()
    page.click("#open-period")
    created = int(page.locator('[data-count="created"]').inner_text())
    assert created > 0 and page.locator(".progress-bar").count() >= 1
    screenshot(page, "30-siklus-buka-periode")
    page.click("#back-to-board")
    assert int(page.locator("#board-total").inner_text()) == created
    screenshot(page, "31-siklus-papan")
    sign_in(page, f"pegawai.{D}")
    page.click("text=Penilaian saya")
    page.locator("#own-evaluations a.btn").first.click()
    seen["id"] = int(re.search(r"/admin/evaluation/(\d+)/", page.url).group(1))


def test_02_pegawai_writes_and_submits_the_plan(page):
    sign_in(page, f"pegawai.{D}")
    _evaluation(page)
    page.fill("#rhk-0-uraian", "Terlaksananya surveilans penyakit menular")
    page.fill("#rhk-0-iki-0-uraian", "Laporan surveilans mingguan")
    page.fill("#rhk-0-iki-0-target", "52")
    page.fill("#rhk-0-iki-0-satuan", "laporan")
    page.fill("#rhk-0-iki-0-bobot", "70")
    page.click("#plan-save")
    assert "Rencana SKP tersimpan" in page.content()
    page.select_option("#rhk-1-jenis", "tambahan")
    page.fill("#rhk-1-uraian", "Pengembangan kompetensi")
    page.fill("#rhk-1-iki-0-uraian", "Jam pelatihan")
    page.fill("#rhk-1-iki-0-target", "20")
    page.fill("#rhk-1-iki-0-satuan", "jam")
    page.fill("#rhk-1-iki-0-bobot", "20")
    page.click("#plan-save-submit")
    assert page.locator("#plan-problems").is_visible()  # 70 + 20: the weights must sum to 100
    assert "jumlah bobot IKI harus 100" in page.locator("#plan-problems").inner_text()
    screenshot(page, "32-rencana-skp-salah")
    page.fill("#rhk-1-iki-0-bobot", "30")
    page.click("#plan-save-submit")
    assert _state(page) == "plan_submitted"
    screenshot(page, "33-rencana-skp-diajukan")


def test_03_atasan_approves_the_plan(page):
    sign_in(page, f"atasan.{D}")
    page.click("text=Bawahan")
    assert page.locator(f'#report-evaluations tr[data-evaluation="{seen.get("id")}"]').count() == 1
    _evaluation(page)
    page.click("#do-approve_plan")
    assert _state(page) == "plan_approved"


def test_04_pegawai_records_realisasi_and_submits_it(page):
    sign_in(page, f"pegawai.{D}")
    _evaluation(page)
    options = page.locator("#iki_id option")
    values = [options.nth(i).get_attribute("value") for i in range(options.count())]
    for value, amount in zip(values, ("50", "20")):
        page.select_option("#iki_id", value)
        page.fill("#value", amount)
        page.fill("#evidence_url", "https://bukti.kemuning.go.id/laporan")
        page.click("#realisasi-save")
        assert "Realisasi tersimpan" in page.content()
    page.click("#do-submit_realization")
    assert _state(page) == "review"


def test_05_atasan_reviews_decides_and_gives_feedback(page):
    sign_in(page, f"atasan.{D}")
    _evaluation(page)
    for nilai in BERAKHLAK:
        page.select_option(f"#perilaku-{nilai}", "di_bawah" if nilai in ("akuntabel", "kompeten") else "sesuai")
    page.click("#ratings-save")
    page.click("#decide")
    assert page.locator("#decision-explanation").inner_text().strip()
    screenshot(page, "34-penilaian-atasan")
    page.fill("#umpan_balik", "Tingkatkan ketepatan laporan dan kelengkapan bukti dukung.")
    page.click("#do-give_feedback")
    assert _state(page) == "feedback"


def test_06_pegawai_objects(page):
    sign_in(page, f"pegawai.{D}")
    _evaluation(page)
    assert page.locator("#keberatan-deadline").is_visible()
    page.fill("#reason-file_keberatan", "Laporan minggu ke-47 sampai 50 belum dihitung.")
    page.click("#do-file_keberatan")
    assert _state(page) == "keberatan"
    screenshot(page, "35-keberatan-pegawai")


def test_07_atasan2_rules_and_hr_resolves_the_follow_ups(page):
    sign_in(page, f"atasan2.{D}")
    page.click("text=Bawahan")
    assert page.locator(f'#waiting-keberatan tr[data-evaluation="{seen.get("id")}"]').count() == 1
    _evaluation(page)
    page.fill("#keberatan-reason", "Laporan sudah diperiksa; keputusan dikuatkan.")
    page.click("#keberatan-resolve")
    assert _state(page) in ("follow_up", "closed")
    screenshot(page, "36-keberatan-diputus")
    sign_in(page, f"hr.{D}")
    _evaluation(page)
    while page.locator(".followup-resolve").count():
        form = page.locator("form[id^=followup-form-]").first
        form.locator("input[name=note]").fill("Bimbingan sudah dilaksanakan.")
        form.locator(".followup-resolve").click()
        page.wait_for_load_state()
    assert _state(page) == "closed"
    assert page.locator("#timeline li").count() >= 7
    screenshot(page, "37-evaluasi-selesai")
    page.goto(page.locator("#print-document").get_attribute("href"))
    assert page.locator("h1").inner_text() == "DOKUMEN EVALUASI KINERJA PEGAWAI"
    assert page.locator("#doc-predikat").inner_text() and page.locator("#doc-signatures .sign").count() == 2
    screenshot(page, "37b-dokumen-evaluasi")
    page.goto("/admin/lifecycle/kurva/")
    page.goto(page.locator("a.penetapan-link").first.get_attribute("href"))
    assert page.locator("h1").inner_text() == "PENETAPAN PREDIKAT KINERJA PEGAWAI"
    assert page.locator("#penetapan-rows tbody tr[data-evaluation]").count() >= 1
    screenshot(page, "37c-penetapan-predikat")


def test_08_auditor_traces_the_decision_to_its_version(page):
    sign_in(page, f"auditor.{D}")
    page.goto("/admin/lifecycle/")
    page.locator("#board thead a", has_text="selesai").click()
    page.locator(f'#evaluations tr[data-evaluation="{seen.get("id")}"] a').first.click()
    assert page.locator("#no-actions").is_visible()
    page.click("#trail-decision")
    page.wait_for_url("**/admin/trail/decision/**")
    assert page.locator("#explanation").inner_text().strip()
    page.locator("#versions a").first.click()
    page.wait_for_url("**/admin/trail/version/**")
    assert page.locator("#diff").is_visible() and page.locator("#version-meta").is_visible()
    screenshot(page, "38-auditor-versi")


def test_09_auditor_checks_the_chain_a_segment_at_a_time_and_the_page_goes_on_by_itself(page):
    """The live server's check answers after every batch of rows (KINERJA_AUDIT_CHECK_SECONDS=0), as a provinsi's
    chain of millions would after 5 s: the auditor presses the button once and waits for the verdict."""
    sign_in(page, f"auditor.{D}")
    page.goto("/admin/audit/")
    page.click("#verify-chain")
    progress = page.locator("#verify-checked")
    progress.wait_for()
    assert int(progress.get_attribute("data-checked")) > 0 and "baris diperiksa" in progress.inner_text()
    page.wait_for_url("**/admin/audit/", timeout=30_000)  # the last segment's verdict, flashed on the log
    assert "Rantai audit utuh" in page.locator(".alert-success").inner_text()
