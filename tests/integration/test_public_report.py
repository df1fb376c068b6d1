"""The public performance report: opt-in, aggregates only, small cells merged or hidden (also from totals),
kurva verdicts that reveal nothing hidden, CSV and print (no demo name or NIP on the public pages: test_full_demo.py)."""
from __future__ import annotations

import datetime as dt
import html as html_lib
import random
import re

import pytest

from rules.models import Decision
from rules.packs import install_packs
from tests.factories import make_daerah, make_pegawai, make_unit, make_user
from tests.forms import form_data, login, parse_forms
from workflows.models import Evaluation, FollowUp, TransitionHistory
from workflows.periods import ensure_period
from workflows.public_report import MIN_CELL, kurva_verdict, protect, set_public_report

TAHUN = 2025
REPORT = f"/publik/kotauji/{TAHUN}"


def _assess(session, period, unit, predikats: list[str], **kw) -> list[Evaluation]:
    """Closed evaluations with these final predikat, one new pegawai each."""
    rows = []
    for predikat in predikats:
        person = make_pegawai(session, unit)
        row = Evaluation(period_id=period.id, daerah_id=unit.daerah_id, pegawai_id=person.id, unit_id=unit.id,
                         state=kw.get("state", "closed"), version=1, predikat=predikat, predikat_engine=predikat)
        session.add(row)
        rows.append(row)
    session.flush()
    return rows


@pytest.fixture
def kota(session):
    """Kota Uji: a top unit and four perangkat daerah (one with a bidang), 29 assessed pegawai in 2025, the
    nasional pack, HR and an auditor; the report not yet published."""
    make_daerah(session, code="nasional", name="Nasional", level="nasional")
    daerah = make_daerah(session, code="kotauji", name="Kota Uji")
    other = make_daerah(session, code="lain", name="Kota Lain")
    admin = make_user(session, username="admin", roles=[("admin", None)])
    install_packs(session, admin, names=())
    setda = make_unit(session, daerah, code="setda", name="Sekretariat Daerah")
    a = make_unit(session, daerah, code="dinas-a", name="Dinas Alfa", parent=setda)
    a_bidang = make_unit(session, daerah, code="dinas-a-bidang", name="Bidang Alfa Satu", parent=a)
    c = make_unit(session, daerah, code="dinas-c", name="Dinas Charlie", parent=setda)
    b = make_unit(session, daerah, code="dinas-b", name="Dinas Bravo", parent=setda)
    d = make_unit(session, daerah, code="dinas-d", name="Dinas Delta", parent=setda)
    period = ensure_period(session, daerah, TAHUN)
    _assess(session, period, a, ["sangat_baik"] + ["baik"] * 4)
    _assess(session, period, a_bidang, ["baik"] * 4 + ["butuh_perbaikan"] * 3)   # Alfa: 1 SB, 8 B, 3 BP
    charlie = _assess(session, period, c, ["baik"] * 10)                          # 100% baik: breaks the kurva
    _assess(session, period, b, ["baik"] * 3)                                      # small: merged
    _assess(session, period, d, ["baik", "baik", "kurang_misconduct", "sangat_kurang"])  # small: merged
    _assess(session, period, c, [None, None], state="review")                      # not assessed yet
    hr = make_user(session, username="hr.kotauji", roles=[("hr", daerah)])
    make_user(session, username="auditor.kotauji", roles=[("auditor", daerah)])
    make_user(session, username="hr.lain", roles=[("hr", other)])
    session.commit()
    return {"daerah": daerah, "period": period, "hr": hr, "charlie": charlie, "units": (a, a_bidang, b, c, d)}


def _publish(session, kota, published=True):
    set_public_report(session, kota["hr"], kota["daerah"], TAHUN, published)
    session.commit()


def _text(html: str) -> str:
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", html)))


def _table(html: str, table_id: str) -> list[list[str]]:
    body = re.search(rf'<table id="{table_id}">(.*?)</table>', html, flags=re.S).group(1)
    return [[_text(c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, flags=re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S)]


# --- opt-in and bad input ---------------------------------------------------------------------------------------

def test_a_report_the_daerah_has_not_published_is_404(client, session, kota):
    assert client.get(REPORT).status_code == 404
    assert client.get(REPORT + ".csv").status_code == 404
    _publish(session, kota)
    assert client.get(REPORT).status_code == 200
    _publish(session, kota, published=False)
    assert client.get(REPORT).status_code == 404
    assert client.get(REPORT + "/cetak").status_code == 404


@pytest.mark.parametrize("url", ["/publik/tidak-ada/2025", "/publik/kotauji/2024", "/publik/kotauji/1999",
                                 "/publik/kotauji/99999999999999999999", "/publik/kotauji/2025x",
                                 "/publik/nasional/2025", "/publik/lain/2025.csv", "/publik/kotauji/-1",
                                 "/publik/%00/2025", "/publik/" + "k" * 3000 + "/2025", "/publik/tidak-ada/"])
def test_unknown_or_odd_report_addresses_answer_404(client, session, kota, url):
    _publish(session, kota)
    assert client.get(url).status_code == 404


def test_hr_publishes_and_withdraws_in_the_console(client, session, kota):
    login(client, "hr.kotauji", "rahasia-uji-123")
    page = client.get("/admin/publik/laporan/?daerah=kotauji").get_data(as_text=True)
    assert 'data-tahun="2025"' in page
    form = next(i for i, f in enumerate(parse_forms(page)) if f["id"] == "publish-year")
    assert client.post("/admin/publik/laporan/set/", data=form_data(page, {"tahun": "2025"}, index=form)).status_code == 302
    assert client.get(REPORT).status_code == 200
    page = client.get("/admin/publik/laporan/?daerah=kotauji").get_data(as_text=True)
    assert "dipublikasikan" in page and f'href="{REPORT}"' in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post("/admin/publik/laporan/set/", data={"csrf_token": token, "daerah": "kotauji", "tahun": "2025",
                                                     "publish": "0"})
    assert client.get(REPORT).status_code == 404
    bad = client.post("/admin/publik/laporan/set/", data={"csrf_token": token, "daerah": "kotauji", "tahun": "20x5",
                                                           "publish": "1"}, follow_redirects=True)
    assert "tahun harus antara 2000 dan 2100" in bad.get_data(as_text=True)


def test_only_hr_of_the_daerah_may_publish(client, session, kota):
    login(client, "auditor.kotauji", "rahasia-uji-123")
    page = client.get("/admin/publik/laporan/?daerah=kotauji").get_data(as_text=True)
    assert 'id="readonly"' in page and 'id="publish-year"' not in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    refused = client.post("/admin/publik/laporan/set/", data={"csrf_token": token, "daerah": "kotauji",
                                                               "tahun": "2025", "publish": "1"}, follow_redirects=True)
    assert "Hanya kepegawaian (BKPSDM) Kota Uji" in refused.get_data(as_text=True)
    assert client.get(REPORT).status_code == 404
    client.post("/logout", data={"csrf_token": token})
    login(client, "hr.lain", "rahasia-uji-123")
    assert client.get("/admin/publik/laporan/?daerah=kotauji").status_code == 404
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/admin/publik/laporan/").get_data(
        as_text=True)).group(1)
    assert client.post("/admin/publik/laporan/set/", data={"csrf_token": token, "daerah": "kotauji", "tahun": "2025",
                                                            "publish": "1"}).status_code == 404
    assert client.get(REPORT).status_code == 404


# --- small cells ----------------------------------------------------------------------------------------------

def test_small_units_are_merged_and_small_counts_hidden(client, session, kota):
    _publish(session, kota)
    page = client.get(REPORT).get_data(as_text=True)
    rows = {r[0].split(" gabungan")[0]: r for r in _table(page, "distribution")[1:]}
    assert set(rows) == {"Dinas Alfa", "Dinas Charlie", "Unit lainnya", "Seluruh daerah"}
    assert "gabungan: Dinas Bravo, Dinas Delta" in _text(page)
    assert rows["Dinas Alfa"][1:7] == ["12", "*", "8 (66,7%)", "*", "0 (0%)", "0 (0%)"]  # the bidang counts in Alfa
    assert rows["Unit lainnya"][1:7] == ["7", "0 (0%)", "5 (71,4%)", "0 (0%)", "*", "*"]
    assert rows["Seluruh daerah"][1:7] == ["29", "*", "23 (79,3%)", "*", "*", "*"]
    for row in rows.values():
        for cell in row[2:7]:
            count = cell.split(" ")[0]
            assert count == "*" or int(count) == 0 or int(count) >= MIN_CELL, (row, cell)
    assert "setiap jumlah 1 sampai 4 disembunyikan" in _text(page).lower()
    assert re.search(r'id="assessed">29<', page)
    assert '<div class="table-wrap"><table id="distribution">' in page  # scrolls sideways on a phone


def test_a_kurva_violation_is_highlighted_only_where_the_shown_cells_settle_it(client, session, kota):
    _publish(session, kota)
    page = client.get(REPORT).get_data(as_text=True)
    charlie = re.search(r'<tr class="violation"[^>]*>\s*<td>Dinas Charlie</td>(.*?)</tr>', page, flags=re.S)
    assert charlie is not None
    assert "Baik: paling banyak 70%" in charlie.group(1)
    assert "Butuh Perbaikan + Kurang/Misconduct: paling sedikit 1 orang" in charlie.group(1)
    alfa = re.search(r"<td>Dinas Alfa</td>(.*?)</tr>", page, flags=re.S).group(1)
    # Alfa: Baik 8 of 12 is settled (within 70%); "BP or K present" is not, since the hidden Sangat Baik and
    # Butuh Perbaikan cells only share 4 pegawai between them: a reader cannot tell, so neither does the page
    assert "paling banyak" not in alfa and "sesuai kurva" not in alfa
    assert "1 batasan tidak dapat dinilai dari sel yang ditampilkan" in alfa
    assert "1 dari 1 perangkat daerah yang dapat dinilai menyimpang" in _text(page)


def test_when_no_unit_can_be_judged_the_report_says_so_instead_of_0_of_0(client, session, kota):
    charlie = kota["charlie"]
    for row in charlie[:3]:  # Charlie 7 baik, 3 butuh perbaikan: both cells shown, no constraint settled...
        row.predikat = row.predikat_engine = "butuh_perbaikan"
    for row in charlie[3:5]:  # ...once 2 of them are sangat baik: each constraint now turns on a hidden cell
        row.predikat = row.predikat_engine = "sangat_baik"
    session.commit()
    _publish(session, kota)
    text = _text(client.get(REPORT).get_data(as_text=True))
    assert "0 dari 0" not in text
    assert "Belum ada perangkat daerah yang dapat dinilai terhadap kurva distribusi dari sel yang ditampilkan" in text
    english = _text(client.get(REPORT + "?lang=en").get_data(as_text=True))
    assert "No perangkat daerah can be judged against the distribution curve from the cells shown yet" in english


def test_kurva_verdict_never_depends_on_a_hidden_cell():
    table = {"baik": [{"id": "baik_maks_70", "predikat": ["baik"], "max_persen": 70},
                      {"id": "bp_atau_k_ada", "predikat": ["butuh_perbaikan", "kurang_misconduct"], "min_orang": 1,
                       "min_n": 3}]}
    # 6 pegawai: Baik 5 hidden as the complement of BP 1; "Baik above 70%" would reveal both cells
    verdict = kurva_verdict([0, 5, 1, 0, 0], [False, True, True, False, False], "baik", table)
    assert verdict == {"violations": [], "undetermined": 2}
    settled = kurva_verdict([0, 10, 0, 0, 0], [False] * 5, "baik", table)
    assert [v["id"] for v in settled["violations"]] == ["baik_maks_70", "bp_atau_k_ada"]
    assert settled["undetermined"] == 0


def test_protect_leaves_no_hidden_cell_recoverable_from_a_total():
    rnd = random.Random(7)
    for _ in range(500):
        rows = [[rnd.choice([0, 0, 1, 2, 3, 4, 5, 6, 9, 15]) for _ in range(5)] for _ in range(rnd.randint(1, 6))]
        rows.append([sum(col) for col in zip(*rows)])
        hide = protect(rows, total_row=len(rows) - 1)
        for r, row in enumerate(rows):
            assert all(hide[r][c] for c, v in enumerate(row) if 0 < v < MIN_CELL)
            assert sum(hide[r]) != 1, (rows, hide)
        for c in range(5):
            assert sum(hide[r][c] for r in range(len(rows))) != 1, (rows, hide)


# --- the other sections, CSV, print, language -----------------------------------------------------------------

def test_timeliness_against_the_daerah_deadlines(client, session, kota):
    charlie = kota["charlie"]
    for i, ev in enumerate(charlie):  # plan deadline for 2025: 15 February 2025 (local time)
        at = dt.datetime(2025, 2, 15, 16, 30) if i < 5 else dt.datetime(2025, 2, 15, 17, 30)  # 23:30, 00:30 WIB
        session.add(TransitionHistory(evaluation_id=ev.id, event="approve_plan", from_state="plan_submitted",
                                      to_state="plan_approved", actor="atasan", at=at))
    session.commit()
    _publish(session, kota)
    rows = _table(client.get(REPORT).get_data(as_text=True), "timeliness")
    plan = rows[1]
    assert plan[:2] == ["SKP disetujui", "2025-02-15"]
    assert plan[2:6] == ["5", "5", "21", "0"]  # on time by the daerah's local date, not UTC
    assert plan[6] == "16,1%"  # 5 of 31 evaluations


def test_follow_ups_by_kind(client, session, kota):
    charlie = kota["charlie"]
    for i, ev in enumerate(charlie):
        decision = Decision(daerah_id=ev.daerah_id, pegawai_id=ev.pegawai_id, facts={}, result={}, result_hash="-",
                            engine_version="test", actor="test")
        session.add(decision)
        session.flush()
        session.add(FollowUp(evaluation_id=ev.id, decision_id=decision.id, daerah_id=ev.daerah_id, position=0,
                             action_code="bimbingan_kinerja", kind="coaching", owner_role="atasan",
                             due_on=dt.date(2026, 3, 1), status="done" if i < 7 else "open"))
    session.commit()
    _publish(session, kota)
    rows = _table(client.get(REPORT).get_data(as_text=True), "follow-ups")
    assert rows[1] == ["Bimbingan kinerja", "pembinaan", "10", "*", "*"]  # 3 open: hidden, so done is too
    assert rows[2] == ["Seluruh daerah", "10", "*", "*"]


def test_rule_versions_with_legal_basis(client, session, kota):
    _publish(session, kota)
    rows = _table(client.get(REPORT).get_data(as_text=True), "versions")
    assert any(r[0].startswith("nasional/scoring v1") and "PermenPANRB 6/2022" in r[1] for r in rows[1:])


def test_csv_download(client, session, kota):
    a = kota["units"][0]
    a.name = "=HYPERLINK(\"http://evil.example\")"
    session.commit()
    _publish(session, kota)
    response = client.get(REPORT + ".csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeffbagian/section,baris/row,ukuran/measure,nilai/value")
    assert "distribusi/distribution,Unit lainnya,n,7" in text
    assert "distribusi/distribution,Seluruh daerah,sangat_baik,*" not in text  # daerah row is named
    assert "distribusi/distribution,Kota Uji,sangat_baik,*" in text
    assert "\"'=HYPERLINK" in text and ",=HYPERLINK" not in text


def test_printable_page_and_english(client, session, kota):
    _publish(session, kota)
    printable = client.get(REPORT + "/cetak").get_data(as_text=True)
    assert '<body class="printable">' in printable and "@media print" not in printable  # print CSS is in the file
    english = client.get(REPORT + "?lang=en").get_data(as_text=True)
    assert "ASN Performance Report Kota Uji 2025" in english and "Other units" in english
    assert "Performance evaluations of 2025" in _text(english)  # the report's year, not "this year"
    assert "Evaluasi kinerja tahun 2025" in _text(printable)
    with client.get("/publik/_static/public.css") as css:  # a file response: close it
        assert "@media print" in css.get_data(as_text=True)


def test_the_report_loads_nothing_from_outside(client, session, kota):
    _publish(session, kota)
    page = client.get(REPORT).get_data(as_text=True)
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert "/static/vendor/chartjs/chart.umd.min.js" in page
