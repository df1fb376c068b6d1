"""The whole evaluation lifecycle over HTTP, as the people who do each step: plan, approval, realisasi, review,
decision, feedback, acknowledgement or keberatan, follow-ups, closing; with optimistic locking by ETag."""
from __future__ import annotations

import datetime as dt

from tests.api.conftest import BERAKHLAK, TAHUN, error_of, plan_input


def _step(api, method, path, etag, status=200, **kwargs):
    response = api(method, path, headers={"If-Match": etag}, **kwargs)
    assert response.status_code == status, response.get_json()
    return response.get_json(), response.headers.get("ETag")


def _to_review(as_user, ev_id, factor=1.2):
    """Plan, approval and realisasi (the pegawai and the atasan); returns (body, etag) in review."""
    pegawai, atasan = as_user("pegawai.palu"), as_user("atasan.palu")
    tag = pegawai.get(f"/evaluations/{ev_id}").headers["ETag"]
    body, tag = _step(pegawai, "PUT", f"/evaluations/{ev_id}/plan", tag, json={"rhk": plan_input()})
    assert [r["jenis"] for r in body["rhk"]] == ["utama", "utama", "tambahan"]
    body, tag = _step(pegawai, "POST", f"/evaluations/{ev_id}/transitions", tag, json={"event": "submit_plan"})
    assert body["state"] == "plan_submitted"
    body, tag = _step(atasan, "POST", f"/evaluations/{ev_id}/transitions", tag,
                      json={"event": "approve_plan", "reason": "sesuai rencana unit"})
    assert body["state"] == "plan_approved"
    body, tag = _step(atasan, "PUT", f"/evaluations/{ev_id}/ekspektasi", tag,
                      json={"values": {"akuntabel": "Laporan tepat waktu"}})
    today = min(dt.date.today(), dt.date(TAHUN, 12, 31)).isoformat()
    for rhk in body["rhk"]:
        for iki in rhk["iki"]:
            value = iki["target"] * factor if iki["arah"] == "naik" else iki["target"] / factor
            body, tag = _step(pegawai, "POST", f"/evaluations/{ev_id}/realisasi", tag, status=201,
                              json={"iki_id": iki["id"], "value": round(value, 2), "realized_on": today,
                                    "note": "laporan", "evidence_url": "https://drive.example.go.id/bukti"})
    assert body["state"] == "realization"
    activity = pegawai.post(f"/evaluations/{ev_id}/activities", headers={"If-Match": tag},
                            json={"activity_on": today, "description": "Rapat koordinasi"})
    assert activity.status_code == 201
    body, tag = _step(pegawai, "POST", f"/evaluations/{ev_id}/transitions", tag, json={"event": "submit_realization"})
    assert body["state"] == "review"
    return body, tag


def _decided(as_user, ev_id, rating="di_atas", factor=1.2):
    body, tag = _to_review(as_user, ev_id, factor)
    hr, atasan = as_user("hr.palu"), as_user("atasan.palu")
    body, tag = _step(hr, "PUT", f"/evaluations/{ev_id}/disiplin", tag,
                      json={"hari_tidak_masuk": 0, "menit_terlambat": 10})
    body, tag = _step(atasan, "PUT", f"/evaluations/{ev_id}/perilaku", tag,
                      json={"ratings": {v: rating for v in BERAKHLAK}, "notes": {"adaptif": "cepat belajar"},
                            "kontribusi_tim": "di_atas", "inovasi": True})
    body, tag = _step(atasan, "POST", f"/evaluations/{ev_id}/decide", tag)
    assert body["decision_id"] and body["predikat"] == body["predikat_engine"]
    return body, tag


def test_whole_lifecycle_to_closed(as_user, world):
    ev_id = world.ev.id
    hr, atasan, pegawai = as_user("hr.palu"), as_user("atasan.palu"), as_user("pegawai.palu")
    again = hr.post("/periods", json={"daerah": "palu", "tahun": TAHUN})
    assert again.status_code == 201 and again.get_json()["created"] == 0 and again.get_json()["existing"] == 4
    assert again.get_json()["not_aktif"] == 0
    body, tag = _decided(as_user, ev_id)
    assert body["predikat"] == "sangat_baik"
    body, tag = _step(atasan, "POST", f"/evaluations/{ev_id}/feedback", tag,
                      json={"umpan_balik": "Pertahankan; dokumentasikan inovasi Anda."})
    assert body["state"] == "feedback" and "acknowledge" in pegawai.get(f"/evaluations/{ev_id}").get_json()[
        "allowed_events"]
    body, tag = _step(pegawai, "POST", f"/evaluations/{ev_id}/acknowledge", tag)
    assert body["state"] == "follow_up" and body["follow_ups"]
    for follow_up in body["follow_ups"]:
        response = hr.post(f"/follow-ups/{follow_up['id']}/resolve", json={"note": "sudah diproses BKPSDM"})
        assert response.status_code == 200 and response.get_json()["status"] == "done"
    final = hr.get(f"/evaluations/{ev_id}").get_json()
    assert final["state"] == "closed" and final["closed_at"]
    events = [h["event"] for h in hr.get(f"/evaluations/{ev_id}/history").get_json()]
    assert events[:3] == ["submit_plan", "approve_plan", "start_realization"] and events[-1] == "complete"
    decision = as_user("auditor.palu").get(f"/decisions/{final['decision_id']}").get_json()
    assert decision["predikat"] == "sangat_baik"
    assert [v["label"] for v in decision["versions"]] == ["palu/scoring v1", "palu/reward_punishment v1",
                                                          "palu/coaching v1"]
    replayed = as_user("auditor.palu").post(f"/decisions/{final['decision_id']}/replay").get_json()
    assert replayed["identical"] is True and replayed["replay_hash"] == decision["result_hash"]


def test_keberatan_changed_by_the_atasans_atasan(as_user, world):
    ev_id = world.ev.id
    body, tag = _decided(as_user, ev_id, rating="sesuai", factor=1.0)
    before = body["predikat"]
    body, tag = _step(as_user("atasan.palu"), "POST", f"/evaluations/{ev_id}/feedback", tag,
                      json={"umpan_balik": "Cukup baik."})
    body, tag = _step(as_user("pegawai.palu"), "POST", f"/evaluations/{ev_id}/keberatan", tag, status=201,
                      json={"alasan": "Inovasi aplikasi belum dinilai."})
    assert body["state"] == "keberatan" and body["keberatan"][0]["status"] == "pending"
    refused = as_user("atasan.palu").post(f"/evaluations/{ev_id}/keberatan/resolve", headers={"If-Match": tag},
                                          json={"uphold": True, "reason": "tetap sesuai penilaian"})
    assert refused.status_code == 403
    body, tag = _step(as_user("atasan2.palu"), "POST", f"/evaluations/{ev_id}/keberatan/resolve", tag,
                      json={"uphold": False, "reason": "perilaku di atas ekspektasi terbukti",
                            "perilaku": {v: "di_atas" for v in BERAKHLAK}, "predikat": "sangat_baik"})
    assert body["keberatan"][0]["status"] == "changed" and body["predikat"] == "sangat_baik" != before
    assert body["predikat_engine"] == before and body["override_reason"]
    assert body["state"] in ("follow_up", "closed")


def test_changes_need_if_match_428_and_a_stale_etag_is_412(as_user, world):
    api = as_user("pegawai.palu")
    path = f"/evaluations/{world.ev.id}/plan"
    missing = api.put(path, json={"rhk": plan_input()})
    assert missing.status_code == 428 and error_of(missing)["code"] == "precondition_required"
    tag = api.get(f"/evaluations/{world.ev.id}").headers["ETag"]
    assert api.put(path, json={"rhk": plan_input()}, headers={"If-Match": tag}).status_code == 200
    stale = api.put(path, json={"rhk": plan_input()}, headers={"If-Match": tag})
    assert stale.status_code == 412 and error_of(stale)["code"] == "precondition_failed"
    fresh = api.get(f"/evaluations/{world.ev.id}").headers["ETag"]
    assert fresh != tag and api.put(path, json={"rhk": plan_input()}, headers={"If-Match": "*"}).status_code == 200


def test_guards_and_roles_give_located_errors(as_user, world):
    pegawai, atasan = as_user("pegawai.palu"), as_user("atasan.palu")
    tag = pegawai.get(f"/evaluations/{world.ev.id}").headers["ETag"]
    body, tag = _step(pegawai, "PUT", f"/evaluations/{world.ev.id}/plan", tag,
                      json={"rhk": plan_input(bobot=(40, 30, 20))})
    refused = pegawai.post(f"/evaluations/{world.ev.id}/transitions", headers={"If-Match": tag},
                           json={"event": "submit_plan"})
    assert refused.status_code == 422 and "rhk" in error_of(refused)["fields"]
    wrong_role = atasan.post(f"/evaluations/{world.ev.id}/transitions", headers={"If-Match": tag},
                             json={"event": "submit_plan"})
    assert wrong_role.status_code == 403
    wrong_state = atasan.post(f"/evaluations/{world.ev.id}/decide", headers={"If-Match": tag})
    assert wrong_state.status_code == 409 and error_of(wrong_state)["code"] == "wrong_state"
    own = pegawai.post(f"/evaluations/{world.ev.id}/transitions", headers={"If-Match": tag},
                       json={"event": "give_feedback"})
    assert own.status_code == 422 and error_of(own)["code"] == "own_endpoint"


def test_hr_forces_and_closes_and_reopens_with_a_reason(as_user, world):
    hr = as_user("hr.palu")
    tag = hr.get(f"/evaluations/{world.ev.id}").headers["ETag"]
    no_reason = hr.post(f"/evaluations/{world.ev.id}/transitions", headers={"If-Match": tag},
                        json={"event": "close"})
    assert no_reason.status_code == 422 and "reason" in error_of(no_reason)["fields"]
    body, tag = _step(hr, "POST", f"/evaluations/{world.ev.id}/transitions", tag,
                      json={"event": "submit_plan", "force": True, "reason": "pegawai cuti panjang"})
    assert body["state"] == "plan_submitted"
    body, tag = _step(hr, "POST", f"/evaluations/{world.ev.id}/transitions", tag,
                      json={"event": "close", "reason": "pegawai pindah instansi"})
    assert body["state"] == "closed"
    body, tag = _step(hr, "POST", f"/evaluations/{world.ev.id}/transitions", tag,
                      json={"event": "reopen", "reason": "salah tutup", "to": "realization"})
    assert body["state"] == "realization"


def test_lists_of_evaluations(as_user, world):
    mine = as_user("pegawai.palu").get("/evaluations?mine=true").get_json()
    assert [e["id"] for e in mine["items"]] == [world.ev.id]
    reports = as_user("atasan.palu").get("/evaluations?mine=true").get_json()
    assert world.ev.id in [e["id"] for e in reports["items"]]
    page = as_user("hr.palu").get(f"/evaluations?daerah=palu&tahun={TAHUN}&per_page=2").get_json()
    assert page["total"] == 4 and len(page["items"]) == 2 and page["pages"] == 2
    second = as_user("hr.palu").get(f"/evaluations?daerah=palu&tahun={TAHUN}&per_page=2&page=2").get_json()
    ids = [e["id"] for e in page["items"] + second["items"]]
    assert ids == sorted(ids) and len(set(ids)) == 4  # the two pages: every evaluation once, in id order
    assert as_user("hr.palu").get(f"/evaluations?daerah=palu&tahun={TAHUN}&per_page=2&page=3").get_json()["items"] == []
    drafting = as_user("atasan.palu").get("/evaluations?mine=true&state=plan_draft").get_json()
    assert drafting["total"] == sum(e["state"] == "plan_draft" for e in reports["items"]) and drafting["total"] >= 1
    assert as_user("atasan.palu").get("/evaluations?mine=true&state=closed").get_json()["total"] == 0
    unit = as_user("hr.palu").get(f"/evaluations?daerah=palu&tahun={TAHUN}&unit_id={world.dinas.id}").get_json()
    assert unit["total"] == 4
    drafts = as_user("auditor.palu").get(f"/evaluations?daerah=palu&tahun={TAHUN}&state=review").get_json()
    assert drafts["total"] == 0
    missing = as_user("hr.palu").get("/evaluations")
    assert missing.status_code == 422 and set(error_of(missing)["fields"]) == {"daerah", "tahun"}
    assert as_user("pegawai.palu").get(f"/evaluations?daerah=palu&tahun={TAHUN}").status_code == 403
    assert as_user("hr.palu").get(f"/evaluations?daerah=bantul&tahun={TAHUN}").status_code == 404
