"""orjson behind Flask's responses and the JSON columns gives the JSON the standard encoders give."""
from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import json

import pytest
from flask import Flask
from flask.json.provider import DefaultJSONProvider

from admin.json_provider import OrjsonProvider
from engine.db import json_dumps


@dataclasses.dataclass
class Point:
    x: int
    label: str


VALUES = [
    {"b": 1, "a": [1, 2.5, None, True], "é": "Predikat Baik karena capaian 97,5% — \u2028\x00"},
    {"at": dt.datetime(2026, 12, 1, 22, 5, 3), "on": dt.date(2026, 1, 31)},
    {"amount": decimal.Decimal("12.50"), "point": Point(3, "x")},
    {2025: "int keys", 2024: {"z": 10**30}},
    [0.1, 1e14, 123456789.1234, -0.0],
]


@pytest.mark.parametrize("value", VALUES, ids=["text", "dates", "decimal-dataclass", "int-keys-bigint", "floats"])
def test_responses_carry_the_json_flask_would_write(value):
    app = Flask(__name__)
    ours, flask_default = OrjsonProvider(app), DefaultJSONProvider(app)
    with app.app_context():
        assert json.loads(ours.response(value).get_data()) == json.loads(flask_default.response(value).get_data())
        assert ours.dumps(value, indent=2) == flask_default.dumps(value, indent=2)  # options go to Flask's own


def test_response_keys_are_sorted_like_flask():
    app = Flask(__name__)
    with app.app_context():
        assert OrjsonProvider(app).response({"b": 1, "a": 2}).get_data() == b'{"a":2,"b":1}\n'


def test_column_json_equals_json_dumps_or_fails_the_same_way():
    for value in (VALUES[0], VALUES[3], VALUES[4]):
        assert json.loads(json_dumps(value)) == json.loads(json.dumps(value))
    with pytest.raises(TypeError):  # a date in a JSON column stays an error (audit rows convert dates first)
        json_dumps({"on": dt.date(2026, 1, 31)})
