"""Property: the fast facts checker gives the full checker's answer on valid and broken documents alike.

The fast path (engine/runtime/facts_fast.py) only ever returns a normalised document or steps aside; these tests
break valid documents in random ways and check that it steps aside exactly when the full checker finds a problem,
and that otherwise both give the same normalised document.
"""
from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.runtime import normalize_facts, validate_facts
from engine.runtime.errors import ValidationFailed
from engine.runtime.facts import _SCHEMA, _check_object
from engine.runtime.facts_fast import NotSimple, compile_schema
from runtime_support import make_facts
from test_runtime_property import fact_docs

FAST = compile_schema(_SCHEMA)
ODD_VALUES = [None, True, False, 0, -1, 3, 2.5, 12.34567, 1e15, -1e15, 1e300, float("nan"), float("inf"),
                       "", "  ", "x", "sesuai", "naik", [], {}, [{}], {"a": 1}, 2200, 1900, 366, 367, 100, 100.5]
ODD = st.sampled_from(ODD_VALUES)


def _paths(doc, prefix=()):
    """Every (container, key) place in a document."""
    items = doc.items() if isinstance(doc, dict) else enumerate(doc) if isinstance(doc, list) else ()
    for key, value in items:
        yield prefix + (key,)
        yield from _paths(value, prefix + (key,))


def _at(doc, path):
    for key in path[:-1]:
        doc = doc[key]
    return doc


@st.composite
def broken_docs(draw):
    doc = copy.deepcopy(draw(fact_docs()))
    for _ in range(draw(st.sampled_from([0, 1, 1, 1, 2, 3]))):  # mostly one problem, which the fast path must see
        places = list(_paths(doc))
        path = draw(st.sampled_from(places))
        parent = _at(doc, path)
        how = draw(st.sampled_from(["set", "set", "set", "delete", "add"]))
        if how == "set":
            parent[path[-1]] = draw(ODD)
        elif how == "delete" and isinstance(parent, dict):
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(["extra", "hari_tidak_masukk", "aspek", "tahun"]))] = draw(ODD)
    return doc


def _full(doc):
    problems: list = []
    return problems, _check_object(doc, _SCHEMA, "", problems)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=broken_docs())
def test_fast_checker_agrees_with_the_full_checker(doc):
    problems, norm = _full(doc)
    try:
        fast = FAST(doc)
    except NotSimple:
        assert problems, "the fast checker stepped aside on a document the full checker accepts"
        return
    assert not problems, f"the fast checker accepted a document with problems: {problems}"
    assert repr(fast) == repr(norm)  # repr: same values and same int/float types


def _full_document() -> dict:
    """The contract example with every optional field filled (so every field of the schema can be broken)."""
    facts = make_facts(kepuasan_masyarakat_responden=40, skp_disepakati=True, kontribusi_tim="sesuai",
                       aktivitas_harian=20, hari_kerja=22, waktu_respon_pengaduan=4, waktu_layanan=1.5)
    facts["pegawai"].update(nama="Ani", jenis_asn="pns", jenis_layanan="umum")
    facts["iki"][0].update(jenis_rhk="utama", rhk="Layanan", uraian="Berkas", satuan="berkas")
    facts["disiplin"]["hari_tidak_masuk_berturut"] = 0
    return facts


def _agree(doc) -> bool:
    problems, norm = _full(doc)
    try:
        fast = FAST(doc)
    except NotSimple:
        return bool(problems)
    return not problems and repr(fast) == repr(norm)


def test_fast_checker_agrees_on_every_field_broken_every_way():
    """Deterministic sweep: each field of the schema set to each odd value, removed, or joined by an unknown one."""
    base = _full_document()
    assert _agree(base) and validate_facts(base) == []
    checked = 0
    for path in list(_paths(base)):
        for value in ODD_VALUES + ["<delete>", "<unknown>"]:
            doc = copy.deepcopy(base)
            parent = _at(doc, path)
            if value == "<delete>":
                if not isinstance(parent, dict):
                    continue
                del parent[path[-1]]
            elif value == "<unknown>":
                if not isinstance(parent, dict):
                    continue
                parent["kolom_asing"] = 1
            else:
                parent[path[-1]] = copy.deepcopy(value)
            assert _agree(doc), f"{path} = {value!r}"
            checked += 1
    assert checked > 1000


def test_broken_document_still_gets_located_problems():
    facts = make_facts()
    facts["iki"][1]["target"] = -3
    facts["perilaku"]["loyal"] = "sesuaii"
    paths = {p.path for p in validate_facts(facts)}
    assert {"iki[1].target", "perilaku.loyal"} <= paths
    try:
        normalize_facts(facts)
    except ValidationFailed as exc:
        assert {p.path for p in exc.problems} == paths
    else:
        raise AssertionError("invalid facts were accepted")
