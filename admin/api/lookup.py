"""Finding records named in a URL or body within the caller's reach: outside it, the answer is the same 404 as for
a record that does not exist, so nothing about another daerah leaks."""
from __future__ import annotations

from sqlalchemy import func, select

from admin.api.core import actor
from admin.extensions import db
from engine.db import Base
from engine.organisation import Daerah, Pegawai, UnitKerja
from engine.permissions import read_scope
from engine.runtime.errors import Conflict, NotFound

_NOT_FOUND = {
    "daerah": ("Daerah tidak ditemukan.", "Daerah not found."),
    "unit_kerja": ("Unit kerja tidak ditemukan.", "Work unit not found."),
    "pegawai": ("Pegawai tidak ditemukan.", "Employee not found."),
}


def not_found(what: str, field: str | None = None) -> NotFound:
    """The 404 for a record that is missing or out of reach."""
    message_id, message_en = _NOT_FOUND.get(what, ("Data tidak ditemukan.", "Record not found."))
    return NotFound(message_id, message_en, code="not_found", field=field)


def daerah_by_code(code: str, entity: str = "daerah", field: str | None = None) -> Daerah:
    """The daerah with this code when the caller may read `entity` records there."""
    daerah = db.session.scalar(select(Daerah).where(Daerah.code == code))
    if daerah is None or not read_scope(actor(), entity).allows(daerah.id):
        raise not_found("daerah", field)
    return daerah


def unit_by_id(unit_id: int, field: str | None = None) -> UnitKerja:
    """A unit kerja the caller may read."""
    unit = db.session.get(UnitKerja, unit_id)
    if unit is None or not read_scope(actor(), "unit_kerja").allows(unit.daerah_id):
        raise not_found("unit_kerja", field)
    return unit


def pegawai_by_id(pegawai_id: int, field: str | None = None) -> Pegawai:
    """A pegawai the caller may read."""
    person = db.session.get(Pegawai, pegawai_id)
    if person is None or not read_scope(actor(), "pegawai").allows(person.daerah_id):
        raise not_found("pegawai", field)
    return person


def require_unreferenced(obj) -> None:
    """Refuse (409) to delete a row other rows still point at (foreign keys without ON DELETE), naming them."""
    table = obj.__table__
    users = []
    for other in Base.metadata.sorted_tables:
        for fk in other.foreign_keys:
            if fk.column.table is table and (fk.ondelete or "").upper() not in ("CASCADE", "SET NULL"):
                n = db.session.scalar(select(func.count()).select_from(other).where(fk.parent == obj.id))
                if n:
                    users.append(f"{other.name} ({n})")
    if users:
        listed = ", ".join(sorted(set(users)))
        raise Conflict(f"Tidak dapat dihapus: masih dipakai oleh {listed}.",
                       f"Cannot delete: still referenced by {listed}.", code="in_use")
