"""`kinerja accounts create`: the logins of a daerah's pegawai without one, the codes in a new private file."""
from __future__ import annotations

import csv
import stat

from sqlalchemy import select

from engine.identity import User
from tests.factories import make_daerah, make_pegawai, make_unit, make_user


def _run(app, *args):
    return app.test_cli_runner().invoke(args=["kinerja", "accounts", "create", *args])


def test_accounts_create_writes_the_codes_to_a_new_private_file(app, session, tmp_path):
    palu = make_daerah(session, code="palu", name="Kota Palu")
    dinas = make_unit(session, palu, code="dinkes", name="Dinas Kesehatan")
    pkm = make_unit(session, palu, code="pkm", name="Puskesmas", parent=dinas)
    head = make_pegawai(session, dinas, name="Kepala Dinas")
    nurse = make_pegawai(session, pkm, name="Perawat")
    make_user(session, username="admin", roles=[("admin", None)])
    session.commit()
    out = tmp_path / "kode.csv"
    result = _run(app, "--daerah", "palu", "--unit", "pkm", "--out", str(out),
                  "--activation-url", "https://kinerja.palu.go.id/aktivasi")
    assert result.exit_code == 0, result.output
    assert "+1 baru / new, 0 dilewati / skipped" in result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0][4] == "Kode aktivasi / Activation code" and len(rows) == 2
    assert rows[1][:4] == [nurse.nip, "Perawat", "Puskesmas", nurse.nip]
    assert rows[1][6] == "https://kinerja.palu.go.id/aktivasi"
    assert session.scalar(select(User).where(User.username == head.nip)) is None, "outside the unit subtree"
    again = _run(app, "--daerah", "palu", "--out", str(out))
    assert again.exit_code == 2 and "cannot create the file" in again.output, "an existing file is never overwritten"
    assert session.scalar(select(User).where(User.username == head.nip)) is None


def test_accounts_create_refuses_an_unknown_daerah_or_unit_and_a_user_without_the_right(app, session, tmp_path):
    palu = make_daerah(session, code="palu", name="Kota Palu")
    make_pegawai(session, make_unit(session, palu, code="dinkes"))
    make_user(session, username="auditor.palu", roles=[("auditor", palu)])
    make_user(session, username="admin", roles=[("admin", None)])
    session.commit()
    assert "unknown daerah: solo" in _run(app, "--daerah", "solo", "--out", str(tmp_path / "a.csv")).output
    assert "unknown unit in palu: x" in _run(app, "--daerah", "palu", "--unit", "x",
                                             "--out", str(tmp_path / "b.csv")).output
    refused = _run(app, "--daerah", "palu", "--out", str(tmp_path / "c.csv"), "--user", "auditor.palu")
    assert refused.exit_code == 1 and "GAGAL / FAILED" in refused.output
    assert not (tmp_path / "c.csv").exists(), "no file of codes is left behind when nothing was created"
