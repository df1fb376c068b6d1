"""Schemathesis 4 against the API's own OpenAPI document, in process (WSGI) on the integration database (SQLite,
and PostgreSQL in CI): generated requests, valid and invalid, to every operation never get a 5xx, and every answer is
the documented one (status code, content type, headers, body schema). A whole lifecycle, an import and a stateless
evaluate, sent as explicit cases by the people who do each step, are held to the same checks."""
from __future__ import annotations

import datetime as dt

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (content_type_conformance, response_headers_conformance,
                                               response_schema_conformance, status_code_conformance)

from admin.api.core import PREFIX
from admin.api.resources import meta
from engine.api_tokens import create_token
from tests.api.conftest import BERAKHLAK, TAHUN, plan_input
from tests.factories import valid_nip

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]
#: The generated requests act as the administrator: HR of every daerah and writer of every master record, so the
#: most operations get past the permission checks. `If-Match: *` lets changes to evaluations reach validation and
#: the services instead of stopping at 428 (test_api_lifecycle covers 428 and 412).
FUZZ_USER = "admin"
REVOKE = "DELETE /api/v1/tokens/{token_id}"
#: Most of the time, a daerah code and a rule version number that exist (else rule operations only ever see 404).
#: The coverage phase sends its boundary values of valid input only: its negative cases (every field missing, of
#: each wrong type...) are 2/3 of all requests (~3,900 in all, 40 s; they passed when tried); invalid input still
#: reaches every operation through the fuzzing phase, in both modes.
FUZZ_CONFIG = schemathesis.Config.from_dict({
    "phases": {"coverage": {"generation": {"mode": "positive"}}},
    "dictionaries": {"daerah": {"values": ["palu", "bantul", "nasional"]}, "number": {"values": [1, 2]}},
    "parameters": {"daerah": {"dictionary": "daerah", "probability": 0.7},
                   "path.number": {"dictionary": "number", "probability": 0.7}}})


class Caller:
    """Explicit schemathesis cases as one user (path ids given once); every answer gets the generated cases' checks."""

    def __init__(self, schema, token: str, **ids):
        self.schema, self.token, self.ids = schema, token, ids

    def __call__(self, method: str, template: str, status: int = 200, *, etag: str | None = None, **parts):
        headers = {"Authorization": f"Bearer {self.token}", **({"If-Match": etag} if etag else {})}
        names = [t[1:-1] for t in template.split("/") if t.startswith("{")]
        ids = {**self.ids, **parts.pop("path_parameters", {})}
        case = self.schema[PREFIX + template][method].Case(path_parameters={n: ids[n] for n in names},
                                                           headers=headers, **parts)
        response = case.call_and_validate(checks=CHECKS)
        assert response.status_code == status, response.text
        return (response.json() if response.content else None), (response.headers.get("etag") or [None])[0]


def siasn_csv(world) -> bytes:
    """A one-row SIASN export: a new pegawai under the world's kepala seksi."""
    header = "NIP BARU;NAMA;JABATAN NAMA;JENIS JABATAN;GOL AKHIR NAMA;UNOR ID;ATASAN NIP"
    row = (f"{valid_nip(901)};Dewi Lestari;Pranata Komputer Ahli Pertama;Fungsional Tertentu;III/a;"
           f"diskominfo-aptika;{world.kasi_p.nip}")
    return f"{header}\n{row}\n".encode()


def live_one_lifecycle(schema, world) -> dict:
    """Drive world.ev from the plan to its follow-ups through explicit checked cases; returns its last answer."""
    ev = {"evaluation_id": world.ev.id}
    pegawai, atasan, hr = (Caller(schema, world.tokens[u], **ev) for u in ("pegawai.palu", "atasan.palu", "hr.palu"))
    one = "/evaluations/{evaluation_id}"
    _, tag = hr("GET", one)
    body, tag = pegawai("PUT", f"{one}/plan", etag=tag, body={"rhk": plan_input()})
    body, tag = pegawai("POST", f"{one}/transitions", etag=tag, body={"event": "submit_plan"})
    body, tag = atasan("POST", f"{one}/transitions", etag=tag, body={"event": "approve_plan", "reason": "sesuai"})
    body, tag = atasan("PUT", f"{one}/ekspektasi", etag=tag, body={"values": {"akuntabel": "Laporan tepat waktu"}})
    today = min(dt.date.today(), dt.date(TAHUN, 12, 31)).isoformat()
    for iki in [i for rhk in body["rhk"] for i in rhk["iki"]]:
        value = iki["target"] * 1.2 if iki["arah"] == "naik" else iki["target"] / 1.2
        body, tag = pegawai("POST", f"{one}/realisasi", 201, etag=tag, body={
            "iki_id": iki["id"], "value": round(value, 2), "realized_on": today, "note": "laporan",
            "evidence_url": "https://drive.example.go.id/bukti"})
    pegawai("POST", f"{one}/activities", 201, etag=tag, body={"activity_on": today, "description": "Rapat"})
    body, tag = pegawai("POST", f"{one}/transitions", etag=tag, body={"event": "submit_realization"})
    body, tag = hr("PUT", f"{one}/disiplin", etag=tag, body={"hari_tidak_masuk": 0, "menit_terlambat": 10})
    body, tag = atasan("PUT", f"{one}/perilaku", etag=tag, body={
        "ratings": {v: "di_atas" for v in BERAKHLAK}, "notes": {"adaptif": "cepat belajar"},
        "kontribusi_tim": "di_atas", "inovasi": True})
    body, tag = atasan("POST", f"{one}/decide", etag=tag)
    body, tag = atasan("POST", f"{one}/feedback", etag=tag, body={"umpan_balik": "Pertahankan."})
    body, tag = pegawai("POST", f"{one}/acknowledge", etag=tag)
    assert body["state"] == "follow_up" and body["follow_ups"], body
    hr("GET", f"{one}/history")
    return body


@pytest.fixture
def api_schema(app, world, request):
    """The app's OpenAPI document loaded by schemathesis, with one lived lifecycle in the database to read."""
    # schemathesis 4.32.5's lazy loader reads Node._nodeid, which pytest 9.2 no longer has (it keeps the id in
    # Node._id); give it the attribute until an upstream release reads `nodeid`.
    request.node._nodeid = request.node.nodeid
    # Generated requests leave out or break the token on purpose (their 401 must be documented too); from one
    # address those would soon throttle every later request to 429 (test_api_auth covers the throttle).
    app.config["LOGIN_MAX_FAILURES"] = 10**9
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=FUZZ_CONFIG)
    live_one_lifecycle(schema, world)
    return schema


lazy_schema = schemathesis.pytest.from_fixture("api_schema")


@lazy_schema.parametrize()
@settings(max_examples=10, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_generated_requests_get_documented_answers(case, world, session):
    headers = {"Authorization": f"Bearer {world.tokens[FUZZ_USER]}", "If-Match": "*"}
    response = case.call_and_validate(headers=headers, checks=CHECKS)
    if case.operation.label == REVOKE and response.status_code == 204:
        # the generator may revoke the very token it calls with (allowed); go on with a new one
        world.tokens[FUZZ_USER] = create_token(session, world.users[FUZZ_USER], "uji")[1]
        session.commit()


def test_a_lifecycle_an_import_and_evaluate_answer_as_documented(app, world):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    evaluation = live_one_lifecycle(schema, world)
    ids = {"decision_id": evaluation["decision_id"], "follow_up_id": evaluation["follow_ups"][0]["id"]}
    hr, auditor, kebijakan = (Caller(schema, world.tokens[u], **ids) for u in ("hr.palu", "auditor.palu",
                                                                                "kebijakan.palu"))
    assert hr("POST", "/follow-ups/{follow_up_id}/resolve", body={"note": "diproses"})[0]["status"] == "done"
    decision, _ = auditor("GET", "/decisions/{decision_id}")
    assert auditor("POST", "/decisions/{decision_id}/replay")[0]["identical"] is True
    result, _ = kebijakan("POST", "/evaluate", body={"facts": decision["facts"]})
    assert result["outputs"]["predikat"] == decision["predikat"]
    report, _ = hr("POST", "/pegawai/import", query={"daerah": "palu", "dry_run": "true"},
                   body={"file": siasn_csv(world)}, media_type="multipart/form-data")
    assert report["dry_run"] is True and report["created"] == 1
    # regression: the report documented an `errors` list it never sent (bad rows are a 422 naming rows[N].COLUMN)
    assert set(report) == set(schema.raw_schema["components"]["schemas"]["ImportReport"]["required"])
    # regression: documented as a string, while the body is a YAML document (an object, as export.json says)
    kebijakan("GET", "/rule-sets/{daerah}/{kind}/versions/{number}/export.yaml",
              path_parameters={"daerah": "palu", "kind": "scoring", "number": 1})
    auditor("GET", "/audit", query={"per_page": 5})
    assert auditor("GET", "/audit/verify")[0]["ok"] is True
    me, _ = hr("GET", "/me")
    # regression: moments were sent without an offset: not an RFC 3339 date-time, and not readable as UTC
    assert dt.datetime.fromisoformat(me["token"]["created_at"]).utcoffset() == dt.timedelta(0)
    assert dt.datetime.fromisoformat(decision["decided_at"]).utcoffset() == dt.timedelta(0)


def test_the_checks_fail_on_a_server_error(app, world, monkeypatch):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(meta, "list_tokens", broken)
    with pytest.raises(FailureGroup, match="Server error"):
        Caller(schema, world.tokens["hr.palu"])("GET", "/tokens")
