"""Typed literal checks shared by the facts validator, the rule validator and the compiler.

durable_rules compares a string with a number as strings and rejects exponent forms and non-finite numbers
(DURABLE.md gotchas 6 and 15), so every number is checked here and rounded to 4 decimal places.
"""
from __future__ import annotations

import difflib
import math

MAX_ABS = 1e15
DECIMALS = 4


def is_number(value: object) -> bool:
    """True for int/float but not bool."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def number_problem(value: object, integer: bool = False) -> tuple[str, str] | None:
    """Why `value` is not an acceptable number, as (id, en), or None when it is fine."""
    if not is_number(value):
        kind = ("bilangan bulat", "an integer") if integer else ("angka", "a number")
        return (f"harus {kind[0]}, bukan {type_name(value)[0]}", f"must be {kind[1]}, not {type_name(value)[1]}")
    if isinstance(value, float) and not math.isfinite(value):
        return ("harus angka terhingga (bukan NaN/inf)", "must be a finite number (not NaN/inf)")
    if abs(value) >= MAX_ABS:
        return ("nilai mutlak harus < 1e15", "absolute value must be < 1e15")
    if integer and isinstance(value, float) and not value.is_integer():
        return ("harus bilangan bulat, mis. 3", "must be a whole number, e.g. 3")
    return None


def capaian_overflows(arah: str, target: float, realisasi: float | None) -> bool:
    """Whether a `naik` IKI's capaian (realisasi / target x 100) would reach MAX_ABS (a `turun` one is at most 200):
    durable would read such a number in exponent form (DURABLE.md), so the facts and the realisasi form refuse it."""
    return arah == "naik" and realisasi is not None and target > 0 and realisasi * 100 >= MAX_ABS * target


def normalize_number(value: int | float, integer: bool = False) -> int | float:
    """Integers stay ints; other numbers become floats rounded to 4 dp (durable sees no exponent form)."""
    if integer or isinstance(value, int):
        return int(value)
    rounded = round(float(value), DECIMALS)
    return 0.0 if rounded == 0 else rounded


def type_name(value: object) -> tuple[str, str]:
    """A short id/en name of a JSON value's type for messages."""
    if value is None:
        return ("kosong (null)", "null")
    if isinstance(value, bool):
        return ("boolean", "boolean")
    if is_number(value):
        return ("angka", "number")
    if isinstance(value, str):
        return ("teks", "string")
    if isinstance(value, list):
        return ("daftar", "list")
    if isinstance(value, dict):
        return ("objek", "object")
    return (type(value).__name__, type(value).__name__)


def suggest(name: object, options) -> str:
    """A ' (maksud Anda ...?)'-ready suggestion: the closest option, or ''."""
    if not isinstance(name, str):
        return ""
    found = difflib.get_close_matches(name, list(options), n=1, cutoff=0.6)
    return found[0] if found else ""


def did_you_mean(name: object, options) -> tuple[str, str]:
    """Id/en 'did you mean' suffixes (empty strings when nothing is close)."""
    best = suggest(name, options)
    return (f"; maksud Anda '{best}'?", f"; did you mean '{best}'?") if best else ("", "")


def literal_problem(value: object, type_: str, values: tuple[str, ...] = ()) -> tuple[str, str] | None:
    """Why a literal does not fit a catalogue type (number, integer, boolean, enum, string), or None."""
    if type_ in ("number", "integer"):
        found = number_problem(value, integer=type_ == "integer")
        if found is None and not isinstance(value, int) and round(float(value), DECIMALS) != value:
            return ("paling banyak 4 angka desimal", "at most 4 decimal places")
        return found
    if type_ == "boolean":
        if not isinstance(value, bool):
            return (f"harus true atau false, bukan {type_name(value)[0]}",
                    f"must be true or false, not {type_name(value)[1]}")
        return None
    if not isinstance(value, str):
        return (f"harus teks, bukan {type_name(value)[0]}", f"must be a string, not {type_name(value)[1]}")
    if type_ == "enum" and value not in values:
        allowed = ", ".join(values)
        hint = did_you_mean(value, values)
        return (f"'{value}' bukan nilai yang diizinkan ({allowed}){hint[0]}",
                f"'{value}' is not an allowed value ({allowed}){hint[1]}")
    return None
