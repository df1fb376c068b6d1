"""A whole lifecycle for each seed daerah, with that daerah's published rules; deadlines and what is overdue."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from engine.audit import AuditLog, verify_chain
from rules.decisions import replay
from rules.models import Decision
from workflows.deadlines import my_overdue, overdue, set_deadline
from workflows.errors import WorkflowNotAllowed, WorkflowNotFound
from workflows.followup import resolve_follow_up
from workflows.models import ServiceMeasure
from workflows.realization import import_predikat_history, record_disiplin
from workflows.review import decide_evaluation, rate_perilaku
from tests.integration.workflows.wf_fixtures import ALL, TAHUN, build_world, drive, evaluation_of, wf  # noqa: F401

SEED_DAERAH = [("palangkaraya", "Asia/Jakarta"), ("kemuning", "Asia/Jakarta"), ("palu", "Asia/Makassar"),
               ("pontianak", "Asia/Jakarta"), ("bantul", "Asia/Jakarta")]


@pytest.mark.parametrize("code,timezone", SEED_DAERAH)
def test_a_whole_lifecycle_with_the_daerahs_own_rules(session, code, timezone):
    w = build_world(session, code, timezone)
    import_predikat_history(session, w.hr, w.staff_p, TAHUN - 1, "sangat_baik", "e-Kinerja lama")
    session.add(ServiceMeasure(period_id=w.period.id, unit_id=w.dinas.id, daerah_id=w.palu.id,
                               jenis_layanan="kesehatan", kepuasan_masyarakat=90.0, kepuasan_masyarakat_responden=150,
                               waktu_layanan=2.0, waktu_respon_pengaduan=12.0))
    ev = drive(session, w, w.ev, "review", factor=1.5)
    record_disiplin(session, w.hr, ev, hari_tidak_masuk=0, menit_terlambat=30)
    rate_perilaku(session, w.atasan, ev, {v: "di_atas" for v in ALL}, kontribusi_tim="di_atas", inovasi=True)
    decision = decide_evaluation(session, w.atasan, ev)
    session.commit()
    assert [link.rule_version.label for link in decision.versions] == [
        f"{code}/scoring v1", f"{code}/reward_punishment v1", f"{code}/coaching v1"]
    assert decision.predikat == ev.predikat == "sangat_baik"
    assert replay(session, decision)["identical"]
    codes = [a["code"] for a in decision.result["actions"]]
    assert "penghargaan" in codes or "tpp_tambahan" in codes, codes
    ev = drive(session, w, ev, "follow_up")
    assert sorted(f.action_code for f in ev.follow_ups) == sorted(codes)
    for follow_up in list(ev.follow_ups):
        owner = w.hr if follow_up.owner_role == "hr" else w.atasan
        resolve_follow_up(session, owner, follow_up, "Dilaksanakan; SK terlampir.")
    session.commit()
    assert ev.state == "closed"
    assert [h.event for h in ev.history] == ["submit_plan", "approve_plan", "start_realization",
                                             "submit_realization", "give_feedback", "acknowledge", "complete"]
    transitions = session.scalars(select(AuditLog).where(AuditLog.entity == "evaluation",
                                                         AuditLog.action == "transition",
                                                         AuditLog.entity_id == str(ev.id))).all()
    assert len(transitions) == len(ev.history)
    assert verify_chain(session).ok


def test_two_years_sangat_baik_in_a_row_reaches_the_talent_pool(session, wf):
    import_predikat_history(session, wf.hr, wf.staff_p, TAHUN - 1, "sangat_baik")
    ev = drive(session, wf, wf.ev, "decided", perilaku="di_atas", factor=1.5)
    decision = session.get(Decision, ev.decision_id)
    assert decision.facts["riwayat"] == [{"tahun": TAHUN - 1, "predikat": "sangat_baik"}]
    assert "talent_pool" in [a["code"] for a in decision.result["actions"]]


def test_overdue_lists_who_must_act_on_the_daerahs_date(session, wf):
    drive(session, wf, wf.ev, "plan_submitted")
    items = overdue(session, wf.hr, wf.palu, dt.date(TAHUN, 2, 16))
    by_name = {(i.name, i.state): i for i in items}
    staff = by_name[("Pranata Komputer", "plan_submitted")]
    assert (staff.responsible_role, staff.responsible_name) == ("atasan", "Kepala Seksi")
    assert staff.due_on == dt.date(TAHUN, 2, 15) and staff.days_late == 1
    top = by_name[("Kepala Dinas", "plan_draft")]
    assert top.responsible_role == "pegawai" and top.days_late == 16
    assert overdue(session, wf.hr, wf.palu, dt.date(TAHUN, 1, 31)) == []  # due today is not late
    mine = my_overdue(session, wf.atasan, wf.palu, dt.date(TAHUN, 2, 16))
    assert {(i.name, i.responsible_role) for i in mine} == {("Pranata Komputer", "atasan"),
                                                            ("Kepala Seksi", "pegawai")}


def test_deadlines_are_data_hr_changes(session, wf):
    set_deadline(session, wf.hr, wf.palu, "plan_draft", month=2, day=28)
    assert overdue(session, wf.hr, wf.palu, dt.date(TAHUN, 2, 16)) == []
    with pytest.raises(WorkflowNotAllowed):
        set_deadline(session, wf.atasan, wf.palu, "plan_draft", month=3, day=1)
    from workflows.errors import WorkflowInvalid
    with pytest.raises(WorkflowInvalid) as info:
        set_deadline(session, wf.hr, wf.palu, "plan_draft", month=2, day=30)
    assert info.value.problems[0].path == "day"


def test_overdue_for_everyone_is_for_hr_and_auditors(session, wf):
    assert overdue(session, wf.auditor, wf.palu, dt.date(TAHUN, 2, 16))
    with pytest.raises(WorkflowNotAllowed):
        overdue(session, wf.pegawai, wf.palu, dt.date(TAHUN, 2, 16))
    with pytest.raises(WorkflowNotFound):
        overdue(session, wf.hr_bantul, wf.palu, dt.date(TAHUN, 2, 16))


def test_overdue_follow_ups_name_their_owner(session, wf):
    ev = drive(session, wf, wf.ev, "follow_up", perilaku="di_bawah", factor=0.5)
    late = max(f.due_on for f in ev.follow_ups) + dt.timedelta(days=1)
    items = [i for i in overdue(session, wf.hr, wf.palu, late) if i.kind == "follow_up"]
    assert {i.what for i in items} == {f.action_code for f in ev.follow_ups}
    atasan_items = [i for i in items if i.responsible_role == "atasan"]
    assert atasan_items and all(i.responsible_name == "Kepala Seksi" for i in atasan_items)


def test_what_is_left_of_a_pegawai_who_left_goes_to_hr(session, wf):
    ev = drive(session, wf, wf.ev, "follow_up", perilaku="di_bawah", factor=0.5)
    late = max(f.due_on for f in ev.follow_ups) + dt.timedelta(days=1)
    wf.staff_p.status, wf.staff_p.status_since = "pindah", late
    session.flush()
    theirs = [i for i in overdue(session, wf.hr, wf.palu, late) if i.name == "Pranata Komputer"]
    assert theirs and {(i.responsible_role, i.pegawai_status) for i in theirs} == {("hr", "pindah")}
    assert not [i for i in my_overdue(session, wf.atasan, wf.palu, late) if i.name == "Pranata Komputer"]
    assert {i.evaluation_id for i in my_overdue(session, wf.hr, wf.palu, late) if i.name == "Pranata Komputer"} \
        == {ev.id}, "HR sees it among what they must act on"
