"""The SKP plan checks: input shape on save, and the submission guards with messages naming each problem."""
from __future__ import annotations

from types import SimpleNamespace as NS

import pytest

from workflows.skp import plan_input_problems, plan_problems


def iki(uraian="Dokumen", target=12.0, arah="naik", bobot=50.0, aspek="kuantitas"):
    return NS(uraian=uraian, target=target, arah=arah, bobot=bobot, aspek=aspek)


def rhk(jenis="utama", uraian="RHK A", ikis=None):
    return NS(jenis=jenis, uraian=uraian, iki=[iki()] if ikis is None else ikis)


def codes(problems):
    return [p.code for p in problems]


def test_a_complete_plan_passes():
    assert plan_problems([rhk(ikis=[iki(bobot=60)]), rhk("tambahan", ikis=[iki(bobot=40, arah="turun", target=0)])]) == []


def test_no_rhk_utama():
    problems = plan_problems([rhk("tambahan", ikis=[iki(bobot=100)])])
    assert codes(problems) == ["rhk_utama_required"]
    assert "RHK utama" in problems[0].message_id and "RHK utama" in problems[0].message_en


def test_empty_plan_needs_an_rhk_utama_and_nothing_else():
    assert codes(plan_problems([])) == ["rhk_utama_required"]


def test_every_rhk_needs_an_iki_named_by_its_description():
    problems = plan_problems([rhk(ikis=[iki(bobot=100)]), rhk("tambahan", uraian="Tugas tambahan", ikis=[])])
    assert codes(problems) == ["iki_required"]
    assert problems[0].path == "rhk[1].iki" and "Tugas tambahan" in problems[0].message_id


def test_weights_must_sum_to_100_and_the_message_gives_the_sum():
    problems = plan_problems([rhk(ikis=[iki(bobot=50), iki(bobot=40)])])
    assert codes(problems) == ["bobot_sum"]
    assert "sekarang 90" in problems[0].message_id and "sum to 90" in problems[0].message_en


def test_each_weight_is_positive():
    problems = plan_problems([rhk(ikis=[iki(bobot=100), iki(uraian="Nol", bobot=0)])])
    assert codes(problems) == ["bobot_positive"] and "Nol" in problems[0].message_en


@pytest.mark.parametrize("arah,target,ok", [("naik", 1, True), ("naik", 0, False), ("naik", -2, False),
                                             ("turun", 0, True), ("turun", 3, True), ("turun", -1, False)])
def test_targets_valid_for_their_arah(arah, target, ok):
    problems = plan_problems([rhk(ikis=[iki(arah=arah, target=target, bobot=100)])])
    assert (problems == []) is ok
    if not ok:
        assert codes(problems) == [f"target_{arah}"] and problems[0].path == "rhk[0].iki[0].target"


def test_input_shape_problems_are_located():
    problems = plan_input_problems([
        {"jenis": "pokok", "uraian": "", "iki": [{"uraian": "x", "aspek": "mutu", "target": "12", "bobot": True,
                                                  "arah": "atas"}]},
        "bukan objek"])
    assert {(p.path, p.code) for p in problems} == {
        ("rhk[0].jenis", "enum"), ("rhk[0].uraian", "required"), ("rhk[0].iki[0].aspek", "enum"),
        ("rhk[0].iki[0].target", "type"), ("rhk[0].iki[0].bobot", "type"), ("rhk[0].iki[0].arah", "enum"),
        ("rhk[1]", "type")}


def test_a_draft_may_be_incomplete_on_save():
    assert plan_input_problems([{"jenis": "tambahan", "uraian": "Belum ada IKI", "iki": []}]) == []
