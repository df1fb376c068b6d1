"""A policy maker changes a threshold without code, tries it, previews its impact and publishes it, in Chromium.

The browser tests share one live server and database: this journey publishes with an effective date in 2031, so
the rules in force today (and every other test) are unchanged; the decisions it seeds are palu's of 2025.
"""
from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.browser

STRONG = {v: "di_atas" for v in ("berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis")}
THRESHOLD = "stages.hasil_kerja.rules[hk_di_atas].when.all[0].value"
FIELD = f'#rule-editor input[data-path="{THRESHOLD}"]'


@pytest.fixture(scope="module")
def last_year(live_server, tmp_path_factory):
    """Decisions of palu for 2025 in the live database (the demo has none): what the impact preview replays."""
    from sqlalchemy import select

    from admin.app import create_app
    from admin.extensions import db
    from engine.audit import set_actor
    from engine.identity import User
    from engine.organisation import Daerah, Pegawai
    from rules.decisions import decide
    from tests.integration.rules_fixtures import make_facts

    # the live server's database: the one folder conftest's live_server made with mktemp("browser")
    [path] = {p.resolve() for p in tmp_path_factory.getbasetemp().glob("browser*/kinerja.db")}
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SECRET_KEY": "seed"})
    ids = {}
    with app.app_context():
        hr = db.session.scalar(select(User).where(User.username == "hr.palu"))
        set_actor(db.session, hr)
        palu = db.session.scalar(select(Daerah).where(Daerah.code == "palu"))
        people = db.session.scalars(select(Pegawai).where(Pegawai.daerah_id == palu.id).order_by(Pegawai.nip)
                                    .limit(6)).all()
        for i, person in enumerate(people):
            realisasi, perilaku = [(13, STRONG), (16, STRONG), (6, {}), (12, {})][i % 4]
            facts = make_facts(daerah="palu", periode={"tahun": 2025, "jenis": "tahunan"},
                               pegawai={"nip": person.nip, "jenis_jabatan": "pelaksana"})
            facts["iki"][0]["realisasi"] = realisasi
            facts["perilaku"] = {**facts["perilaku"], **perilaku}
            decision = decide(db.session, hr, daerah=palu, pegawai=person, facts=facts, on=dt.date(2025, 12, 31))
            ids[person.name] = decision.id
        db.session.commit()
        db.engine.dispose()
    return ids


def test_policy_maker_changes_tries_previews_and_publishes(page, last_year):
    sign_in(page, "kebijakan.palu")
    page.click("text=Aturan")
    page.wait_for_url("**/admin/rules/")
    card = page.locator('.rule-set-card[data-daerah="palu"][data-kind="scoring"]')
    assert card.locator('tr[data-status="published"]').count() == 1
    screenshot(page, "20-aturan-daftar")

    # a new draft, copied from the version in force
    card.locator("button.new-draft").click()
    page.wait_for_url(re.compile(r".*/admin/rules/v/\d+/edit$"))
    draft_url = page.url.rsplit("/edit", 1)[0]
    assert "Draf" in page.locator("#version-title").inner_text()
    hk = page.locator('.rule-card[data-rule="hk_di_atas"]')
    assert hk.locator(".override-rule").is_visible()
    hk.locator(".override-rule").click()

    # a wrong value is saved as a draft and explained at its field
    field = page.locator(FIELD)
    assert field.input_value() == "110"
    field.fill("seratus")
    page.click("#save")
    page.wait_for_load_state()
    problem = page.locator(f'.field-problem[data-problem-path="{THRESHOLD}"]')
    assert "harus angka" in problem.inner_text()
    assert page.locator(FIELD).evaluate("n => n.classList.contains('is-invalid')")
    screenshot(page, "21-aturan-penyunting-salah")

    # the threshold 110 -> 120
    page.locator(FIELD).fill("120")
    page.click("#save")
    page.wait_for_load_state()
    assert "siap diterbitkan" in page.locator(".alert-success").first.inner_text()
    assert page.locator(FIELD).input_value() == "120"
    assert page.locator(".field-problem").count() == 0
    screenshot(page, "22-aturan-penyunting")

    # coba: a pegawai of last year whose weighted capaian is 118,3
    page.click("#nav-try")
    page.wait_for_url("**/try")
    staff = next(name for name, _ in last_year.items())
    page.select_option("#sample", str(last_year[staff]))
    page.click("#use-sample")
    page.wait_for_url("**/try?decision=*")
    assert page.locator("#f-iki-0-realisasi").input_value() == "13"
    page.click("#run-try")
    page.wait_for_load_state()
    predikat = page.locator('tr[data-output="predikat"]')
    assert predikat.locator(".new-value").inner_text() == "Baik"
    assert predikat.locator(".old-value").inner_text() == "Sangat Baik"
    assert "Predikat Baik karena" in page.locator("#explanation").inner_text()
    assert page.locator("#trace tbody tr").count() >= 4
    screenshot(page, "23-aturan-coba")

    # dampak on last period
    page.click("#nav-impact")
    page.wait_for_url("**/impact")
    assert int(page.locator('[data-count="total"]').inner_text()) >= len(last_year)
    assert int(page.locator('[data-count="changed_predikat"]').inner_text()) >= 1
    assert page.locator('#transitions tr[data-old="sangat_baik"][data-new="baik"]').count() == 1
    assert page.evaluate("() => !!window.kinerjaImpactChart")
    assert staff in page.locator("#changed").inner_text()
    screenshot(page, "24-aturan-dampak")

    # publish with its legal basis, from 2031 (the rules in force today stay)
    page.goto(draft_url + "/")
    page.fill("#legal_basis", "Perwal Palu Nomor 9 Tahun 2030 (uji)")
    page.fill("#effective_from", "2031-01-01")
    page.fill("#publish_note", "Ambang rating hasil kerja di atas ekspektasi 120%")
    page.click("#publish")
    page.wait_for_load_state()
    assert page.locator("#version-title .rule-status").get_attribute("data-status") == "published"
    assert "Perwal Palu Nomor 9 Tahun 2030 (uji)" in page.locator("#legal-basis").inner_text()
    assert "2031-01-01" in page.locator("#version-meta").inner_text()
    screenshot(page, "25-aturan-terbit")
    page.click("#diff-previous")
    page.wait_for_url("**/diff?*")
    assert "110 -> 120" in page.locator("#diff-lines").inner_text()


def test_the_editor_round_trips_every_rule_set_and_speaks_english(page, live_server):
    sign_in(page, "kebijakan.palu")
    page.goto("/admin/rules/")
    links = page.locator('.rule-set-card tr[data-version="1"] td:first-child a').evaluate_all(
        "nodes => nodes.map(n => n.getAttribute('href'))")
    assert len(links) == 6  # palu's three kinds and the three nasional ones
    for link in links:
        page.goto(link.rstrip("/") + "/edit")
        stored = json.loads(page.locator("#editor-data").text_content())["document"]
        edited = json.loads(page.evaluate("() => JSON.stringify(window.kinerjaRuleEditor.serialize())"))
        assert edited == stored, link
    page.goto(links[0].rstrip("/") + "/edit?lang=en")
    assert page.locator("#tab-raw-link").is_visible()
    assert "Back to national" in page.content() or "Change for this daerah" in page.content()
    page.click("#lang-switch")
