"""The whole demo as `kinerja demo` loads it (built once per backend: see the `full_demo` fixture): the five daerah
of the source documents and nasional with logins that work; last year closed and this year in every state, history
triggers firing, the citizens' survey feeding Pontianak's and Bantul's decisions; public pages that show no name or
NIP; loading twice adds nothing. xdist runs this whole file on one worker (tests/conftest.py)."""
from __future__ import annotations

import datetime as dt
import html as html_lib
import re

from sqlalchemy import func, select

from engine.audit import AuditLog, verify_chain
from engine.identity import User
from engine.organisation import Daerah, Pegawai, UnitKerja
from rules.models import Decision
from tests.forms import login
from workflows.demo_lifecycle import load_demo_lifecycle
from workflows.models import Evaluation, EvaluationState, Keberatan, Period
from workflows.survey import SurveyForm, unit_ikm

TODAY = dt.date.today()  # what `kinerja demo` uses
TAHUN_LAST = TODAY.year - 1
DAERAH = ("palangkaraya", "kemuning", "palu", "pontianak", "bantul")


def _counts(session) -> list[int]:
    return [session.scalar(select(func.count()).select_from(m)) for m in (Daerah, UnitKerja, Pegawai, User)]


def test_demo_loads_every_daerah_once(full_demo, demo_app, demo_session):
    assert full_demo.exit_code == 0, full_demo.output
    assert "kebijakan.palu" in full_demo.output and "kinerja-demo" in full_demo.output
    session = demo_session
    assert set(session.scalars(select(Daerah.code))) == {"nasional", *DAERAH}
    for code in DAERAH:
        daerah = session.scalar(select(Daerah).where(Daerah.code == code))
        people = session.scalar(select(func.count()).select_from(Pegawai).where(Pegawai.daerah_id == daerah.id))
        assert people >= 60
        for prefix in ("kebijakan", "hr", "auditor", "pegawai", "atasan", "atasan2"):
            assert session.scalar(select(User).where(User.username == f"{prefix}.{code}")) is not None
    counts = _counts(session)
    session.rollback()
    runner = demo_app.test_cli_runner()
    again = runner.invoke(args=["kinerja", "demo", "--quiet"])
    assert again.exit_code == 0 and "+0 daerah" in again.output and "+0 evaluasi" in again.output, again.output
    assert _counts(session) == counts
    assert "sudah ada" in runner.invoke(args=["kinerja", "demo", "--if-empty", "--quiet"]).output


def test_demo_pegawai_and_atasan_logins_see_their_record_and_reports(demo_app):
    html = login(demo_app.test_client(), "pegawai.bantul").get_data(as_text=True)
    assert 'data-role="pegawai"' in html and "198801282014012002" in html
    html = login(demo_app.test_client(), "atasan.bantul").get_data(as_text=True)
    assert 'data-role="atasan"' in html and 'id="reports"' in html


def _states(session, daerah_id: int, tahun: int) -> dict[str, int]:
    rows = session.execute(select(Evaluation.state, func.count()).join(Period, Period.id == Evaluation.period_id)
                           .where(Evaluation.daerah_id == daerah_id, Period.tahun == tahun)
                           .group_by(Evaluation.state)).all()
    return {str(state): n for state, n in rows}


def test_demo_lifecycle_covers_every_state_and_loads_once(full_demo, demo_session):
    session = demo_session
    assert "+678 evaluasi" in full_demo.output and session.scalar(select(func.count()).select_from(Decision)) > 400
    for code in DAERAH:
        daerah = session.scalar(select(Daerah).where(Daerah.code == code))
        last_year = _states(session, daerah.id, TAHUN_LAST)
        assert set(last_year) == {"closed"}, (code, last_year)
        this_year = _states(session, daerah.id, TODAY.year)
        assert set(this_year) == {s.value for s in EvaluationState}, (code, this_year)
        pegawai = session.scalar(select(User).where(User.username == f"pegawai.{code}"))
        mine = session.scalar(select(Evaluation).join(Period, Period.id == Evaluation.period_id).where(
            Evaluation.pegawai_id == pegawai.pegawai_id, Period.tahun == TODAY.year))
        assert mine.state == "feedback", code
        atasan2 = session.scalar(select(User).where(User.username == f"atasan2.{code}"))
        pending = session.scalars(select(Evaluation).where(Evaluation.daerah_id == daerah.id,
                                                           Evaluation.state == "keberatan")).all()
        assert any(ev.pegawai.atasan and ev.pegawai.atasan.atasan_id == atasan2.pegawai_id for ev in pending), code
    closed_predikat = session.scalars(select(Evaluation.predikat).join(Period, Period.id == Evaluation.period_id)
                                      .where(Period.tahun == TAHUN_LAST)).all()
    assert None not in closed_predikat and len(set(closed_predikat)) >= 3
    talent = [d for d in session.scalars(select(Decision))
              if "talent_pool" in [a["code"] for a in d.result["actions"]]]
    assert {d.facts["periode"]["tahun"] for d in talent} == {TAHUN_LAST, TODAY.year}
    assert session.scalar(select(func.count()).select_from(Keberatan)) >= 5

    for code in ("pontianak", "bantul"):  # the citizens' survey feeds the decisions of the units with a form
        daerah = session.scalar(select(Daerah).where(Daerah.code == code))
        forms = session.scalars(select(SurveyForm).where(SurveyForm.daerah_id == daerah.id)).all()
        unit_codes = {uid: code for uid, code in session.execute(
            select(UnitKerja.id, UnitKerja.code).where(UnitKerja.daerah_id == daerah.id))}
        assert forms, code
        for form in forms:
            index = unit_ikm(session, form.unit_id, TAHUN_LAST)
            fed = [d for d in session.scalars(select(Decision).where(Decision.daerah_id == daerah.id))
                   if d.facts["pegawai"]["unit"] == unit_codes[form.unit_id] and d.facts["periode"]["tahun"] == TAHUN_LAST]
            assert fed and {(d.facts["kepuasan_masyarakat"], d.facts["kepuasan_masyarakat_responden"])
                            for d in fed} == {(index.index, index.respondents)}, (code, form.unit.code)

    audit = session.scalar(select(func.count()).select_from(AuditLog))
    again = load_demo_lifecycle(session, TODAY)
    session.commit()
    assert (again.evaluations_driven, again.decisions) == (0, 0)
    assert session.scalar(select(func.count()).select_from(AuditLog)) == audit
    assert verify_chain(session).ok


# --- nothing personal with the demo data ------------------------------------------------------------------------

def test_public_pages_hold_no_demo_name_or_nip(demo_app, demo_session):
    session, client = demo_session, demo_app.test_client()
    secrets = set()
    for nip, name in session.execute(select(Pegawai.nip, Pegawai.name)):
        secrets |= {nip, name, html_lib.escape(name)}
    secrets |= {n for n in session.scalars(select(User.full_name).where(User.pegawai_id.is_not(None))) if n}
    pages = ["/publik/"]
    index = client.get("/publik/").get_data(as_text=True)
    for daerah in sorted(set(re.findall(r'href="/publik/([a-z0-9-]+)/"', index))):
        pages.append(f"/publik/{daerah}/")
        listing = client.get(f"/publik/{daerah}/").get_data(as_text=True)
        for path in sorted(set(re.findall(r'href="(/publik/[^"_][^"]*)"', listing))):
            pages.append(path)
            if re.fullmatch(r"/publik/[a-z0-9-]+/\d{4}", path):
                pages += [path + ".csv", path + "/cetak", path + "?lang=en", path + ".csv?lang=en"]
    assert len([p for p in pages if re.fullmatch(r"/publik/[a-z0-9-]+/\d{4}", p)]) >= 5  # each demo daerah: last year
    assert any("/survei/" in p for p in pages)
    for path in pages:
        with client.get(path) as response:
            assert response.status_code == 200, path
            body = response.get_data(as_text=True)
        found = [s for s in secrets if s in body]
        assert not found, f"{path} shows {found[:3]}"
