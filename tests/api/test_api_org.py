"""Daerah, unit kerja and pegawai over the API: reads limited to the caller's daerah, writes for HR of the daerah,
validated by the kernel's checks, paginated and filtered lists."""
from __future__ import annotations

from sqlalchemy import select

from engine.audit import AuditLog
from engine.organisation import Pegawai, UnitKerja
from tests.api.conftest import error_of
from tests.factories import valid_nip


def test_daerah_are_limited_to_the_callers(as_user):
    assert [d["code"] for d in as_user("hr.palu").get("/daerah").get_json()["items"]] == ["palu"]
    everyone = as_user("admin").get("/daerah?per_page=2").get_json()
    assert everyone["total"] == 3 and len(everyone["items"]) == 2 and everyone["pages"] == 2
    assert as_user("admin").get("/daerah?q=ban").get_json()["items"][0]["code"] == "bantul"
    assert as_user("hr.palu").get("/daerah/palu").get_json()["timezone"] == "Asia/Makassar"
    assert as_user("hr.palu").get("/daerah/bantul").status_code == 404
    assert as_user("pegawai.palu").get("/daerah").status_code == 403


def test_unit_kerja_crud_by_hr(as_user, world, session):
    hr = as_user("hr.palu")
    created = hr.post("/unit-kerja", json={"daerah": "palu", "code": "dinkes", "name": "Dinas Kesehatan",
                                           "parent_id": world.dinas.id})
    assert created.status_code == 201
    unit = created.get_json()
    assert unit["daerah"] == "palu" and unit["parent_id"] == world.dinas.id
    assert hr.get(f"/unit-kerja/{unit['id']}").get_json()["name"] == "Dinas Kesehatan"
    duplicate = hr.post("/unit-kerja", json={"daerah": "palu", "code": "dinkes", "name": "Lagi"})
    assert duplicate.status_code == 409 and error_of(duplicate)["code"] == "duplicate"
    changed = hr.patch(f"/unit-kerja/{unit['id']}", json={"name": "Dinas Kesehatan Kota"})
    assert changed.status_code == 200 and changed.get_json()["name"] == "Dinas Kesehatan Kota"
    cycle = hr.patch(f"/unit-kerja/{world.dinas.id}", json={"parent_id": world.bidang.id})
    assert cycle.status_code == 422 and "parent" in error_of(cycle)["fields"]
    listed = hr.get(f"/unit-kerja?parent_id={world.dinas.id}").get_json()
    assert {u["code"] for u in listed["items"]} == {"diskominfo-aptika", "dinkes"}
    assert hr.get("/unit-kerja?q=kesehatan").get_json()["total"] == 1
    assert hr.delete(f"/unit-kerja/{unit['id']}").status_code == 204
    assert session.get(UnitKerja, unit["id"]) is None
    assert session.scalar(select(AuditLog).where(AuditLog.entity == "unit_kerja", AuditLog.action == "delete",
                                                 AuditLog.actor == "hr.palu"))


def test_a_unit_in_use_is_not_deleted(as_user, world, session):
    response = as_user("hr.palu").delete(f"/unit-kerja/{world.bidang.id}")
    assert response.status_code == 409 and error_of(response)["code"] == "in_use"
    assert "pegawai" in error_of(response)["message"]["en"]
    assert session.get(UnitKerja, world.bidang.id) is not None


def test_only_hr_writes_and_only_in_their_daerah(as_user, world):
    body = {"daerah": "palu", "code": "baru", "name": "Unit Baru"}
    assert as_user("kebijakan.palu").post("/unit-kerja", json=body).status_code == 403
    assert as_user("hr.bantul").post("/unit-kerja", json=body).status_code == 404
    assert as_user("hr.bantul").patch(f"/unit-kerja/{world.dinas.id}", json={"name": "x"}).status_code == 404
    assert as_user("hr.bantul").delete(f"/pegawai/{world.staff_p.id}").status_code == 404
    assert as_user("auditor.palu").patch(f"/pegawai/{world.staff_p.id}", json={"name": "x"}).status_code == 403


def test_pegawai_crud_with_nip_and_atasan_checks(as_user, world, session):
    hr = as_user("hr.palu")
    nip = valid_nip(777)
    body = {"nip": f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}", "name": "Siti Aminah", "jabatan": "Analis SDM",
            "jenis_jabatan": "pelaksana", "golongan": "III/b", "unit_id": world.bidang.id,
            "atasan_id": world.kasi_p.id}
    created = hr.post("/pegawai", json=body)
    assert created.status_code == 201
    person = created.get_json()
    assert person["nip"] == nip and person["daerah"] == "palu" and person["atasan_nip"] == world.kasi_p.nip
    assert hr.post("/pegawai", json=body).status_code == 409
    bad_nip = hr.post("/pegawai", json=body | {"nip": "123"})
    assert bad_nip.status_code == 422 and "nip" in error_of(bad_nip)["fields"]
    other = hr.post("/pegawai", json=body | {"nip": valid_nip(778), "atasan_id": world.b_staff_p.id})
    assert other.status_code == 404
    cycle = hr.patch(f"/pegawai/{world.kasi_p.id}", json={"atasan_id": person["id"]})
    assert cycle.status_code == 422 and "atasan" in error_of(cycle)["fields"]
    moved = hr.patch(f"/pegawai/{person['id']}", json={"golongan": "III/c", "atasan_id": None})
    assert moved.get_json()["golongan"] == "III/c" and moved.get_json()["atasan_id"] is None
    assert hr.get(f"/pegawai?q=aminah").get_json()["items"][0]["id"] == person["id"]
    filtered = hr.get(f"/pegawai?unit_id={world.bidang.id}&jenis_jabatan=pengawas").get_json()
    assert [p["name"] for p in filtered["items"]] == ["Kepala Seksi"]
    assert hr.get(f"/pegawai?atasan_id={world.kasi_p.id}").get_json()["total"] == 1
    assert hr.delete(f"/pegawai/{person['id']}").status_code == 204
    assert session.get(Pegawai, person["id"]) is None


def test_a_pegawai_with_an_evaluation_or_login_is_not_deleted(as_user, world):
    response = as_user("hr.palu").delete(f"/pegawai/{world.staff_p.id}")
    assert response.status_code == 409
    message = error_of(response)["message"]["en"]
    assert "evaluation" in message and "users" in message


def test_lists_are_paginated_with_a_maximum(as_user):
    hr = as_user("hr.palu")
    page = hr.get("/pegawai?per_page=1&page=2").get_json()
    assert page["page"] == 2 and page["per_page"] == 1 and page["total"] == 4 and len(page["items"]) == 1
    too_many = hr.get("/pegawai?per_page=1000")
    assert too_many.status_code == 422 and "per_page" in error_of(too_many)["fields"]
    assert hr.get("/pegawai?page=99").get_json()["items"] == []


def test_a_retired_pegawai_is_marked_filtered_and_their_token_stops(as_user, world, session):
    hr = as_user("hr.palu")
    busy = hr.patch(f"/pegawai/{world.kasi_p.id}", json={"status": "pensiun"})
    assert busy.status_code == 422 and "status" in error_of(busy)["fields"]
    assert "masih atasan langsung dari 1 pegawai aktif" in error_of(busy)["message"]["id"]
    assert as_user("pegawai.palu").get("/evaluations?mine=true").status_code == 200
    retired = hr.patch(f"/pegawai/{world.staff_p.id}", json={"status": "pensiun", "status_since": "2026-07-01"})
    assert retired.status_code == 200, retired.get_json()
    assert retired.get_json()["status"] == "pensiun" and retired.get_json()["status_since"] == "2026-07-01"
    assert [p["name"] for p in hr.get("/pegawai?status=pensiun").get_json()["items"]] == ["Pranata Komputer"]
    assert as_user("pegawai.palu").get("/evaluations?mine=true").status_code == 401, "their own token stops"
    unknown = hr.patch(f"/pegawai/{world.staff_p.id}", json={"status": "cuti"})
    assert unknown.status_code == 422 and "status" in error_of(unknown)["fields"]
    boss = hr.patch(f"/pegawai/{world.kasi_p.id}", json={"atasan_id": world.staff_p.id})
    assert boss.status_code == 422 and "pensiun, bukan aktif" in error_of(boss)["message"]["id"]
    back = hr.patch(f"/pegawai/{world.staff_p.id}", json={"status": "aktif", "status_since": None})
    assert back.get_json()["status"] == "aktif"
    assert as_user("pegawai.palu").get("/evaluations?mine=true").status_code == 200
