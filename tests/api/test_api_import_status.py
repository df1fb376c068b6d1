"""The SIASN import's KEDUDUKAN HUKUM column: it sets the status of the pegawai in the file, refuses texts it does not
map (nobody on leave or suspended is silently made aktif or dropped) and never leaves aktif pegawai under an atasan
who left, counting the reports as the file leaves them."""
from __future__ import annotations

import datetime as dt
import io

from sqlalchemy import select

from engine.organisation import Pegawai, PegawaiStatus
from tests.api.conftest import error_of
from tests.factories import valid_nip
from tests.siasn_files import HEADER, siasn_csv

STATUS_HEADER = HEADER + ["KEDUDUKAN HUKUM NAMA"]


def _row(nip, name, jabatan, jenis, gol, atasan, kedudukan, eselon="", unor="diskominfo-aptika") -> list:
    return ["x", nip, name, "", "", jabatan, jenis, eselon, gol, unor, "", atasan, kedudukan]


def _kasi(world, kedudukan, atasan=None) -> list:
    return _row(world.kasi_p.nip, "Kepala Seksi", "Kepala Seksi", "Struktural", "III/d",
                atasan or world.kabid_p.nip, kedudukan, eselon="IV.a")


def _staff(world, atasan, kedudukan="") -> list:
    return _row(world.staff_p.nip, "Pranata Komputer", "Pranata Komputer Ahli Muda", "fungsional", "III/c", atasan,
                kedudukan)


def _post(api, rows):
    return api.post("/pegawai/import?daerah=palu",
                    data={"file": (io.BytesIO(siasn_csv(rows, header=STATUS_HEADER)), "siasn.csv")},
                    content_type="multipart/form-data")


def _status(session, nip) -> PegawaiStatus:
    session.expire_all()
    return session.scalar(select(Pegawai.status).where(Pegawai.nip == nip))


def test_kedudukan_hukum_sets_the_status_of_known_and_new_pegawai(as_user, world, session):
    world.staff_p.status_since = dt.date(2020, 1, 1)
    session.commit()
    rows = [_staff(world, world.kasi_p.nip, "Pensiun"),
            _row(valid_nip(921), "Ani Suryani", "Analis", "pelaksana", "III/a", world.kasi_p.nip, "PNS Aktif"),
            _row(valid_nip(922), "Budi Santoso", "Analis", "pelaksana", "III/a", world.kasi_p.nip, ""),
            _row(valid_nip(923), "Citra Dewi", "Analis", "pelaksana", "III/a", "", "Mutasi Keluar")]
    response = _post(as_user("hr.palu"), rows)
    assert response.status_code == 200, response.get_json()
    report = response.get_json()
    assert (report["created"], report["updated"], report["status_changed"]) == (3, 1, 1)
    assert _status(session, world.staff_p.nip) == PegawaiStatus.pensiun
    assert session.get(Pegawai, world.staff_p.id).status_since is None, "the date belonged to the old status"
    assert [_status(session, valid_nip(n)) for n in (921, 922, 923)] == [
        PegawaiStatus.aktif, PegawaiStatus.aktif, PegawaiStatus.pindah]
    again = _post(as_user("hr.palu"), rows).get_json()
    assert (again["updated"], again["status_changed"], again["unchanged"]) == (0, 0, 4)
    # a blank cell keeps the status: the pensioned staff stays pensiun
    assert _post(as_user("hr.palu"), [_staff(world, world.kasi_p.nip)]).get_json()["unchanged"] == 1
    assert _status(session, world.staff_p.nip) == PegawaiStatus.pensiun


def test_a_kedudukan_the_import_does_not_map_stores_nothing(as_user, world, session):
    rows = [_row(valid_nip(931), "Dedi", "Analis", "pelaksana", "III/a", "", "Aktif"),
            _staff(world, world.kasi_p.nip, "CLTN")]
    response = _post(as_user("hr.palu"), rows)
    assert response.status_code == 422
    problem = error_of(response)["fields"]["rows[3].KEDUDUKAN HUKUM"][0]
    assert "'CLTN' tidak dipetakan" in problem["id"] and "Aktif, Pensiun, Pindah, Berhenti" in problem["id"]
    assert "'CLTN' does not map to an employee status" in problem["en"]
    assert _status(session, valid_nip(931)) is None, "nothing of the file is stored"
    assert _status(session, world.staff_p.nip) == PegawaiStatus.aktif


def test_an_atasan_leaves_only_when_no_aktif_report_stays_under_them(as_user, world, session):
    # the kasi retires; the staff stays under the kasi (in the file), the kasi leaves aktif reports behind
    response = _post(as_user("hr.palu"), [_kasi(world, "Pensiun"), _staff(world, world.kasi_p.nip)])
    assert response.status_code == 422
    fields = error_of(response)["fields"]
    assert "1 pegawai aktif" in fields["rows[2].KEDUDUKAN HUKUM"][0]["id"]
    assert "1 active employees" in fields["rows[2].KEDUDUKAN HUKUM"][0]["en"]
    assert "bukan aktif" in fields["rows[3].ATASAN NIP"][0]["id"], "nobody is put under a retired atasan"
    # the staff is not in the file: the stored report counts
    response = _post(as_user("hr.palu"), [_kasi(world, "Pensiun")])
    assert response.status_code == 422 and "rows[2].KEDUDUKAN HUKUM" in error_of(response)["fields"]
    assert _status(session, world.kasi_p.nip) == PegawaiStatus.aktif
    # the same file moves the staff to the kabid first: the kasi may retire
    response = _post(as_user("hr.palu"), [_kasi(world, "Pensiun"), _staff(world, world.kabid_p.nip)])
    assert response.status_code == 200, response.get_json()
    assert _status(session, world.kasi_p.nip) == PegawaiStatus.pensiun
    assert session.get(Pegawai, world.staff_p.id).atasan_id == world.kabid_p.id


def test_unit_codes_too_long_and_control_characters_are_named_by_row_and_column(as_user, world, session):
    long_a, long_b = "puskesmas-" + "x" * 50 + "-a", "puskesmas-" + "x" * 50 + "-b"
    rows = [_row(valid_nip(941), "Ani", "Perawat", "pelaksana", "II/c", "", "", unor=long_a),
            _row(valid_nip(942), "Budi\x0bSantoso", "Perawat", "pelaksana", "II/c", "", "", unor=long_b)]
    rows[0][10], rows[1][10] = "Puskesmas Alpha", "Puskesmas Beta"
    response = _post(as_user("hr.palu"), rows)
    assert response.status_code == 422
    fields = error_of(response)["fields"]
    assert {"rows[2].UNOR ID", "rows[3].UNOR ID"} <= set(fields), fields
    assert "Paling panjang 60 karakter" in fields["rows[2].UNOR ID"][0]["id"]
    assert _status(session, valid_nip(941)) is None, "nothing stored, no unit merged into another"
    rows[0][9], rows[1][9] = "pkm-alpha", "pkm-beta"  # the codes fixed, the name's control character is left
    response = _post(as_user("hr.palu"), rows)
    assert response.status_code == 422
    assert "karakter kendali" in error_of(response)["fields"]["rows[3].NAMA"][0]["id"]
