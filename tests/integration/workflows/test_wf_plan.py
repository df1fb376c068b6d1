"""Periods and the SKP plan: opening is idempotent; the pegawai writes the draft; guards name what is wrong."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from workflows.errors import WorkflowConflict, WorkflowInvalid, WorkflowNotAllowed, WorkflowNotFound
from workflows.models import DeadlineRule, Evaluation, Iki, Period, Rhk
from workflows.periods import open_period
from workflows.plan import approve_plan, return_plan, save_plan, set_ekspektasi, submit_plan
from workflows.settings import set_workflow_settings
from tests.factories import make_pegawai
from tests.integration.workflows.wf_fixtures import TAHUN, evaluation_of, plan_input, wf  # noqa: F401 (fixture)


def _count(session, model, *where) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where))


def test_opening_a_period_creates_one_evaluation_per_pegawai_and_twice_nothing_more(session, wf):
    assert _count(session, Evaluation, Evaluation.daerah_id == wf.palu.id) == 5
    make_pegawai(session, wf.bidang, name="Pegawai Baru", atasan=wf.kasi_p)
    again = open_period(session, wf.hr, wf.palu, TAHUN)
    session.commit()
    assert (again.created, again.existing) == (1, 5)
    assert open_period(session, wf.hr, wf.palu, TAHUN).created == 0
    assert _count(session, Evaluation, Evaluation.daerah_id == wf.palu.id) == 6
    assert all(e.state == "plan_draft" and e.version == 1 for e in session.scalars(select(Evaluation)))


def test_a_period_has_the_sub_periods_the_daerah_chose_and_its_deadlines_as_data(session, wf):
    subs = session.scalars(select(Period.jenis).where(Period.parent_id == wf.period.id).order_by(Period.starts_on))
    assert list(subs) == ["triwulan_1", "triwulan_2", "triwulan_3", "triwulan_4"]
    set_workflow_settings(session, wf.hr, wf.palu, sub_periods="bulanan", keberatan_days=10)
    report = open_period(session, wf.hr, wf.palu, TAHUN + 1, wf.bidang)
    period = session.get(Period, report.period_id)
    assert [p.jenis for p in period.children][:2] == ["bulanan_01", "bulanan_02"] and len(period.children) == 12
    assert report.created == 4  # the bidang's four pegawai, not the kepala dinas of the parent unit
    plan_rule = session.scalar(select(DeadlineRule).where(DeadlineRule.daerah_id == wf.palu.id,
                                                          DeadlineRule.state == "plan_draft"))
    assert (plan_rule.month, plan_rule.day, plan_rule.year_offset) == (1, 31, 0)


def test_only_hr_of_the_daerah_opens_periods(session, wf):
    with pytest.raises(WorkflowNotAllowed):
        open_period(session, wf.atasan, wf.palu, TAHUN)
    with pytest.raises(WorkflowNotFound):
        open_period(session, wf.hr_bantul, wf.palu, TAHUN)
    with pytest.raises(WorkflowInvalid) as info:
        open_period(session, wf.hr, wf.palu, 1990)
    assert info.value.problems[0].path == "tahun"


def test_the_pegawai_saves_the_plan_and_saving_again_updates_by_id(session, wf):
    ev = save_plan(session, wf.pegawai, wf.ev, plan_input())
    session.commit()
    first = [(r.id, [i.id for i in r.iki]) for r in ev.rhk]
    data = [{"id": r.id, "jenis": r.jenis, "uraian": r.uraian,
             "iki": [{"id": i.id, "uraian": i.uraian, "aspek": i.aspek, "target": i.target, "satuan": i.satuan,
                      "arah": i.arah, "bobot": i.bobot} for i in r.iki]} for r in ev.rhk[:2]]
    data[0]["iki"][0]["target"] = 20
    data[1]["iki"][0]["bobot"] = 60
    save_plan(session, wf.pegawai, ev, data)
    session.commit()
    session.expire_all()
    assert [(r.id, [i.id for i in r.iki]) for r in ev.rhk] == first[:2]  # same rows, the third RHK removed
    assert ev.rhk[0].iki[0].target == 20
    assert _count(session, Rhk, Rhk.evaluation_id == ev.id) == 2
    assert _count(session, Iki, Iki.evaluation_id == ev.id) == 2


def test_plan_input_problems_are_located_and_nothing_is_stored(session, wf):
    bad = plan_input()
    bad[0]["iki"][0]["aspek"] = "mutu"
    bad[1]["id"] = 999999
    with pytest.raises(WorkflowInvalid) as info:
        save_plan(session, wf.pegawai, wf.ev, bad)
    assert {p.path for p in info.value.problems} == {"rhk[0].iki[0].aspek", "rhk[1].id"}
    session.rollback()
    assert _count(session, Rhk, Rhk.evaluation_id == wf.ev.id) == 0


def test_plan_numbers_the_engine_cannot_read_and_a_satuan_too_long_are_refused_at_the_field(session, wf):
    bad = plan_input()
    bad[0]["iki"][0]["target"] = 1e20
    bad[1]["iki"][0]["satuan"] = "x" * 61
    with pytest.raises(WorkflowInvalid) as info:
        save_plan(session, wf.pegawai, wf.ev, bad)
    assert {p.path for p in info.value.problems} == {"rhk[0].iki[0].target", "rhk[1].iki[0].satuan"}
    assert "paling panjang 60 karakter" in info.value.message_id and "must be < 1e15" in info.value.message_en
    session.rollback()
    assert _count(session, Rhk, Rhk.evaluation_id == wf.ev.id) == 0


def test_intervensi_links_only_to_an_rhk_of_the_direct_atasan(session, wf):
    atasan_ev = evaluation_of(session, wf.kasi_p)
    save_plan(session, wf.atasan, atasan_ev, plan_input())
    peer_ev = evaluation_of(session, wf.peer_p)
    save_plan(session, wf.peer, peer_ev, plan_input())
    linked = plan_input()
    linked[0]["intervensi_rhk_id"] = atasan_ev.rhk[0].id
    save_plan(session, wf.pegawai, wf.ev, linked)
    assert wf.ev.rhk[0].intervensi.uraian == atasan_ev.rhk[0].uraian
    wrong = plan_input()
    wrong[0]["intervensi_rhk_id"] = peer_ev.rhk[0].id
    with pytest.raises(WorkflowInvalid) as info:
        save_plan(session, wf.pegawai, wf.ev, wrong)
    assert info.value.problems[0].code == "intervensi"


def test_submission_guards_name_each_problem(session, wf):
    plan = plan_input(bobot=(40, 30, 20), target=0)
    plan[2]["jenis"] = "utama"
    plan.append({"jenis": "tambahan", "uraian": "Tanpa IKI", "iki": []})
    save_plan(session, wf.pegawai, wf.ev, plan)
    with pytest.raises(WorkflowInvalid) as info:
        submit_plan(session, wf.pegawai, wf.ev)
    codes = {p.code for p in info.value.problems}
    assert codes == {"iki_required", "bobot_sum", "target_naik"}
    assert "sekarang 90" in info.value.message_id and "Tanpa IKI" in info.value.message_en
    assert wf.ev.state == "plan_draft"


def test_the_plan_is_frozen_once_submitted_and_the_atasan_returns_it_with_a_reason(session, wf):
    save_plan(session, wf.pegawai, wf.ev, plan_input())
    submit_plan(session, wf.pegawai, wf.ev)
    with pytest.raises(WorkflowConflict) as info:
        save_plan(session, wf.pegawai, wf.ev, plan_input())
    assert "return" in info.value.message_en
    with pytest.raises(WorkflowNotAllowed):
        save_plan(session, wf.atasan, wf.ev, plan_input())
    return_plan(session, wf.atasan, wf.ev, "Target IKI 1 terlalu rendah.")
    assert wf.ev.state == "plan_draft" and wf.ev.history[-1].reason == "Target IKI 1 terlalu rendah."
    save_plan(session, wf.pegawai, wf.ev, plan_input(target=24))
    submit_plan(session, wf.pegawai, wf.ev)
    approve_plan(session, wf.atasan, wf.ev)
    session.commit()
    assert wf.ev.state == "plan_approved" and wf.ev.plan_approved_at is not None
    assert [h.event for h in wf.ev.history] == ["submit_plan", "return_plan", "submit_plan", "approve_plan"]


def test_the_atasan_sets_expectations_per_berakhlak_value(session, wf):
    rows = set_ekspektasi(session, wf.atasan, wf.ev, {"akuntabel": "Laporan tepat waktu.", "loyal": "Menjaga data."})
    assert {r.nilai for r in rows} == {"akuntabel", "loyal"}
    set_ekspektasi(session, wf.atasan, wf.ev, {"loyal": ""})
    assert [e.nilai for e in wf.ev.ekspektasi] == ["akuntabel"]
    with pytest.raises(WorkflowInvalid) as info:
        set_ekspektasi(session, wf.atasan, wf.ev, {"jujur": "x"})
    assert "BerAKHLAK" in info.value.message_en
    with pytest.raises(WorkflowNotAllowed):
        set_ekspektasi(session, wf.pegawai, wf.ev, {"akuntabel": "Saya tetapkan sendiri."})
