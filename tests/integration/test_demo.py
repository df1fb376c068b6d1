"""Demo data: the five daerah of the source documents and nasional, with logins that work; loading twice adds nothing."""
from __future__ import annotations

from sqlalchemy import func, select

from engine.identity import User
from engine.organisation import Daerah, Pegawai, UnitKerja
from tests.forms import login

DAERAH = ("palangkaraya", "kemuning", "palu", "pontianak", "bantul")


def test_demo_loads_every_daerah_once(app, session):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["kinerja", "demo"])
    assert first.exit_code == 0, first.output
    assert "kebijakan.palu" in first.output and "kinerja-demo" in first.output
    codes = set(session.scalars(select(Daerah.code)))
    assert codes == {"nasional", *DAERAH}
    for code in DAERAH:
        daerah = session.scalar(select(Daerah).where(Daerah.code == code))
        people = session.scalar(select(func.count()).select_from(Pegawai).where(Pegawai.daerah_id == daerah.id))
        assert people >= 60
        for prefix in ("kebijakan", "hr", "auditor", "pegawai", "atasan"):
            assert session.scalar(select(User).where(User.username == f"{prefix}.{code}")) is not None
    counts = [session.scalar(select(func.count()).select_from(m)) for m in (Daerah, UnitKerja, Pegawai, User)]
    again = runner.invoke(args=["kinerja", "demo", "--quiet"])
    assert again.exit_code == 0 and "+0 daerah" in again.output
    session.expire_all()
    assert [session.scalar(select(func.count()).select_from(m)) for m in (Daerah, UnitKerja, Pegawai, User)] == counts
    assert "sudah ada" in runner.invoke(args=["kinerja", "demo", "--if-empty", "--quiet"]).output


def test_demo_pegawai_and_atasan_logins_see_their_record_and_reports(app, client):
    assert app.test_cli_runner().invoke(args=["kinerja", "demo", "--quiet"]).exit_code == 0
    html = login(client, "pegawai.bantul").get_data(as_text=True)
    assert 'data-role="pegawai"' in html and "198801282014012002" in html
    client2 = app.test_client()
    html = login(client2, "atasan.bantul").get_data(as_text=True)
    assert 'data-role="atasan"' in html and 'id="reports"' in html
