"""Unit tests of engine.demo_org: structure, validity and stability of the demo organisation data."""
from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from engine import demo_org
from engine.demo_org import demo_logins, demo_tenant, demo_tenants
from engine.nip import parse_nip

DAERAH = ("palangkaraya", "kemuning", "palu", "pontianak", "bantul")
JENIS = {"jpt", "administrator", "pengawas", "pelaksana", "fungsional"}
GOLONGAN = re.compile(r"^(I|II|III)/[a-d]$|^IV/[a-e]$")
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def tenants() -> dict[str, dict]:
    return {t["code"]: t for t in demo_tenants()}


def _rank(golongan: str) -> tuple[int, str]:
    ruang, grade = golongan.split("/")
    return {"I": 1, "II": 2, "III": 3, "IV": 4}[ruang], grade


def test_six_tenants_with_expected_metadata(tenants: dict[str, dict]) -> None:
    assert list(tenants) == ["nasional", *DAERAH]
    expected = {
        "nasional": ("Nasional (PermenPANRB 6/2022)", "nasional", "Asia/Jakarta"),
        "palangkaraya": ("Kota Palangka Raya", "kota", "Asia/Jakarta"),
        "kemuning": ("Kabupaten Kemuning", "kabupaten", "Asia/Jakarta"),
        "palu": ("Kota Palu", "kota", "Asia/Makassar"),
        "pontianak": ("Kota Pontianak", "kota", "Asia/Jakarta"),
        "bantul": ("Kabupaten Bantul", "kabupaten", "Asia/Jakarta"),
    }
    for code, (name, level, tz) in expected.items():
        t = tenants[code]
        assert set(t) == {"code", "name", "level", "timezone", "units", "pegawai"}
        assert (t["name"], t["level"], t["timezone"]) == (name, level, tz)
    assert tenants["nasional"]["units"] == [] and tenants["nasional"]["pegawai"] == []


@pytest.mark.parametrize("code", DAERAH)
def test_at_least_sixty_pegawai(tenants: dict[str, dict], code: str) -> None:
    assert len(tenants[code]["pegawai"]) >= 60


@pytest.mark.parametrize("code", DAERAH)
def test_pegawai_fields_are_well_formed(tenants: dict[str, dict], code: str) -> None:
    units = {u["code"] for u in tenants[code]["units"]}
    for p in tenants[code]["pegawai"]:
        assert set(p) == {"nip", "name", "jabatan", "jenis_jabatan", "golongan", "unit_code", "atasan_nip",
                          "username"}
        assert p["jenis_jabatan"] in JENIS, p
        assert GOLONGAN.match(p["golongan"]), p
        assert p["unit_code"] in units, p
        assert p["name"].strip() and p["jabatan"].strip()


def test_all_nips_valid_and_unique_across_daerah(tenants: dict[str, dict]) -> None:
    nips = [p["nip"] for code in DAERAH for p in tenants[code]["pegawai"]]
    assert len(nips) == len(set(nips))
    for nip in nips:
        assert re.fullmatch(r"\d{18}", nip)
        parse_nip(nip)


@pytest.mark.parametrize("code", DAERAH)
def test_names_unique_within_daerah_and_varied(tenants: dict[str, dict], code: str) -> None:
    names = [p["name"] for p in tenants[code]["pegawai"]]
    assert len(names) == len(set(names))
    assert any(", " in n or n.startswith(("dr.", "Dr.", "Drs.", "Dra.")) for n in names)   # academic titles
    assert any("," not in n for n in names)                                                 # and some without


def test_names_reflect_several_ethnic_backgrounds(tenants: dict[str, dict]) -> None:
    everyone = " ".join(p["name"] for code in DAERAH for p in tenants[code]["pegawai"])
    markers = {"dayak": ("Tundan", "Bungai", "Tingang", "Sahay", "Nyahu"),
               "kaili": ("Lamakarate", "Tombolotutu", "Lasahido", "Parampasi", "Datupalinge"),
               "tionghoa": ("Tjhai", "Lim ", "Tan ", "Bong", "Liem", "Halim"),
               "bugis": ("Andi ",),
               "jawa": ("Wahyuni", "Santoso", "Prasetyo", "Wibowo", "Nugroho", "Lestari")}
    for group, words in markers.items():
        assert any(w in everyone for w in words), group


@pytest.mark.parametrize("code", DAERAH)
def test_gender_digit_matches_nothing_impossible(tenants: dict[str, dict], code: str) -> None:
    for p in tenants[code]["pegawai"]:
        if p["jabatan"].startswith("Bidan"):
            assert parse_nip(p["nip"]).gender == "wanita"
        if " Hj. " in f" {p['name']}":
            assert parse_nip(p["nip"]).gender == "wanita"
        if " H. " in f" {p['name']}":
            assert parse_nip(p["nip"]).gender == "pria"


@pytest.mark.parametrize("code", DAERAH)
def test_jenis_jabatan_consistent_with_title_and_golongan(tenants: dict[str, dict], code: str) -> None:
    for p in tenants[code]["pegawai"]:
        title, jenis, (ruang, grade) = p["jabatan"], p["jenis_jabatan"], _rank(p["golongan"])
        if jenis == "jpt":
            assert title.startswith(("Kepala Dinas", "Kepala Badan", "Sekretaris Daerah")), p
            assert ruang == 4 and grade in "cde", p
        elif jenis == "administrator":
            assert title.startswith(("Kepala Bidang", "Kepala Bagian", "Sekretaris Dinas")), p
            assert ruang == 4 and grade in "ab", p
        elif jenis == "pengawas":
            assert title.startswith(("Kepala Seksi", "Kepala Subbagian", "Kepala Subbidang", "Kepala UPTD")), p
            assert (ruang == 3 and grade in "cd") or (ruang, grade) == (4, "a"), p
        elif jenis == "fungsional":
            jenjang = re.search(r"Ahli (Pertama|Muda|Madya|Utama)|Terampil|Mahir|Penyelia|Pemula", title)
            assert jenjang, p
            allowed = {"Ahli Pertama": {"III/a", "III/b"}, "Ahli Muda": {"III/c", "III/d"},
                       "Ahli Madya": {"IV/a", "IV/b", "IV/c"}, "Ahli Utama": {"IV/d", "IV/e"},
                       "Pemula": {"II/a"}, "Terampil": {"II/b", "II/c", "II/d"}, "Mahir": {"III/a", "III/b"},
                       "Penyelia": {"III/c", "III/d"}}[jenjang.group(0)]
            assert p["golongan"] in allowed, p
        else:
            assert not title.startswith(("Kepala", "Sekretaris")), p
            assert ruang in (2, 3), p


@pytest.mark.parametrize("code", DAERAH)
def test_every_atasan_exists_in_same_daerah(tenants: dict[str, dict], code: str) -> None:
    nips = {p["nip"] for p in tenants[code]["pegawai"]}
    tops = [p for p in tenants[code]["pegawai"] if p["atasan_nip"] is None]
    assert len(tops) == 1 and tops[0]["jabatan"].startswith("Sekretaris Daerah")
    for p in tenants[code]["pegawai"]:
        if p["atasan_nip"] is not None:
            assert p["atasan_nip"] in nips, p
            assert p["atasan_nip"] != p["nip"]


@pytest.mark.parametrize("code", DAERAH)
def test_atasan_listed_before_subordinates(tenants: dict[str, dict], code: str) -> None:
    seen: set[str] = set()
    for p in tenants[code]["pegawai"]:
        assert p["atasan_nip"] is None or p["atasan_nip"] in seen, p
        seen.add(p["nip"])


@pytest.mark.parametrize("code", DAERAH)
def test_no_supervision_cycles(tenants: dict[str, dict], code: str) -> None:
    atasan = {p["nip"]: p["atasan_nip"] for p in tenants[code]["pegawai"]}
    for nip in atasan:
        chain, current = set(), nip
        while current is not None:
            assert current not in chain, f"cycle through {current}"
            chain.add(current)
            current = atasan[current]


@pytest.mark.parametrize("code", DAERAH)
def test_supervision_follows_the_ladder(tenants: dict[str, dict], code: str) -> None:
    by_nip = {p["nip"]: p for p in tenants[code]["pegawai"]}
    order = {"jpt": 0, "administrator": 1, "pengawas": 2, "fungsional": 3, "pelaksana": 3}
    for p in tenants[code]["pegawai"]:
        if p["atasan_nip"] is None:
            continue
        boss = by_nip[p["atasan_nip"]]
        if p["jabatan"].startswith("Kepala Dinas") or p["jabatan"].startswith("Kepala Badan"):
            assert boss["jabatan"].startswith("Sekretaris Daerah")
        # a kepala sekolah is fungsional yet supervises guru; everyone else reports upwards
        if boss["jenis_jabatan"] == p["jenis_jabatan"] == "jpt":
            assert boss["atasan_nip"] is None and boss["jabatan"].startswith("Sekretaris Daerah"), (p, boss)
        elif boss["jenis_jabatan"] != "fungsional":
            assert order[boss["jenis_jabatan"]] < order[p["jenis_jabatan"]], (p, boss)
        else:
            assert boss["jabatan"].startswith("Kepala ") and p["unit_code"] == boss["unit_code"], (p, boss)


@pytest.mark.parametrize("code", DAERAH)
def test_units_form_a_tree_in_the_same_daerah(tenants: dict[str, dict], code: str) -> None:
    units = tenants[code]["units"]
    assert all(set(u) == {"code", "name", "parent_code"} for u in units)
    codes = [u["code"] for u in units]
    assert len(codes) == len(set(codes))
    parents = {u["code"]: u["parent_code"] for u in units}
    roots = [c for c, parent in parents.items() if parent is None]
    assert roots == ["setda"]
    for c, parent in parents.items():
        assert parent is None or parent in parents, c
        chain, current = set(), c
        while current is not None:
            assert current not in chain
            chain.add(current)
            current = parents[current]
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", c) for c in codes)


@pytest.mark.parametrize("code", DAERAH)
def test_every_unit_has_exactly_one_head(tenants: dict[str, dict], code: str) -> None:
    t = tenants[code]
    by_nip = {p["nip"]: p for p in t["pegawai"]}
    parents = {u["code"]: u["parent_code"] for u in t["units"]}
    for unit in t["units"]:
        members = [p for p in t["pegawai"] if p["unit_code"] == unit["code"]]
        heads = [p for p in members
                 if p["atasan_nip"] is None or by_nip[p["atasan_nip"]]["unit_code"] != unit["code"]]
        assert len(heads) == 1, unit
        if unit["parent_code"] is not None:
            assert by_nip[heads[0]["atasan_nip"]]["unit_code"] == parents[unit["code"]]


def _unit_names(tenants: dict[str, dict], code: str) -> list[str]:
    return [u["name"] for u in tenants[code]["units"]]


@pytest.mark.parametrize("code,fragment", [
    ("palangkaraya", "Dinas Pendidikan"),
    ("palangkaraya", "Kependudukan dan Pencatatan Sipil"),
    ("kemuning", "Dinas Kesehatan"),
    ("kemuning", "Puskesmas"),
    ("palu", "Sekretariat Daerah Kota Palu"),
    ("pontianak", "Dinas Pendidikan"),
    ("pontianak", "Dinas Kesehatan"),
    ("bantul", "Puskesmas"),
    ("bantul", "Dinas Pendidikan"),
    ("bantul", "Penanaman Modal dan Pelayanan Terpadu Satu Pintu"),
    ("bantul", "SD Negeri"),
])
def test_seed_units_present(tenants: dict[str, dict], code: str, fragment: str) -> None:
    assert any(fragment in name for name in _unit_names(tenants, code)), (code, fragment)


@pytest.mark.parametrize("code", DAERAH)
def test_every_daerah_has_bkpsdm_under_setda(tenants: dict[str, dict], code: str) -> None:
    units = {u["code"]: u for u in tenants[code]["units"]}
    assert units["bkpsdm"]["name"] == "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"
    assert units["bkpsdm"]["parent_code"] == "setda"
    assert units["setda"]["name"].startswith("Sekretariat Daerah")


def test_puskesmas_sit_under_dinas_kesehatan(tenants: dict[str, dict]) -> None:
    for code in ("kemuning", "bantul", "pontianak", "palu"):
        puskesmas = [u for u in tenants[code]["units"] if "Puskesmas" in u["name"]]
        assert puskesmas
        assert all(u["parent_code"] == "dinkes" and u["code"].startswith(f"pkm-{code}-") for u in puskesmas)


@pytest.mark.parametrize("code", DAERAH)
def test_login_pegawai_and_relations(tenants: dict[str, dict], code: str) -> None:
    people = tenants[code]["pegawai"]
    by_user = {p["username"]: p for p in people if p["username"] is not None}
    assert set(by_user) == {f"pegawai.{code}", f"atasan.{code}", f"atasan2.{code}"}
    pegawai, atasan, atasan2 = (by_user[f"{r}.{code}"] for r in ("pegawai", "atasan", "atasan2"))
    assert pegawai["jenis_jabatan"] in {"pelaksana", "fungsional"}
    assert pegawai["atasan_nip"] == atasan["nip"]
    assert atasan["jenis_jabatan"] in {"pengawas", "administrator"}
    assert atasan["jabatan"].startswith(("Kepala Seksi", "Kepala Bidang", "Kepala Subbidang"))
    assert atasan["atasan_nip"] == atasan2["nip"]
    assert atasan2["jenis_jabatan"] in {"administrator", "jpt"}
    assert atasan2["atasan_nip"] is not None
    assert pegawai["unit_code"] == atasan["unit_code"] == atasan2["unit_code"]


def test_usernames_unique_across_tenants(tenants: dict[str, dict]) -> None:
    users = [p["username"] for t in tenants.values() for p in t["pegawai"] if p["username"]]
    assert len(users) == len(set(users)) == 15


def test_demo_logins_matches_tenants(tenants: dict[str, dict]) -> None:
    rows = demo_logins()
    assert [(r["tenant"], r["role"]) for r in rows] == [(c, r) for c in DAERAH
                                                        for r in ("pegawai", "atasan", "atasan2")]
    for row in rows:
        person = next(p for p in tenants[row["tenant"]]["pegawai"] if p["nip"] == row["nip"])
        assert person["username"] == row["username"] == f"{row['role']}.{row['tenant']}"


def test_demo_tenant_lookup() -> None:
    assert demo_tenant("palu")["timezone"] == "Asia/Makassar"
    with pytest.raises(KeyError):
        demo_tenant("jakarta")


def test_deterministic_two_calls_equal() -> None:
    first, second = demo_tenants(), demo_tenants()
    assert first == second
    first[1]["pegawai"].clear()                      # callers get copies, the cache is not touched
    assert demo_tenants() == second
    assert demo_org._generate() == second            # regenerating from scratch gives the same data


def _fingerprint_in_subprocess(hash_seed: str) -> str:
    code = ("import hashlib, json; from engine.demo_org import demo_tenants; "
            "print(hashlib.sha256(json.dumps(demo_tenants(), sort_keys=True).encode()).hexdigest())")
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True,
                         check=True)
    return out.stdout.strip()


def test_stable_across_processes() -> None:
    here = hashlib.sha256(json.dumps(demo_tenants(), sort_keys=True).encode()).hexdigest()
    assert _fingerprint_in_subprocess("1") == _fingerprint_in_subprocess("12345") == here


def test_login_nips_are_pinned() -> None:
    """Other tests and the seed script may rely on these; change them only on purpose."""
    pinned = {row["username"]: row["nip"] for row in demo_logins()}
    assert pinned == PINNED_LOGIN_NIPS


PINNED_LOGIN_NIPS: dict[str, str] = {
    "pegawai.palangkaraya": "198909092014061002",
    "atasan.palangkaraya": "198110252010012001",
    "atasan2.palangkaraya": "197405162002021005",
    "pegawai.kemuning": "200109062024012001",
    "atasan.kemuning": "198011122007061003",
    "atasan2.kemuning": "197706182002121007",
    "pegawai.palu": "200009022024011003",
    "atasan.palu": "198110262009122004",
    "atasan2.palu": "198212162005011006",
    "pegawai.pontianak": "199405182023011003",
    "atasan.pontianak": "198908032012032007",
    "atasan2.pontianak": "197812012003032008",
    "pegawai.bantul": "198801282014012002",
    "atasan.bantul": "197902192007011009",
    "atasan2.bantul": "197510152004031002",
}
