"""The SKP plan's checks, in plain Python: the shape of plan input, and the guards a plan must pass to be submitted.

Guards (each problem names what is wrong and what would be right): at least one RHK utama; every RHK has an IKI;
IKI weights (bobot) sum to 100, each above 0; targets valid for their arah (> 0 for naik, >= 0 for turun).
"""
from __future__ import annotations

import math
from typing import Any, Iterable

from engine.runtime.errors import Problem
from engine.runtime.values import MAX_ABS
from workflows.errors import problem
from workflows.models import Arah, Aspek, Iki, RhkJenis

JENIS = tuple(j.value for j in RhkJenis)
ASPEK = tuple(a.value for a in Aspek)
ARAH = tuple(a.value for a in Arah)
MAX_RHK = 30
MAX_IKI = 10
SATUAN_MAX = Iki.__table__.c.satuan.type.length  #: the column's size


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def plan_input_problems(rhk: Any) -> list[Problem]:
    """Problems in plan input ([{jenis, uraian, intervensi_rhk_id?, iki: [{uraian, aspek, target, satuan?, arah,
    bobot}]}]): types and values, not completeness (a draft may be incomplete)."""
    out: list[Problem] = []
    if not isinstance(rhk, list):
        return [problem("type", "rhk", "rencana harus berupa daftar RHK", "the plan must be a list of RHK")]
    if len(rhk) > MAX_RHK:
        out.append(problem("too_many", "rhk", f"paling banyak {MAX_RHK} RHK", f"at most {MAX_RHK} RHK"))
    for i, item in enumerate(rhk):
        path = f"rhk[{i}]"
        if not isinstance(item, dict):
            out.append(problem("type", path, "RHK harus berupa objek", "an RHK must be an object"))
            continue
        if item.get("jenis") not in JENIS:
            out.append(problem("enum", f"{path}.jenis", f"jenis RHK harus utama atau tambahan, bukan "
                               f"{item.get('jenis')!r}", f"RHK jenis must be utama or tambahan, not {item.get('jenis')!r}"))
        if not _text(item.get("uraian")):
            out.append(problem("required", f"{path}.uraian", "uraian RHK wajib diisi", "the RHK description is required"))
        link = item.get("intervensi_rhk_id")
        if link is not None and (not isinstance(link, int) or isinstance(link, bool)):
            out.append(problem("type", f"{path}.intervensi_rhk_id", "intervensi_rhk_id harus id RHK atasan (angka)",
                               "intervensi_rhk_id must be the id of an RHK of the atasan (a number)"))
        ikis = item.get("iki", [])
        if not isinstance(ikis, list):
            out.append(problem("type", f"{path}.iki", "IKI harus berupa daftar", "IKI must be a list"))
            continue
        if len(ikis) > MAX_IKI:
            out.append(problem("too_many", f"{path}.iki", f"paling banyak {MAX_IKI} IKI per RHK",
                               f"at most {MAX_IKI} IKI per RHK"))
        for k, iki in enumerate(ikis):
            ipath = f"{path}.iki[{k}]"
            if not isinstance(iki, dict):
                out.append(problem("type", ipath, "IKI harus berupa objek", "an IKI must be an object"))
                continue
            if not _text(iki.get("uraian")):
                out.append(problem("required", f"{ipath}.uraian", "uraian IKI wajib diisi",
                                   "the IKI description is required"))
            if iki.get("aspek") not in ASPEK:
                out.append(problem("enum", f"{ipath}.aspek", f"aspek harus salah satu dari {', '.join(ASPEK)}, bukan "
                                   f"{iki.get('aspek')!r}", f"aspek must be one of {', '.join(ASPEK)}, "
                                   f"not {iki.get('aspek')!r}"))
            if iki.get("arah", "naik") not in ARAH:
                out.append(problem("enum", f"{ipath}.arah", f"arah harus naik atau turun, bukan {iki.get('arah')!r}",
                                   f"arah must be naik or turun, not {iki.get('arah')!r}"))
            for key in ("target", "bobot"):
                if not _number(iki.get(key)):
                    out.append(problem("type", f"{ipath}.{key}", f"{key} harus angka, bukan {iki.get(key)!r}",
                                       f"{key} must be a number, not {iki.get(key)!r}"))
                elif abs(iki[key]) >= MAX_ABS:  # the engine reads numbers below 1e15 only
                    out.append(problem("range", f"{ipath}.{key}", f"{key} harus < 1e15, bukan {iki[key]:g}",
                                       f"{key} must be < 1e15, not {iki[key]:g}"))
            satuan = iki.get("satuan")
            if satuan is not None and not isinstance(satuan, str):
                out.append(problem("type", f"{ipath}.satuan", "satuan harus teks", "satuan must be text"))
            elif satuan is not None and len(satuan.strip()) > SATUAN_MAX:
                out.append(problem("too_long", f"{ipath}.satuan", f"satuan paling panjang {SATUAN_MAX} karakter",
                                   f"satuan has at most {SATUAN_MAX} characters"))
    return out


def plan_problems(rhks: Iterable[Any]) -> list[Problem]:
    """The submission guards over RHK objects (with .jenis, .uraian and .iki of .uraian .aspek .target .arah
    .bobot); an empty list means the plan may be submitted and approved."""
    out: list[Problem] = []
    rhks = list(rhks)
    if not any(str(r.jenis) == RhkJenis.utama for r in rhks):
        out.append(problem("rhk_utama_required", "rhk", "rencana belum memiliki RHK utama; tambahkan paling "
                           "sedikit satu RHK utama", "the plan has no RHK utama; add at least one RHK utama"))
    total = 0.0
    for i, rhk in enumerate(rhks):
        if not rhk.iki:
            out.append(problem("iki_required", f"rhk[{i}].iki", f"RHK '{rhk.uraian}' belum memiliki IKI; tambahkan "
                               "paling sedikit satu IKI", f"RHK '{rhk.uraian}' has no IKI; add at least one IKI"))
        for k, iki in enumerate(rhk.iki):
            path = f"rhk[{i}].iki[{k}]"
            total += iki.bobot or 0
            if not (iki.bobot or 0) > 0:
                out.append(problem("bobot_positive", f"{path}.bobot", f"bobot IKI '{iki.uraian}' harus lebih dari 0, "
                                   f"bukan {iki.bobot}", f"the weight of IKI '{iki.uraian}' must be above 0, "
                                   f"not {iki.bobot}"))
            if str(iki.arah) == Arah.naik and not (iki.target or 0) > 0:
                out.append(problem("target_naik", f"{path}.target", f"target IKI '{iki.uraian}' (arah naik) harus "
                                   f"lebih dari 0, bukan {iki.target}", f"the target of IKI '{iki.uraian}' (arah naik) "
                                   f"must be above 0, not {iki.target}"))
            if str(iki.arah) == Arah.turun and not (iki.target is not None and iki.target >= 0):
                out.append(problem("target_turun", f"{path}.target", f"target IKI '{iki.uraian}' (arah turun) harus "
                                   f"0 atau lebih, bukan {iki.target}", f"the target of IKI '{iki.uraian}' (arah turun) "
                                   f"must be 0 or more, not {iki.target}"))
    if any(r.iki for r in rhks) and abs(total - 100) > 0.01:
        out.append(problem("bobot_sum", "rhk", f"jumlah bobot IKI harus 100, sekarang {round(total, 2):g}",
                           f"IKI weights must sum to 100, they sum to {round(total, 2):g}"))
    return out
