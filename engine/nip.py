"""NIP (Nomor Induk Pegawai) of a PNS: parsing, validation with bilingual messages, and display formatting.

Layout of the 18 digits (positions are 1-based, as people count them)::

    19850312 201001 1 003
    |        |      | +-- 16-18  nomor urut 001-999
    |        |      +---- 15     jenis kelamin: 1 pria, 2 wanita
    |        +----------- 9-14   TMT CPNS yyyymm (month 01-12, year >= birth year + 17, not in the future)
    +-------------------- 1-8    tanggal lahir yyyymmdd (a real date, year 1940 .. current year - 17)

Whitespace anywhere is ignored (NIPs are usually written in four groups); any other non-digit is an error.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Literal

from engine.runtime.errors import Problem, ValidationFailed

NIP_LENGTH = 18
MIN_BIRTH_YEAR = 1940
MIN_AGE_AT_TMT = 17
_DIGITS = frozenset("0123456789")
_FIELD = "nip"

Gender = Literal["pria", "wanita"]


@dataclass(frozen=True)
class NipParts:
    """The decoded parts of a valid NIP; `nip` is the normalised 18-digit string."""

    birth_date: date
    tmt: tuple[int, int]
    gender: Gender
    sequence: int
    nip: str

    @property
    def formatted(self) -> str:
        """The NIP in its usual grouped form, e.g. ``19850312 201001 1 003``."""
        return _group(self.nip)


def normalize_nip(value: object) -> str:
    """Return `value` with all whitespace removed (ints are accepted); no other validation."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        return ""
    return "".join(ch for ch in value if not ch.isspace())


def nip_problems(value: object, today: date | None = None) -> list[Problem]:
    """Return every problem of `value` as a NIP (empty list when valid); `today` bounds the TMT and birth year."""
    today = today or date.today()
    if value is None or (isinstance(value, str) and not value.strip()):
        return [_problem("nip_required", "NIP wajib diisi (18 angka, contoh 19850312 201001 1 003)",
                         "NIP is required (18 digits, e.g. 19850312 201001 1 003)")]
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        kind = type(value).__name__
        return [_problem("nip_type", f"NIP harus berupa teks berisi 18 angka (diterima tipe {kind})",
                         f"NIP must be text of 18 digits (got type {kind})")]
    raw = normalize_nip(value)
    bad = [(i, ch) for i, ch in enumerate(raw, start=1) if ch not in _DIGITS]
    if bad:
        pos, ch = bad[0]
        more_id = f" dan {len(bad) - 1} karakter lain" if len(bad) > 1 else ""
        more_en = f" and {len(bad) - 1} more" if len(bad) > 1 else ""
        return [_problem(
            "nip_not_digits",
            f"NIP hanya boleh berisi angka 0-9 (spasi boleh); karakter {ch!r} pada posisi {pos} (tanpa spasi)"
            f"{more_id} bukan angka",
            f"NIP may contain only digits 0-9 (spaces are allowed); character {ch!r} at position {pos} "
            f"(ignoring spaces){more_en} is not a digit")]
    if len(raw) != NIP_LENGTH:
        return [_problem("nip_length", f"NIP harus {NIP_LENGTH} angka (diterima {len(raw)})",
                         f"NIP must be {NIP_LENGTH} digits (got {len(raw)})")]
    return _segment_problems(raw, today)


def parse_nip(value: object, today: date | None = None) -> NipParts:
    """Parse and validate a NIP; raise `ValidationFailed` (field ``nip``) listing every problem found."""
    problems = nip_problems(value, today)
    if problems:
        raise ValidationFailed("; ".join(p.message_id for p in problems),
                               "; ".join(p.message_en for p in problems),
                               code=problems[0].code, problems=problems, field=_FIELD)
    raw = normalize_nip(value)
    gender: Gender = "pria" if raw[14] == "1" else "wanita"
    return NipParts(birth_date=date(int(raw[0:4]), int(raw[4:6]), int(raw[6:8])),
                    tmt=(int(raw[8:12]), int(raw[12:14])), gender=gender,
                    sequence=int(raw[15:18]), nip=raw)


def is_valid_nip(value: object, today: date | None = None) -> bool:
    """True when `value` is a valid NIP."""
    return not nip_problems(value, today)


def format_nip(nip: object) -> str:
    """Group an 18-digit NIP as ``19850312 201001 1 003``; raise `ValidationFailed` if it is not 18 digits."""
    problems = nip_problems(nip)
    shape = [p for p in problems if p.code in {"nip_required", "nip_type", "nip_not_digits", "nip_length"}]
    if shape:
        raise ValidationFailed(shape[0].message_id, shape[0].message_en, code=shape[0].code,
                               problems=shape, field=_FIELD)
    return _group(normalize_nip(nip))


def _group(raw: str) -> str:
    return f"{raw[0:8]} {raw[8:14]} {raw[14]} {raw[15:18]}"


def _problem(code: str, message_id: str, message_en: str) -> Problem:
    return Problem(code=code, path=_FIELD, message_id=message_id, message_en=message_en)


def _segment_problems(raw: str, today: date) -> list[Problem]:
    problems: list[Problem] = []
    birth, year, month, day = raw[0:8], int(raw[0:4]), int(raw[4:6]), int(raw[6:8])
    max_birth_year = today.year - MIN_AGE_AT_TMT
    birth_year_ok = MIN_BIRTH_YEAR <= year <= max_birth_year

    reason_id = reason_en = ""
    if not 1 <= month <= 12:
        reason_id = f"bulan {month:02d} harus 01-12"
        reason_en = f"month {month:02d} must be 01-12"
    elif not 1 <= day <= calendar.monthrange(year or 4, month)[1]:
        last = calendar.monthrange(year or 4, month)[1]
        reason_id = f"tanggal {day:02d} harus 01-{last:02d} untuk bulan {month:02d}/{year:04d}"
        reason_en = f"day {day:02d} must be 01-{last:02d} for month {month:02d}/{year:04d}"
    if reason_id:
        problems.append(_problem(
            "nip_birth_date",
            f"Tanggal lahir {birth} pada NIP tidak valid: {reason_id} (digit 1-8 = yyyymmdd, contoh 19850312)",
            f"Birth date {birth} in the NIP is not a valid date: {reason_en} "
            f"(digits 1-8 = yyyymmdd, e.g. 19850312)"))
    if not birth_year_ok:
        problems.append(_problem(
            "nip_birth_year",
            f"Tahun lahir {year:04d} pada NIP di luar rentang {MIN_BIRTH_YEAR}-{max_birth_year} (digit 1-4)",
            f"Birth year {year:04d} in the NIP is outside {MIN_BIRTH_YEAR}-{max_birth_year} (digits 1-4)"))

    tmt, tmt_year, tmt_month = raw[8:14], int(raw[8:12]), int(raw[12:14])
    tmt_month_ok = 1 <= tmt_month <= 12
    if not tmt_month_ok:
        problems.append(_problem(
            "nip_tmt_month",
            f"Bulan TMT CPNS {tmt_month:02d} pada NIP tidak valid, harus 01-12 "
            f"(digit 9-14 = TMT CPNS yyyymm, diterima {tmt})",
            f"TMT CPNS month {tmt_month:02d} in the NIP is invalid, must be 01-12 "
            f"(digits 9-14 = TMT CPNS yyyymm, got {tmt})"))
    if birth_year_ok and tmt_year < year + MIN_AGE_AT_TMT:
        problems.append(_problem(
            "nip_tmt_too_early",
            f"Tahun TMT CPNS {tmt_year:04d} pada NIP terlalu awal: paling cepat {year + MIN_AGE_AT_TMT} "
            f"(tahun lahir {year} + {MIN_AGE_AT_TMT}; digit 9-12)",
            f"TMT CPNS year {tmt_year:04d} in the NIP is too early: it must be {year + MIN_AGE_AT_TMT} or later "
            f"(birth year {year} + {MIN_AGE_AT_TMT}; digits 9-12)"))
    if tmt_month_ok and (tmt_year, tmt_month) > (today.year, today.month):
        problems.append(_problem(
            "nip_tmt_future",
            f"TMT CPNS {tmt_year:04d}-{tmt_month:02d} pada NIP ada di masa depan; paling lambat "
            f"{today.year:04d}-{today.month:02d} (digit 9-14 = yyyymm)",
            f"TMT CPNS {tmt_year:04d}-{tmt_month:02d} in the NIP is in the future; it must be "
            f"{today.year:04d}-{today.month:02d} or earlier (digits 9-14 = yyyymm)"))

    if raw[14] not in "12":
        problems.append(_problem(
            "nip_gender",
            f"Digit ke-15 NIP (jenis kelamin) harus 1 (pria) atau 2 (wanita), diterima {raw[14]}",
            f"Digit 15 of the NIP (gender) must be 1 (male, pria) or 2 (female, wanita), got {raw[14]}"))
    if raw[15:18] == "000":
        problems.append(_problem(
            "nip_sequence",
            "Nomor urut pada NIP (digit 16-18) harus 001-999, diterima 000",
            "Sequence number in the NIP (digits 16-18) must be 001-999, got 000"))
    return problems
