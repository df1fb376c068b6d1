"""Rule document validation: each error case names its path and says what is wrong in id and en."""
from __future__ import annotations

import copy

import pytest

from engine.runtime import validate_document
from runtime_support import DAERAH, resolved

BASE = resolved("nasional")


def _doc(stage: str, *rules) -> dict:
    return {"pack": "uji", "version": "1", "stages": {stage: {"rules": list(rules)}}}


def _problems(doc) -> dict:
    found = {}
    for p in validate_document(doc):
        found.setdefault(p.path, p)
    return found


def _one(doc, path, code):
    problems = _problems(doc)
    assert path in problems, sorted(problems)
    problem = problems[path]
    assert problem.code == code
    assert problem.message_id and problem.message_en and problem.message_id != problem.message_en
    return problem


@pytest.mark.parametrize("name", ("nasional",) + DAERAH)
def test_shipped_packs_are_valid(name):
    assert validate_document(resolved(name)) == []


@pytest.mark.parametrize("doc", [None, [], "x", 3])
def test_wrong_shape_is_a_problem_not_an_exception(doc):
    (problem,) = validate_document(doc)
    assert problem.path == "$" and problem.code == "shape"


def test_missing_keys_and_unknown_stage():
    problems = _problems({"stages": {"hasil_kerj": {"rules": []}}, "extra": 1})
    assert {"pack", "version", "stages.hasil_kerj", "extra"} <= set(problems)
    assert "hasil_kerja" in problems["stages.hasil_kerj"].message_en


def test_unknown_fact_with_did_you_mean():
    doc = _doc("hasil_kerja", {"id": "r", "when": {"fact": "capaian_tertimbng", "op": ">", "value": 1},
                               "set": {"rating_hasil_kerja": "sesuai"}})
    p = _one(doc, "stages.hasil_kerja.rules[r].when.fact", "unknown_fact")
    assert "maksud Anda 'capaian_tertimbang'" in p.message_id and "did you mean 'capaian_tertimbang'" in p.message_en


def test_type_mismatch_string_for_number():
    doc = _doc("hasil_kerja", {"id": "r", "when": {"fact": "capaian_tertimbang", "op": ">", "value": "80"},
                               "set": {"rating_hasil_kerja": "sesuai"}})
    p = _one(doc, "stages.hasil_kerja.rules[r].when.value", "type")
    assert "harus angka" in p.message_id and "must be a number" in p.message_en


def test_operator_that_does_not_fit_the_type():
    doc = _doc("perilaku", {"id": "r", "when": {"fact": "perilaku.akuntabel", "op": ">", "value": "sesuai"},
                            "set": {"rating_perilaku": "sesuai"}})
    p = _one(doc, "stages.perilaku.rules[r].when.op", "op_type")
    assert "tidak cocok" in p.message_id and "does not fit" in p.message_en


def test_fact_not_yet_available_in_stage():
    doc = _doc("hasil_kerja", {"id": "r", "when": {"fact": "predikat", "op": "=", "value": "baik"},
                               "set": {"rating_hasil_kerja": "sesuai"}})
    _one(doc, "stages.hasil_kerja.rules[r].when.fact", "not_available")


def test_empty_and_contradictory_conditions():
    doc = _doc("triggers",
               {"id": "kosong", "when": {"all": []}, "actions": [{"code": "penghargaan"}]},
               {"id": "bentrok", "when": {"all": [{"fact": "disiplin.hari_tidak_masuk", "op": ">", "value": 5},
                                                  {"fact": "disiplin.hari_tidak_masuk", "op": "<", "value": 3}]},
                "actions": [{"code": "penghargaan"}]},
               {"id": "rentang", "when": {"fact": "skor", "op": "between", "value": [5, 3]},
                "actions": [{"code": "penghargaan"}]},
               {"id": "enum", "when": {"all": [{"fact": "predikat", "op": "=", "value": "baik"},
                                               {"fact": "predikat", "op": "in", "value": ["sangat_baik"]}]},
                "actions": [{"code": "penghargaan"}]})
    _one(doc, "stages.triggers.rules[kosong].when.all", "empty")
    p = _one(doc, "stages.triggers.rules[bentrok].when.all", "contradiction")
    assert "bertentangan" in p.message_id and "contradictory" in p.message_en
    _one(doc, "stages.triggers.rules[rentang].when.value", "empty_range")
    _one(doc, "stages.triggers.rules[enum].when.all", "contradiction")


def test_consistent_all_is_not_flagged():
    doc = _doc("triggers", {"id": "ok", "when": {"all": [
        {"fact": "disiplin.hari_tidak_masuk", "op": ">", "value": 3},
        {"fact": "disiplin.hari_tidak_masuk", "op": "<", "value": 5}]}, "actions": [{"code": "teguran_lisan"}]})
    assert validate_document(doc) == []


def _matrix(rows, policy="first"):
    return _doc("predikat", {"id": "m", "table": {"hit_policy": policy, "inputs": ["rating_hasil_kerja", "rating_perilaku"],
                                                  "rows": rows}})


def test_table_gap_lists_uncovered_combination():
    rows = copy.deepcopy(BASE["stages"]["predikat"]["rules"][0]["table"]["rows"])
    rows = [r for r in rows if r["id"] != "atas_sesuai"]
    p = _one(_matrix(rows), "stages.predikat.rules[m].table.rows", "gap")
    assert "rating_hasil_kerja=di_atas, rating_perilaku=sesuai" in p.message_id
    assert "no row covers" in p.message_en


def test_first_policy_shadowed_row():
    rows = copy.deepcopy(BASE["stages"]["predikat"]["rules"][0]["table"]["rows"])
    rows.append({"id": "telat", "when": ["sesuai", "sesuai"], "set": {"predikat": "sangat_baik"}})
    p = _one(_matrix(rows), "stages.predikat.rules[m].table.rows[telat]", "shadowed")
    assert "sesuai_sesuai" in p.message_id and "shadowed" in p.message_en


def test_unique_policy_overlap():
    rows = copy.deepcopy(BASE["stages"]["predikat"]["rules"][0]["table"]["rows"])
    p = _one(_matrix(rows, "unique"), "stages.predikat.rules[m].table.rows[bawah_bawah]", "overlap")
    assert "perilaku_bawah" in p.message_id and "overlaps" in p.message_en


def test_collect_conflicting_outputs():
    doc = _doc("skor", {"id": "t", "table": {"hit_policy": "collect", "inputs": ["predikat"], "rows": [
        {"id": "a", "when": ["baik"], "set": {"tpp_persen": 100}},
        {"id": "b", "when": [{"op": "in", "value": ["baik", "sangat_baik"]}], "set": {"tpp_persen": 90}}]}})
    p = _one(doc, "stages.skor.rules[t].table.rows[a]", "overlap")
    assert "tpp_persen" in p.message_en


def test_numeric_table_gap_and_shadow():
    doc = _doc("skor", {"id": "t", "table": {"hit_policy": "first", "inputs": ["capaian_tertimbang"], "rows": [
        {"id": "tinggi", "when": [{"op": ">=", "value": 100}], "set": {"skor": 3}},
        {"id": "sedang", "when": [{"op": "between", "value": [50, 90]}], "set": {"skor": 2}},
        {"id": "tertutup", "when": [{"op": ">", "value": 120}], "set": {"skor": 1}}]}})
    problems = [p for p in validate_document(doc)]
    codes = {(p.path, p.code) for p in problems}
    assert ("stages.skor.rules[t].table.rows[tertutup]", "shadowed") in codes
    gaps = [p.message_en for p in problems if p.code == "gap"]
    assert any("capaian_tertimbang=95" in g for g in gaps) and any("capaian_tertimbang=49" in g for g in gaps)


def test_unknown_action_and_bad_params():
    doc = _doc("triggers", {"id": "r", "when": {"fact": "predikat", "op": "=", "value": "baik"}, "actions": [
        {"code": "penghargan"},
        {"code": "potong_tpp", "params": {"percent": 150, "bulan": 2}},
        {"code": "tpp_tambahan", "params": {"percent": "5"}, "owner": "bos", "due_days": -1}]})
    p = _one(doc, "stages.triggers.rules[r].actions[0].code", "unknown_action")
    assert "maksud Anda 'penghargaan'" in p.message_id
    _one(doc, "stages.triggers.rules[r].actions[potong_tpp].params.percent", "range")
    _one(doc, "stages.triggers.rules[r].actions[potong_tpp].params.bulan", "unknown_param")
    _one(doc, "stages.triggers.rules[r].actions[potong_tpp].params.months", "required")
    _one(doc, "stages.triggers.rules[r].actions[tpp_tambahan].params.percent", "type")
    _one(doc, "stages.triggers.rules[r].actions[tpp_tambahan].owner", "enum")
    _one(doc, "stages.triggers.rules[r].actions[tpp_tambahan].due_days", "range")


def test_output_in_wrong_stage_and_bad_value():
    doc = _doc("hasil_kerja", {"id": "r", "otherwise": True, "set": {"predikat": "baik", "rating_hasil_kerja": "bagus"}})
    _one(doc, "stages.hasil_kerja.rules[r].set.predikat", "wrong_stage")
    _one(doc, "stages.hasil_kerja.rules[r].set.rating_hasil_kerja", "type")


def test_rule_shape_problems():
    doc = _doc("triggers", {"id": "Bad Id", "when": {"fact": "predikat", "op": "=", "value": "baik"},
                            "actions": [{"code": "penghargaan"}]},
               {"id": "dua", "otherwise": True, "when": {"fact": "predikat", "op": "is_set"},
                "actions": [{"code": "penghargaan"}]},
               {"id": "hampa", "when": {"fact": "predikat", "op": "is_set"}},
               {"id": "presisi", "when": {"fact": "skor", "op": ">", "value": 1.23456},
                "actions": [{"code": "penghargaan"}]})
    _one(doc, "stages.triggers.rules[0].id", "id")
    _one(doc, "stages.triggers.rules[dua]", "shape")
    _one(doc, "stages.triggers.rules[hampa]", "no_effect")
    p = _one(doc, "stages.triggers.rules[presisi].when.value", "type")
    assert "4" in p.message_en


def test_duplicate_rule_id_across_stages():
    doc = copy.deepcopy(BASE)
    doc["stages"]["triggers"]["rules"].append(copy.deepcopy(doc["stages"]["hasil_kerja"]["rules"][0]))
    assert any(p.code == "duplicate" for p in validate_document(doc))
