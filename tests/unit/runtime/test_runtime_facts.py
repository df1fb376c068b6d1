"""The facts validator (located, bilingual problems), normalisation and derived facts."""
from __future__ import annotations

import math

import pytest

from engine.runtime import normalize_facts, validate_facts
from engine.runtime import derive
from runtime_support import make_facts


def _by_path(facts) -> dict:
    return {p.path: p for p in validate_facts(facts)}


def test_contract_example_is_valid():
    assert validate_facts(make_facts()) == []


@pytest.mark.parametrize(("facts", "path", "code", "needle_id", "needle_en"), [
    ("not a dict", "$", "type", "harus objek", "must be an object"),
    (make_facts(daerah=None), "daerah", "required", "wajib", "required"),
    (make_facts(perilaku={**make_facts()["perilaku"], "akuntabel": "diatas"}), "perilaku.akuntabel", "enum",
     "maksud Anda 'di_atas'", "did you mean 'di_atas'"),
    (make_facts(kepuasan_masyarakat="87"), "kepuasan_masyarakat", "type", "harus angka", "must be a number"),
    (make_facts(kepuasan_masyarakat=float("nan")), "kepuasan_masyarakat", "type", "terhingga", "finite"),
    (make_facts(kepuasan_masyarakat=math.inf), "kepuasan_masyarakat", "type", "terhingga", "finite"),
    (make_facts(kepuasan_masyarakat=120), "kepuasan_masyarakat", "range", "0..100", "0..100"),
    (make_facts(disiplin={"hari_tidak_masuk": 1.5, "menit_terlambat": 0}), "disiplin.hari_tidak_masuk", "type",
     "bilangan bulat", "whole number"),
    (make_facts(disiplin={"hari_tidak_masuk": True, "menit_terlambat": 0}), "disiplin.hari_tidak_masuk", "type",
     "bilangan bulat", "integer"),
    (make_facts(iki=[{"id": "a", "aspek": "kuantitas", "arah": "naik", "target": 1e15, "realisasi": 1, "bobot": 100}]),
     "iki[0].target", "type", "1e15", "1e15"),
    (make_facts(iki=[{"id": "a", "aspek": "kuantitas", "arah": "naik", "target": 1, "realisasi": 1, "bobot": 60}]),
     "iki", "weights", "jumlah bobot IKI harus 100", "must sum to 100"),
    (make_facts(iki=[]), "iki", "required", "paling sedikit satu IKI", "at least one IKI"),
    (make_facts(inovsi=True), "inovsi", "unknown_field", "maksud Anda 'inovasi'", "did you mean 'inovasi'"),
    (make_facts(riwayat=[{"tahun": 2025, "predikat": "baik"}, {"tahun": 2025, "predikat": "baik"}]),
     "riwayat[1].tahun", "duplicate", "ganda", "duplicate"),
])
def test_problem_is_located_and_bilingual(facts, path, code, needle_id, needle_en):
    problem = _by_path(facts)[path]
    assert problem.code == code
    assert needle_id in problem.message_id and needle_en in problem.message_en


def test_normalize_rounds_to_four_places_and_keeps_ints():
    facts = make_facts(kepuasan_masyarakat=87.123456, iki=[
        {"id": "a", "aspek": "kuantitas", "arah": "naik", "target": 3, "realisasi": 0.00001, "bobot": 100}])
    norm = normalize_facts(facts)
    assert norm["kepuasan_masyarakat"] == 87.1235
    assert norm["iki"][0]["realisasi"] == 0.0 and isinstance(norm["iki"][0]["target"], int)
    assert facts["kepuasan_masyarakat"] == 87.123456  # input untouched


def test_derived_facts():
    facts = normalize_facts(make_facts(
        disiplin={"hari_tidak_masuk": 2, "menit_terlambat": 1000}, aktivitas_harian=18, hari_kerja=20,
        riwayat=[{"tahun": 2025, "predikat": "sangat_baik"}, {"tahun": 2024, "predikat": "sangat_baik"},
                 {"tahun": 2022, "predikat": "sangat_baik"}]))
    state = derive.start(facts)
    p = state.pegawai
    assert p["capaian_tertimbang"] == round((13 / 12 * 100) * 0.6 + (4 / 3 * 100) * 0.4, 4)
    assert (p["jumlah_perilaku_di_atas"], p["jumlah_perilaku_sesuai"], p["jumlah_perilaku_di_bawah"]) == (2, 5, 0)
    assert p["disiplin.hari_tidak_masuk_setara"] == 4  # 2 days + 1000 min // 450
    assert p["persen_aktivitas_harian"] == 90.0
    assert p["predikat_tahun_lalu"] == "sangat_baik"
    derive.advance(state, "predikat", {"_": {"predikat": "sangat_baik"}}, facts)
    assert p["tahun_berturut_sangat_baik"] == 3  # 2026, 2025, 2024 (2023 breaks the run)
    assert p["tahun_berturut_di_bawah_baik"] == 0
    derive.advance(state, "predikat", {"_": {"predikat": "baik"}}, facts)
    assert p["tahun_berturut_sangat_baik"] == 0


@pytest.mark.parametrize(("arah", "target", "realisasi", "expected"), [
    ("naik", 12, 13, (108.3333, None)), ("turun", 3, 2, (133.3333, None)), ("turun", 3, 6, (0.0, None)),
    ("turun", 3, 7, (0.0, None)), ("naik", 0, 5, (None, "target_nol")), ("turun", 0, 0, (None, "target_nol")),
    ("naik", 5, None, (None, "realisasi_kosong")),
])
def test_capaian_formula(arah, target, realisasi, expected):
    item = {"arah": arah, "target": target}
    if realisasi is not None:
        item["realisasi"] = realisasi
    assert derive.capaian_iki(item) == expected
