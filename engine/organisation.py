"""The organisation: daerah (tenants), unit kerja and pegawai."""
from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Optional

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from engine.db import Base


class DaerahLevel(StrEnum):
    """Level of a tenant; `nasional` is the national baseline."""

    nasional = "nasional"
    provinsi = "provinsi"
    kota = "kota"
    kabupaten = "kabupaten"


class JenisJabatan(StrEnum):
    """Kind of position (jenis jabatan)."""

    jpt = "jpt"
    administrator = "administrator"
    pengawas = "pengawas"
    pelaksana = "pelaksana"
    fungsional = "fungsional"


class PegawaiStatus(StrEnum):
    """Whether a pegawai still serves in the daerah: only `aktif` ones get evaluations and may sign in."""

    aktif = "aktif"
    pensiun = "pensiun"        # retired
    pindah = "pindah"          # transferred out of the daerah (mutasi keluar)
    berhenti = "berhenti"      # discharged or resigned
    meninggal = "meninggal"    # deceased


GOLONGAN = tuple(f"{g}/{s}" for g, subs in (("I", "abcd"), ("II", "abcd"), ("III", "abcd"), ("IV", "abcde"))
                 for s in subs)

TIMEZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")


class Daerah(Base):
    """A tenant: a kota, kabupaten or provinsi, or the national baseline `nasional`."""

    __tablename__ = "daerah"
    __audit__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[DaerahLevel] = mapped_column(String(20))
    timezone: Mapped[str] = mapped_column(String(40), default="Asia/Jakarta")

    units: Mapped[list["UnitKerja"]] = relationship(back_populates="daerah", order_by="UnitKerja.name")

    def __str__(self) -> str:
        return self.name


class UnitKerja(Base):
    """A unit kerja inside a daerah; units form a tree through `parent`."""

    __tablename__ = "unit_kerja"
    __audit__ = True
    __table_args__ = (UniqueConstraint("daerah_id", "code", name="uq_unit_kerja_daerah_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    daerah_id: Mapped[int] = mapped_column(ForeignKey("daerah.id"), index=True)
    code: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("unit_kerja.id"), index=True)

    daerah: Mapped[Daerah] = relationship(back_populates="units")
    parent: Mapped[Optional["UnitKerja"]] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["UnitKerja"]] = relationship(back_populates="parent")

    def __str__(self) -> str:
        return self.name


class Pegawai(Base):
    """An ASN employee; `atasan` is the direct superior (pejabat penilai), always in the same daerah."""

    __tablename__ = "pegawai"
    __audit__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    daerah_id: Mapped[int] = mapped_column(ForeignKey("daerah.id"), index=True)
    nip: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    jabatan: Mapped[str] = mapped_column(String(200))
    jenis_jabatan: Mapped[JenisJabatan] = mapped_column(String(20))
    golongan: Mapped[str] = mapped_column(String(8))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit_kerja.id"), index=True)
    atasan_id: Mapped[Optional[int]] = mapped_column(ForeignKey("pegawai.id"), index=True)
    status: Mapped[PegawaiStatus] = mapped_column(String(12), default=PegawaiStatus.aktif, server_default="aktif")
    status_since: Mapped[Optional[dt.date]] = mapped_column(Date)  #: since when the status holds (e.g. TMT pensiun)

    daerah: Mapped[Daerah] = relationship()
    unit: Mapped[UnitKerja] = relationship()
    atasan: Mapped[Optional["Pegawai"]] = relationship(remote_side=[id], back_populates="bawahan")
    bawahan: Mapped[list["Pegawai"]] = relationship(back_populates="atasan")

    def __str__(self) -> str:
        return f"{self.name} ({self.nip})"


def unit_subtree_ids(session: Session, unit: UnitKerja) -> list[int]:
    """The unit and every unit below it."""
    children: dict[int | None, list[int]] = {}
    for uid, parent in session.execute(select(UnitKerja.id, UnitKerja.parent_id)
                                       .where(UnitKerja.daerah_id == unit.daerah_id)):
        children.setdefault(parent, []).append(uid)
    out, todo = [], [unit.id]
    while todo:
        uid = todo.pop()
        out.append(uid)
        todo.extend(children.get(uid, []))
    return sorted(out)
