"""Compiler: whitelisted operators, De Morgan with missing fields, marker and catch-all, names, caps, literals."""
from __future__ import annotations

import pytest

from engine.runtime import ValidationFailed, compile_document, resolve
from engine.runtime.compiler import (DONE_KEY, DONE_PRI, MARKER, MAX_RULES, CompileError, compile_condition,
                                     compile_stage, ruleset_name)
from runtime_support import resolved

N = {"fact": "skor", "op": ">", "value": 5}


def test_operators_map_to_the_whitelist():
    assert compile_condition({"fact": "predikat", "op": "!=", "value": "baik"}) == {"$neq": {"predikat": "baik"}}
    assert compile_condition({"fact": "predikat", "op": "in", "value": ["baik", "sangat_baik"]}) == \
        {"$or": [{"predikat": "baik"}, {"predikat": "sangat_baik"}]}
    assert compile_condition({"fact": "skor", "op": "between", "value": [1, 2]}) == \
        {"$and": [{"$gte": {"skor": 1}}, {"$lte": {"skor": 2}}]}
    assert compile_condition({"fact": "disiplin.hari_tidak_masuk", "op": "is_set"}) == \
        {"$ex": {"disiplin__hari_tidak_masuk": 1}}


def test_not_is_pushed_down_and_matches_missing_fields():
    assert compile_condition({"not": N}) == {"$or": [{"$lte": {"skor": 5}}, {"$nex": {"skor": 1}}]}
    assert compile_condition({"not": {"all": [N, {"fact": "predikat", "op": "=", "value": "baik"}]}}) == {"$or": [
        {"$or": [{"$lte": {"skor": 5}}, {"$nex": {"skor": 1}}]},
        {"$or": [{"$neq": {"predikat": "baik"}}, {"$nex": {"predikat": 1}}]}]}
    assert compile_condition({"not": {"not": N}}) == {"$gt": {"skor": 5}}
    assert compile_condition({"not": {"fact": "skor", "op": "is_set"}}) == {"$nex": {"skor": 1}}


def test_never_emits_ne():
    doc = resolved("palangkaraya")
    text = repr([s.definition for s in compile_document(doc).stages.values()])
    assert "'$ne'" not in text and "'$neq'" in text


def test_every_rule_has_the_marker_and_a_lowest_priority_catch_all():
    compiled = compile_document(resolved("nasional"))
    for stage in compiled.stages.values():
        rules = stage.definition
        assert rules[DONE_KEY] == {"pri": DONE_PRI, "all": [{"m": {"$ex": {MARKER: 1}}}], "run": DONE_KEY}
        for key, rule in rules.items():
            if key != DONE_KEY:
                match = rule["all"][0]["m"]
                assert match == {MARKER: 1} or match["$and"][0] == {MARKER: 1}
                assert 0 <= rule["pri"] <= 64999
        assert [rules[r.key]["pri"] for r in stage.rules] == list(range(len(stage.rules)))


def test_ruleset_names_are_safe_and_versioned():
    name = ruleset_name("Palu Kota", "2026.1-contoh$state", "ab" * 32, "predikat")
    assert name == "k_palu_kota_2026_1_contoh_state_abababababababab_predikat"
    compiled = compile_document(resolved("palu"))
    names = {s.ruleset for s in compiled.stages.values()}
    assert all(n.startswith(f"k_palu_2026_1_contoh_{compiled.hash[:16]}_") for n in names)


def test_rule_cap_per_ruleset():
    rules = [{"id": f"r{i}", "when": {"fact": "skor", "op": ">=", "value": i}, "actions": [{"code": "pelatihan"}]}
             for i in range(MAX_RULES + 1)]
    doc = resolve({"pack": "besar", "version": "1", "stages": {"triggers": {"rules": rules}}}, None)
    with pytest.raises(CompileError) as info:
        compile_stage(doc, "0" * 64, "triggers")
    assert info.value.code == "too_many_rules" and "400" in info.value.message_en


def test_literals_are_type_checked_at_compile_time():
    # DURABLE.md gotcha 6: "9" > 80 compares as strings; the compiler refuses such a literal outright
    with pytest.raises(CompileError):
        compile_condition({"fact": "skor", "op": ">", "value": "80"})
    with pytest.raises(CompileError):
        compile_condition({"fact": "skor", "op": ">", "value": 1e16})
    with pytest.raises(CompileError):
        compile_condition({"fact": "predikat", "op": "=", "value": "bagus"})


def test_invalid_document_is_refused():
    with pytest.raises(ValidationFailed) as info:
        compile_document({"pack": "x", "version": "1", "stages": {"triggers": {"rules": [{"id": "a"}]}}})
    assert info.value.problems


def test_compile_is_cached_by_content_hash():
    assert compile_document(resolved("kemuning")) is compile_document(resolved("kemuning"))
