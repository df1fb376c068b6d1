"""The lifecycle pages in the console, posted like a browser: HR's board, list, exports, overdue, kurva and bulk
jobs; the evaluation page for pegawai, atasan, atasan's atasan, HR and auditor; refusals by daerah and role."""
from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from tests.factories import PASSWORD, password_hash
from tests.forms import form_data, login, parse_forms
from tests.integration.workflows.wf_fixtures import build_world, drive
from workflows.models import Evaluation, FollowUp, Keberatan

LOGINS = ("pegawai", "atasan", "atasan2", "hr", "auditor", "hr_bantul", "peer")


@pytest.fixture
def w(session):
    """The palu workflow world, with passwords so its people can sign in through the login form."""
    world = build_world(session)
    for name in LOGINS:
        getattr(world, name).password_hash = password_hash(PASSWORD)
    session.commit()
    return world


def _as(app, user):
    """A browser of its own, signed in as `user` through the login form."""
    client = app.test_client()
    login(client, user.username, PASSWORD)
    return client


def post(client, url: str, form_id: str, overrides: dict | None = None):
    """GET `url`, fill the form with id `form_id` as a browser would, POST it to its action."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    html = page.get_data(as_text=True)
    forms = parse_forms(html)
    index = next(i for i, f in enumerate(forms) if f["id"] == form_id)
    return client.post(forms[index]["action"], data=form_data(html, overrides, index), follow_redirects=True)


def _version(session, ev) -> int:
    session.expire_all()
    return session.get(Evaluation, ev.id).version


def _state(session, ev) -> str:
    session.expire_all()
    return session.get(Evaluation, ev.id).state


PLAN = {"rhk-0-jenis": "utama", "rhk-0-uraian": "Layanan aplikasi berjalan",
        "rhk-0-iki-0-uraian": "Aplikasi dikembangkan", "rhk-0-iki-0-aspek": "kuantitas", "rhk-0-iki-0-target": "12",
        "rhk-0-iki-0-satuan": "aplikasi", "rhk-0-iki-0-arah": "naik", "rhk-0-iki-0-bobot": "60",
        "rhk-1-jenis": "tambahan", "rhk-1-uraian": "Pelatihan internal",
        "rhk-1-iki-0-uraian": "Sesi pelatihan", "rhk-1-iki-0-aspek": "kuantitas", "rhk-1-iki-0-target": "4",
        "rhk-1-iki-0-satuan": "sesi", "rhk-1-iki-0-arah": "naik", "rhk-1-iki-0-bobot": "40"}


def _plan_in_two_saves(client, url):
    """The editor shows one empty RHK at a time: save the first, then the second."""
    first = {k: v for k, v in PLAN.items() if k.startswith("rhk-0")}
    assert post(client, url, "plan-form", first).status_code == 200
    second = {k: v for k, v in PLAN.items() if k.startswith("rhk-1")}
    return post(client, url, "plan-form", {**second, "submit": "1"})


def test_pegawai_writes_the_plan_with_field_messages_then_submits(app, session, w):
    client = _as(app, w.pegawai)
    mine = client.get("/admin/evaluation/").get_data(as_text=True)
    assert f'data-evaluation="{w.ev.id}"' in mine
    url = f"/admin/evaluation/{w.ev.id}/"
    bad = post(client, url, "plan-form", {"rhk-0-uraian": "<script>alert(1)</script>", "rhk-0-iki-0-uraian": "Aplikasi",
                                          "rhk-0-iki-0-target": "dua belas", "rhk-0-iki-0-bobot": "100"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert 'data-field-error="rhk-0-iki-0-target"' in html and "target harus angka" in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert session.get(Evaluation, w.ev.id).rhk == []  # nothing stored
    saved = post(client, url, "plan-form", {k: v for k, v in PLAN.items() if k.startswith("rhk-0")})
    assert saved.status_code == 200 and "Rencana SKP tersimpan" in saved.get_data(as_text=True)
    refused = post(client, url, "plan-form", {"submit": "1"})  # bobot sums to 60: the submit guard refuses
    assert refused.status_code == 422 and "jumlah bobot IKI harus 100" in refused.get_data(as_text=True)
    assert _state(session, w.ev) == "plan_draft"
    done = post(client, url, "plan-form", {**{k: v for k, v in PLAN.items() if k.startswith("rhk-1")}, "submit": "1"})
    assert done.status_code == 200, done.get_data(as_text=True)[:2000]
    assert _state(session, w.ev) == "plan_submitted"
    english = client.get(url + "?lang=en").get_data(as_text=True)
    assert "SKP plan submitted" in english and 'data-event="submit_plan"' in english


def test_only_the_atasan_approves_and_a_stale_form_changes_nothing(app, session, w):
    client = _as(app, w.pegawai)
    url = f"/admin/evaluation/{w.ev.id}/"
    _plan_in_two_saves(client, url)
    page = client.get(url).get_data(as_text=True)
    assert 'id="form-approve_plan"' not in page  # no button for what the pegawai may not do
    token = dict(parse_forms(page)[-1]["fields"])["csrf_token"]
    forged = client.post(f"{url}event/", data={"csrf_token": token, "version": _version(session, w.ev),
                                               "event": "approve_plan"})
    assert forged.status_code == 403 and "Hanya atasan langsung" in forged.get_data(as_text=True)
    assert _state(session, w.ev) == "plan_submitted"
    client = _as(app, w.atasan)
    reports = client.get("/admin/reports/").get_data(as_text=True)
    assert f'data-evaluation="{w.ev.id}"' in reports
    page = client.get(url).get_data(as_text=True)
    forms = parse_forms(page)
    index = next(i for i, f in enumerate(forms) if f["id"] == "form-approve_plan")
    data = form_data(page, {"version": "1"}, index)  # a version someone else has since moved on from
    stale = client.post(f"{url}event/", data=data)
    assert stale.status_code == 409 and "Konflik" in stale.get_data(as_text=True)
    assert _state(session, w.ev) == "plan_submitted"
    approved = post(client, url, "form-approve_plan")
    assert approved.status_code == 200 and _state(session, w.ev) == "plan_approved"


def test_realisasi_review_override_and_feedback_through_forms(app, session, w):
    drive(session, w, w.ev, "plan_approved")
    url = f"/admin/evaluation/{w.ev.id}/"
    client = _as(app, w.pegawai)
    bad = post(client, url, "realisasi-form", {"value": "10", "evidence_url": "javascript:alert(1)"})
    assert bad.status_code == 422 and 'data-field-error="evidence_url"' in bad.get_data(as_text=True)
    ev = session.get(Evaluation, w.ev.id)
    for iki in ev.iki:
        ok = post(client, url, "realisasi-form", {"iki_id": str(iki.id), "value": f"{iki.target:g}",
                                                  "realized_on": "2026-11-20",
                                                  "evidence_url": "https://bukti.example/1"})
        assert ok.status_code == 200, ok.get_data(as_text=True)[:3000]
    assert _state(session, w.ev) == "realization"
    assert post(client, url, "form-submit_realization").status_code == 200
    assert _state(session, w.ev) == "review"
    client = _as(app, w.atasan)
    partial = post(client, url, "ratings-form", {"perilaku-akuntabel": "sesuai"})
    assert partial.status_code == 422 and 'data-field-error="perilaku-kompeten"' in partial.get_data(as_text=True)
    rated = post(client, url, "ratings-form", {f"perilaku-{v}": "sesuai" for v in
                                               ("berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal",
                                                "adaptif", "kolaboratif")})
    assert rated.status_code == 200
    decided = post(client, url, "decide-form")
    html = decided.get_data(as_text=True)
    assert decided.status_code == 200 and 'id="decision-explanation"' in html
    short = post(client, url, "override-form", {"predikat": "sangat_baik", "reason": "bagus"})
    assert short.status_code == 422 and 'data-field-error="reason"' in short.get_data(as_text=True)
    over = post(client, url, "override-form", {"predikat": "sangat_baik",
                                               "reason": "Memimpin migrasi layanan tanpa gangguan <b>penting</b>"})
    assert over.status_code == 200 and "&lt;b&gt;penting&lt;/b&gt;" in over.get_data(as_text=True)
    empty = post(client, url, "form-give_feedback", {"umpan_balik": ""})
    assert empty.status_code == 422 and "umpan balik atasan wajib diisi" in empty.get_data(as_text=True)
    given = post(client, url, "form-give_feedback", {"umpan_balik": "Pertahankan; perbaiki dokumentasi."})
    assert given.status_code == 200 and _state(session, w.ev) == "feedback"


def test_keberatan_resolution_and_follow_ups_to_closed(app, session, w):
    drive(session, w, w.ev, "feedback", perilaku="di_bawah")
    url = f"/admin/evaluation/{w.ev.id}/"
    client = _as(app, w.atasan)
    assert 'id="form-file_keberatan"' not in client.get(url).get_data(as_text=True)
    client = _as(app, w.pegawai)
    no_reason = post(client, url, "form-file_keberatan", {"reason": ""})
    assert no_reason.status_code == 422 and _state(session, w.ev) == "feedback"
    filed = post(client, url, "form-file_keberatan", {"reason": "Bukti dukung triwulan IV belum dihitung."})
    assert filed.status_code == 200 and _state(session, w.ev) == "keberatan"
    client = _as(app, w.atasan2)
    waiting = client.get("/admin/reports/").get_data(as_text=True)
    assert 'id="waiting-keberatan"' in waiting and f'data-evaluation="{w.ev.id}"' in waiting
    short = post(client, url, "keberatan-form", {"reason": "ok"})
    assert short.status_code == 422 and 'data-field-error="reason"' in short.get_data(as_text=True)
    upheld = post(client, url, "keberatan-form", {"outcome": "uphold",
                                                  "reason": "Bukti sudah diperiksa; keputusan tetap."})
    assert upheld.status_code == 200
    session.expire_all()
    assert session.scalar(select(Keberatan.status).where(Keberatan.evaluation_id == w.ev.id)) == "upheld"
    open_ids = session.scalars(select(FollowUp.id).where(FollowUp.evaluation_id == w.ev.id,
                                                         FollowUp.status == "open")).all()
    assert _state(session, w.ev) == ("follow_up" if open_ids else "closed")
    client = _as(app, w.hr)
    for fid in open_ids:
        resolved = post(client, url, f"followup-form-{fid}", {"note": "Sudah dilaksanakan."})
        assert resolved.status_code == 200
    assert _state(session, w.ev) == "closed"
    page = client.get(url).get_data(as_text=True)
    assert 'data-event="resolve_keberatan"' in page and 'data-event="file_keberatan"' in page  # the timeline


def test_refusals_by_daerah_and_relation_and_the_auditor_reads_only(app, session, w):
    drive(session, w, w.ev, "decided")
    url = f"/admin/evaluation/{w.ev.id}/"
    client = _as(app, w.hr_bantul)
    assert client.get(url).status_code == 404
    assert client.get(f"/admin/lifecycle/?daerah={w.palu.id}").status_code == 404
    client = _as(app, w.peer)
    assert client.get(url).status_code == 403
    client = _as(app, w.auditor)
    page = client.get(url).get_data(as_text=True)
    assert 'id="no-actions"' in page and 'id="ratings-form"' not in page and 'id="decide-form"' not in page
    assert 'href="/admin/trail/decision/' in page and 'class="version-link"' in page
    token = dict(parse_forms(page)[-1]["fields"])["csrf_token"]
    tried = client.post(f"{url}decide/", data={"csrf_token": token, "version": _version(session, w.ev)})
    assert tried.status_code == 403
    assert client.post(f"{url}event/", data={"version": "1", "event": "close"}).status_code == 400  # no CSRF token
    client = _as(app, w.pegawai)
    assert 'class="version-link"' not in client.get(url).get_data(as_text=True)  # the trail is for HR/auditors
    assert "Only the direct atasan" not in client.get(url + "?lang=en").get_data(as_text=True)
    assert "What you can do now" in client.get(url).get_data(as_text=True)


def test_hr_board_drill_down_exports_overdue_and_kurva(app, session, w):
    drive(session, w, w.ev, "decided")
    client = _as(app, w.hr)
    base = f"/admin/lifecycle/?daerah={w.palu.id}&tahun=2026"
    board = client.get(base).get_data(as_text=True)
    assert f'data-unit="{w.bidang.id}"' in board and 'id="board-total"' in board
    listing = client.get(f"/admin/lifecycle/list/?daerah={w.palu.id}&tahun=2026&unit={w.bidang.id}&state=review")
    html = listing.get_data(as_text=True)
    assert f'data-evaluation="{w.ev.id}"' in html and html.count("data-evaluation=") == 1
    csv_body = client.get(f"/admin/lifecycle/export/?daerah={w.palu.id}&tahun=2026&what=list&fmt=csv").get_data(
        as_text=True)
    assert w.staff_p.nip in csv_body and "Pranata Komputer" in csv_body
    xlsx = client.get(f"/admin/lifecycle/export/?daerah={w.palu.id}&tahun=2026&what=board&fmt=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet.cell(1, 1).value == "Unit kerja" and sheet.max_row >= 2
    overdue = client.get(f"/admin/lifecycle/overdue/?daerah={w.palu.id}")
    assert overdue.status_code == 200 and 'id="overdue"' in overdue.get_data(as_text=True)
    kurva = client.get(f"/admin/lifecycle/kurva/?daerah={w.palu.id}&tahun=2026").get_data(as_text=True)
    assert f'data-unit="{w.bidang.id}"' in kurva and 'id="org-default"' in kurva
    tried = client.get(f"/admin/lifecycle/kurva/?daerah={w.palu.id}&tahun=2026&org-{w.bidang.id}=butuh_perbaikan")
    assert "lc-violation" in tried.get_data(as_text=True)  # one baik in a butuh_perbaikan unit breaks bp_min_60


def test_hr_bulk_jobs_report_counts_and_the_auditor_may_not(app, session, w):
    client = _as(app, w.hr)
    opened = post(client, f"/admin/lifecycle/?daerah={w.palu.id}&tahun=2027", "open-period-form", {"tahun": "2027"})
    html = opened.get_data(as_text=True)
    assert opened.status_code == 200 and 'data-count="created">5<' in html and 'data-count="total">5<' in html
    assert 'data-count="not_aktif">0<' in html
    again = post(client, f"/admin/lifecycle/?daerah={w.palu.id}&tahun=2027", "open-period-form", {"tahun": "2027"})
    assert 'data-count="existing">5<' in again.get_data(as_text=True)
    drive(session, w, w.ev, "review")
    decided = post(client, f"/admin/lifecycle/?daerah={w.palu.id}&tahun=2026", "decide-unit-form")
    html = decided.get_data(as_text=True)
    assert 'data-count="total">1<' in html and 'data-count="failed">1<' in html  # not rated yet: reported
    client = _as(app, w.auditor)
    board = client.get(f"/admin/lifecycle/?daerah={w.palu.id}&tahun=2026").get_data(as_text=True)
    assert 'id="open-period-form"' not in board
    token = next(dict(f["fields"])["csrf_token"] for f in parse_forms(board) if f["method"] == "post")
    refused = client.post(f"/admin/lifecycle/open/?daerah={w.palu.id}", data={"csrf_token": token, "tahun": "2028"})
    assert refused.status_code == 403


def test_the_evaluation_document_prints_what_was_decided_for_those_who_may_see_it(app, session, w):
    drive(session, w, w.ev, "decided")
    ev = session.get(Evaluation, w.ev.id)
    url = f"/admin/evaluation/{ev.id}/print/"
    client = _as(app, w.pegawai)
    assert f'href="{url}"' in client.get(f"/admin/evaluation/{ev.id}/").get_data(as_text=True)
    page = client.get(url)
    html = re.sub(r"\s+", " ", page.get_data(as_text=True))
    assert page.status_code == 200 and "DOKUMEN EVALUASI KINERJA PEGAWAI" in html
    assert f"<td>{ev.pegawai.nip}</td>" in html and f"<td>{ev.pegawai.atasan.name}</td>" in html
    predikat = re.search(r'id="doc-predikat">([^<]+)<', html).group(1)
    assert predikat == {"sangat_baik": "Sangat Baik", "baik": "Baik"}.get(ev.predikat, predikat)
    plan = html[html.index('id="doc-plan"'):html.index('id="doc-perilaku"')]
    assert plan.count("%</td></tr>") == len(ev.iki), "every IKI shows its capaian"
    assert re.search(r"<td>\d+,\d\d%</td></tr>", plan), "written the Indonesian way: 97,31%"
    assert all(k.uraian in plan for k in ev.iki)
    assert html.count('class="sign"') == 2 and f"{ev.daerah.name}, " in html
    assert "Printed from Kinerja" in client.get(url + "?lang=en").get_data(as_text=True)
    assert _as(app, w.peer).get(url).status_code == 403
    assert _as(app, w.hr_bantul).get(url).status_code == 404
    assert _as(app, w.auditor).get(url).status_code == 200


def test_hr_prints_a_units_penetapan_with_its_kurva_check(app, session, w):
    drive(session, w, w.ev, "decided")
    ev = session.get(Evaluation, w.ev.id)
    client = _as(app, w.hr)
    kurva = client.get(f"/admin/lifecycle/kurva/?daerah={w.palu.id}&tahun=2026").get_data(as_text=True)
    link = re.search(r'href="(/admin/lifecycle/penetapan/[^"]+)"[^>]*>Cetak penetapan', kurva).group(1)
    page = client.get(link.replace("&amp;", "&"))
    html = re.sub(r"\s+", " ", page.get_data(as_text=True))
    assert page.status_code == 200 and "PENETAPAN PREDIKAT KINERJA PEGAWAI" in html
    rows = re.findall(r'<tr data-evaluation="(\d+)">', html)
    assert rows == [str(ev.id)] and ev.pegawai.nip in html and "Pimpinan unit kerja" in html
    strict = client.get(f"/admin/lifecycle/penetapan/?daerah={w.palu.id}&tahun=2026&unit={w.bidang.id}"
                        "&org=butuh_perbaikan").get_data(as_text=True)
    assert "bp_min_60" in strict, "the unit's distribution is checked against the chosen organisation predikat"
    for query in (f"tahun=2026&unit={w.bidang.id}&org=luar_biasa", "tahun=2026&unit=999999", "tahun=2026",
                  f"tahun=1999&unit={w.bidang.id}"):  # no such org predikat, unit, or period: nothing to print
        assert client.get(f"/admin/lifecycle/penetapan/?daerah={w.palu.id}&{query}").status_code == 404
    assert _as(app, w.pegawai).get(link.replace("&amp;", "&")).status_code == 403
    assert _as(app, w.hr_bantul).get(link.replace("&amp;", "&")).status_code == 404


def test_exports_survive_control_characters_and_daerah_codes_in_another_script(app, session, w):
    # stored before names were checked (or written by another program): the XLSX still opens, without them
    w.staff_p.name = "Pranata\x0bKomputer\x1b"
    w.palu.code = "кота"  # likewise: the download's name keeps an ASCII form for the header
    session.commit()
    client = _as(app, w.hr)
    xlsx = client.get(f"/admin/lifecycle/export/?daerah={w.palu.id}&tahun=2026&what=list&fmt=xlsx")
    assert xlsx.status_code == 200
    disposition = xlsx.headers["Content-Disposition"]
    disposition.encode("latin-1")  # what a WSGI server must be able to send
    assert "filename*=UTF-8''" in disposition and "%D0%BA%D0%BE%D1%82%D0%B0" in disposition
    rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(xlsx.data)).active.iter_rows()]
    assert any("PranataKomputer" in str(v) for row in rows for v in row)
