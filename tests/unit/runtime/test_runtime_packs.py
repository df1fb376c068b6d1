"""Golden cases per pack (a facts file -> expected outputs and action codes) and byte-identical replay."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.runtime import content_hash, dump_yaml, evaluate, get_host, load_document
from runtime_support import DAERAH, pack, resolved

GOLDEN = Path(__file__).parent / "golden"
CASES = [(name, case) for name in ("nasional",) + DAERAH
         for case in json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))]


@pytest.mark.parametrize(("name", "case"), CASES, ids=[f"{n}:{c['name']}" for n, c in CASES])
def test_golden_case(name, case):
    decision = evaluate(case["facts"], resolved(name))
    expected = dict(case["expected"])
    assert [a["code"] for a in decision.actions] == expected.pop("actions")
    for key, value in expected.items():
        assert decision.outputs[key] == value, key


@pytest.mark.parametrize("name", DAERAH)
def test_daerah_packs_are_marked_contoh(name):
    doc = pack(name)
    assert doc["contoh"] is True and doc["extends"] == "nasional"
    assert doc["legal_basis"].startswith("contoh:")
    for stage in doc["stages"].values():
        for rule in stage.get("rules", []):
            assert rule["legal_basis"].startswith("contoh:"), rule["id"]
            assert rule["note"].startswith("contoh:"), rule["id"]


@pytest.mark.parametrize("name", ("nasional",) + DAERAH)
def test_replay_is_byte_identical(name):
    doc = resolved(name)
    facts = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))[0]["facts"]
    first = evaluate(facts, doc).canonical()
    assert evaluate(facts, doc).canonical() == first
    get_host().retire_except(set())                      # a fresh process would register again
    replayed = load_document(dump_yaml(doc))             # the stored version, read back
    assert content_hash(replayed) == content_hash(doc)
    assert evaluate(json.loads(json.dumps(facts)), replayed).canonical() == first
