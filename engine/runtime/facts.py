"""The evaluation facts document: a pure-Python validator that returns located problems, and normalisation.

The document is the contract shared by the engine, the CLI and the API (fields are added, never renamed)::

    {"daerah": "palu", "periode": {"tahun": 2026, "jenis": "tahunan"},
     "pegawai": {"nip": "...", "jenis_jabatan": "pelaksana", "golongan": "III/a", "unit": "..."},
     "iki": [{"id": "iki-1", "aspek": "kuantitas", "arah": "naik", "target": 12, "realisasi": 13, "bobot": 60}],
     "perilaku": {"berorientasi_pelayanan": "di_atas", ...all 7 BerAKHLAK values...},
     "disiplin": {"hari_tidak_masuk": 0, "menit_terlambat": 35},
     "kepuasan_masyarakat": 87.5, "inovasi": false, "riwayat": [{"tahun": 2025, "predikat": "sangat_baik"}]}
"""
from __future__ import annotations

from .catalogue import BERAKHLAK, JENIS_JABATAN, JENIS_LAYANAN, PERIODE_JENIS, PREDIKATS, RATINGS
from .errors import Problem, ValidationFailed
from .facts_fast import NotSimple, compile_schema
from .values import capaian_overflows, did_you_mean, normalize_number, number_problem, type_name

# field -> (type, required, extra); type is number|integer|boolean|string|enum|object|list
_IKI = {
    "id": ("string", True, None), "aspek": ("enum", True, ("kuantitas", "kualitas", "waktu", "biaya")),
    "arah": ("enum", True, ("naik", "turun")), "target": ("number", True, (0, None)),
    "realisasi": ("number", False, (0, None)), "bobot": ("number", True, (0, 100)),
    "jenis_rhk": ("enum", False, ("utama", "tambahan")), "rhk": ("string", False, None),
    "uraian": ("string", False, None), "satuan": ("string", False, None),
}
_SCHEMA = {
    "daerah": ("string", True, None),
    "periode": ("object", True, {"tahun": ("integer", True, (1900, 2200)),
                                 "jenis": ("enum", True, PERIODE_JENIS)}),
    "pegawai": ("object", True, {
        "nip": ("string", True, None), "nama": ("string", False, None),
        "jenis_jabatan": ("enum", True, JENIS_JABATAN), "golongan": ("string", False, None),
        "unit": ("string", False, None), "jenis_asn": ("enum", False, ("pns", "pppk")),
        "jenis_layanan": ("enum", False, JENIS_LAYANAN)}),
    "iki": ("list", True, _IKI),
    "perilaku": ("object", True, {v: ("enum", True, RATINGS) for v in BERAKHLAK}),
    "disiplin": ("object", False, {
        "hari_tidak_masuk": ("integer", True, (0, 366)), "menit_terlambat": ("integer", True, (0, None)),
        "hari_tidak_masuk_berturut": ("integer", False, (0, 366))}),
    "kepuasan_masyarakat": ("number", False, (0, 100)),
    "kepuasan_masyarakat_responden": ("integer", False, (0, None)),
    "inovasi": ("boolean", False, None),
    "skp_disepakati": ("boolean", False, None),
    "kontribusi_tim": ("enum", False, RATINGS),
    "aktivitas_harian": ("integer", False, (0, 366)),
    "hari_kerja": ("integer", False, (1, 366)),
    "waktu_respon_pengaduan": ("number", False, (0, None)),
    "waktu_layanan": ("number", False, (0, None)),
    "riwayat": ("list", False, {"tahun": ("integer", True, (1900, 2200)), "predikat": ("enum", True, PREDIKATS)}),
}


def _p(path: str, code: str, msg_id: str, msg_en: str) -> Problem:
    return Problem(code, path, msg_id, msg_en)


def _check_value(value, spec, path: str, out: list[Problem]):
    """Check one value; return its normalised form (meaningless once a problem was added)."""
    type_, _required, extra = spec
    if type_ in ("number", "integer"):
        bad = number_problem(value, integer=type_ == "integer")
        if bad:
            out.append(_p(path, "type", bad[0], bad[1]))
            return value
        if extra:
            lo, hi = extra
            if (lo is not None and value < lo) or (hi is not None and value > hi):
                rng = f"{lo}..{hi}" if hi is not None else f">= {lo}"
                out.append(_p(path, "range", f"harus dalam rentang {rng}, bukan {value}",
                              f"must be in the range {rng}, not {value}"))
        return normalize_number(value, integer=type_ == "integer")
    if type_ == "boolean":
        if not isinstance(value, bool):
            out.append(_p(path, "type", f"harus true atau false, bukan {type_name(value)[0]}",
                          f"must be true or false, not {type_name(value)[1]}"))
    elif type_ == "string":
        if not isinstance(value, str) or not value.strip():
            out.append(_p(path, "type", "harus teks yang tidak kosong", "must be a non-empty string"))
    elif type_ == "enum":
        if not isinstance(value, str) or value not in extra:
            hint = did_you_mean(value, extra)
            out.append(_p(path, "enum", f"harus salah satu dari {', '.join(extra)}{hint[0]}",
                          f"must be one of {', '.join(extra)}{hint[1]}"))
    elif type_ == "object":
        return _check_object(value, extra, path, out)
    elif type_ == "list":
        if not isinstance(value, list):
            out.append(_p(path, "type", f"harus daftar, bukan {type_name(value)[0]}",
                          f"must be a list, not {type_name(value)[1]}"))
            return value
        return [_check_object(item, extra, f"{path}[{i}]", out) for i, item in enumerate(value)]
    return value


def _check_object(value, fields: dict, path: str, out: list[Problem]) -> dict:
    """Check an object against its fields; return a new dict of normalised values (None values dropped)."""
    prefix = f"{path}." if path else ""
    if not isinstance(value, dict):
        out.append(_p(path or "$", "type", f"harus objek, bukan {type_name(value)[0]}",
                      f"must be an object, not {type_name(value)[1]}"))
        return {}
    result = {}
    for key, item in value.items():
        spec = fields.get(key)
        if spec is None:
            hint = did_you_mean(key, fields)
            out.append(_p(f"{prefix}{key}", "unknown_field", f"kolom '{key}' tidak dikenal{hint[0]}",
                          f"unknown field '{key}'{hint[1]}"))
        elif item is not None:
            result[key] = _check_value(item, spec, f"{prefix}{key}", out)
    for name, spec in fields.items():
        if spec[1] and value.get(name) is None:
            out.append(_p(f"{prefix}{name}", "required", f"kolom '{name}' wajib diisi",
                          f"field '{name}' is required"))
    return result


_FAST = compile_schema(_SCHEMA)


def _check(doc: object) -> tuple[list[Problem], dict]:
    out: list[Problem] = []
    try:  # a plainly valid document skips the located checker (same answer, see facts_fast.py)
        norm = _FAST(doc)
    except NotSimple:
        norm = _check_object(doc, _SCHEMA, "", out)
        if out:
            return out, norm
    iki = norm["iki"]
    if not iki:
        out.append(_p("iki", "required", "paling sedikit satu IKI", "at least one IKI is needed"))
    seen: set[str] = set()
    for i, item in enumerate(iki):
        if item["id"] in seen:
            out.append(_p(f"iki[{i}].id", "duplicate", f"id IKI '{item['id']}' ganda", f"duplicate IKI id '{item['id']}'"))
        seen.add(item["id"])
        # the one derived number that can grow past what durable reads safely (DURABLE.md: an exponent form such as
        # 1e+16 crashes it): capaian of a `naik` IKI, realisasi / target x 100 (a `turun` one is at most 200)
        if capaian_overflows(item["arah"], item["target"], item.get("realisasi")):
            out.append(_p(f"iki[{i}].realisasi", "range", "capaian (realisasi / target x 100) harus < 1e15: target "
                          "terlalu kecil untuk realisasi ini", "the achievement (realisasi / target x 100) must be "
                          "< 1e15: the target is too small for this realisation"))
    total = sum(item["bobot"] for item in iki)
    if iki and abs(total - 100) > 0.01:
        out.append(_p("iki", "weights", f"jumlah bobot IKI harus 100, bukan {round(total, 4)}",
                      f"IKI weights must sum to 100, not {round(total, 4)}"))
    years = [r["tahun"] for r in norm.get("riwayat") or []]
    for i, year in enumerate(years):
        if years.index(year) != i:
            out.append(_p(f"riwayat[{i}].tahun", "duplicate", f"tahun {year} ganda", f"duplicate year {year}"))
    return out, norm


def validate_facts(doc: object) -> list[Problem]:
    """Check a facts document; every problem names its field path and says what would be right."""
    return _check(doc)[0]


def normalize_facts(doc: object) -> dict:
    """Validate and return a normalised copy (numbers rounded to 4 dp, nulls dropped); raise ValidationFailed."""
    problems, norm = _check(doc)
    if problems:
        raise ValidationFailed("Fakta evaluasi tidak valid", "Evaluation facts are invalid",
                               code="invalid_facts", problems=problems)
    return norm
