"""The `kinerja evaluate` and `kinerja rules ...` commands, as HR and policy makers use them from a terminal."""
from __future__ import annotations

import json

from sqlalchemy import func, select

from rules.models import RuleVersion
from tests.integration.rules_fixtures import make_facts, ruled  # noqa: F401 (fixture)


def _run(app, *args):
    return app.test_cli_runner().invoke(args=["kinerja", *args])


def _count(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(RuleVersion))


def test_evaluate_prints_the_decision_as_json(app, ruled, tmp_path):
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(make_facts()))
    result = _run(app, "evaluate", "--daerah", "palu", "--facts", str(path))
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    for key in ("predikat", "rating_hasil_kerja", "rating_perilaku", "capaian", "actions", "trace", "explanation",
                "versions"):
        assert key in out
    assert [v["label"] for v in out["versions"]] == ["palu/scoring v1", "palu/reward_punishment v1", "palu/coaching v1"]
    assert out["explanation"]["id"].startswith("Predikat") and out["explanation"]["en"].startswith("Predikat")


def test_evaluate_lists_every_bad_field(app, ruled, tmp_path):
    facts = make_facts()
    del facts["perilaku"]["loyal"]
    facts["iki"][0]["target"] = "dua belas"
    facts["disiplin"]["hari_tidak_masuk"] = -1
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(facts))
    result = _run(app, "evaluate", "--daerah", "palu", "--facts", str(path))
    assert result.exit_code == 1
    assert "perilaku.loyal" in result.output and "iki[0].target" in result.output
    assert "disiplin.hari_tidak_masuk" in result.output and "Traceback" not in result.output


def test_evaluate_with_a_file_that_is_not_json(app, ruled, tmp_path):
    path = tmp_path / "facts.json"
    path.write_text('{"daerah": "palu", "iki": [')
    result = _run(app, "evaluate", "--daerah", "palu", "--facts", str(path))
    assert result.exit_code == 1 and "bukan JSON/YAML yang sah" in result.output and "line 1" in result.output


def test_export_import_validate_publish_diff_round_trip(app, session, ruled, tmp_path):
    out = tmp_path / "palu.yaml"
    assert _run(app, "rules", "export", "--daerah", "palu", "--out", str(out)).exit_code == 0
    text = out.read_text().replace("tpp_persen: 90", "tpp_persen: 85")
    out.write_text(text)
    before = _count(session)
    imported = _run(app, "rules", "import", str(out), "--daerah", "palu", "--user", "kebijakan.palu")
    assert imported.exit_code == 0 and "palu/scoring v2" in imported.output and "0 masalah" in imported.output
    assert _count(session) == before + 1
    assert _run(app, "rules", "validate", "--daerah", "palu", "--version", "2").exit_code == 0
    published = _run(app, "rules", "publish", "--daerah", "palu", "--version", "2", "--legal-basis",
                     "contoh: Perwal Palu 7/2027", "--from", "2027-01-01", "--user", "kebijakan.palu")
    assert published.exit_code == 0, published.output
    diff = _run(app, "rules", "diff", "--daerah", "palu", "1", "2")
    assert "90" in diff.output and "85" in diff.output


def test_import_of_a_broken_document_stores_nothing(app, session, ruled, tmp_path):
    before = _count(session)
    for body in ('{"pack": "palu", "stages": {', "- just\n- a list\n"):
        path = tmp_path / "broken.yaml"
        path.write_text(body)
        result = _run(app, "rules", "import", str(path), "--daerah", "palu", "--user", "kebijakan.palu")
        assert result.exit_code != 0 and "Traceback" not in result.output
    assert _count(session) == before


def test_validate_names_unknown_facts_with_a_suggestion(app, ruled, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("pack: uji\nversion: '1'\nextends: nasional\nstages:\n  hasil_kerja:\n    rules:\n"
                    "      - id: hk_di_atas\n        when: {fact: capaian_tertimbng, op: '>=', value: 100}\n"
                    "        set: {rating_hasil_kerja: di_atas}\n")
    result = _run(app, "rules", "validate", "--file", str(path))
    assert result.exit_code == 1 and "capaian_tertimbang" in result.output and "hk_di_atas" in result.output


def test_resolved_export_shows_where_each_rule_came_from(app, ruled):
    result = _run(app, "rules", "export", "--daerah", "palu", "--kind", "scoring", "--resolved", "--format", "json")
    doc = json.loads(result.output)
    origins = {r.get("origin", {}).get("pack") for stage in doc["stages"].values() for r in stage.get("rules", [])}
    assert {"nasional", "palu"} <= origins


def test_policy_maker_of_another_daerah_cannot_publish(app, ruled):
    result = _run(app, "rules", "publish", "--daerah", "bantul", "--version", "1", "--legal-basis", "x",
                  "--from", "2027-01-01", "--user", "kebijakan.palu")
    assert result.exit_code == 1 and "tidak berwenang" in result.output


def test_files_that_are_not_objects_huge_versions_and_unwritable_outputs_are_clear(app, session, ruled, tmp_path):
    empty, listing = tmp_path / "kosong.json", tmp_path / "daftar.json"
    empty.write_text("")
    listing.write_text("[]")
    before = _count(session)
    for args in (("rules", "validate", "--file", str(empty)), ("rules", "validate", "--file", str(listing)),
                 ("evaluate", "--daerah", "palu", "--facts", str(listing)),
                 ("rules", "import", "--daerah", "palu", str(empty), "--user", "kebijakan.palu")):
        result = _run(app, *args)
        assert result.exit_code == 1 and "must hold a JSON/YAML object" in result.output, (args, result.output)
        assert "Traceback" not in result.output
    assert _count(session) == before, "an empty file no longer saves a copy of the latest version as a draft"
    facts = tmp_path / "fakta.json"
    facts.write_text(json.dumps(make_facts()))
    for args in (("rules", "export", "--daerah", "palu", "--version", "9223372036854775808"),
                 ("evaluate", "--daerah", "palu", "--facts", str(facts), "--version", "99999999999999999999")):
        result = _run(app, *args)
        assert result.exit_code == 2 and "Traceback" not in result.output, (args, result.output)
    result = _run(app, "rules", "export", "--daerah", "palu", "--out", str(tmp_path / "tidak-ada" / "x.yaml"))
    assert result.exit_code == 2 and "cannot write the file" in result.output
