"""Kurva distribusi checks against the nasional table, including the small-unit rounding rule."""
from __future__ import annotations

import pytest

from engine.runtime import check_kurva
from engine.runtime.kurva import validate_kurva_table
from runtime_support import pack

TABLE = pack("nasional")["kurva"]


def _violations(counts, org):
    return {(v["id"], v["kind"], v["count"], v["limit_count"]) for v in check_kurva(counts, org, TABLE)["violations"]}


def test_istimewa_caps_sangat_baik_at_70_percent():
    assert _violations({"sangat_baik": 8, "baik": 2}, "istimewa") == {("sb_maks_70", "max", 8, 7)}
    assert _violations({"sangat_baik": 7, "baik": 3}, "istimewa") == set()


def test_positive_cap_allows_one_person_in_a_tiny_unit():
    assert _violations({"sangat_baik": 1}, "istimewa") == set()          # floor(0.7) = 0 -> at least 1
    assert _violations({"sangat_baik": 1, "baik": 4}, "butuh_perbaikan") == {("bp_min_60", "min", 0, 3)}


def test_baik_needs_someone_in_butuh_perbaikan_or_kurang_from_three_pegawai():
    result = check_kurva({"baik": 8, "sangat_baik": 2}, "baik", TABLE)
    found = {v["id"]: v for v in result["violations"]}
    assert set(found) == {"baik_maks_70", "bp_atau_k_ada"}
    assert found["baik_maks_70"]["persen"] == 80.0 and found["baik_maks_70"]["limit_persen"] == 70
    assert found["baik_maks_70"]["message"]["id"] == "Baik: 8 dari 10 pegawai (80%), paling banyak 7 (70%)"
    assert found["bp_atau_k_ada"]["message"]["en"] == ("Needs Improvement + Poor/Misconduct: 0 of 10 employees "
                                                       "(0.0%), at least 1 required")
    assert _violations({"baik": 1, "sangat_baik": 1}, "baik") == set()      # n = 2 < min_n 3
    assert _violations({"baik": 2, "kurang_misconduct": 1}, "baik") == set()


def test_min_percent_rounds_up():
    # 60% of 4 -> 3 required
    assert _violations({"butuh_perbaikan": 2, "baik": 2}, "butuh_perbaikan") == {("bp_min_60", "min", 2, 3)}
    assert _violations({"butuh_perbaikan": 3, "baik": 1}, "butuh_perbaikan") == set()


def test_sangat_kurang_allows_no_sangat_baik():
    got = _violations({"sangat_baik": 1, "sangat_kurang": 7, "butuh_perbaikan": 2}, "sangat_kurang")
    assert got == {("sb_nol", "max", 1, 0)}


def test_empty_unit_and_result_shape():
    result = check_kurva({}, "kurang", TABLE)
    assert result["ok"] and result["n"] == 0
    result = check_kurva({"kurang_misconduct": 6, "butuh_perbaikan": 1, "baik": 3}, "kurang", TABLE)
    assert result["ok"] and result["persen"]["kurang_misconduct"] == 60.0


def test_unknown_org_predikat_and_bad_table():
    with pytest.raises(ValueError):
        check_kurva({}, "bagus", TABLE)
    problems = validate_kurva_table({"istimewaa": [], "baik": [{"id": "x", "predikat": ["baik"], "max_persen": 170}]})
    assert {p.path for p in problems} == {"kurva.istimewaa", "kurva.baik[0].max_persen"}
