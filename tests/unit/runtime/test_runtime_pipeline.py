"""The nasional pack end to end through durable: the 9 matrix cells driven by facts, capaian and triggers."""
from __future__ import annotations

import pytest

from engine.runtime import ValidationFailed, evaluate
from runtime_support import iki_for, make_facts, perilaku, resolved

NASIONAL = resolved("nasional")
# hasil kerja driven by capaian (120 -> di_atas, 100 -> sesuai, 50 -> di_bawah);
# perilaku by counts (5 di_atas -> di_atas, all sesuai -> sesuai, 3 di_bawah -> di_bawah)
HASIL = {"di_atas": 120, "sesuai": 100, "di_bawah": 50}
PERILAKU = {"di_atas": perilaku(di_atas=5), "sesuai": perilaku(), "di_bawah": perilaku(di_bawah=3)}
MATRIX = {
    ("di_atas", "di_atas"): "sangat_baik", ("di_atas", "sesuai"): "baik", ("di_atas", "di_bawah"): "kurang_misconduct",
    ("sesuai", "di_atas"): "baik", ("sesuai", "sesuai"): "baik", ("sesuai", "di_bawah"): "kurang_misconduct",
    ("di_bawah", "di_atas"): "butuh_perbaikan", ("di_bawah", "sesuai"): "butuh_perbaikan",
    ("di_bawah", "di_bawah"): "sangat_kurang",
}


@pytest.mark.parametrize(("hasil", "perilaku_rating"), sorted(MATRIX))
def test_matrix_cell_from_facts(hasil, perilaku_rating):
    facts = make_facts(iki=iki_for(HASIL[hasil]), perilaku=PERILAKU[perilaku_rating], riwayat=[])
    out = evaluate(facts, NASIONAL).outputs
    assert (out["rating_hasil_kerja"], out["rating_perilaku"]) == (hasil, perilaku_rating)
    assert out["predikat"] == MATRIX[(hasil, perilaku_rating)]


@pytest.mark.parametrize(("arah", "target", "realisasi", "capaian", "rating"), [
    ("naik", 12, 13, 108.3333, "sesuai"), ("naik", 10, 11, 110.0, "di_atas"), ("naik", 10, 8.9, 89.0, "di_bawah"),
    ("turun", 3, 2, 133.3333, "di_atas"), ("turun", 3, 3, 100.0, "sesuai"), ("turun", 3, 6, 0.0, "di_bawah"),
    ("turun", 3, 9, 0.0, "di_bawah"),
])
def test_capaian_naik_turun(arah, target, realisasi, capaian, rating):
    iki = [{"id": "a", "aspek": "waktu", "arah": arah, "target": target, "realisasi": realisasi, "bobot": 100}]
    decision = evaluate(make_facts(iki=iki), NASIONAL)
    assert decision.capaian["iki"][0]["capaian"] == capaian
    assert decision.outputs["rating_iki"] == {"a": rating}


@pytest.mark.parametrize(("item", "reason"), [
    ({"target": 0, "realisasi": 5}, "target_nol"),
    ({"target": 10}, "realisasi_kosong"),
    ({"target": 10, "realisasi": None}, "realisasi_kosong"),
])
def test_iki_without_capaian_is_di_bawah_and_trace_says_why(item, reason):
    iki = [{"id": "x", "aspek": "kuantitas", "arah": "naik", "bobot": 50, **item},
           {"id": "y", "aspek": "kuantitas", "arah": "naik", "target": 10, "realisasi": 10, "bobot": 50}]
    decision = evaluate(make_facts(iki=iki), NASIONAL)
    entry = decision.capaian["iki"][0]
    assert entry == {"id": "x", "capaian": None, "tersedia": False, "alasan": reason}
    assert decision.outputs["rating_iki"]["x"] == "di_bawah"
    fired = [t for t in decision.trace if t["subject"] == "x" and t["effect"] == "applied"]
    assert fired[0]["rule"] == "iki_tanpa_capaian" and fired[0]["seen"] == {"iki.capaian_tersedia": False}
    # counted as 0 in the weighted capaian: (0 * 50 + 100 * 50) / 100
    assert decision.capaian["tertimbang"] == 50.0
    assert "1 IKI tanpa capaian" in decision.explanation["id"]


def test_utama_di_bawah_caps_hasil_kerja_at_sesuai():
    iki = [{"id": "u", "aspek": "kuantitas", "arah": "naik", "target": 10, "realisasi": 5, "bobot": 10},
           {"id": "t", "aspek": "kuantitas", "arah": "naik", "target": 10, "realisasi": 20, "bobot": 90}]
    capped = evaluate(make_facts(iki=iki), NASIONAL)
    assert capped.capaian["tertimbang"] == 185.0
    assert capped.outputs["rating_hasil_kerja"] == "sesuai"
    iki[0]["jenis_rhk"] = "tambahan"
    assert evaluate(make_facts(iki=iki), NASIONAL).outputs["rating_hasil_kerja"] == "di_atas"


def test_integrity_value_di_bawah_makes_perilaku_di_bawah():
    facts = make_facts(perilaku=perilaku(di_atas=5, di_bawah=1, integrity=True))
    assert evaluate(facts, NASIONAL).outputs["rating_perilaku"] == "di_bawah"
    facts = make_facts(perilaku=perilaku(di_atas=5, di_bawah=1))
    assert evaluate(facts, NASIONAL).outputs["rating_perilaku"] == "sesuai"


def _codes(decision):
    return [(a["code"], a["params"]) for a in decision.actions]


def test_triggers_penghargaan_and_talent_pool_need_this_and_last_year():
    facts = make_facts(iki=iki_for(120), perilaku=perilaku(di_atas=5))
    assert _codes(evaluate(facts, NASIONAL)) == [("penghargaan", {}), ("talent_pool", {})]
    facts["riwayat"] = [{"tahun": 2024, "predikat": "sangat_baik"}]          # not last year
    assert _codes(evaluate(facts, NASIONAL)) == [("penghargaan", {})]
    facts = make_facts(iki=iki_for(100), riwayat=[{"tahun": 2025, "predikat": "sangat_baik"}])  # baik this year
    assert _codes(evaluate(facts, NASIONAL)) == []


@pytest.mark.parametrize(("predikat_inputs", "expected"), [
    ((50, perilaku()), [("bimbingan_kinerja", {})]),
    ((100, perilaku(di_bawah=3)), [("konseling_kinerja", {})]),
    ((50, perilaku(di_bawah=3)), [("konseling_kinerja", {}), ("periode_perbaikan", {})]),
])
def test_coaching_triggers(predikat_inputs, expected):
    facts = make_facts(iki=iki_for(predikat_inputs[0]), perilaku=predikat_inputs[1])
    assert _codes(evaluate(facts, NASIONAL)) == expected


@pytest.mark.parametrize(("days", "expected"), [
    (2, []), (3, [("teguran_lisan", {})]), (6, [("teguran_tertulis", {})]), (10, [("pernyataan_tidak_puas", {})]),
    (11, [("potong_tpp", {"percent": 25, "months": 6})]), (16, [("potong_tpp", {"percent": 25, "months": 9})]),
    (20, [("potong_tpp", {"percent": 25, "months": 12})]),
    (21, [("rekomendasi_hukuman_disiplin", {"jenis": "penurunan_jabatan"})]),
    (27, [("rekomendasi_hukuman_disiplin", {"jenis": "pembebasan_jabatan"})]),
    (40, [("rekomendasi_hukuman_disiplin", {"jenis": "pemberhentian_dengan_hormat"})]),
])
def test_pp94_absence_ladder(days, expected):
    facts = make_facts(disiplin={"hari_tidak_masuk": days, "menit_terlambat": 0})
    assert _codes(evaluate(facts, NASIONAL)) == expected


def test_action_carries_owner_due_and_legal_basis():
    facts = make_facts(disiplin={"hari_tidak_masuk": 12, "menit_terlambat": 0})
    (action,) = evaluate(facts, NASIONAL).actions
    assert action["kind"] == "punishment" and action["owner"] == "hr" and action["due_days"] == 30
    assert action["rule"] == "t_disiplin_tidak_masuk.h11_13" and "PP 94/2021" in action["legal_basis"]


def test_explanation_in_indonesian_and_english_with_comma_decimal():
    iki = [{"id": "a", "aspek": "kuantitas", "arah": "naik", "target": 100, "realisasi": 97.5, "bobot": 100}]
    decision = evaluate(make_facts(iki=iki, perilaku=perilaku(di_atas=5)), NASIONAL)
    assert decision.explanation["id"] == ("Predikat Baik karena rating hasil kerja Sesuai Ekspektasi (capaian "
                                          "tertimbang 97,5%) dan rating perilaku Di Atas Ekspektasi (5 dari 7 nilai "
                                          "di atas ekspektasi).")
    assert decision.explanation["en"].startswith("Predikat Good because the work result rating is As Expected "
                                                 "(weighted achievement 97.5%)")


def test_trace_names_stage_rule_and_values_seen():
    decision = evaluate(make_facts(), NASIONAL)
    row = next(t for t in decision.trace if t["stage"] == "predikat")
    assert row == {"stage": "predikat", "rule": "matriks_predikat", "row": "atas_sesuai", "subject": None,
                   "seen": {"rating_hasil_kerja": "di_atas", "rating_perilaku": "sesuai"}, "origin": "nasional",
                   "set": {"predikat": "baik"}, "actions": [], "effect": "applied"}
    assert decision.versions[0]["pack"] == "nasional" and len(decision.versions[0]["hash"]) == 64


def test_invalid_facts_raise_validation_failed_with_problems():
    with pytest.raises(ValidationFailed) as info:
        evaluate(make_facts(perilaku={"akuntabel": "bagus"}), NASIONAL)
    paths = {p.path for p in info.value.problems}
    assert "perilaku.akuntabel" in paths and "perilaku.loyal" in paths


def test_stages_may_come_from_several_documents():
    full = resolved("nasional")
    first = {**full, "version": "a", "stages": {k: v for k, v in full["stages"].items() if k != "triggers"}}
    second = {**full, "version": "b", "stages": {"triggers": full["stages"]["triggers"]}}
    facts = make_facts(disiplin={"hari_tidak_masuk": 3, "menit_terlambat": 0})
    decision = evaluate(facts, [first, second])
    assert [a["code"] for a in decision.actions] == ["teguran_lisan"]
    assert [v["version"] for v in decision.versions] == ["a", "b"]
    # the same stage in two documents (e.g. triggers split per rule kind): both run, in document order
    extra = {**full, "version": "c", "stages": {"triggers": {"rules": [
        {"id": "t_ekstra", "when": {"fact": "predikat", "op": "=", "value": "baik"}, "actions": [{"code": "pelatihan"}]}]}}}
    decision = evaluate(facts, [full, extra])
    assert [a["code"] for a in decision.actions] == ["teguran_lisan", "pelatihan"]
    assert [t["rule"] for t in decision.trace if t["stage"] == "triggers"] == ["t_disiplin_tidak_masuk", "t_ekstra"]
