"""Derived facts, computed once and in one place, before and between the stages.

Before the first stage (`start`):
- capaian per IKI: arah ``naik``: realisasi / target x 100; arah ``turun``: (2 x target - realisasi) / target x 100,
  floored at 0. Target 0 or a missing realisasi gives no capaian (``iki.capaian_tersedia`` false and
  ``iki.alasan_tanpa_capaian`` says why); the default rules then rate the IKI ``di_bawah``. A ``naik`` capaian of
  1e15 or more is refused by the facts validator (``iki[i].realisasi``), like an input number that large: durable
  would read it in exponent form.
- capaian_tertimbang: sum(capaian x bobot) / sum(bobot); an IKI without capaian counts as 0 (not achieved).
- jumlah_perilaku_{di_atas,sesuai,di_bawah}; disiplin.hari_tidak_masuk_setara (lateness, 450 min = 1 day);
  persen_aktivitas_harian; predikat_tahun_lalu (from riwayat, tahun - 1).
After a stage (`advance`): its outputs become facts; after ``iki_rating`` the IKI counts per rating
(jumlah_iki_*, jumlah_iki_utama_di_bawah, with jenis_rhk defaulting to ``utama``); after ``predikat`` the
consecutive-year counts (tahun_berturut_sangat_baik...), which include this period's predikat.
All numbers are rounded to 4 dp, so the host and the oracle see the same values.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .catalogue import BERAKHLAK, RATINGS, STAGE_SCOPE
from .values import normalize_number

MINUTES_PER_DAY = 450  # 7.5 hours = 1 day of absence (Perban BKN 6/2022)
BELOW_BAIK = ("butuh_perbaikan", "kurang_misconduct", "sangat_kurang")
REASONS = {
    "target_nol": ("target 0: capaian tidak dapat dihitung", "target is 0: achievement cannot be computed"),
    "realisasi_kosong": ("realisasi belum diisi: capaian tidak dapat dihitung",
                         "realisation missing: achievement cannot be computed"),
}


@dataclass
class FactState:
    """The facts of one evaluation as they grow stage by stage (fact id -> value; unset facts are absent)."""

    pegawai: dict
    iki: list[tuple[str, dict]]
    capaian: list[dict]
    rating_iki: dict[str, str] = field(default_factory=dict)


def capaian_iki(item: dict) -> tuple[float | None, str | None]:
    """Capaian (%) of one IKI, or (None, reason code) when it cannot be computed."""
    target, realisasi = item["target"], item.get("realisasi")
    if target == 0:
        return None, "target_nol"
    if realisasi is None:
        return None, "realisasi_kosong"
    if item["arah"] == "naik":
        value = realisasi / target * 100
    else:
        value = max(0.0, (2 * target - realisasi) / target * 100)
    return normalize_number(float(value)), None


def _consecutive(riwayat: list[dict], tahun: int, group: tuple[str, ...], current: str | None) -> int:
    if current not in group:
        return 0
    by_year = {r["tahun"]: r["predikat"] for r in riwayat}
    count, year = 1, tahun - 1
    while by_year.get(year) in group:
        count, year = count + 1, year - 1
    return count


def start(facts: dict) -> FactState:
    """Derive the facts every stage starts from (input facts must be normalised already)."""
    p: dict = {"daerah": facts["daerah"], "periode.tahun": facts["periode"]["tahun"],
               "periode.jenis": facts["periode"]["jenis"]}
    for key, value in facts["pegawai"].items():
        if key not in ("nip", "nama"):
            p[f"pegawai.{key}"] = value
    for key, value in facts["perilaku"].items():
        p[f"perilaku.{key}"] = value
    disiplin = facts.get("disiplin") or {"hari_tidak_masuk": 0, "menit_terlambat": 0}
    for key, value in disiplin.items():
        p[f"disiplin.{key}"] = value
    p["disiplin.hari_tidak_masuk_setara"] = disiplin["hari_tidak_masuk"] + disiplin["menit_terlambat"] // MINUTES_PER_DAY
    for key in ("kepuasan_masyarakat", "kepuasan_masyarakat_responden", "skp_disepakati", "kontribusi_tim",
                "aktivitas_harian", "hari_kerja", "waktu_respon_pengaduan", "waktu_layanan"):
        if key in facts:
            p[key] = facts[key]
    p["inovasi"] = bool(facts.get("inovasi", False))
    if "aktivitas_harian" in facts and "hari_kerja" in facts:
        p["persen_aktivitas_harian"] = normalize_number(min(facts["aktivitas_harian"] / facts["hari_kerja"], 1) * 100.0)
    for rating in RATINGS:
        p[f"jumlah_perilaku_{rating}"] = sum(1 for v in BERAKHLAK if facts["perilaku"][v] == rating)
    last = {r["tahun"]: r["predikat"] for r in facts.get("riwayat") or []}.get(facts["periode"]["tahun"] - 1)
    if last is not None:
        p["predikat_tahun_lalu"] = last

    iki_subjects, capaian, weighted, weights = [], [], 0.0, 0.0
    for item in facts["iki"]:
        value, reason = capaian_iki(item)
        entry = {"id": item["id"], "capaian": value, "tersedia": value is not None, "alasan": reason}
        capaian.append(entry)
        weighted += (value or 0.0) * item["bobot"]
        weights += item["bobot"]
        sub = dict(p)
        sub.update({"iki.aspek": item["aspek"], "iki.arah": item["arah"], "iki.target": item["target"],
                    "iki.bobot": item["bobot"], "iki.jenis_rhk": item.get("jenis_rhk", "utama"),
                    "iki.capaian_tersedia": value is not None})
        if "realisasi" in item:
            sub["iki.realisasi"] = item["realisasi"]
        if value is not None:
            sub["iki.capaian"] = value
        else:
            sub["iki.alasan_tanpa_capaian"] = reason
        iki_subjects.append((item["id"], sub))
    p["capaian_tertimbang"] = normalize_number(weighted / weights if weights else 0.0)
    p["jumlah_iki"] = len(capaian)
    p["jumlah_iki_tanpa_capaian"] = sum(1 for c in capaian if not c["tersedia"])
    return FactState(pegawai=p, iki=iki_subjects, capaian=capaian)


def subjects(state: FactState, stage: str) -> list[tuple[str, dict]]:
    """The subjects a stage evaluates: one per IKI for iki_rating, else the single pegawai subject ``_``."""
    return state.iki if STAGE_SCOPE[stage] == "iki" else [("_", state.pegawai)]


def advance(state: FactState, stage: str, outputs: dict[str, dict], facts: dict) -> None:
    """Feed a stage's outputs (subject -> {output: value}) into the facts of the next stages."""
    p = state.pegawai
    if stage == "iki_rating":
        state.rating_iki = {key: outputs.get(key, {}).get("rating_iki") for key, _ in state.iki}
        for rating in RATINGS:
            p[f"jumlah_iki_{rating}"] = sum(1 for v in state.rating_iki.values() if v == rating)
        p["jumlah_iki_utama_di_bawah"] = sum(
            1 for key, sub in state.iki if sub["iki.jenis_rhk"] == "utama" and state.rating_iki[key] == "di_bawah")
        return
    for key, value in outputs.get("_", {}).items():
        p[key] = value
    if stage == "predikat":
        tahun, current = p["periode.tahun"], p.get("predikat")
        riwayat = [r for r in facts.get("riwayat") or [] if r["tahun"] < tahun]
        p["tahun_berturut_sangat_baik"] = _consecutive(riwayat, tahun, ("sangat_baik",), current)
        p["tahun_berturut_di_bawah_baik"] = _consecutive(riwayat, tahun, BELOW_BAIK, current)
