"""Checks of master data (daerah, unit kerja, pegawai, users) shared by the console and the API."""
from __future__ import annotations

from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from engine.identity import Role, RoleGrant, User
from engine.organisation import GOLONGAN, Daerah, DaerahLevel, JenisJabatan, Pegawai, PegawaiStatus, UnitKerja
from engine.permissions import require_write
from engine.runtime.errors import Conflict, Problem, refuse

_LEVELS = ", ".join(level.value for level in DaerahLevel)
_JENIS = ", ".join(j.value for j in JenisJabatan)
_STATUS = ", ".join(s.value for s in PegawaiStatus)


def cycle_problem() -> Problem:
    """The problem of an atasan chain that comes back to the pegawai."""
    return Problem("atasan_cycle", "atasan",
                   "Atasan tidak boleh pegawai itu sendiri atau bawahannya (rantai atasan melingkar).",
                   "The supervisor cannot be the employee or one of their reports (a supervision cycle).")


def control_problems(record, fields: tuple[str, ...]) -> list[Problem]:
    """Text fields holding control characters (a tab, an escape pasted from another program): invisible, and they
    break the XLSX exports and print pages that show the name."""
    return [Problem("control", name, "Tidak boleh berisi karakter kendali (tab, escape, ...).",
                    "May not contain control characters (tab, escape, ...).")
            for name in fields if any(ord(c) < 32 or 127 <= ord(c) < 160 for c in getattr(record, name) or "")]


def atasan_problems(pegawai_id: int | None, daerah_id: int | None, atasan: Pegawai | None) -> list[Problem]:
    """Problems of choosing `atasan` for a pegawai: another daerah, the pegawai itself, or a cycle."""
    if atasan is None:
        return []
    if daerah_id is not None and atasan.daerah_id != daerah_id:
        return [Problem("atasan_other_daerah", "atasan",
                        "Atasan harus pegawai di daerah yang sama dengan unit kerja pegawai ini.",
                        "The supervisor must be an employee of the same daerah as this employee's unit.")]
    if (atasan.status or PegawaiStatus.aktif) != PegawaiStatus.aktif:  # a new pegawai is aktif once inserted
        return [Problem("atasan_inactive", "atasan", f"Atasan {atasan.name} berstatus {atasan.status}, bukan aktif.",
                        f"The supervisor {atasan.name} is {atasan.status}, not aktif (active).")]
    seen, node = set(), atasan
    while node is not None:
        if pegawai_id is not None and node.id == pegawai_id:
            return [cycle_problem()]
        if node.id in seen:
            break
        seen.add(node.id)
        node = node.atasan
    return []


def parent_problems(unit_id: int | None, daerah_id: int | None, parent: UnitKerja | None) -> list[Problem]:
    """Problems of choosing `parent` for a unit kerja: another daerah or a cycle."""
    if parent is None:
        return []
    if daerah_id is not None and parent.daerah_id != daerah_id:
        return [Problem("parent_other_daerah", "parent", "Unit induk harus berada di daerah yang sama.",
                        "The parent unit must belong to the same daerah.")]
    node, seen = parent, set()
    while node is not None and node.id not in seen:
        if unit_id is not None and node.id == unit_id:
            return [Problem("parent_cycle", "parent", "Unit induk tidak boleh unit itu sendiri atau turunannya.",
                            "The parent unit cannot be the unit itself or one of its descendants.")]
        seen.add(node.id)
        node = node.parent
    return []


def check_pegawai(session: Session, actor: User, pegawai: Pegawai, *, active_reports: int | None = None) -> None:
    """Validate a pegawai about to be saved and check that `actor` may save it; raise on the first problem.
    `active_reports` is how many aktif pegawai will have this one as direct atasan, for a caller that changes many
    pegawai before one flush (the SIASN import); by default the stored rows are counted."""
    from engine.nip import nip_problems

    problems = list(nip_problems(pegawai.nip or ""))
    if not (pegawai.name or "").strip():
        problems.append(Problem("required", "name", "Nama wajib diisi.", "Name is required."))
    if pegawai.golongan not in GOLONGAN:
        problems.append(Problem("golongan", "golongan", f"Golongan harus salah satu dari {', '.join(GOLONGAN)}.",
                                f"Golongan must be one of {', '.join(GOLONGAN)}."))
    if pegawai.jenis_jabatan not in {j.value for j in JenisJabatan}:
        problems.append(Problem("jenis_jabatan", "jenis_jabatan", f"Jenis jabatan harus salah satu dari {_JENIS}.",
                                f"Jenis jabatan must be one of {_JENIS}."))
    problems += control_problems(pegawai, ("nip", "name", "jabatan"))
    problems += _status_problems(session, pegawai, active_reports)
    unit = pegawai.unit or (session.get(UnitKerja, pegawai.unit_id) if pegawai.unit_id else None)
    if unit is None:
        problems.append(Problem("required", "unit", "Unit kerja wajib dipilih.", "A unit kerja is required."))
    else:
        pegawai.daerah_id = unit.daerah_id
        problems += atasan_problems(pegawai.id, unit.daerah_id, pegawai.atasan)
    refuse(problems)
    require_write(session, actor, "pegawai", pegawai.daerah_id)


def _status_problems(session: Session, pegawai: Pegawai, reports: int | None) -> list[Problem]:
    status = pegawai.status or PegawaiStatus.aktif
    if status not in {s.value for s in PegawaiStatus}:
        return [Problem("status", "status", f"Status harus salah satu dari {_STATUS}.",
                        f"The status must be one of {_STATUS}.")]
    if status == PegawaiStatus.aktif:
        return []
    if reports is None:
        if pegawai.id is None:
            return []
        reports = session.scalar(select(func.count()).select_from(Pegawai).where(
            Pegawai.atasan_id == pegawai.id, Pegawai.status == PegawaiStatus.aktif))
    if reports:
        return [Problem("status_has_reports", "status",
                        f"Pegawai ini masih atasan langsung dari {reports} pegawai aktif: pilih atasan baru bagi "
                        "mereka dulu.",
                        f"This employee is still the direct supervisor of {reports} active employees: give them a new "
                        "supervisor first.")]
    return []


def check_unit(session: Session, actor: User, unit: UnitKerja) -> None:
    """Validate a unit kerja about to be saved and check that `actor` may save it."""
    problems = []
    if not (unit.code or "").strip():
        problems.append(Problem("required", "code", "Kode unit wajib diisi.", "The unit code is required."))
    if not (unit.name or "").strip():
        problems.append(Problem("required", "name", "Nama unit wajib diisi.", "The unit name is required."))
    problems += control_problems(unit, ("code", "name"))
    for name in ("code", "name"):  # the columns' sizes (PostgreSQL refuses longer text, SQLite stores it)
        limit = UnitKerja.__table__.c[name].type.length
        if len(getattr(unit, name) or "") > limit:
            problems.append(Problem("too_long", name, f"Paling panjang {limit} karakter.", f"At most {limit} characters."))
    daerah_id = unit.daerah.id if unit.daerah is not None else unit.daerah_id
    if daerah_id is None:
        problems.append(Problem("required", "daerah", "Daerah wajib dipilih.", "A daerah is required."))
    problems += parent_problems(unit.id, daerah_id, unit.parent)
    refuse(problems)
    require_write(session, actor, "unit_kerja", daerah_id)
    with session.no_autoflush:  # the unit itself may be pending: flushing it first would fail on the key
        other = session.scalar(select(UnitKerja.name).where(
            UnitKerja.daerah_id == daerah_id, UnitKerja.code == unit.code, UnitKerja.id != (unit.id or -1)))
    if other is not None:
        raise Conflict(f"Kode unit '{unit.code}' sudah dipakai {other} di daerah ini.",
                       f"The unit code '{unit.code}' is already used by {other} in this daerah.", code="duplicate",
                       field="code")


def check_daerah(session: Session, actor: User, daerah: Daerah) -> None:
    """Validate a daerah about to be saved and check that `actor` may save it."""
    problems = []
    code = (daerah.code or "").strip()
    if not code or not code.isascii() or not code.replace("_", "").replace("-", "").isalnum() or code.lower() != code:
        problems.append(Problem("code", "code", "Kode daerah wajib diisi: huruf kecil a-z, angka 0-9, '-' atau '_'.",
                                "The daerah code is required: lowercase letters a-z, digits 0-9, '-' or '_'."))
    problems += control_problems(daerah, ("name",))
    if daerah.level not in {lv.value for lv in DaerahLevel}:
        problems.append(Problem("level", "level", f"Tingkat harus salah satu dari {_LEVELS}.",
                                f"Level must be one of {_LEVELS}."))
    refuse(problems)
    require_write(session, actor, "daerah", daerah.id)


def _grant_daerah(grant: RoleGrant) -> int | None:
    """The daerah a grant is for, as it will be saved: a form that cleared the daerah sets the relationship to None
    while the old daerah_id is still loaded (reading that id would let an HR grant become one for every daerah)."""
    history = inspect(grant).attrs.daerah.history
    if history.has_changes():
        return history.added[0].id if history.added and history.added[0] is not None else None
    return grant.daerah.id if grant.daerah is not None else grant.daerah_id


def check_user(session: Session, actor: User, user: User) -> None:
    """Validate a user account about to be saved; only administrators manage accounts."""
    problems = []
    name = (user.username or "").strip()
    if not name or len(name) < 3 or any(c.isspace() for c in name):
        problems.append(Problem("username", "username", "Nama pengguna minimal 3 karakter, tanpa spasi.",
                                "The username needs at least 3 characters and no spaces."))
    pegawai_id = user.pegawai.id if user.pegawai is not None else user.pegawai_id
    if pegawai_id is not None:
        with session.no_autoflush:
            other = session.scalar(select(User.username).where(User.pegawai_id == pegawai_id,
                                                               User.id != (user.id or -1)))
        if other is not None:
            problems.append(Problem("duplicate", "pegawai", f"Pegawai ini sudah punya akun: {other}.",
                                    f"This employee already has an account: {other}."))
    seen_grants: dict[tuple, int] = {}
    for i, grant in enumerate(user.grants):
        daerah_id = _grant_daerah(grant)
        key = (grant.role, daerah_id)
        if key in seen_grants:
            problems.append(Problem("duplicate", f"grants[{i}].role", f"Peran ini sama dengan baris "
                                    f"{seen_grants[key] + 1}.", f"This role is the same as row {seen_grants[key] + 1}."))
        seen_grants.setdefault(key, i)
        if grant.role not in {r.value for r in Role}:
            problems.append(Problem("role", f"grants[{i}].role", "Peran tidak dikenal.", "Unknown role."))
        if grant.role in (Role.policy_maker, Role.hr) and daerah_id is None:
            problems.append(Problem("scope", f"grants[{i}].daerah",
                                    "Peran perumus kebijakan dan kepegawaian harus untuk satu daerah.",
                                    "Policy maker and HR roles must be given for one daerah."))
    refuse(problems)
    require_write(session, actor, "users", None)
