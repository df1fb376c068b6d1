"""One error envelope for every error: invalid JSON 400, every bad field 422, unknown fields rejected, oversized
bodies 413, unknown routes 404 and wrong methods 405 (with Allow) as JSON; the console keeps its HTML pages."""
from __future__ import annotations

import json

import pytest

from tests.api.conftest import error_of


def test_invalid_json_is_400(as_user):
    response = as_user("hr.palu").post("/unit-kerja", data="{bukan json", content_type="application/json")
    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid_json"


def test_a_schema_violation_lists_every_field_in_both_languages(as_user):
    response = as_user("hr.palu").post("/pegawai", json={"nip": 12, "name": "", "jenis_jabatan": "raja",
                                                         "golongan": "V/z", "unit_id": "satu", "hobi": "catur"})
    assert response.status_code == 422
    error = error_of(response)
    assert set(error["fields"]) == {"nip", "name", "jabatan", "jenis_jabatan", "golongan", "unit_id", "hobi"}
    assert error["fields"]["hobi"] == [{"id": "Kolom tidak dikenal.", "en": "Unknown field."}]
    assert error["fields"]["jabatan"][0]["id"] == "Wajib diisi."
    assert "7" in error["message"]["en"]


def test_nested_errors_are_located(as_user, world):
    api = as_user("pegawai.palu")
    etag = api.get(f"/evaluations/{world.ev.id}").headers["ETag"]
    bad = [{"jenis": "utama", "uraian": "x", "iki": [{"uraian": "y", "aspek": "kuantitas", "target": "banyak",
                                                       "bobot": 100, "warna": "biru"}]}]
    response = api.put(f"/evaluations/{world.ev.id}/plan", json={"rhk": bad}, headers={"If-Match": etag})
    assert response.status_code == 422
    assert set(error_of(response)["fields"]) == {"rhk[0].iki[0].target", "rhk[0].iki[0].warna"}


def test_unknown_query_parameters_are_rejected(as_user):
    response = as_user("hr.palu").get("/pegawai?halaman=2")
    assert response.status_code == 422 and "halaman" in error_of(response)["fields"]


def test_a_body_that_is_not_an_object_is_422(as_user):
    response = as_user("hr.palu").post("/unit-kerja", json=[1, 2])
    assert response.status_code == 422


def test_an_oversized_body_is_413_as_json(as_user):
    response = as_user("kebijakan.palu").post("/evaluate", data='{"facts": "' + "x" * (1024 * 1024) + '"}',
                                              content_type="application/json")
    assert response.status_code == 413
    error = error_of(response)
    assert error["code"] == "too_large" and "1048576" in error["message"]["en"]


def test_unknown_routes_are_404_json_and_wrong_methods_405_with_allow(client, world):
    missing = client.get("/api/v1/tidak-ada")
    assert missing.status_code == 404 and error_of(missing)["code"] == "not_found"
    wrong = client.delete("/api/v1/evaluate")
    assert wrong.status_code == 405 and error_of(wrong)["code"] == "method_not_allowed"
    assert "POST" in wrong.headers["Allow"]


def test_the_console_keeps_its_html_error_pages(client, world):
    for url in ("/admin/tidak-ada", "/tidak-ada"):
        response = client.get(url)
        assert response.status_code == 404 and response.content_type.startswith("text/html")


def test_language_follows_lang_then_accept_language(as_user, client, world):
    api = as_user("hr.palu")
    assert error_of(api.get("/daerah/bantul"))["lang"] == "id"
    assert error_of(api.get("/daerah/bantul?lang=en"))["lang"] == "en"
    assert error_of(api.get("/daerah/bantul", headers={"Accept-Language": "en-US,en;q=0.9"}))["lang"] == "en"
    response = api.get("/daerah/bantul?lang=en")
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("body", [{"daerah": "palu", "code": "a\x00b", "name": "Unit"},
                                  {"daerah": "palu", "code": "a", "name": "U" * 201},
                                  {"daerah": "palu", "code": "a", "name": "Unit", "parent_id": 2**40}])
def test_values_a_database_would_refuse_are_422(as_user, body):
    assert as_user("hr.palu").post("/unit-kerja", json=body).status_code == 422


def test_huge_ids_in_the_path_are_404_not_500(as_user):
    assert as_user("hr.palu").get(f"/pegawai/{2**40}").status_code == 404
    assert as_user("hr.palu").get("/evaluations/99999999").status_code == 404


def test_documents_with_nul_or_nan_are_refused(as_user):
    api = as_user("kebijakan.palu")
    response = api.post("/evaluate", data='{"facts": {"daerah": "palu", "x": NaN}}', content_type="application/json")
    assert response.status_code == 422
    response = api.post("/rule-sets/palu/scoring/versions", json={"document": {"pack": "a\u0000"}})
    assert response.status_code == 422


def test_responses_are_not_cached(as_user):
    assert as_user("hr.palu").get("/me").headers["Cache-Control"] == "no-store"


def test_a_facts_document_with_several_bad_fields_lists_each_one(as_user):
    facts = {"daerah": "palu", "periode": {"tahun": 2026, "jenis": "tahunan"},
             "pegawai": {"nip": "199001012020121001", "jenis_jabatan": "fungsionl"},
             "iki": [{"id": "iki-1", "aspek": "kuantitas", "arah": "naik", "target": 1, "realisasi": 1e14,
                      "bobot": 100}],
             "perilaku": {v: "sesuai" for v in ("berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis",
                                                "loyal", "adaptif", "kolaboratif")},
             "kepuasan_masyarakat": "87"}
    response = as_user("kebijakan.palu").post("/evaluate", json={"facts": facts})
    assert response.status_code == 422 and error_of(response)["code"] == "invalid_facts"
    fields = error_of(response)["fields"]
    assert {"facts.pegawai.jenis_jabatan", "facts.kepuasan_masyarakat"} <= set(fields), fields
    assert "did you mean 'fungsional'" in fields["facts.pegawai.jenis_jabatan"][0]["en"]
    # the structure fixed, the derived capaian (1e16) is the problem left: refused before durable reads it
    facts["pegawai"]["jenis_jabatan"], facts["kepuasan_masyarakat"] = "fungsional", 87
    response = as_user("kebijakan.palu").post("/evaluate", json={"facts": facts})
    assert response.status_code == 422 and set(error_of(response)["fields"]) == {"facts.iki[0].realisasi"}
    facts["iki"][0]["realisasi"] = 1.2
    assert as_user("kebijakan.palu").post("/evaluate", json={"facts": facts}).status_code == 200


def test_lone_surrogates_in_text_or_documents_are_422_naming_the_field(as_user):
    unit = as_user("hr.palu").post("/unit-kerja", data='{"daerah": "palu", "code": "x1", "name": "A\\ud800B"}',
                                   content_type="application/json")
    assert unit.status_code == 422 and "lone surrogate" in error_of(unit)["fields"]["name"][0]["en"]
    facts = as_user("kebijakan.palu").post("/evaluate", data='{"facts": {"daerah": "palu\\ud800"}}',
                                           content_type="application/json")
    assert facts.status_code == 422 and "facts" in error_of(facts)["fields"]


def test_json_nested_too_deep_or_with_a_key_twice_is_400_naming_why(as_user, world, session):
    hr = as_user("hr.palu")
    deep = hr.post("/unit-kerja", data="[" * 1000 + "]" * 1000, content_type="application/json")
    assert deep.status_code == 400 and "nested too deeply" in deep.get_data(as_text=True)
    twice = hr.post("/unit-kerja", data='{"daerah": "palu", "code": "x", "name": "y", "name": "z"}',
                    content_type="application/json")
    assert twice.status_code == 400 and "duplicate key 'name'" in twice.get_data(as_text=True)
    # a second "rhk": [] would have emptied the stored plan: refused, the plan kept
    from tests.api.conftest import plan_input
    pegawai = as_user("pegawai.palu")
    url = f"/evaluations/{world.ev.id}/plan"
    etag = pegawai.get(f"/evaluations/{world.ev.id}").headers["ETag"]
    saved = pegawai.put(url, json={"rhk": plan_input()}, headers={"If-Match": etag})
    assert saved.status_code == 200, saved.get_json()
    body = '{"rhk": ' + json.dumps(plan_input()) + ', "rhk": []}'
    refused = pegawai.put(url, data=body, content_type="application/json", headers={"If-Match": saved.headers["ETag"]})
    assert refused.status_code == 400 and "duplicate key 'rhk'" in refused.get_data(as_text=True)
    assert len(pegawai.get(f"/evaluations/{world.ev.id}").get_json()["rhk"]) == 3
