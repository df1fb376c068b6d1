"""Bulk import of pegawai from a SIASN (BKN) export, CSV or XLSX: all rows or none, every problem located by row
and column. Plain Python over the session (no Flask): the caller commits, or rolls back when this raises. The API
(`POST /api/v1/pegawai/import`) and the console (*Pegawai* > *Impor SIASN*) both call it.

Columns read (others, such as PNS ID, TANGGAL LAHIR or PENDIDIKAN NAMA, are ignored):

| column | use |
|---|---|
| NIP BARU | required, the 18-digit NIP; an existing pegawai of the daerah with this NIP is updated |
| NAMA, GELAR DEPAN, GELAR BELAKANG | the name, with the degrees around it when given |
| JABATAN NAMA | required |
| JENIS JABATAN (or JENIS JABATAN NAMA), ESELON | jpt, administrator, pengawas, pelaksana, fungsional; SIASN texts such as "Fungsional Tertentu", "Fungsional Umum" or "Struktural" with the eselon |
| GOL AKHIR NAMA | golongan such as III/a |
| UNOR ID, UNOR NAMA | the unit kerja: by code (UNOR ID), else by name; created when missing and both are given |
| ATASAN NIP | optional: the atasan's NIP, in the file or already in the daerah |
| KEDUDUKAN HUKUM (or KEDUDUKAN HUKUM NAMA) | optional: the legal standing, mapped to the pegawai's status (`KEDUDUKAN`); blank keeps the status (a new pegawai is aktif); a text not in the table is a problem, so that nobody on leave or suspended is silently made aktif or dropped |
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.identity import User
from engine.masterdata import check_pegawai, check_unit, cycle_problem
from engine.nip import nip_problems
from engine.organisation import GOLONGAN, Daerah, Pegawai, PegawaiStatus, UnitKerja
from engine.permissions import require_write
from engine.runtime.errors import EngineError, Problem, ValidationFailed

MAX_ROWS = 10_000
#: the columns read, in the order of the console's template file
COLUMNS = ("NIP BARU", "NAMA", "GELAR DEPAN", "GELAR BELAKANG", "JABATAN NAMA", "JENIS JABATAN", "ESELON",
           "GOL AKHIR NAMA", "UNOR ID", "UNOR NAMA", "ATASAN NIP", "KEDUDUKAN HUKUM")
_READ = frozenset(COLUMNS)
REQUIRED = ("NIP BARU", "NAMA", "JABATAN NAMA", "JENIS JABATAN", "GOL AKHIR NAMA")
ALIASES = {"JENIS JABATAN NAMA": "JENIS JABATAN", "NIP": "NIP BARU", "ESELON NAMA": "ESELON",
           "GOLONGAN": "GOL AKHIR NAMA", "UNIT KERJA": "UNOR NAMA", "NIP ATASAN": "ATASAN NIP",
           "KEDUDUKAN HUKUM NAMA": "KEDUDUKAN HUKUM", "STATUS KEDUDUKAN": "KEDUDUKAN HUKUM"}
JENIS_TEXT = {
    "jpt": "jpt", "jabatan pimpinan tinggi": "jpt", "jpt pratama": "jpt", "jpt madya": "jpt", "jpt utama": "jpt",
    "administrator": "administrator", "jabatan administrator": "administrator",
    "pengawas": "pengawas", "jabatan pengawas": "pengawas",
    "pelaksana": "pelaksana", "jabatan pelaksana": "pelaksana", "fungsional umum": "pelaksana",
    "jabatan fungsional umum": "pelaksana",
    "fungsional": "fungsional", "fungsional tertentu": "fungsional", "jabatan fungsional": "fungsional",
    "jabatan fungsional tertentu": "fungsional",
}
#: SIASN's kedudukan hukum texts (lower case, single spaces) -> our status. Deliberately not here: CLTN,
#: pemberhentian sementara, penerima uang tunggu and the like, where the pegawai is still employed but does not work
#: as usual: HR decides (Aktif, or leave the cell blank) instead of the import guessing.
KEDUDUKAN = {
    **{s.value: s for s in PegawaiStatus},
    "pns aktif": PegawaiStatus.aktif, "cpns": PegawaiStatus.aktif, "cpns aktif": PegawaiStatus.aktif,
    "pppk": PegawaiStatus.aktif, "pppk aktif": PegawaiStatus.aktif, "tugas belajar": PegawaiStatus.aktif,
    "masa persiapan pensiun": PegawaiStatus.aktif, "mpp": PegawaiStatus.aktif,
    "pensiun dini": PegawaiStatus.pensiun, "pensiun bup": PegawaiStatus.pensiun,
    "pensiun atas permintaan sendiri": PegawaiStatus.pensiun,
    "meninggal dunia": PegawaiStatus.meninggal, "wafat": PegawaiStatus.meninggal, "tewas": PegawaiStatus.meninggal,
    "mutasi keluar": PegawaiStatus.pindah, "pindah instansi": PegawaiStatus.pindah,
    "pindah keluar": PegawaiStatus.pindah,
    "diberhentikan": PegawaiStatus.berhenti, "pemberhentian": PegawaiStatus.berhenti,
    "diberhentikan dengan hormat": PegawaiStatus.berhenti, "diberhentikan tidak dengan hormat": PegawaiStatus.berhenti,
    "pemberhentian dengan hormat": PegawaiStatus.berhenti, "pemberhentian tidak dengan hormat": PegawaiStatus.berhenti,
    "ptdh": PegawaiStatus.berhenti, "mengundurkan diri": PegawaiStatus.berhenti,
    "berhenti atas permintaan sendiri": PegawaiStatus.berhenti,
}
_GOLONGAN = re.compile(r"\b(IV|III|II|I)\s*/\s*([A-Ea-e])\b")
#: engine.masterdata problem paths -> SIASN columns
COLUMN_OF = {"nip": "NIP BARU", "name": "NAMA", "jabatan": "JABATAN NAMA", "jenis_jabatan": "JENIS JABATAN",
             "golongan": "GOL AKHIR NAMA", "unit": "UNOR ID", "atasan": "ATASAN NIP", "status": "KEDUDUKAN HUKUM"}
_ESELON = re.compile(r"^\s*(IV|III|II|I)\b", re.IGNORECASE)


@dataclass
class ImportResult:
    """Counts of an import that passed every check."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    units_created: int = 0
    #: existing pegawai whose status the file's KEDUDUKAN HUKUM changed (also counted in `updated`)
    status_changed: int = 0
    #: aktif pegawai of the daerah whose NIP is not in the file, by name (NIP, name, unit): when the file is the
    #: daerah's whole export, those who retired or moved away (their status is HR's to change; nothing is changed)
    not_in_file: list[tuple[str, str, str]] = field(default_factory=list)


def _prefixes(row: int, column: str) -> tuple[str, str]:
    return f"Baris {row}, kolom {column}: ", f"Row {row}, column {column}: "


def _problem(row: int, column: str, message_id: str, message_en: str) -> Problem:
    prefix_id, prefix_en = _prefixes(row, column)
    return Problem("row", f"rows[{row}].{column}", prefix_id + message_id, prefix_en + message_en)


_ROW_PATH = re.compile(r"^rows\[(\d+)\]\.(.+)$")


def problem_cell(problem: Problem) -> tuple[int | None, str | None, str, str]:
    """Where an import problem is, as (row, column, message_id, message_en), the messages without the "Row r,
    column c:" they start with: for a table of problems. A missing column has no row; a file problem neither."""
    found = _ROW_PATH.match(problem.path)
    if found:
        row, column = int(found.group(1)), found.group(2)
        prefix_id, prefix_en = _prefixes(row, column)
        return row, column, problem.message_id.removeprefix(prefix_id), problem.message_en.removeprefix(prefix_en)
    column = problem.path.removeprefix("columns.") if problem.path.startswith("columns.") else None
    return None, column, problem.message_id, problem.message_en


def _fail(problems: list[Problem], message_id: str, message_en: str) -> None:
    raise ValidationFailed(f"{message_id} Tidak ada yang disimpan ({len(problems)} masalah).",
                           f"{message_en} Nothing was stored ({len(problems)} problems).", code="import_invalid",
                           problems=problems)


def _header(value) -> str:
    name = " ".join(str(value or "").replace("_", " ").split()).upper()
    return ALIASES.get(name, name)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_table(filename: str, data: bytes) -> list[tuple[int, dict[str, str]]]:
    """Rows of a CSV or XLSX file as (row number, {COLUMN: text}); the first row holds the column names."""
    is_xlsx = data[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx")
    try:
        table = _read_xlsx(data) if is_xlsx else _read_csv(data)
    except ValidationFailed:
        raise
    except Exception as error:  # a damaged file: openpyxl and zipfile raise many kinds; the user needs one answer
        raise ValidationFailed("Berkas tidak dapat dibaca sebagai CSV atau XLSX.",
                               "The file cannot be read as CSV or XLSX.", code="unreadable", field="file",
                               problems=[Problem("unreadable", "file", str(error)[:200], str(error)[:200])]) from None
    if not table:
        raise ValidationFailed("Berkas kosong.", "The file is empty.", code="empty", field="file")
    headers = [_header(h) for h in table[0]]
    kept = [(i, h) for i, h in enumerate(headers) if h in _READ]  # a real export has ~45 columns; 12 are read
    twice = sorted({h for _, h in kept if [k for _, k in kept].count(h) > 1})
    if twice:  # which one to read would be a guess (the last one won, silently)
        raise ValidationFailed(f"Kolom dua kali: {', '.join(twice)}; hapus salah satunya.",
                               f"Columns given twice: {', '.join(twice)}; remove one of each.", code="columns",
                               problems=[Problem("column", f"columns.{c}", f"kolom '{c}' ada dua kali",
                                                 f"column '{c}' appears twice") for c in twice])
    rows = []
    for number, values in enumerate(table[1:], start=2):
        if not any(_cell(v) for v in values):
            continue
        rows.append((number, {h: values[i] if i < len(values) else None for i, h in kept}))
    if len(rows) > MAX_ROWS:
        cap = f"{MAX_ROWS:,}"  # an XLSX is read only up to the cap: the file's own count is not known
        raise ValidationFailed(f"Paling banyak {cap.replace(',', '.')} baris per impor; berkas ini lebih dari itu. Bagi "
                               "berkas per unit kerja dan impor unit atasan tertinggi lebih dulu.",
                               f"At most {cap} rows per import; this file has more. Split the file by unit kerja and "
                               "import the units of the highest atasan first.", code="too_many_rows", field="file")
    missing = [c for c in REQUIRED if c not in headers]
    if "UNOR ID" not in headers and "UNOR NAMA" not in headers:
        missing.append("UNOR ID / UNOR NAMA")
    if missing:
        problems = [Problem("column", f"columns.{c}", f"kolom '{c}' tidak ada", f"column '{c}' is missing")
                    for c in missing]
        raise ValidationFailed(f"Kolom wajib tidak ada: {', '.join(missing)}.",
                               f"Required columns are missing: {', '.join(missing)}.", code="columns",
                               problems=problems)
    return rows


def _read_csv(data: bytes) -> list[list]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed("Berkas CSV harus UTF-8.", "The CSV file must be UTF-8.", code="encoding",
                               field="file") from None
    if "\x00" in text:
        raise ValidationFailed("Berkas CSV berisi karakter NUL.", "The CSV file contains NUL characters.",
                               code="encoding", field="file")
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    try:
        return list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error:  # a cell over csv's field limit (128 KiB): an unclosed quote, usually
        raise ValidationFailed("Berkas CSV tidak dapat dibaca: sebuah sel terlalu panjang (mungkin tanda kutip "
                               "yang tidak ditutup).", "The CSV file cannot be read: a cell is too long (perhaps a "
                               "quote that is never closed).", code="unreadable", field="file") from None


def _read_xlsx(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append(list(values))
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        book.close()


def _nip(row: int, value, problems: list[Problem]) -> str:
    if isinstance(value, float):
        problems.append(_problem(row, "NIP BARU", "NIP tersimpan sebagai angka di Excel (digit terakhir hilang); "
                                 "format kolom sebagai teks", "the NIP is stored as a number in Excel (its last "
                                 "digits are lost); format the column as text"))
        return ""
    nip = "".join(_cell(value).split())
    for p in nip_problems(nip):
        problems.append(_problem(row, "NIP BARU", p.message_id, p.message_en))
    return nip


def _jenis(row: int, values: dict, problems: list[Problem]) -> str | None:
    text = " ".join(_cell(values.get("JENIS JABATAN")).lower().split())
    if text in JENIS_TEXT:
        return JENIS_TEXT[text]
    if text in ("struktural", "jabatan struktural"):
        eselon = _ESELON.match(_cell(values.get("ESELON")))
        if eselon:
            return {"I": "jpt", "II": "jpt", "III": "administrator", "IV": "pengawas"}[eselon.group(1).upper()]
        problems.append(_problem(row, "ESELON", "jabatan struktural memerlukan eselon (I-IV)",
                                 "a structural position needs its eselon (I-IV)"))
        return None
    problems.append(_problem(row, "JENIS JABATAN", f"'{text}' tidak dikenal; pakai jpt, administrator, pengawas, "
                             "pelaksana, fungsional (atau teks SIASN)", f"'{text}' is unknown; use jpt, administrator, "
                             "pengawas, pelaksana, fungsional (or the SIASN text)"))
    return None


def _golongan(row: int, value, problems: list[Problem]) -> str | None:
    match = _GOLONGAN.search(_cell(value))
    golongan = f"{match.group(1)}/{match.group(2).lower()}" if match else None
    if golongan not in GOLONGAN:
        problems.append(_problem(row, "GOL AKHIR NAMA", f"golongan '{_cell(value)}' tidak dikenal (contoh: III/a)",
                                 f"golongan '{_cell(value)}' is unknown (e.g. III/a)"))
        return None
    return golongan


def _status(row: int, value, problems: list[Problem]) -> PegawaiStatus | None:
    text = " ".join(_cell(value).lower().split())
    if not text:
        return None
    if text not in KEDUDUKAN:
        problems.append(_problem(row, "KEDUDUKAN HUKUM", f"'{_cell(value)}' tidak dipetakan ke status pegawai; tulis "
                                 "Aktif, Pensiun, Pindah, Berhenti atau Meninggal, atau kosongkan agar status tetap",
                                 f"'{_cell(value)}' does not map to an employee status; write Aktif, Pensiun, Pindah, "
                                 "Berhenti or Meninggal, or leave it blank to keep the status"))
        return None
    return KEDUDUKAN[text]


def _name(values: dict) -> str:
    name = _cell(values.get("NAMA"))
    front, back = _cell(values.get("GELAR DEPAN")), _cell(values.get("GELAR BELAKANG"))
    if front and name:
        name = f"{front} {name}"
    if back and name:
        name = f"{name}, {back}"
    return name


def _text(row: int, values: dict, column: str, limit: int, problems: list[Problem]) -> str:
    text = _cell(values.get(column))
    if not text:
        problems.append(_problem(row, column, "wajib diisi", "is required"))
    elif len(text) > limit:
        problems.append(_problem(row, column, f"paling panjang {limit} karakter", f"at most {limit} characters"))
    return text


def _parse_rows(session: Session, daerah: Daerah, rows) -> tuple[list[dict], list[Problem]]:
    """Each row as a plain pegawai spec, with every problem found without touching the database's rows."""
    problems: list[Problem] = []
    specs, seen = [], {}
    for row, values in rows:
        spec = {"row": row, "nip": _nip(row, values.get("NIP BARU"), problems)}
        spec["name"] = _name(values)
        if not spec["name"]:
            problems.append(_problem(row, "NAMA", "wajib diisi", "is required"))
        elif len(spec["name"]) > 200:
            problems.append(_problem(row, "NAMA", "paling panjang 200 karakter", "at most 200 characters"))
        spec["jabatan"] = _text(row, values, "JABATAN NAMA", 200, problems)
        spec["jenis_jabatan"] = _jenis(row, values, problems)
        spec["golongan"] = _golongan(row, values.get("GOL AKHIR NAMA"), problems)
        # as typed: cut to the column's size, two long codes named one unit (a new unit's sizes are check_unit's)
        spec["unor_id"] = _cell(values.get("UNOR ID"))
        spec["unor_nama"] = _cell(values.get("UNOR NAMA"))
        if not spec["unor_id"] and not spec["unor_nama"]:
            problems.append(_problem(row, "UNOR ID", "unit kerja wajib (UNOR ID atau UNOR NAMA)",
                                     "the unit is required (UNOR ID or UNOR NAMA)"))
        spec["atasan_nip"] = "".join(_cell(values.get("ATASAN NIP")).split())
        spec["status"] = _status(row, values.get("KEDUDUKAN HUKUM"), problems)
        if spec["nip"] in seen:
            problems.append(_problem(row, "NIP BARU", f"NIP sama dengan baris {seen[spec['nip']]}",
                                     f"the same NIP as row {seen[spec['nip']]}"))
        elif spec["nip"]:
            seen[spec["nip"]] = row
        specs.append(spec)
    return specs, problems


def _units(session: Session, actor: User, daerah: Daerah, specs: list[dict], problems: list[Problem],
           result: ImportResult) -> dict[int, UnitKerja]:
    by_code = {u.code: u for u in session.scalars(select(UnitKerja).where(UnitKerja.daerah_id == daerah.id))}
    by_name = {u.name.strip().lower(): u for u in by_code.values()}
    chosen: dict[int, UnitKerja] = {}
    for spec in specs:
        unit = by_code.get(spec["unor_id"]) if spec["unor_id"] else None
        unit = unit or (by_name.get(spec["unor_nama"].lower()) if spec["unor_nama"] else None)
        if unit is None and spec["unor_id"] and spec["unor_nama"]:
            # by id, not through daerah.units: a refused unit must not stay in that collection for the flush
            unit = UnitKerja(daerah_id=daerah.id, code=spec["unor_id"], name=spec["unor_nama"])
            try:
                check_unit(session, actor, unit)
            except EngineError as error:
                for p in error.problems or [Problem(error.code, "code", error.message_id, error.message_en)]:
                    column = "UNOR NAMA" if p.path == "name" else "UNOR ID"
                    problems.append(_problem(spec["row"], column, p.message_id, p.message_en))
                continue
            session.add(unit)
            by_code[unit.code], by_name[unit.name.lower()] = unit, unit
            result.units_created += 1
        if unit is None:
            problems.append(_problem(spec["row"], "UNOR ID", "unit kerja tidak ada di daerah ini; isi UNOR ID dan "
                                     "UNOR NAMA untuk membuatnya", "no such unit in this daerah; give UNOR ID and "
                                     "UNOR NAMA to create it"))
        else:
            chosen[spec["row"]] = unit
    return chosen


def import_pegawai(session: Session, actor: User, daerah: Daerah, rows: list[tuple[int, dict]]) -> ImportResult:
    """Create or update the daerah's pegawai from SIASN rows; raise ValidationFailed listing every problem (the
    caller then rolls back, so nothing of the file is kept) or flush them all."""
    require_write(session, actor, "pegawai", daerah.id)
    result = ImportResult(rows=len(rows))
    specs, problems = _parse_rows(session, daerah, rows)
    nips = [s["nip"] for s in specs if s["nip"]]
    existing = {p.nip: p for p in session.scalars(select(Pegawai).where(Pegawai.nip.in_(nips or ["-"])))}
    for spec in specs:
        other = existing.get(spec["nip"])
        if other is not None and other.daerah_id != daerah.id:
            problems.append(_problem(spec["row"], "NIP BARU", "NIP sudah dipakai pegawai lain",
                                     "the NIP is already used by another employee"))
    units = _units(session, actor, daerah, specs, problems, result)
    in_file = {s["nip"] for s in specs if s["nip"]}
    outside = {p.nip: p for p in session.scalars(select(Pegawai).where(
        Pegawai.daerah_id == daerah.id, Pegawai.nip.in_(({s["atasan_nip"] for s in specs} - in_file) or {"-"})))}
    for spec in specs:
        if spec["atasan_nip"] and spec["atasan_nip"] not in in_file and spec["atasan_nip"] not in outside:
            problems.append(_problem(spec["row"], "ATASAN NIP", "atasan tidak ada di berkas maupun di daerah ini",
                                     "the atasan is neither in the file nor in this daerah"))
    if problems:
        _fail(problems, "Impor pegawai gagal.", "The employee import failed.")
    with session.no_autoflush:  # one flush at the end: the new pegawai go in with their atasan, in chain order
        people, changed = _apply(session, daerah, specs, units, existing, result)
        everyone = {**outside, **{p.nip: p for p in people.values()}}
        for spec in specs:
            person = people[spec["row"]]
            atasan = everyone.get(spec["atasan_nip"]) if spec["atasan_nip"] else person.atasan
            if atasan is not person.atasan:
                person.atasan = atasan
                if spec["nip"] in existing:
                    changed.add(spec["nip"])
        circular = _in_cycles(specs, people)
        reports = _active_reports(session, specs, people)
        for spec in specs:
            found = [cycle_problem()] if spec["row"] in circular else []
            try:
                check_pegawai(session, actor, people[spec["row"]], active_reports=reports.get(spec["row"], 0))
            except EngineError as error:
                found += error.problems or [Problem(error.code, "", error.message_id, error.message_en)]
            for p in {(p.path, p.message_id): p for p in found}.values():  # a known row's cycle is found twice
                problems.append(_problem(spec["row"], COLUMN_OF.get(p.path, "NIP BARU"), p.message_id,
                                         p.message_en))
    if problems:
        _fail(problems, "Impor pegawai gagal.", "The employee import failed.")
    session.flush()
    result.updated = len(changed)
    result.unchanged = result.rows - result.created - result.updated
    in_file = set(nips)
    result.not_in_file = [(nip, name, unit) for nip, name, unit in session.execute(
        select(Pegawai.nip, Pegawai.name, UnitKerja.name).join(UnitKerja, UnitKerja.id == Pegawai.unit_id)
        .where(Pegawai.daerah_id == daerah.id, Pegawai.status == PegawaiStatus.aktif)
        .order_by(Pegawai.name, Pegawai.nip)) if nip not in in_file]
    return result


def _active_reports(session: Session, specs: list[dict], people: dict[int, Pegawai]) -> dict[int, int]:
    """Rows of pegawai the file makes non-aktif, with how many aktif pegawai would still have them as direct
    atasan once the file is applied: reports in the file as the file leaves them, the others as stored."""
    leaving = {id(p): row for row, p in people.items() if p.status != PegawaiStatus.aktif}
    if not leaving:
        return {}
    counts: dict[int, int] = {}
    for person in people.values():
        if person.status == PegawaiStatus.aktif and id(person.atasan) in leaving:
            row = leaving[id(person.atasan)]
            counts[row] = counts.get(row, 0) + 1
    stored = {p.id: row for row, p in people.items() if id(p) in leaving and p.id is not None}
    in_file = {s["nip"] for s in specs}
    for atasan_id, nip in session.execute(select(Pegawai.atasan_id, Pegawai.nip).where(
            Pegawai.atasan_id.in_(stored or [-1]), Pegawai.status == PegawaiStatus.aktif)):
        if nip not in in_file:
            counts[stored[atasan_id]] = counts.get(stored[atasan_id], 0) + 1
    return counts


def _in_cycles(specs: list[dict], people: dict[int, Pegawai]) -> set[int]:
    """Rows whose atasan chain (through the file, then the daerah) comes back to them. Followed by object, not by
    id: the new pegawai have no id before the flush, and the flush could not order a cycle."""
    rows = set()
    for spec in specs:
        person = people[spec["row"]]
        node, seen = person.atasan, set()
        while node is not None and id(node) not in seen:
            if node is person:
                rows.add(spec["row"])
                break
            seen.add(id(node))
            node = node.atasan
    return rows


def _apply(session: Session, daerah: Daerah, specs: list[dict], units: dict[int, UnitKerja],
           existing: dict[str, Pegawai], result: ImportResult) -> tuple[dict[int, Pegawai], set[str]]:
    people: dict[int, Pegawai] = {}
    changed_nips: set[str] = set()
    for spec in specs:
        values = {"name": spec["name"], "jabatan": spec["jabatan"], "jenis_jabatan": spec["jenis_jabatan"],
                  "golongan": spec["golongan"], "unit": units[spec["row"]]}
        if spec["status"] is not None:
            values["status"] = spec["status"]
        person = existing.get(spec["nip"])
        if person is None:
            person = Pegawai(nip=spec["nip"], daerah_id=daerah.id, **{"status": PegawaiStatus.aktif, **values})
            session.add(person)
            result.created += 1
        else:
            changed = [k for k, v in values.items() if getattr(person, k) != v]
            for key in changed:
                setattr(person, key, values[key])
            if "status" in changed:
                person.status_since = None  # the date belonged to the old status; SIASN's TMT is not read
                result.status_changed += 1
            if changed:
                changed_nips.add(spec["nip"])
        people[spec["row"]] = person
    return people, changed_nips

