"""Helpers of the runtime unit tests: a facts factory and the shipped packs."""
from __future__ import annotations

import copy
import functools
from pathlib import Path

from engine.runtime import load_pack, resolve

PACKS_DIR = Path(__file__).resolve().parents[3] / "rules" / "packs"
DAERAH = ("palangkaraya", "kemuning", "palu", "pontianak", "bantul")
PERILAKU = ("berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal", "adaptif", "kolaboratif")


def make_facts(**overrides) -> dict:
    """A valid facts document (the contract example) with top-level overrides."""
    facts = {
        "daerah": "palu", "periode": {"tahun": 2026, "jenis": "tahunan"},
        "pegawai": {"nip": "198001012005011001", "jenis_jabatan": "pelaksana", "golongan": "III/a", "unit": "Bagian Umum"},
        "iki": [{"id": "iki-1", "aspek": "kuantitas", "arah": "naik", "target": 12, "realisasi": 13, "bobot": 60},
                {"id": "iki-2", "aspek": "waktu", "arah": "turun", "target": 3, "realisasi": 2, "bobot": 40}],
        "perilaku": {"berorientasi_pelayanan": "di_atas", "akuntabel": "sesuai", "kompeten": "sesuai",
                     "harmonis": "sesuai", "loyal": "sesuai", "adaptif": "di_atas", "kolaboratif": "sesuai"},
        "disiplin": {"hari_tidak_masuk": 0, "menit_terlambat": 35},
        "kepuasan_masyarakat": 87.5, "inovasi": False,
        "riwayat": [{"tahun": 2025, "predikat": "sangat_baik"}],
    }
    facts.update(copy.deepcopy(overrides))
    return facts


def perilaku(di_atas: int = 0, di_bawah: int = 0, integrity: bool = False) -> dict:
    """Perilaku values with the given counts (di_bawah placed on non-integrity values unless `integrity`)."""
    order = ("akuntabel", "loyal", "kompeten", "harmonis", "adaptif", "kolaboratif", "berorientasi_pelayanan") \
        if integrity else ("kompeten", "harmonis", "adaptif", "kolaboratif", "berorientasi_pelayanan", "akuntabel", "loyal")
    values = {v: "sesuai" for v in PERILAKU}
    for v in order[:di_bawah]:
        values[v] = "di_bawah"
    for v in [v for v in reversed(order) if values[v] == "sesuai"][:di_atas]:
        values[v] = "di_atas"
    return values


def iki_for(capaian_pct: float) -> list[dict]:
    """One kuantitas IKI (target 100) whose capaian is `capaian_pct`."""
    return [{"id": "iki-1", "aspek": "kuantitas", "arah": "naik", "target": 100, "realisasi": capaian_pct, "bobot": 100}]


@functools.lru_cache(maxsize=None)
def _raw(name: str) -> dict:
    return load_pack(name, PACKS_DIR)


def pack(name: str) -> dict:
    """A fresh copy of a shipped pack document."""
    return copy.deepcopy(_raw(name))


@functools.lru_cache(maxsize=None)
def _resolved(name: str) -> dict:
    base = _raw("nasional")
    return resolve(base, None if name == "nasional" else _raw(name))


def resolved(name: str) -> dict:
    """The resolved document of a shipped pack (nasional or a daerah over nasional)."""
    return copy.deepcopy(_resolved(name))
