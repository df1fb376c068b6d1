"""Rule sets and versions over the API: read (the daerah's and the nasional baseline), draft, save with problems,
validate, second approval, publish, retire, diff, export/import, try and impact; policy makers of the daerah only."""
from __future__ import annotations

import copy
import json
import datetime as dt

import yaml
from sqlalchemy import select

from rules.models import RuleSet
from tests.api.conftest import error_of
from tests.integration.rules_fixtures import make_facts

BASE = "/rule-sets/palu/scoring/versions"


def _draft(api, **body):
    response = api.post(BASE, json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_rule_sets_of_the_daerah_and_the_nasional_baseline(as_user):
    sets = as_user("kebijakan.palu").get("/rule-sets?per_page=100").get_json()["items"]
    assert {s["daerah"] for s in sets} == {"nasional", "palu"} and len(sets) == 6
    assert all(s["in_force_number"] == 1 for s in sets)
    assert as_user("kebijakan.palu").get("/rule-sets?daerah=bantul").status_code == 404
    assert as_user("pegawai.palu").get("/rule-sets").status_code == 403
    assert as_user("kebijakan.palu").get("/rule-sets/nasional/scoring/versions/1").status_code == 200
    assert as_user("kebijakan.palu").get("/rule-sets/bantul/scoring/versions/1").status_code == 404


def test_read_a_version_with_its_resolved_document(as_user):
    api = as_user("kebijakan.palu")
    plain = api.get(f"{BASE}/1").get_json()
    assert plain["label"] == "palu/scoring v1" and plain["status"] == "published" and "resolved" not in plain
    resolved = api.get(f"{BASE}/1?resolved=true").get_json()["resolved"]
    assert resolved["base"]["pack"] == "nasional"
    listed = api.get(BASE).get_json()
    assert listed["total"] == 1 and "document" not in listed["items"][0]
    assert api.get(f"{BASE}/9").status_code == 404


def test_draft_save_validate_publish_retire(as_user, world):
    api = as_user("kebijakan.palu")
    draft = _draft(api, change_note="ambang baru")
    assert draft["version"]["number"] == 2 and draft["version"]["status"] == "draft" and draft["problems"] == []
    assert draft["version"]["extends"] == "nasional/scoring v1"
    doc = copy.deepcopy(draft["version"]["document"])
    doc["stages"]["hasil_kerja"] = {"rules": [{"id": "hk", "when": {"fact": "capaian_tertimbng", "op": ">=",
                                                                   "value": 90}, "set": {"rating_hasil_kerja": "sesuai"}}]}
    typo = api.put(f"{BASE}/2", json={"document": doc})  # an unknown fact: nothing stored, the path named
    assert typo.status_code == 422 and error_of(typo)["code"] == "invalid_rules"
    assert "did you mean 'capaian_tertimbang'" in error_of(typo)["fields"]["stages.hasil_kerja.rules[hk].when.fact"][0]["en"]
    assert api.get(f"{BASE}/2").get_json()["document"] == draft["version"]["document"]
    doc["stages"]["hasil_kerja"]["rules"][0]["when"].update(fact="capaian_tertimbang", value="sembilan puluh")
    saved = api.put(f"{BASE}/2", json={"document": doc}).get_json()  # a value of the wrong type: a draft may hold it
    assert saved["version"]["problem_count"] >= 1
    assert any(p["path"] == "stages.hasil_kerja.rules[hk].when.value" for p in saved["problems"])
    checked = api.post(f"{BASE}/2/validate").get_json()
    assert checked["publishable"] is False
    refused = api.post(f"{BASE}/2/publish", json={"legal_basis": "Perwal 1/2026", "effective_from": "2026-07-01"})
    assert refused.status_code == 422 and error_of(refused)["code"] == "invalid_rules"
    api.put(f"{BASE}/2", json={"document": draft["version"]["document"]})
    published = api.post(f"{BASE}/2/publish", json={"legal_basis": "Perwal Palu 7/2026",
                                                    "effective_from": dt.date(2099, 1, 1).isoformat()})
    assert published.status_code == 200 and published.get_json()["content_hash"]
    frozen = api.put(f"{BASE}/2", json={"document": doc})
    assert frozen.status_code == 409 and error_of(frozen)["code"] == "version_frozen"
    retired = api.post(f"{BASE}/2/retire", json={"reason": "salah tanggal"})
    assert retired.status_code == 200 and retired.get_json()["status"] == "retired"
    assert api.post(f"{BASE}/2/retire", json={"reason": "lagi"}).status_code == 409


def test_second_approval_by_another_policy_maker(as_user, session, world):
    rule_set = session.scalar(select(RuleSet).where(RuleSet.daerah_id == world.palu.id, RuleSet.kind == "scoring"))
    rule_set.requires_second_approval = True
    session.commit()
    api = as_user("kebijakan.palu")
    _draft(api)
    body = {"legal_basis": "Perwal 2/2026", "effective_from": "2099-01-01"}
    assert error_of(api.post(f"{BASE}/2/publish", json=body))["code"] == "needs_approval"
    assert error_of(api.post(f"{BASE}/2/approve"))["code"] == "same_person"
    assert as_user("kebijakan2.palu").post(f"{BASE}/2/approve").get_json()["approved_by"] == "kebijakan2.palu"
    assert api.post(f"{BASE}/2/publish", json=body).status_code == 200


def test_only_policy_makers_of_the_daerah_write_rules(as_user):
    assert as_user("hr.palu").post(BASE, json={}).status_code == 403
    assert as_user("auditor.palu").get(f"{BASE}/1").status_code == 200
    assert as_user("kebijakan.bantul").post(BASE, json={}).status_code == 404
    assert as_user("kebijakan.palu").post("/rule-sets/nasional/scoring/versions", json={}).status_code == 403


def test_diff_between_versions(as_user):
    api = as_user("kebijakan.palu")
    doc = copy.deepcopy(api.get(f"{BASE}/1").get_json()["document"])
    doc["version"] = "2026.9-contoh"
    _draft(api, document=doc)
    diff = api.get(f"{BASE}/2/diff").get_json()
    assert diff["from"] == "palu/scoring v1" and diff["to"] == "palu/scoring v2"
    assert any("2026.9-contoh" in line["en"] for line in diff["lines"])
    assert api.get(f"{BASE}/2/diff?against=7").status_code == 404


def test_export_and_import_round_trip(as_user):
    api = as_user("kebijakan.palu")
    exported = api.get(f"{BASE}/1/export.yaml")
    assert exported.status_code == 200 and exported.mimetype == "application/yaml"
    assert "attachment" in exported.headers["Content-Disposition"]
    text = exported.get_data(as_text=True)
    as_json = api.get(f"{BASE}/1/export.json?resolved=true").get_json()
    assert as_json["base"]["pack"] == "nasional"
    imported = api.post(f"{BASE}/import", json={"format": "yaml", "content": text, "change_note": "dari berkas"})
    assert imported.status_code == 201
    version = imported.get_json()["version"]
    assert version["document"] == yaml.safe_load(text) and version["change_note"] == "dari berkas"
    assert api.post(f"{BASE}/import", json={"format": "json", "content": "{rusak"}).status_code == 422
    assert api.post(f"{BASE}/import", json={"format": "yaml", "content": "- satu\n- dua"}).status_code == 422
    dated = api.post(f"{BASE}/import", json={"format": "yaml", "content": "pack: palu\ntanggal: 2026-01-01\n"})
    assert dated.status_code == 422
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(8))
    assert api.post(f"{BASE}/import", json={"format": "yaml", "content": bomb}).status_code == 422


def test_try_a_draft_on_one_facts_document(as_user):
    api = as_user("kebijakan.palu")
    _draft(api)
    tried = api.post(f"{BASE}/2/try", json={"facts": make_facts(daerah="palu"), "on": "2026-12-31"})
    assert tried.status_code == 200
    body = tried.get_json()
    assert body["result"]["outputs"]["predikat"] == body["current"]["outputs"]["predikat"]
    bad = api.post(f"{BASE}/2/try", json={"facts": make_facts(iki=[])})
    assert bad.status_code == 422


def test_impact_preview_on_last_years_decisions(as_user):
    api = as_user("kebijakan.palu")
    _draft(api)
    impact = api.get(f"{BASE}/2/impact?year=2025")
    assert impact.status_code == 200 and impact.get_json()["total"] == 0
    assert as_user("kebijakan.palu").get("/rule-sets/nasional/scoring/versions/1/impact").status_code == 403


def test_imports_with_a_key_twice_a_rule_id_twice_or_another_daerahs_pack_store_nothing(as_user, world, session):
    api = as_user("kebijakan.palu")
    exported = api.get(f"{BASE}/1/export.json").get_data(as_text=True)
    before = len(api.get(BASE).get_json()["items"])
    cases = [
        ({"format": "json", "content": exported.rstrip()[:-1] + ', "stages": {}}'}, "duplicate key"),
        ({"format": "yaml", "content": "pack: palu\npack: bantul\nversion: '9'\nextends: nasional\n"}, "duplicate key"),
        ({"format": "json", "content": exported.replace('"pack": "palu"', '"pack": "bantul"')
          .replace('"pack":"palu"', '"pack":"bantul"')}, "bantul"),
    ]
    for body, shown in cases:
        response = api.post(f"{BASE}/import", json=body)
        assert response.status_code == 422, (shown, response.status_code, response.get_json())
        assert shown in json.dumps(response.get_json()), response.get_json()
    doc = json.loads(exported)
    rules = doc["stages"]["skor"]["rules"]
    doc["stages"]["skor"]["rules"] = rules + [rules[0]]
    assert len(api.get(BASE).get_json()["items"]) == before
    # a rule id twice is a problem of the draft (kept as given, nothing lost), so it cannot be published
    response = api.post(f"{BASE}/import", json={"format": "json", "content": json.dumps(doc)})
    assert response.status_code == 201 and "given twice" in json.dumps(response.get_json()["problems"])
