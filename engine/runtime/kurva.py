"""Kurva distribusi: a unit's predikat counts checked against the distribution its organisation predikat allows.

The caps are data (the ``kurva`` table of the nasional pack, overridable by a daerah pack)::

    kurva:
      baik:
        - {id: baik_maks_70, predikat: [baik], max_persen: 70}
        - {id: bp_atau_k_ada, predikat: [butuh_perbaikan, kurang_misconduct], min_orang: 1, min_n: 3}

Rounding for small units (n = pegawai rated in the unit and period):
- ``max_persen`` p: allowed = floor(n x p / 100), but a positive cap always allows at least 1 person
  (70% of 1 pegawai allows 1); a 0% cap allows nobody.
- ``min_persen`` p: required = ceil(n x p / 100) (60% of 4 pegawai requires 3).
- ``min_orang`` k: required = min(k, n).
- a constraint applies only when n >= ``min_n`` (default 1).
"""
from __future__ import annotations

import math

from .catalogue import ORG_PREDIKATS, PREDIKAT_LABELS, PREDIKATS
from .errors import Problem
from .explain import format_number
from .values import did_you_mean, is_number

_EPS = 1e-9
_CONSTRAINT_KEYS = ("id", "predikat", "max_persen", "min_persen", "min_orang", "min_n", "note")


def validate_kurva_table(table: object, path: str = "kurva") -> list[Problem]:
    """Problems of a kurva table (org predikat -> list of constraints)."""
    out: list[Problem] = []
    if not isinstance(table, dict):
        return [Problem("shape", path, "'kurva' harus objek predikat organisasi -> daftar batasan",
                        "'kurva' must be an object of organisation predikat -> list of constraints")]
    for org, constraints in table.items():
        opath = f"{path}.{org}"
        if org == "note":
            continue
        if org not in ORG_PREDIKATS:
            hint = did_you_mean(org, ORG_PREDIKATS)
            out.append(Problem("unknown_org_predikat", opath, f"predikat organisasi '{org}' tidak dikenal{hint[0]}",
                               f"unknown organisation predikat '{org}'{hint[1]}"))
            continue
        if not isinstance(constraints, list):
            out.append(Problem("shape", opath, "harus daftar batasan", "must be a list of constraints"))
            continue
        for i, c in enumerate(constraints):
            cpath = f"{opath}[{i}]"
            if not isinstance(c, dict) or not isinstance(c.get("id"), str):
                out.append(Problem("shape", cpath, "batasan harus objek dengan 'id'", "a constraint must be an object with an 'id'"))
                continue
            for key in c:
                if key not in _CONSTRAINT_KEYS:
                    out.append(Problem("unknown_key", f"{cpath}.{key}", f"kunci '{key}' tidak dikenal", f"unknown key '{key}'"))
            preds = c.get("predikat")
            if not isinstance(preds, list) or not preds or any(p not in PREDIKATS for p in preds):
                out.append(Problem("enum", f"{cpath}.predikat", f"'predikat' harus daftar dari {', '.join(PREDIKATS)}",
                                   f"'predikat' must be a list of {', '.join(PREDIKATS)}"))
            kinds = [k for k in ("max_persen", "min_persen", "min_orang") if k in c]
            if len(kinds) != 1:
                out.append(Problem("shape", cpath, "tepat satu dari max_persen, min_persen, min_orang",
                                   "exactly one of max_persen, min_persen, min_orang"))
                continue
            value = c[kinds[0]]
            limit = 100 if kinds[0] != "min_orang" else 10 ** 6
            if not is_number(value) or not 0 <= value <= limit:
                out.append(Problem("range", f"{cpath}.{kinds[0]}", f"'{kinds[0]}' harus angka 0..{limit}",
                                   f"'{kinds[0]}' must be a number 0..{limit}"))
    return out


def _label(preds: list[str], lang: int) -> str:
    return " + ".join(PREDIKAT_LABELS[p][lang] for p in preds)


def _pct(part: int, n: int) -> float:
    return round(part * 100 / n, 2) if n else 0.0


def check_kurva(counts: dict[str, int], org_predikat: str, table: dict) -> dict:
    """Check predikat counts of a unit and period against the kurva table; list every violation."""
    if org_predikat not in ORG_PREDIKATS:
        raise ValueError(f"unknown organisation predikat {org_predikat!r}")
    counts = {p: int(counts.get(p, 0)) for p in PREDIKATS}
    n = sum(counts.values())
    violations = []
    for c in table.get(org_predikat, []):
        if n < c.get("min_n", 1) or n == 0:
            continue
        count = sum(counts[p] for p in c["predikat"])
        if "max_persen" in c:
            p = c["max_persen"]
            allowed = math.floor(n * p / 100 + _EPS)
            if p > 0:
                allowed = max(1, allowed)
            if count <= allowed:
                continue
            kind, limit, limit_pct = "max", allowed, p
            msg = (f"{_label(c['predikat'], 0)}: {count} dari {n} pegawai ({format_number(_pct(count, n))}%), "
                   f"paling banyak {allowed} ({format_number(p)}%)",
                   f"{_label(c['predikat'], 1)}: {count} of {n} employees ({_pct(count, n)}%), "
                   f"at most {allowed} allowed ({p}%)")
        else:
            if "min_persen" in c:
                p = c["min_persen"]
                required = min(n, math.ceil(n * p / 100 - _EPS))
                limit_pct = p
            else:
                required, limit_pct = min(int(c["min_orang"]), n), None
            if count >= required:
                continue
            kind, limit = "min", required
            pct_id = f" ({format_number(limit_pct)}%)" if limit_pct is not None else ""
            pct_en = f" ({limit_pct}%)" if limit_pct is not None else ""
            msg = (f"{_label(c['predikat'], 0)}: {count} dari {n} pegawai ({format_number(_pct(count, n))}%), "
                   f"paling sedikit {required}{pct_id}",
                   f"{_label(c['predikat'], 1)}: {count} of {n} employees ({_pct(count, n)}%), "
                   f"at least {required} required{pct_en}")
        violations.append({"id": c["id"], "predikat": list(c["predikat"]), "kind": kind, "count": count, "n": n,
                           "persen": _pct(count, n), "limit_count": limit, "limit_persen": limit_pct,
                           "message": {"id": msg[0], "en": msg[1]}})
    return {"org_predikat": org_predikat, "n": n, "counts": counts,
            "persen": {p: _pct(v, n) for p, v in counts.items()}, "violations": violations,
            "ok": not violations}
