"""YAML rule documents are read as JSON data only (engine/runtime/yaml_text.py)."""
from __future__ import annotations

import pytest
import yaml

from engine.runtime import load_document
from engine.runtime.errors import ValidationFailed
from engine.runtime.yaml_text import load_yaml


def test_json_and_plain_yaml_read_as_json_data():
    assert load_yaml('{"a": [1, 2.5, true, null, "x"]}') == {"a": [1, 2.5, True, None, "x"]}
    assert load_yaml("a:\n  - 1\n  - '2026-01-01'\nb: &x {c: 1}\nd:\n  <<: *x\n  e: 2\n") == {
        "a": [1, "2026-01-01"], "b": {"c": 1}, "d": {"c": 1, "e": 2}}


@pytest.mark.parametrize("text,problem,line", [
    ("a: 1\nb: 2026-01-01\n", 'a date or time must be quoted text ("2026-01-01")', 1),
    ("b: 2026-13-45\n", 'a date or time must be quoted text ("2026-13-45")', 0),  # was a bare ValueError
    ("a: 1\n2: dua\n", 'a key must be text (quote it: "1": ...)', 1),
    ("? [1, 2]\n: x\n", "a key must be text", 0),
    ("a: !!binary aGk=\n", "!!binary is not JSON data", 0),
    ("a: !!set {x}\n", "!!set is not JSON data", 0),
    ("a: !!omap [b: 1]\n", "!!omap is not JSON data", 0),
])
def test_what_json_cannot_hold_is_a_located_yaml_error(text, problem, line):
    with pytest.raises(yaml.YAMLError) as caught:
        load_yaml(text)
    assert caught.value.problem.startswith(problem)
    assert caught.value.problem_mark.line == line


def test_load_document_reports_it_with_line_and_column_in_both_languages():
    with pytest.raises(ValidationFailed) as caught:
        load_document("pack: palu\nberlaku: 2026-13-45\n")
    assert "baris 2, kolom 10" in caught.value.message_id and "line 2, column 10" in caught.value.message_en
