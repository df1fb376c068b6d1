"""The console's SIASN import (Pegawai > Impor SIASN): HR checks a file (nothing stored), imports it (every row,
audited), and a bad file shows each problem by row and column in the user's language with nothing stored."""
from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from engine.audit import AuditLog
from engine.organisation import Pegawai, UnitKerja
from tests.factories import PASSWORD, make_daerah, make_pegawai, make_unit, make_user, valid_nip
from tests.forms import form_data, login, parse_forms
from tests.siasn_files import siasn_csv, siasn_xlsx

URL = "/admin/pegawai/import/"


@pytest.fixture
def world(session):
    """Palu with a unit and its head, Bantul with its HR; a policy maker, an auditor and an admin."""
    palu = make_daerah(session, code="palu", name="Kota Palu")
    bantul = make_daerah(session, code="bantul", name="Kabupaten Bantul", level="kabupaten")
    unit = make_unit(session, palu, code="dinkes", name="Dinas Kesehatan")
    head = make_pegawai(session, unit, name="Kepala Dinas", jenis_jabatan="jpt", golongan="IV/c")
    make_user(session, username="hr.palu", roles=[("hr", palu)])
    make_user(session, username="hr.bantul", roles=[("hr", bantul)])
    make_user(session, username="kebijakan.palu", roles=[("policy_maker", palu)])
    make_user(session, username="auditor.palu", roles=[("auditor", palu)])
    make_user(session, username="admin", roles=[("admin", None)])
    session.commit()
    return {"palu": palu, "bantul": bantul, "unit": unit, "head": head}


def _rows(world) -> list[list]:
    return [["p1", valid_nip(801), "Siti Aminah", "dr.", "", "Dokter Ahli Pertama", "Fungsional Tertentu", "",
             "Penata Muda (III/a)", "dinkes", "", world["head"].nip],
            ["p2", valid_nip(802), "Andi Saputra", "", "S.Kep.", "Perawat Terampil", "fungsional", "", "II/c",
             "pkm-talise", "Puskesmas Talise", valid_nip(801)]]


def _post_form(client, fields: dict):
    """Post the page's import form as a browser does (its CSRF token and selects), with `fields` on top."""
    html = client.get(URL).get_data(as_text=True)
    index = next(i for i, form in enumerate(parse_forms(html)) if form["id"] == "import-form")
    return client.post(URL, data=form_data(html, fields, index), follow_redirects=True)


def _upload(client, data: bytes, name: str, mode: str, **fields):
    return _post_form(client, {"file": (io.BytesIO(data), name), "mode": mode, **fields})


def _count(session, model=Pegawai) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_hr_checks_then_imports_and_every_new_pegawai_is_audited(client, world, session):
    login(client, "hr.palu", PASSWORD)
    listing = client.get("/admin/pegawai/").get_data(as_text=True)
    assert 'id="pegawai-import"' in listing and URL in listing
    before = _count(session)
    checked = _upload(client, siasn_csv(_rows(world)), "siasn.csv", "check")
    assert checked.status_code == 200
    assert "Pemeriksaan berhasil, belum ada yang disimpan. 2 baris: 2 pegawai baru, 0 diubah, 0 tanpa perubahan, " \
           "1 unit kerja baru." in _text(checked)
    assert _count(session) == before and _count(session, UnitKerja) == 1
    missing = _text(checked)[_text(checked).index('id="import-not-in-file"'):]
    assert missing.startswith('id="import-not-in-file" data-count="1"') and "Kepala Dinas" in missing[:1200]
    assert "periksa apakah mereka pensiun atau pindah" in missing[:1200]
    done = _upload(client, siasn_xlsx(_rows(world)), "siasn.xlsx", "import")
    assert done.status_code == 200 and done.request.path == "/admin/pegawai/"
    assert "Impor Kota Palu selesai. 2 baris: 2 pegawai baru" in _text(done)
    assert "Siti Aminah" in _text(done)
    siti = session.scalar(select(Pegawai).where(Pegawai.nip == valid_nip(801)))
    andi = session.scalar(select(Pegawai).where(Pegawai.nip == valid_nip(802)))
    assert siti.name == "dr. Siti Aminah" and siti.atasan_id == world["head"].id and siti.golongan == "III/a"
    assert andi.atasan_id == siti.id and andi.unit.name == "Puskesmas Talise"
    audited = session.scalars(select(AuditLog).where(AuditLog.entity == "pegawai", AuditLog.action == "create")).all()
    assert {(r.actor, r.entity_id) for r in audited} >= {("hr.palu", str(siti.id)), ("hr.palu", str(andi.id))}
    again = _upload(client, siasn_csv(_rows(world)), "siasn.csv", "import")
    assert "0 pegawai baru, 0 diubah, 2 tanpa perubahan" in _text(again)


def test_a_status_changed_by_kedudukan_hukum_is_counted_in_the_summary(client, world, session):
    from engine.organisation import PegawaiStatus
    from tests.siasn_files import HEADER

    login(client, "hr.palu", PASSWORD)
    rows = [r + ["Aktif"] for r in _rows(world)]
    assert "2 pegawai baru, 0 diubah, 0 tanpa" in _text(_upload(client, siasn_csv(rows, header=HEADER + [
        "KEDUDUKAN HUKUM"]), "siasn.csv", "import"))
    rows[1][-1] = "Meninggal Dunia"
    done = _upload(client, siasn_csv(rows, header=HEADER + ["KEDUDUKAN HUKUM"]), "siasn.csv", "import")
    assert "2 baris: 0 pegawai baru, 1 diubah (1 di antaranya statusnya), 1 tanpa perubahan" in _text(done)
    session.expire_all()
    assert session.scalar(select(Pegawai.status).where(Pegawai.nip == valid_nip(802))) == PegawaiStatus.meninggal


def test_a_bad_file_lists_each_problem_by_row_and_column_and_stores_nothing(client, world, session):
    rows = _rows(world)
    rows[0][1] = "19850312"          # a short NIP
    rows[1][8] = "IX"                # a PPPK grade, not a PNS golongan
    login(client, "hr.palu", PASSWORD)
    before, units = _count(session), _count(session, UnitKerja)
    response = _upload(client, siasn_csv(rows), "siasn.csv", "import")
    assert response.status_code == 422
    html = _text(response)
    assert "Impor pegawai gagal. Tidak ada yang disimpan" in html
    table = html[html.index('id="import-problems"'):]
    assert "<td>2</td><td>NIP BARU</td><td>NIP harus 18 angka (diterima 8)</td>" in table
    assert "<td>3</td><td>GOL AKHIR NAMA</td><td>golongan &#39;IX&#39; tidak dikenal (contoh: III/a)</td>" in table
    assert "<td>3</td><td>ATASAN NIP</td>" in table, "the atasan's NIP in the file is not valid either"
    assert _count(session) == before and _count(session, UnitKerja) == units
    english = client.get(URL + "?lang=en")
    assert english.status_code == 200
    response = _upload(client, siasn_csv(rows), "siasn.csv", "check")
    table = _text(response)[_text(response).index('id="import-problems"'):]
    assert "<td>3</td><td>GOL AKHIR NAMA</td><td>golongan &#39;IX&#39; is unknown (e.g. III/a)</td>" in table


def test_missing_columns_and_unreadable_files_say_what_is_wrong(client, world, session):
    login(client, "hr.palu", PASSWORD)
    missing = _upload(client, siasn_csv([["Siti"]], header=["NAMA"]), "siasn.csv", "check")
    assert missing.status_code == 422
    assert "Kolom wajib tidak ada: NIP BARU, JABATAN NAMA, JENIS JABATAN, GOL AKHIR NAMA" in _text(missing)
    assert re.search(r'<details class="mt-4" id="import-columns" open>', _text(missing)), "the column guide opens"
    broken = _upload(client, b"PK\x03\x04rusak", "siasn.xlsx", "check")
    assert broken.status_code == 422 and "Berkas tidak dapat dibaca sebagai CSV atau XLSX." in _text(broken)
    latin = _upload(client, "NIP BARU\n\xff".encode("latin-1"), "siasn.csv", "check")
    assert "Berkas CSV harus UTF-8." in _text(latin)
    no_file = _post_form(client, {"mode": "import"})
    assert no_file.status_code == 422 and 'data-error-for="file"' in _text(no_file)
    assert "Pilih berkas CSV atau XLSX." in _text(no_file)


def test_an_admin_chooses_the_daerah_and_must_choose_one(client, world, session):
    login(client, "admin", PASSWORD)
    unchosen = _upload(client, siasn_csv(_rows(world)), "siasn.csv", "import")
    assert unchosen.status_code == 422 and "Pilih daerah tujuan impor." in _text(unchosen)
    assert _count(session) == 1
    done = _upload(client, siasn_csv(_rows(world)), "siasn.csv", "import", daerah="palu")
    assert "Impor Kota Palu selesai." in _text(done) and _count(session) == 3


def test_only_who_may_write_pegawai_reach_the_page(app, client, world, session):
    for username in ("kebijakan.palu", "auditor.palu"):
        reader = app.test_client()
        login(reader, username, PASSWORD)
        assert 'id="pegawai-import"' not in reader.get("/admin/pegawai/").get_data(as_text=True)
        assert reader.get(URL).status_code == 403
        assert reader.get(URL + "template.csv").status_code == 403
    login(client, "hr.bantul", PASSWORD)
    page = client.get(URL).get_data(as_text=True)
    assert "Kabupaten Bantul" in page and "Kota Palu" not in page
    response = _upload(client, siasn_csv(_rows(world)), "siasn.csv", "import", daerah="palu")
    assert response.status_code == 422, "unit dinkes and the atasan are Palu's: Bantul cannot reach them"
    assert _count(session) == 1


def test_the_template_holds_the_columns_the_import_reads(client, world):
    login(client, "hr.palu", PASSWORD)
    response = client.get(URL + "template.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.get_data(as_text=True) == ("\ufeffNIP BARU;NAMA;GELAR DEPAN;GELAR BELAKANG;JABATAN NAMA;"
                                               "JENIS JABATAN;ESELON;GOL AKHIR NAMA;UNOR ID;UNOR NAMA;ATASAN NIP;"
                                               "KEDUDUKAN HUKUM\r\n")
    guide = _text(client.get(URL))
    guide = guide[guide.index('id="import-columns"'):]
    assert "<code>KEDUDUKAN HUKUM</code></td><td>status pegawai: Aktif, Pensiun, Pindah" in guide


def test_a_file_over_5_mib_is_refused_and_nothing_is_stored(client, world, session):
    login(client, "hr.palu", PASSWORD)
    # a raw body, as in tests/api: the test client spools a multipart file this big to a file it never closes
    response = client.post(URL, data=b"x" * (5 * 1024 * 1024 + 10), content_type="multipart/form-data; boundary=b")
    assert response.status_code == 413 and "Data yang dikirim melebihi batas ukuran." in _text(response)
    assert _count(session) == 1


def test_a_file_over_the_row_cap_says_how_to_split_it_and_stores_nothing(client, world, session):
    login(client, "hr.palu", PASSWORD)
    # short rows: a body under 500 KB, which the test client does not spool to a file it would leave open
    rows = [[str(i), "a", "b", "c", "d", "e"] for i in range(10_001)]
    header = ["NIP BARU", "NAMA", "JABATAN NAMA", "JENIS JABATAN", "GOL AKHIR NAMA", "UNOR ID"]
    response = _upload(client, siasn_csv(rows, header=header), "siasn.csv", "check")
    assert response.status_code == 422
    assert "Paling banyak 10.000 baris per impor; berkas ini lebih dari itu. Bagi berkas per unit kerja" in _text(response)
    assert _count(session) == 1
