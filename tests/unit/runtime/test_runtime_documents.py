"""Resolve (override/add/remove with provenance), diff lines, canonical JSON and hashes, YAML/JSON round trip."""
from __future__ import annotations

import copy

import pytest

from engine.runtime import (ValidationFailed, canonical_json, content_hash, diff_documents, dump_json, dump_yaml,
                            load_document, resolve)
from runtime_support import pack, resolved


def _ids(doc, stage):
    return [r["id"] for r in doc["stages"][stage]["rules"]]


def test_resolve_override_add_remove_with_provenance():
    base = pack("nasional")
    override = {"pack": "uji", "version": "7", "extends": "nasional", "stages": {
        "hasil_kerja": {"rules": [
            {"id": "hk_di_atas", "when": {"fact": "capaian_tertimbang", "op": ">=", "value": 120},
             "set": {"rating_hasil_kerja": "di_atas"}},
            {"id": "hk_baru", "before": "hk_sesuai", "when": {"fact": "inovasi", "op": "=", "value": True},
             "set": {"rating_hasil_kerja": "di_atas"}}]},
        "triggers": {"remove": ["t_bimbingan"], "rules": [
            {"id": "t_akhir", "when": {"fact": "predikat", "op": "=", "value": "baik"}, "actions": [{"code": "pelatihan"}]}]}}}
    out = resolve(base, override)
    assert _ids(out, "hasil_kerja") == ["hk_di_atas", "hk_baru", "hk_sesuai", "hk_di_bawah"]
    assert "t_bimbingan" not in _ids(out, "triggers") and _ids(out, "triggers")[-1] == "t_akhir"
    origins = {r["id"]: r["origin"] for r in out["stages"]["hasil_kerja"]["rules"]}
    assert origins["hk_di_atas"] == {"pack": "uji", "version": "7", "change": "override"}
    assert origins["hk_baru"]["change"] == "added"
    assert origins["hk_sesuai"] == {"pack": "nasional", "version": "2026.1", "change": "baseline"}
    assert out["base"] == {"pack": "nasional", "version": "2026.1", "hash": content_hash(base)}
    assert out["pack"] == "uji" and "before" not in out["stages"]["hasil_kerja"]["rules"][1]
    assert base == pack("nasional")  # inputs untouched


def test_resolve_reports_unknown_ids_and_wrong_extends():
    override = {"pack": "uji", "version": "1", "extends": "jabar", "stages": {
        "triggers": {"remove": ["t_bimbingn"], "rules": [{"id": "x", "before": "nope", "otherwise": True,
                                                           "actions": [{"code": "pelatihan"}]}]}}}
    with pytest.raises(ValidationFailed) as info:
        resolve(pack("nasional"), override)
    problems = {p.path: p for p in info.value.problems}
    assert "did you mean 't_bimbingan'" in problems["stages.triggers.remove[t_bimbingn]"].message_en
    assert "extends" in problems and "stages.triggers.rules[x].before" in problems


def test_diff_lines_in_both_languages():
    old, new = resolved("nasional"), resolved("nasional")
    new["version"] = "2026.2"
    new["stages"]["iki_rating"]["rules"][1]["when"]["value"] = 120
    new["stages"]["triggers"]["rules"] = [r for r in new["stages"]["triggers"]["rules"] if r["id"] != "t_bimbingan"]
    new["stages"]["triggers"]["rules"].append({"id": "t_baru", "when": {"fact": "inovasi", "op": "=", "value": True},
                                               "actions": [{"code": "penghargaan"}]})
    table = next(r for r in new["stages"]["triggers"]["rules"] if r["id"] == "t_disiplin_tidak_masuk")["table"]
    table["rows"] = [r for r in table["rows"] if r["id"] != "h3"]
    table["rows"][0]["actions"][0] = {"code": "teguran_lisan"}
    matrix = new["stages"]["predikat"]["rules"][0]["table"]["rows"]
    matrix[1]["set"]["predikat"] = "sangat_baik"
    next(r for r in new["stages"]["triggers"]["rules"] if r["id"] == "t_sangat_kurang")["actions"].pop()
    lines = diff_documents(old, new)
    ids = [l["id"] for l in lines]
    ens = [l["en"] for l in lines]
    assert "version: 2026.1 -> 2026.2" in ids
    assert "iki_rating/iki_di_atas: ambang iki.capaian >= 110 -> 120" in ids
    assert "iki_rating/iki_di_atas: threshold iki.capaian >= 110 -> 120" in ens
    assert "triggers/t_bimbingan: aturan dihapus" in ids and "triggers/t_bimbingan: rule removed" in ens
    assert "triggers/t_baru: rule added: inovasi = true" in ens
    assert "triggers/t_disiplin_tidak_masuk: baris h3 dihapus" in ids
    assert "triggers/t_disiplin_tidak_masuk: action teguran_tertulis removed" in ens
    assert "triggers/t_disiplin_tidak_masuk: action teguran_lisan added" in ens
    assert "predikat/matriks_predikat: output predikat: baik -> sangat_baik" in ids
    assert "triggers/t_sangat_kurang: tindakan periode_perbaikan dihapus" in ids
    assert diff_documents(old, old) == []


def test_diff_ignores_provenance_and_reports_daerah_override():
    lines = diff_documents(resolved("nasional"), resolved("bantul"))
    assert "hasil_kerja/hk_di_atas: threshold capaian_tertimbang >= 110 -> 105" in [l["en"] for l in lines]
    assert not any("origin" in l["en"] for l in lines)


def test_canonical_json_is_key_order_independent_and_hash_stable():
    a = {"b": 1, "a": {"y": [1, 2], "x": "é"}}
    b = {"a": {"x": "é", "y": [1, 2]}, "b": 1}
    assert canonical_json(a) == canonical_json(b) == '{"a":{"x":"é","y":[1,2]},"b":1}'
    assert content_hash(a) == content_hash(b) == content_hash(copy.deepcopy(a))
    assert content_hash(a) != content_hash({**a, "b": 2})
    # pinned: changing the canonical form would silently break every stored decision hash
    assert content_hash({"a": 1}) == "015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862"


def test_canonical_json_refuses_nan():
    with pytest.raises(ValueError):
        canonical_json({"x": float("nan")})


def test_yaml_and_json_round_trip_keep_the_hash():
    doc = resolved("palu")
    assert content_hash(load_document(dump_yaml(doc))) == content_hash(doc)
    assert content_hash(load_document(dump_json(doc))) == content_hash(doc)
