"""Shared set-up for rules tests: nasional and a daerah with the shipped packs installed."""
from __future__ import annotations

import copy

import pytest

from rules.packs import install_packs
from tests.factories import make_daerah, make_pegawai, make_unit, make_user

FACTS = {"daerah": "palu", "periode": {"tahun": 2026, "jenis": "tahunan"},
         "pegawai": {"nip": "198503122010011001", "jenis_jabatan": "pelaksana", "golongan": "III/a", "unit": "dinkes"},
         "iki": [{"id": "iki-1", "aspek": "kuantitas", "arah": "naik", "target": 12, "realisasi": 13, "bobot": 60},
                 {"id": "iki-2", "aspek": "waktu", "arah": "turun", "target": 3, "realisasi": 2, "bobot": 40}],
         "perilaku": {"berorientasi_pelayanan": "di_atas", "akuntabel": "sesuai", "kompeten": "sesuai",
                      "harmonis": "sesuai", "loyal": "sesuai", "adaptif": "di_atas", "kolaboratif": "sesuai"},
         "disiplin": {"hari_tidak_masuk": 0, "menit_terlambat": 35},
         "kepuasan_masyarakat": 87.5, "inovasi": False,
         "riwayat": [{"tahun": 2025, "predikat": "sangat_baik"}]}


def make_facts(**overrides) -> dict:
    """The issue's example facts document with top-level overrides."""
    return copy.deepcopy(FACTS) | overrides


@pytest.fixture
def ruled(session):
    """nasional + palu + bantul with packs installed; a policy maker and HR for palu; an atasan and a report."""
    nasional = make_daerah(session, code="nasional", name="Nasional", level="nasional")
    palu = make_daerah(session, code="palu", name="Kota Palu")
    bantul = make_daerah(session, code="bantul", name="Kabupaten Bantul", level="kabupaten")
    admin = make_user(session, username="admin", roles=[("admin", None)])
    unit = make_unit(session, palu, code="dinkes", name="Dinas Kesehatan")
    boss = make_pegawai(session, unit, name="Atasan Palu", jenis_jabatan="pengawas")
    staff = make_pegawai(session, unit, name="Staf Palu", atasan=boss)
    outsider = make_pegawai(session, unit, name="Orang Lain")
    w = {"nasional": nasional, "palu": palu, "bantul": bantul, "admin": admin, "staff": staff, "boss": boss,
         "policy": make_user(session, username="kebijakan.palu", roles=[("policy_maker", palu)]),
         "policy2": make_user(session, username="kebijakan2.palu", roles=[("policy_maker", palu)]),
         "hr": make_user(session, username="hr.palu", roles=[("hr", palu)]),
         "auditor": make_user(session, username="auditor.palu", roles=[("auditor", palu)]),
         "atasan": make_user(session, username="atasan.palu", pegawai=boss),
         "outsider": make_user(session, username="lain.palu", pegawai=outsider)}
    for code in ("palangkaraya", "kemuning", "pontianak"):
        w[code] = make_daerah(session, code=code, name=code.title())
    install_packs(session, admin)
    session.commit()
    return w
