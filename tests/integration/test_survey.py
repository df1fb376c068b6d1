"""The citizen satisfaction survey: the public form end to end, its abuse controls, HR's forms and moderation,
and the index feeding a decision (responses -> IKM -> ServiceMeasure -> facts -> decision trace)."""
from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from engine.audit import AuditLog
from rules.models import Decision
from rules.packs import install_packs
from tests.factories import make_daerah, make_pegawai, make_unit, make_user
from tests.forms import form_data, login, parse_forms
from tests.integration.workflows.wf_fixtures import drive, evaluation_of
from workflows.facts import gather_facts
from workflows.models import ServiceMeasure
from workflows.periods import open_period
from workflows.survey import (SCORE_COLUMNS, CommentStatus, SurveyResponse, SurveyThrottle, exclude_response,
                              moderate_comment, monthly, open_form, submit_response)

TAHUN = 2026
FORM_URL = "/publik/pontianak/survei/pkm-1"


@pytest.fixture
def world(session):
    """Pontianak with its pack, a Puskesmas under Dinas Kesehatan with an open form, staff with logins, HR,
    an auditor and HR of another daerah; the 2026 period opened."""
    make_daerah(session, code="nasional", name="Nasional", level="nasional")
    pontianak = make_daerah(session, code="pontianak", name="Kota Pontianak")
    bantul = make_daerah(session, code="bantul", name="Kabupaten Bantul", level="kabupaten")
    admin = make_user(session, username="admin", roles=[("admin", None)])
    install_packs(session, admin, names=("pontianak",))
    dinkes = make_unit(session, pontianak, code="dinkes", name="Dinas Kesehatan")
    pkm = make_unit(session, pontianak, code="pkm-1", name="UPTD Puskesmas Satu", parent=dinkes)
    closed_unit = make_unit(session, pontianak, code="pkm-2", name="UPTD Puskesmas Dua", parent=dinkes)
    kepala = make_pegawai(session, pkm, name="Kepala Puskesmas", jenis_jabatan="pengawas")
    staff = make_pegawai(session, pkm, name="Perawat Ahli", jenis_jabatan="fungsional", atasan=kepala)
    w = SimpleNamespace(pontianak=pontianak, bantul=bantul, dinkes=dinkes, pkm=pkm, staff_p=staff,
                        pegawai=make_user(session, username="pegawai.pontianak", pegawai=staff),
                        atasan=make_user(session, username="atasan.pontianak", pegawai=kepala),
                        hr=make_user(session, username="hr.pontianak", roles=[("hr", pontianak)]),
                        auditor=make_user(session, username="auditor.pontianak", roles=[("auditor", pontianak)]),
                        hr_bantul=make_user(session, username="hr.bantul", roles=[("hr", bantul)]))
    open_period(session, w.hr, pontianak, TAHUN)
    w.form = open_form(session, w.hr, pkm, jenis_layanan="kesehatan", title="Kunjungan berobat")
    w.closed = open_form(session, w.hr, closed_unit, jenis_layanan="kesehatan", title="Kunjungan berobat")
    w.closed.is_open = False
    session.commit()
    return w


def _respond(session, w, scores, n=1, start=0, comment=None, when=dt.datetime(2026, 6, 10, 3, 0)):
    for i in range(start, start + n):
        submit_response(session, w.form.id, list(scores), comment, client_hash=f"client-{i}", nonce=f"nonce-{i}",
                        now=when + dt.timedelta(minutes=i))
    session.commit()


def _answer(html: str) -> str:
    a, b = re.search(r"(?:berapa|what is) (\d+) \+ (\d+)", html).groups()
    return str(int(a) + int(b))


def _post(client, url=FORM_URL, overrides=None, address="203.0.113.7"):
    page = client.get(url, environ_base={"REMOTE_ADDR": address})
    html = page.get_data(as_text=True)
    values = {**{c: "4" for c in SCORE_COLUMNS}, "answer": _answer(html), **(overrides or {})}
    return client.post(url, data=form_data(html, values), environ_base={"REMOTE_ADDR": address})


@pytest.fixture
def fast(app):
    """The app without the minimum fill time (a test client fills the form in microseconds)."""
    app.config["SURVEY_MIN_FILL_SECONDS"] = 0
    return app


# --- the index feeds the decision -----------------------------------------------------------------------------

def test_index_from_responses_reaches_the_facts_and_the_decision_trace(session, world):
    _respond(session, world, [3, 3, 3, 3, 3, 2, 2, 3, 3], n=20)            # each 2.78 -> 69.44 (C)
    _respond(session, world, [3] * 9, n=12, start=20)  # (20 x 25 + 12 x 27) / (32 x 9) x 25 = 71.53 (C)
    measure = session.scalar(select(ServiceMeasure).where(ServiceMeasure.unit_id == world.pkm.id))
    assert measure.kepuasan_masyarakat == 71.53
    assert measure.kepuasan_masyarakat_responden == 32
    assert measure.jenis_layanan == "kesehatan"
    ev = evaluation_of(session, world.staff_p)
    facts = gather_facts(session, ev)
    assert facts["kepuasan_masyarakat"] == 71.53 and facts["kepuasan_masyarakat_responden"] == 32
    drive(session, world, ev, "decided", factor=1.5)  # capaian above 110%: the IKM rule caps hasil kerja
    decision = session.get(Decision, ev.decision_id)
    step = next(s for s in decision.result["trace"] if s["rule"] == "hk_ikm_rendah")
    assert step["seen"]["kepuasan_masyarakat"] == 71.53
    assert step["seen"]["kepuasan_masyarakat_responden"] == 32
    assert decision.result["outputs"]["rating_hasil_kerja"] == "sesuai"
    assert decision.facts["kepuasan_masyarakat_responden"] == 32


def test_too_few_respondents_do_not_trigger_the_rule(session, world):
    _respond(session, world, [2] * 9, n=5)  # 50.00 (D), but only 5 respondents: the pack asks for 30
    ev = evaluation_of(session, world.staff_p)
    drive(session, world, ev, "decided", factor=1.5)
    decision = session.get(Decision, ev.decision_id)
    assert decision.facts["kepuasan_masyarakat"] == 50 and decision.facts["kepuasan_masyarakat_responden"] == 5
    assert not [s for s in decision.result["trace"] if s["rule"] == "hk_ikm_rendah"]


def test_excluding_a_response_recomputes_the_index_and_is_audited(session, world):
    _respond(session, world, [4] * 9, n=4)
    _respond(session, world, [1] * 9, n=1, start=10)
    measure = session.scalar(select(ServiceMeasure).where(ServiceMeasure.unit_id == world.pkm.id))
    assert (measure.kepuasan_masyarakat, measure.kepuasan_masyarakat_responden) == (85.0, 5)
    spam = session.scalar(select(SurveyResponse).where(SurveyResponse.nonce == "nonce-10"))
    exclude_response(session, world.hr, spam.id, "isian otomatis dari satu perangkat")
    session.commit()
    session.refresh(measure)
    assert (measure.kepuasan_masyarakat, measure.kepuasan_masyarakat_responden) == (100.0, 4)
    assert session.scalar(select(AuditLog).where(AuditLog.action == "exclude_response")) is not None


def test_monthly_counts_and_index(session, world):
    _respond(session, world, [4] * 9, n=3, when=dt.datetime(2026, 2, 3, 2, 0))
    _respond(session, world, [2] * 9, n=2, start=5, when=dt.datetime(2026, 5, 3, 2, 0), comment=None)
    months = {m["bulan"]: m for m in monthly(session, world.hr, world.form, TAHUN)}
    assert months[2]["responses"] == 3 and months[2]["ikm"] == 100.0
    assert months[5]["responses"] == 2 and months[5]["ikm"] == 50.0
    assert months[1]["responses"] == 0 and months[1]["ikm"] is None


# --- the public form ------------------------------------------------------------------------------------------

def test_a_citizen_rates_a_service_and_the_comment_waits_for_moderation(fast, client, session, world):
    response = _post(client, overrides={"comment": "Antrean cepat, petugas ramah."})
    assert response.status_code == 302 and "/terima-kasih" in response.headers["Location"]
    row = session.scalar(select(SurveyResponse))
    assert row.scores == [4] * 9 and row.comment_status == CommentStatus.pending
    assert "203.0.113.7" not in " ".join(str(v) for v in vars(row).values())  # only a salted hash is kept
    page = client.get(FORM_URL).get_data(as_text=True)
    assert "Antrean cepat" not in page  # not public before HR approves it
    moderate_comment(session, world.hr, row.id, approve=True)
    session.commit()
    assert "Antrean cepat, petugas ramah." in client.get(FORM_URL).get_data(as_text=True)


def test_a_flood_from_one_address_is_throttled_with_a_clear_message(fast, client, session, world):
    fast.config["SURVEY_MAX_PER_WINDOW"] = 3
    codes = [_post(client, overrides={"u1": str(1 + i % 4), "u2": str(1 + i // 4)}).status_code for i in range(5)]
    assert codes[:3] == [302, 302, 302] and codes[3:] == [429, 429]
    blocked = _post(client)
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
    assert "Terlalu banyak penilaian dari alamat Anda" in blocked.get_data(as_text=True)
    english = _post(client, url=FORM_URL + "?lang=en")
    assert "Too many ratings from your address" in english.get_data(as_text=True)
    assert session.scalar(select(SurveyThrottle.attempts)) == 3  # refused attempts do not grow the row forever
    assert _post(client, overrides={"u9": "1"}, address="198.51.100.9").status_code == 302  # others still may


def test_refused_attempts_count_towards_the_limit(fast, client, world):
    fast.config["SURVEY_MAX_PER_WINDOW"] = 2
    assert _post(client, overrides={"answer": "999"}).status_code == 422
    assert _post(client, overrides={"answer": "999"}).status_code == 422
    assert _post(client).status_code == 429


def test_ipv6_addresses_of_one_network_share_the_limit(fast, client, world):
    fast.config["SURVEY_MAX_PER_WINDOW"] = 1
    assert _post(client, address="2001:db8:1:2::10").status_code == 302
    assert _post(client, overrides={"u3": "2"}, address="2001:db8:1:2::99").status_code == 429


@pytest.mark.parametrize("comment, message", [
    ("x" * 1001, "paling banyak 1000 karakter"),
    ("<script>alert(1)</script>", "tidak boleh berisi kode HTML"),
    ('Bagus <img src=x onerror="alert(1)">', "tidak boleh berisi kode HTML"),
    ("lihat javascript:alert(1)", "tidak boleh berisi kode HTML"),
    ("promo http://a.example http://b.example https://c.example", "terlalu banyak tautan"),
])
def test_long_or_scripted_comments_are_refused_and_nothing_is_stored(fast, client, session, world, comment,
                                                                     message):
    response = _post(client, overrides={"comment": comment})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert message in body
    assert "<script>alert(1)</script>" not in body and "<img src=x" not in body  # the re-shown comment is escaped
    assert session.scalar(select(SurveyResponse.id)) is None


def test_stored_markup_is_escaped_on_the_public_page_and_in_moderation(fast, client, session, world):
    _respond(session, world, [3] * 9, n=1)
    row = session.scalar(select(SurveyResponse))
    row.comment, row.comment_status = "<script>alert('x')</script> & <b>tebal</b>", CommentStatus.approved
    session.commit()
    public = client.get(FORM_URL).get_data(as_text=True)
    assert "&lt;script&gt;alert(" in public and "<script>alert(" not in public
    row.comment_status = CommentStatus.pending
    session.commit()
    login(client, "hr.pontianak", "rahasia-uji-123")
    page = client.get("/admin/publik/moderasi/?daerah=pontianak").get_data(as_text=True)
    assert "&lt;script&gt;alert(" in page and "<script>alert(" not in page


@pytest.mark.parametrize("overrides, status, message", [
    ({"answer": "999"}, 422, "Jawaban pertanyaan keamanan salah"),
    ({"answer": "dua"}, 422, "Jawaban pertanyaan keamanan salah"),
    ({"website": "http://spam.example"}, 400, "Formulir tidak dapat diterima"),
    ({"challenge": "forged.token.value"}, 422, "Formulir tidak valid"),
    ({"u5": "7"}, 422, "setiap unsur wajib dinilai 1 sampai 4"),
    ({"u5": ""}, 422, "setiap unsur wajib dinilai 1 sampai 4"),
])
def test_challenge_honeypot_and_scores_are_checked(fast, client, session, world, overrides, status, message):
    response = _post(client, overrides=overrides)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert session.scalar(select(SurveyResponse.id)) is None


def test_a_form_sent_faster_than_a_person_can_fill_it_is_refused(app, client, session, world):
    response = _post(client)  # default minimum fill time: 3 seconds
    assert response.status_code == 422
    assert "terlalu cepat" in response.get_data(as_text=True)


def test_duplicates_are_refused(fast, client, session, world):
    page = client.get(FORM_URL, environ_base={"REMOTE_ADDR": "203.0.113.7"}).get_data(as_text=True)
    data = form_data(page, {**{c: "3" for c in SCORE_COLUMNS}, "answer": _answer(page), "comment": "Ruang tunggu sempit."})
    assert client.post(FORM_URL, data=data, environ_base={"REMOTE_ADDR": "203.0.113.7"}).status_code == 302
    replay = client.post(FORM_URL, data=data, environ_base={"REMOTE_ADDR": "203.0.113.7"})  # same token again
    assert replay.status_code == 409 and "sudah kami terima" in replay.get_data(as_text=True)
    same_answers = _post(client, overrides={c: "3" for c in SCORE_COLUMNS} | {"comment": "Ruang tunggu sempit."})
    assert same_answers.status_code == 409
    copied = _post(client, overrides={"comment": "ruang  tunggu SEMPIT."}, address="198.51.100.20")
    assert copied.status_code == 409  # the same comment pasted from elsewhere within a day
    assert len(session.scalars(select(SurveyResponse)).all()) == 1


def test_the_form_posts_only_with_its_csrf_token(fast, client, session, world):
    page = client.get(FORM_URL).get_data(as_text=True)
    data = form_data(page, {**{c: "4" for c in SCORE_COLUMNS}, "answer": _answer(page)})
    data.pop("csrf_token")
    response = client.post(FORM_URL, data=data)
    assert response.status_code == 400
    assert session.scalar(select(SurveyResponse.id)) is None


@pytest.mark.parametrize("url", ["/publik/pontianak/survei/pkm-2", "/publik/pontianak/survei/tidak-ada",
                                 "/publik/tidak-ada/survei/pkm-1", "/publik/bantul/survei/pkm-1",
                                 "/publik/pontianak/survei/pkm-2/terima-kasih", "/publik/nasional/survei/pkm-1",
                                 "/publik/pontianak/survei/" + "x" * 5000, "/publik/pontianak/survei/pkm%00",
                                 "/publik/%00/survei/pkm-1"])
def test_closed_or_unknown_forms_answer_404(client, world, url):
    assert client.get(url).status_code == 404
    assert client.post(url, data={"u1": "4"}).status_code in (400, 404, 405)  # CSRF first; never a 500


def test_a_post_to_a_closed_form_is_404_with_its_token(fast, client, session, world):
    page = client.get(FORM_URL).get_data(as_text=True)
    world.form.is_open = False
    session.commit()
    data = form_data(page, {**{c: "4" for c in SCORE_COLUMNS}, "answer": _answer(page)})
    assert client.post(FORM_URL, data=data).status_code == 404


def test_control_characters_in_a_comment_are_dropped(fast, client, session, world):
    assert _post(client, overrides={"comment": "Bersih\x00 dan\x07 rapi"}).status_code == 302
    assert session.scalar(select(SurveyResponse.comment)) == "Bersih dan rapi"


def test_english_form(client, world):
    page = client.get(FORM_URL + "?lang=en").get_data(as_text=True)
    assert "Public Satisfaction Survey" in page and "Security question" in page


# --- HR ---------------------------------------------------------------------------------------------------------

def test_hr_opens_and_closes_a_form_in_the_console(client, session, world):
    login(client, "hr.pontianak", "rahasia-uji-123")
    page = client.get("/admin/publik/survei/?daerah=pontianak")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "UPTD Puskesmas Satu" in html
    closed = client.post("/admin/publik/survei/close/", data=form_data(html, index=_form_index(html, "/close/")))
    assert closed.status_code == 302
    assert client.get(FORM_URL).status_code == 404
    session.expire_all()
    assert world.form.is_open is False
    opened = client.post("/admin/publik/survei/open/", data=form_data(html, {
        "unit_id": str(world.dinkes.id), "jenis_layanan": "kesehatan", "title": "Rekomendasi izin praktik"},
        index=_form_index(html, "/open/")))
    assert opened.status_code == 302
    assert "Rekomendasi izin praktik" in client.get("/publik/pontianak/survei/dinkes").get_data(as_text=True)
    refused = client.post("/admin/publik/survei/open/", data=form_data(html, {
        "unit_id": str(world.dinkes.id), "jenis_layanan": "sihir", "title": "<b>x</b>"},
        index=_form_index(html, "/open/")), follow_redirects=True)
    assert "jenis layanan harus salah satu dari" in refused.get_data(as_text=True)


def _form_index(html: str, action_end: str) -> int:
    return next(i for i, f in enumerate(parse_forms(html)) if f["action"].endswith(action_end))


def test_hr_moderates_and_others_cannot(client, session, world):
    _respond(session, world, [4] * 9, n=1, comment="Pelayanan ramah.")
    row = session.scalar(select(SurveyResponse))
    login(client, "auditor.pontianak", "rahasia-uji-123")
    page = client.get("/admin/publik/moderasi/?daerah=pontianak").get_data(as_text=True)
    assert "Pelayanan ramah." in page and "Hanya baca" in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    refused = client.post("/admin/publik/moderasi/moderate/", data={
        "csrf_token": token, "daerah": "pontianak", "response_id": row.id, "action": "approve"}, follow_redirects=True)
    assert "Hanya kepegawaian" in refused.get_data(as_text=True)
    session.expire_all()
    assert session.get(SurveyResponse, row.id).comment_status == CommentStatus.pending
    client.post("/logout", data={"csrf_token": token})
    login(client, "hr.bantul", "rahasia-uji-123")
    assert client.get("/admin/publik/moderasi/?daerah=pontianak").status_code == 404
    client.post("/logout", data={"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', client.get(
        "/admin/publik/moderasi/").get_data(as_text=True)).group(1)})
    login(client, "hr.pontianak", "rahasia-uji-123")
    page = client.get("/admin/publik/moderasi/?daerah=pontianak").get_data(as_text=True)
    response = client.post("/admin/publik/moderasi/moderate/", data=form_data(page, {"action": "approve"},
                                                                              index=_form_index(page, "/moderate/")))
    assert response.status_code == 302
    session.expire_all()
    assert session.get(SurveyResponse, row.id).comment_status == CommentStatus.approved
    assert "Pelayanan ramah." in client.get(FORM_URL).get_data(as_text=True)


def test_hr_sees_responses_per_month(client, session, world):
    _respond(session, world, [4] * 9, n=3, when=dt.datetime(2026, 3, 3, 2, 0))
    login(client, "hr.pontianak", "rahasia-uji-123")
    page = client.get(f"/admin/publik/survei/form/{world.form.id}/?tahun=2026").get_data(as_text=True)
    assert re.search(r'data-bulan="3"><td>Mar</td><td class="text-right">3</td>', page)
    assert client.get("/admin/publik/survei/form/99999/").status_code == 404
