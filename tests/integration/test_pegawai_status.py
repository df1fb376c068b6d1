"""A pegawai who retires, transfers out, is discharged or dies: HR records it in the console, the pegawai gets no new
evaluation and their own login stops, and an atasan cannot leave while active reports still depend on them."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from engine.accounts import pegawai_without_account
from engine.audit import AuditLog
from engine.organisation import Pegawai
from tests.factories import PASSWORD, make_daerah, make_pegawai, make_unit, make_user
from tests.forms import login, submit
from workflows.bulk import open_period_job
from workflows.models import Evaluation


@pytest.fixture
def world(session):
    """Palu: a head, a staff member with their own login, a policy maker linked to a pegawai; HR and an admin."""
    palu = make_daerah(session, code="palu", name="Kota Palu")
    unit = make_unit(session, palu, code="dinkes", name="Dinas Kesehatan")
    head = make_pegawai(session, unit, name="Kepala Dinas", jenis_jabatan="jpt", golongan="IV/c")
    staff = make_pegawai(session, unit, name="Staf Lama", atasan=head)
    analyst = make_pegawai(session, unit, name="Analis Kebijakan", atasan=head)
    make_user(session, username="staf", pegawai=staff)
    make_user(session, username="kepala", pegawai=head)
    make_user(session, username="kebijakan.palu", pegawai=analyst, roles=[("policy_maker", palu)])
    hr = make_user(session, username="hr.palu", roles=[("hr", palu)])
    session.commit()
    return {"palu": palu, "unit": unit, "head": head, "staff": staff, "analyst": analyst, "hr": hr}


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def _edit(client, person, **fields):
    return submit(client, f"/admin/pegawai/edit/?id={person.id}", fields)


def test_hr_records_a_retirement_and_the_pegawai_leaves_the_next_cycle(app, client, world, session):
    own = app.test_client()
    assert login(own, "staf", PASSWORD).request.path == "/admin/"
    login(client, "hr.palu", PASSWORD)
    form = client.get(f"/admin/pegawai/edit/?id={world['staff'].id}").get_data(as_text=True)
    assert "Status kepegawaian" in form and "Hanya pegawai aktif yang mendapat evaluasi baru" in form
    saved = _edit(client, world["staff"], status="pensiun", status_since="2026-07-01")
    assert saved.status_code == 200 and saved.request.path == "/admin/pegawai/"
    session.expire_all()
    staff = session.get(Pegawai, world["staff"].id)
    assert staff.status == "pensiun" and str(staff.status_since) == "2026-07-01"
    row = session.scalars(select(AuditLog).where(AuditLog.entity == "pegawai", AuditLog.entity_id == str(staff.id))
                          .order_by(AuditLog.seq.desc())).first()
    assert row.actor == "hr.palu" and row.after["status"] == "pensiun" and row.before["status"] == "aktif"
    listed = _text(client.get("/admin/pegawai/?flt0_0=pensiun"))
    assert "Staf Lama" in listed and "Analis Kebijakan" not in listed

    assert own.get("/admin/").status_code == 302, "the retired pegawai's open session ends"
    assert login(app.test_client(), "staf", PASSWORD).request.path == "/login", "and their login stops"
    boss = app.test_client()
    reports = _text(login(boss, "kepala", PASSWORD))
    assert "Analis Kebijakan" in reports and "Staf Lama" not in reports, "the atasan's home lists aktif reports"
    leaver = make_pegawai(session, world["unit"], name="Honorer Lama", status="berhenti", atasan=world["head"])
    newcomer = make_pegawai(session, world["unit"], name="Pegawai Baru", atasan=world["head"])
    session.commit()
    assert pegawai_without_account(session, world["palu"]) == [newcomer], "no new login for who left"

    report = open_period_job(session, world["hr"], world["palu"], 2027)
    session.expire_all()
    opened = set(session.scalars(select(Evaluation.pegawai_id)))
    assert (report.created, report.not_aktif) == (3, 2), "no evaluation for who left, and the count says so"
    assert opened == {world["head"].id, world["analyst"].id, newcomer.id}

    _edit(client, world["staff"], status="aktif", status_since="")
    assert login(app.test_client(), "staf", PASSWORD).request.path == "/admin/", "back in service, back in"


def test_an_atasan_with_active_reports_cannot_leave_and_nobody_reports_to_a_retired_pegawai(client, world, session):
    login(client, "hr.palu", PASSWORD)
    refused = _edit(client, world["head"], status="pindah")
    assert "Pegawai ini masih atasan langsung dari 2 pegawai aktif" in _text(refused)
    session.expire_all()
    assert session.get(Pegawai, world["head"].id).status == "aktif"
    _edit(client, world["analyst"], status="meninggal")
    refused = _edit(client, world["staff"], atasan=str(world["analyst"].id))
    assert "Atasan Analis Kebijakan berstatus meninggal, bukan aktif." in _text(refused)
    session.expire_all()
    assert session.get(Pegawai, world["staff"].id).atasan_id == world["head"].id


def test_a_role_holder_linked_to_a_retired_pegawai_still_signs_in(app, client, world, session):
    login(client, "hr.palu", PASSWORD)
    _edit(client, world["analyst"], status="pensiun")
    assert login(app.test_client(), "kebijakan.palu", PASSWORD).request.path == "/admin/"
    assert session.scalar(select(func.count()).select_from(Pegawai).where(Pegawai.status == "pensiun")) == 1
