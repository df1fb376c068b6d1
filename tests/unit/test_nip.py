"""Unit tests of engine.nip: parsing, bilingual validation messages, formatting."""
from __future__ import annotations

from datetime import date

import pytest

from engine.nip import NipParts, format_nip, is_valid_nip, nip_problems, normalize_nip, parse_nip
from engine.runtime.errors import Problem, ValidationFailed

TODAY = date(2026, 6, 15)


def _error(value: object, today: date = TODAY) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as info:
        parse_nip(value, today=today)
    assert info.value.field == "nip"
    return info.value


def test_valid_nip_parses_into_parts() -> None:
    parts = parse_nip("198503122010011003", today=TODAY)
    assert parts == NipParts(birth_date=date(1985, 3, 12), tmt=(2010, 1), gender="pria", sequence=3,
                             nip="198503122010011003")


def test_female_nip_and_leap_day() -> None:
    parts = parse_nip("199202292015032001", today=TODAY)
    assert parts.birth_date == date(1992, 2, 29)
    assert parts.tmt == (2015, 3)
    assert parts.gender == "wanita"
    assert parts.sequence == 1


@pytest.mark.parametrize("written", [
    "19850312 201001 1 003",
    " 19850312  201001 1 003 ",
    "19850312\t201001\u00a01 003",
    "1985 0312 2010 0110 03",
])
def test_spaces_are_accepted(written: str) -> None:
    assert normalize_nip(written) == "198503122010011003"
    assert parse_nip(written, today=TODAY).nip == "198503122010011003"
    assert nip_problems(written, today=TODAY) == []


def test_integer_input_is_accepted() -> None:
    assert parse_nip(198503122010011003, today=TODAY).sequence == 3


def test_format_nip_groups_digits() -> None:
    assert format_nip("198503122010011003") == "19850312 201001 1 003"
    assert format_nip("19850312 201001 1 003") == "19850312 201001 1 003"
    assert parse_nip("198503122010011003").formatted == "19850312 201001 1 003"


def test_format_nip_rejects_wrong_shape() -> None:
    with pytest.raises(ValidationFailed) as info:
        format_nip("12345")
    assert info.value.field == "nip"
    assert info.value.message_id == "NIP harus 18 angka (diterima 5)"


def test_length_message_in_both_languages() -> None:
    err = _error("19850312201001100")
    assert err.message_id == "NIP harus 18 angka (diterima 17)"
    assert err.message_en == "NIP must be 18 digits (got 17)"
    assert err.code == "nip_length"
    assert err.message("en") == err.message_en
    assert [p.code for p in err.problems] == ["nip_length"]
    assert err.problems[0].path == "nip"


def test_too_long() -> None:
    err = _error("1985031220100110031")
    assert "diterima 19" in err.message_id and "got 19" in err.message_en


@pytest.mark.parametrize("value", ["", "   ", None])
def test_empty_is_required(value: object) -> None:
    err = _error(value)
    assert err.code == "nip_required"
    assert "NIP wajib diisi" in err.message_id
    assert "NIP is required" in err.message_en


def test_wrong_type() -> None:
    err = _error(1985.0)
    assert err.code == "nip_type"
    assert "float" in err.message_id and "float" in err.message_en


@pytest.mark.parametrize("value,char,pos", [
    ("19850312A010011003", "A", 9),
    ("19850312-201001-1-003", "-", 9),
    ("19850312.201001.1.003", ".", 9),
    ("١٩٨٥٠٣١٢٢٠١٠٠١١٠٠٣", "١", 1),
])
def test_non_digits_are_rejected(value: str, char: str, pos: int) -> None:
    err = _error(value)
    assert err.code == "nip_not_digits"
    assert f"karakter {char!r} pada posisi {pos}" in err.message_id
    assert "hanya boleh berisi angka" in err.message_id
    assert f"character {char!r} at position {pos}" in err.message_en
    assert "only digits" in err.message_en


def test_invalid_birth_date_month() -> None:
    err = _error("199013322015012001")
    assert err.code == "nip_birth_date"
    assert err.message_id.startswith("Tanggal lahir 19901332 pada NIP tidak valid")
    assert "bulan 13 harus 01-12" in err.message_id
    assert "(digit 1-8 = yyyymmdd" in err.message_id
    assert err.message_en.startswith("Birth date 19901332 in the NIP is not a valid date")
    assert "month 13 must be 01-12" in err.message_en
    assert "digits 1-8 = yyyymmdd" in err.message_en


def test_invalid_birth_date_day() -> None:
    err = _error("199002292015012001")
    assert err.code == "nip_birth_date"
    assert "tanggal 29 harus 01-28 untuk bulan 02/1990" in err.message_id
    assert "day 29 must be 01-28 for month 02/1990" in err.message_en


def test_birth_year_too_old() -> None:
    err = _error("193001012015012001")
    assert err.code == "nip_birth_year"
    assert "Tahun lahir 1930 pada NIP di luar rentang 1940-2009" in err.message_id
    assert "Birth year 1930 in the NIP is outside 1940-2009" in err.message_en


def test_birth_year_too_young_depends_on_today() -> None:
    nip = "201001012027012001"
    codes = [p.code for p in nip_problems(nip, today=date(2026, 1, 1))]
    assert "nip_birth_year" in codes
    assert nip_problems(nip, today=date(2027, 6, 1)) == []


def test_tmt_month_invalid() -> None:
    err = _error("198503122010131003")
    assert err.code == "nip_tmt_month"
    assert "Bulan TMT CPNS 13 pada NIP tidak valid, harus 01-12" in err.message_id
    assert "TMT CPNS month 13 in the NIP is invalid, must be 01-12" in err.message_en


def test_tmt_month_zero() -> None:
    assert [p.code for p in nip_problems("198503122010001003", today=TODAY)] == ["nip_tmt_month"]


def test_tmt_too_early_for_birth_year() -> None:
    err = _error("198503122000011003")
    assert err.code == "nip_tmt_too_early"
    assert "Tahun TMT CPNS 2000 pada NIP terlalu awal: paling cepat 2002" in err.message_id
    assert "TMT CPNS year 2000 in the NIP is too early: it must be 2002 or later" in err.message_en


def test_tmt_at_exactly_birth_year_plus_17_is_valid() -> None:
    assert parse_nip("198503122002011003", today=TODAY).tmt == (2002, 1)


def test_tmt_in_the_future() -> None:
    err = _error("198503122026071003", today=date(2026, 6, 15))
    assert err.code == "nip_tmt_future"
    assert "TMT CPNS 2026-07 pada NIP ada di masa depan; paling lambat 2026-06" in err.message_id
    assert "TMT CPNS 2026-07 in the NIP is in the future; it must be 2026-06 or earlier" in err.message_en
    assert parse_nip("198503122026061003", today=date(2026, 6, 15)).tmt == (2026, 6)


def test_today_defaults_to_the_clock() -> None:
    assert [p.code for p in nip_problems("198503122999011003")] == ["nip_tmt_future"]
    assert is_valid_nip("19850312 201001 1 003")


def test_gender_digit() -> None:
    err = _error("198503122010013003")
    assert err.code == "nip_gender"
    assert "Digit ke-15 NIP (jenis kelamin) harus 1 (pria) atau 2 (wanita), diterima 3" in err.message_id
    assert "Digit 15 of the NIP (gender) must be 1 (male, pria) or 2 (female, wanita), got 3" in err.message_en


def test_sequence_zero() -> None:
    err = _error("198503122010011000")
    assert err.code == "nip_sequence"
    assert "Nomor urut pada NIP (digit 16-18) harus 001-999, diterima 000" in err.message_id
    assert "Sequence number in the NIP (digits 16-18) must be 001-999, got 000" in err.message_en


def test_sequence_999_is_valid() -> None:
    assert parse_nip("198503122010011999", today=TODAY).sequence == 999


def test_all_problems_are_listed_and_joined() -> None:
    value = "199013322050130000"     # bad birth date, TMT month 13, gender 0, sequence 000
    problems = nip_problems(value, today=TODAY)
    assert all(isinstance(p, Problem) and p.path == "nip" for p in problems)
    assert [p.code for p in problems] == ["nip_birth_date", "nip_tmt_month", "nip_gender", "nip_sequence"]
    err = _error(value)
    assert err.code == "nip_birth_date"
    assert len(err.problems) == 4
    assert err.message_id == "; ".join(p.message_id for p in problems)
    assert err.message_en == "; ".join(p.message_en for p in problems)


def test_nip_problems_does_not_raise() -> None:
    assert nip_problems("abc", today=TODAY)[0].code == "nip_not_digits"
    assert nip_problems(object(), today=TODAY)[0].code == "nip_type"
    assert not is_valid_nip("abc")
