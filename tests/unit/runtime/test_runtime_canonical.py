"""The fast canonical writer (orjson, for documents with finite numbers) writes the reference writer's bytes."""
from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.runtime import evaluate
from engine.runtime.canonical import canonical_json, content_hash
from runtime_support import DAERAH, resolved
from test_runtime_property import fact_docs

FINITE = st.floats(allow_nan=False, allow_infinity=False)
LEAF = st.one_of(st.none(), st.booleans(), st.integers(-2**63, 2**63 - 1), FINITE,
                 FINITE.map(lambda x: round(x, 4)), st.text())
DOCS = st.recursive(LEAF, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                  st.dictionaries(st.text(max_size=6), inner, max_size=4)),
                    max_leaves=20)


@settings(max_examples=400, deadline=None)
@given(doc=DOCS)
def test_fast_writer_equals_the_reference_on_random_documents(doc):
    assert canonical_json(doc, finite=True) == canonical_json(doc)


@settings(max_examples=40, deadline=None)
@given(facts=fact_docs(), name=st.sampled_from(("nasional",) + DAERAH))
def test_decisions_hash_the_same_with_either_writer(facts, name):
    decision = evaluate(facts, resolved(name)).as_dict()
    assert canonical_json(decision, finite=True) == canonical_json(decision)
    assert content_hash(decision["facts"], finite=True) == content_hash(decision["facts"])


@pytest.mark.parametrize("number", [1e16, -1e16, 1.5e22, 1e-5, -1.5e-7, 5e-324, 0.00001234, 1.7976931348623157e308])
def test_numbers_the_writers_format_differently_are_written_as_the_reference_does(number):
    # exponent forms and numbers below 1e-4: orjson writes 1e+16 and 0.00001 where json writes 1e+16 and 1e-05
    doc = {"n": number, "in_list": [number], "note": "plain text"}
    assert canonical_json(doc, finite=True) == canonical_json(doc)


def test_what_orjson_refuses_goes_to_the_reference_writer():
    assert canonical_json({2: "a", 1: "b"}, finite=True) == '{"1":"b","2":"a"}'
    assert canonical_json({"n": 2**70}, finite=True) == '{"n":1180591620717411303424}'


def test_the_reference_writer_still_refuses_nan():
    with pytest.raises(ValueError):
        canonical_json({"x": math.nan})
