"""Bulk import of pegawai from a SIASN export (CSV or XLSX): all rows or none, a report of every bad row,
dry runs, updates of known NIPs, atasan by NIP, units by UNOR ID or name."""
from __future__ import annotations

import io

from sqlalchemy import func, select

from engine.audit import AuditLog
from engine.organisation import Pegawai, UnitKerja
from tests.api.conftest import error_of
from tests.factories import valid_nip
from tests.siasn_files import siasn_csv, siasn_xlsx


def _rows(world) -> list[list]:
    boss, staff = valid_nip(901), valid_nip(902)
    return [
        ["a1", boss, "Rahmat Hidayat", "", "S.T.", "Kepala Seksi Aplikasi", "Struktural", "IV.a", "III/d",
         "8ae48b2c9f", "Seksi Aplikasi", world.kabid_p.nip],
        ["a2", staff, "Dewi Lestari", "", "S.Kom.", "Pranata Komputer Ahli Pertama", "Fungsional Tertentu", "",
         "Penata Muda (III/a)", "8ae48b2c9f", "Seksi Aplikasi", boss],
        ["a3", world.staff_p.nip, "Pranata Komputer", "", "", "Pranata Komputer Ahli Muda", "fungsional", "",
         "III/c", "diskominfo-aptika", "", world.kasi_p.nip],
    ]


def _post(api, data: bytes, name: str, query: str = "daerah=palu"):
    return api.post(f"/pegawai/import?{query}", data={"file": (io.BytesIO(data), name)},
                    content_type="multipart/form-data")


def _count(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Pegawai))


def test_csv_import_creates_updates_and_links_atasan(as_user, world, session):
    before = _count(session)
    response = _post(as_user("hr.palu"), siasn_csv(_rows(world)), "siasn.csv")
    assert response.status_code == 200, response.get_json()
    report = response.get_json()
    assert report == {"stored": True, "dry_run": False, "rows": 3, "created": 2, "updated": 1, "unchanged": 0,
                      "units_created": 1, "status_changed": 0, "not_in_file": 3}, \
        "the kepala, kabid and kasi of palu are not in the file"
    assert _count(session) == before + 2
    boss = session.scalar(select(Pegawai).where(Pegawai.nip == valid_nip(901)))
    staff = session.scalar(select(Pegawai).where(Pegawai.nip == valid_nip(902)))
    assert boss.jenis_jabatan == "pengawas" and boss.name == "Rahmat Hidayat, S.T." and boss.atasan_id == world.kabid_p.id
    assert staff.atasan_id == boss.id and staff.golongan == "III/a" and staff.jenis_jabatan == "fungsional"
    assert staff.unit.code == "8ae48b2c9f" and staff.unit.name == "Seksi Aplikasi"
    assert session.get(Pegawai, world.staff_p.id).golongan == "III/c"
    again = _post(as_user("hr.palu"), siasn_csv(_rows(world)), "siasn.csv").get_json()
    assert again["created"] == 0 and again["updated"] == 0 and again["unchanged"] == 3


def test_xlsx_import_works_the_same(as_user, world, session):
    response = _post(as_user("hr.palu"), siasn_xlsx(_rows(world)), "siasn.xlsx")
    assert response.status_code == 200 and response.get_json()["created"] == 2


def test_a_dry_run_stores_nothing(as_user, world, session):
    before = _count(session)
    response = _post(as_user("hr.palu"), siasn_csv(_rows(world)), "siasn.csv", "daerah=palu&dry_run=true")
    assert response.status_code == 200 and response.get_json()["stored"] is False
    assert response.get_json()["created"] == 2 and _count(session) == before
    assert session.scalar(select(UnitKerja).where(UnitKerja.code == "8ae48b2c9f")) is None


def test_one_bad_row_stores_nothing_and_every_problem_is_reported(as_user, world, session):
    rows = _rows(world)
    rows[0][1] = "19850312"                       # short NIP
    rows[1][8] = "IX"                             # a PPPK grade, not a PNS golongan
    rows[2][6] = "raja"                           # unknown jenis jabatan
    rows.append(["a4", valid_nip(903), "", "", "", "", "pelaksana", "", "II/a", "", "Unit Tak Dikenal", "1" * 18])
    before = _count(session)
    response = _post(as_user("hr.palu"), siasn_csv(rows, delimiter=","), "siasn.csv")
    assert response.status_code == 422
    fields = error_of(response)["fields"]
    assert {"rows[2].NIP BARU", "rows[3].GOL AKHIR NAMA", "rows[4].JENIS JABATAN", "rows[5].NAMA",
            "rows[5].JABATAN NAMA", "rows[5].UNOR ID"} <= set(fields)
    assert fields["rows[3].GOL AKHIR NAMA"][0]["id"].startswith("Baris 3, kolom GOL AKHIR NAMA")
    assert _count(session) == before


def test_structural_positions_need_the_eselon_and_nips_must_be_text_in_excel(as_user, world):
    rows = _rows(world)[:1]
    rows[0][7] = ""
    response = _post(as_user("hr.palu"), siasn_csv(rows), "siasn.csv")
    assert "rows[2].ESELON" in error_of(response)["fields"]
    rows = _rows(world)[:1]
    rows[0][1] = float(rows[0][1])
    response = _post(as_user("hr.palu"), siasn_xlsx(rows), "siasn.xlsx")
    assert response.status_code == 422 and "rows[2].NIP BARU" in error_of(response)["fields"]


def test_missing_columns_duplicates_and_unreadable_files(as_user, world):
    api = as_user("hr.palu")
    response = _post(api, siasn_csv([["1"]], header=["NAMA"]), "x.csv")
    assert response.status_code == 422 and "columns.NIP BARU" in error_of(response)["fields"]
    rows = _rows(world)
    rows[1][1] = rows[0][1]
    assert "rows[3].NIP BARU" in error_of(_post(api, siasn_csv(rows), "siasn.csv"))["fields"]
    assert _post(api, b"PK\x03\x04rusak", "x.xlsx").status_code == 422
    assert _post(api, "NIP BARU\n\xff".encode("latin-1"), "x.csv").status_code == 422
    assert _post(api, b"", "x.csv").status_code == 422
    unclosed = _post(api, ('NIP BARU;NAMA\n"' + "x" * 140_000 + "\n").encode(), "x.csv")  # one cell past csv's limit
    assert unclosed.status_code == 422 and "tanda kutip" in error_of(unclosed)["message"]["id"]
    no_file = api.post("/pegawai/import?daerah=palu", data={}, content_type="multipart/form-data")
    assert no_file.status_code == 422 and "file" in error_of(no_file)["fields"]


def test_only_hr_of_the_daerah_imports(as_user, world):
    data = siasn_csv(_rows(world))
    assert _post(as_user("kebijakan.palu"), data, "siasn.csv").status_code == 403
    assert _post(as_user("hr.bantul"), data, "siasn.csv").status_code == 404


def test_a_nip_of_another_daerah_is_refused_without_naming_it(as_user, world):
    rows = _rows(world)[:1]
    rows[0][1] = world.b_staff_p.nip
    rows[0][11] = ""
    error = error_of(_post(as_user("hr.palu"), siasn_csv(rows), "siasn.csv"))
    assert "bantul" not in str(error).lower() and "rows[2].NIP BARU" in error["fields"]


def test_uploads_larger_than_5_mib_are_413(as_user):
    # a raw body (a multipart file this big would be spooled by the test client to a file it never closes)
    response = as_user("hr.palu").post("/pegawai/import?daerah=palu", data=b"x" * (5 * 1024 * 1024 + 10),
                                       content_type="multipart/form-data; boundary=batas")
    assert response.status_code == 413 and error_of(response)["code"] == "too_large"


def test_a_supervision_cycle_in_the_file_or_through_the_daerah_stores_nothing(as_user, world, session):
    a, b = valid_nip(911), valid_nip(912)
    pair = [["c1", a, "Ani", "", "", "Analis", "pelaksana", "", "III/a", "diskominfo-aptika", "", b],
            ["c2", b, "Budi", "", "", "Analis", "pelaksana", "", "III/a", "diskominfo-aptika", "", a]]
    # the kasi gets a new atasan from the file, whose atasan is the kasi's own report (staff -> kasi in the daerah)
    through = [["c3", world.kasi_p.nip, "Kepala Seksi", "", "", "Kepala Seksi", "Struktural", "IV.a", "III/d",
                "diskominfo-aptika", "", a],
               ["c4", a, "Ani", "", "", "Analis", "pelaksana", "", "III/a", "diskominfo-aptika", "",
                world.staff_p.nip]]
    before = _count(session)
    for rows, bad in ((pair, {"rows[2].ATASAN NIP", "rows[3].ATASAN NIP"}),
                      (through, {"rows[2].ATASAN NIP", "rows[3].ATASAN NIP"})):
        response = _post(as_user("hr.palu"), siasn_csv(rows), "siasn.csv")
        assert response.status_code == 422, response.get_json()
        fields = error_of(response)["fields"]
        assert bad <= set(fields), fields
        assert "melingkar" in fields[min(bad)][0]["id"] and "cycle" in fields[min(bad)][0]["en"]
        assert _count(session) == before
    session.expire_all()
    assert session.get(Pegawai, world.kasi_p.id).atasan_id == world.kabid_p.id


def test_each_new_pegawai_is_audited_once_with_its_atasan(as_user, world, session):
    assert _post(as_user("hr.palu"), siasn_csv(_rows(world)), "siasn.csv").status_code == 200
    staff = session.scalar(select(Pegawai).where(Pegawai.nip == valid_nip(902)))
    rows = session.scalars(select(AuditLog).where(AuditLog.entity == "pegawai",
                                                  AuditLog.entity_id == str(staff.id))).all()
    assert [(r.action, r.actor, r.after["atasan_id"]) for r in rows] == [("create", "hr.palu", staff.atasan_id)]
    assert staff.atasan.nip == valid_nip(901), "its atasan came from the same file"


def test_a_column_twice_or_two_files_are_refused_instead_of_picking_one(as_user, world, session):
    from tests.siasn_files import HEADER

    api = as_user("hr.palu")
    before = _count(session)
    rows = [r + ["Nama Lain"] for r in _rows(world)]
    twice = _post(api, siasn_csv(rows, header=HEADER + ["NAMA"]), "siasn.csv")
    assert twice.status_code == 422 and "columns.NAMA" in error_of(twice)["fields"]
    data = siasn_csv(_rows(world))
    two = api.post("/pegawai/import?daerah=palu", content_type="multipart/form-data",
                   data={"file": [(io.BytesIO(data), "a.csv"), (io.BytesIO(data), "b.csv")]})
    assert two.status_code == 422 and "file" in error_of(two)["fields"]
    assert _count(session) == before
