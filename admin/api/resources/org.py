"""Daerah (read), unit kerja and pegawai (read; create, change and delete for HR of the daerah), SIASN import."""
from __future__ import annotations

from flask import request
from sqlalchemy import or_, select

from admin.api.core import UPLOADS, ApiBlueprint, actor, page_of
from admin.api.lookup import daerah_by_code, pegawai_by_id, require_unreferenced, unit_by_id
from admin.api.schemas.common import LangQuery, page_schema
from admin.api.schemas.org import (DaerahQuery, DaerahSchema, ImportFileSchema, ImportQuery, ImportReportSchema,
                                   PegawaiCreateSchema, PegawaiQuery, PegawaiSchema, PegawaiUpdateSchema,
                                   UnitKerjaCreateSchema, UnitKerjaQuery, UnitKerjaSchema, UnitKerjaUpdateSchema)
from admin.extensions import db
from engine.db import contains_pattern
from engine.masterdata import check_pegawai, check_unit
from engine.organisation import Daerah, Pegawai, UnitKerja
from engine.permissions import read_scope, require_write
from engine.runtime.errors import Conflict, NotAllowed, ValidationFailed
from engine.siasn import import_pegawai, read_table

blp = ApiBlueprint("organisasi", __name__, description="Daerah, unit kerja, pegawai; impor SIASN / regions, "
                   "work units, staff; SIASN import")


def _in_scope(query, column, entity: str):
    scope = read_scope(actor(), entity)
    if not scope.everywhere and not scope.daerah_ids:
        raise NotAllowed("Anda tidak berwenang membaca data ini.", "You are not allowed to read these records.",
                         code="forbidden")
    return query if scope.everywhere else query.where(column.in_(scope.daerah_ids))


@blp.route("/daerah", methods=["GET"])
@blp.arguments(DaerahQuery, location="query")
@blp.response(200, page_schema(DaerahSchema))
def list_daerah(args):
    """Daerah the caller may read."""
    query = _in_scope(select(Daerah).order_by(Daerah.code), Daerah.id, "daerah")
    if args.get("q"):
        like = contains_pattern(args["q"])
        query = query.where(or_(Daerah.code.ilike(like, escape="\\"), Daerah.name.ilike(like, escape="\\")))
    return page_of(query, args["page"], args["per_page"])


@blp.route("/daerah/<string:code>", methods=["GET"])
@blp.arguments(LangQuery, location="query")
@blp.response(200, DaerahSchema)
def get_daerah(args, code):
    """One daerah by code."""
    return daerah_by_code(code)


@blp.route("/unit-kerja", methods=["GET"])
@blp.arguments(UnitKerjaQuery, location="query")
@blp.response(200, page_schema(UnitKerjaSchema))
def list_units(args):
    """Unit kerja the caller may read, by daerah, parent or text."""
    query = _in_scope(select(UnitKerja).order_by(UnitKerja.daerah_id, UnitKerja.code), UnitKerja.daerah_id,
                      "unit_kerja")
    if args.get("daerah"):
        query = query.where(UnitKerja.daerah_id == daerah_by_code(args["daerah"], "unit_kerja", "daerah").id)
    if args.get("parent_id"):
        query = query.where(UnitKerja.parent_id == args["parent_id"])
    if args.get("q"):
        like = contains_pattern(args["q"])
        query = query.where(or_(UnitKerja.code.ilike(like, escape="\\"), UnitKerja.name.ilike(like, escape="\\")))
    return page_of(query, args["page"], args["per_page"])


def _parent(parent_id: int | None) -> UnitKerja | None:
    return unit_by_id(parent_id, "parent_id") if parent_id else None


@blp.route("/unit-kerja", methods=["POST"])
@blp.arguments(UnitKerjaCreateSchema)
@blp.response(201, UnitKerjaSchema)
def create_unit(data):
    """HR creates a unit kerja in their daerah."""
    daerah = daerah_by_code(data["daerah"], "unit_kerja", "daerah")
    with db.session.no_autoflush:
        unit = UnitKerja(daerah=daerah, daerah_id=daerah.id, code=data["code"], name=data["name"],
                         parent=_parent(data.get("parent_id")))
        check_unit(db.session, actor(), unit)
    db.session.add(unit)
    db.session.flush()
    return unit


@blp.route("/unit-kerja/<int(max=2147483647):unit_id>", methods=["GET"])
@blp.arguments(LangQuery, location="query")
@blp.response(200, UnitKerjaSchema)
def get_unit(args, unit_id):
    """One unit kerja."""
    return unit_by_id(unit_id)


@blp.route("/unit-kerja/<int(max=2147483647):unit_id>", methods=["PATCH"])
@blp.arguments(UnitKerjaUpdateSchema)
@blp.response(200, UnitKerjaSchema)
def update_unit(data, unit_id):
    """HR changes a unit kerja's code, name or parent."""
    unit = unit_by_id(unit_id)
    require_write(db.session, actor(), "unit_kerja", unit.daerah_id)
    for key in ("code", "name"):
        if key in data:
            setattr(unit, key, data[key])
    if "parent_id" in data:
        unit.parent = _parent(data["parent_id"])
    with db.session.no_autoflush:
        check_unit(db.session, actor(), unit)
    db.session.flush()
    return unit


@blp.route("/unit-kerja/<int(max=2147483647):unit_id>", methods=["DELETE"])
@blp.response(204)
def delete_unit(unit_id):
    """HR deletes a unit kerja nothing refers to any more."""
    unit = unit_by_id(unit_id)
    require_write(db.session, actor(), "unit_kerja", unit.daerah_id)
    require_unreferenced(unit)
    db.session.delete(unit)
    db.session.flush()


@blp.route("/pegawai", methods=["GET"])
@blp.arguments(PegawaiQuery, location="query")
@blp.response(200, page_schema(PegawaiSchema))
def list_pegawai(args):
    """Pegawai the caller may read, with filters."""
    query = _in_scope(select(Pegawai).order_by(Pegawai.daerah_id, Pegawai.name, Pegawai.id), Pegawai.daerah_id,
                      "pegawai")
    if args.get("daerah"):
        query = query.where(Pegawai.daerah_id == daerah_by_code(args["daerah"], "pegawai", "daerah").id)
    for key, column in (("unit_id", Pegawai.unit_id), ("jenis_jabatan", Pegawai.jenis_jabatan),
                        ("golongan", Pegawai.golongan), ("atasan_id", Pegawai.atasan_id), ("status", Pegawai.status)):
        if args.get(key):
            query = query.where(column == args[key])
    if args.get("q"):
        like = contains_pattern(args["q"])
        query = query.where(or_(Pegawai.nip.ilike(like, escape="\\"), Pegawai.name.ilike(like, escape="\\"),
                                Pegawai.jabatan.ilike(like, escape="\\")))
    return page_of(query, args["page"], args["per_page"])


def _unique_nip(nip: str, pegawai_id: int | None = None) -> None:
    other = db.session.scalar(select(Pegawai.id).where(Pegawai.nip == nip))
    if other is not None and other != pegawai_id:
        raise Conflict("NIP sudah dipakai pegawai lain.", "The NIP is already used by another employee.",
                       code="duplicate", field="nip")


def _set_pegawai(person: Pegawai, data: dict) -> None:
    for key in ("name", "jabatan", "jenis_jabatan", "golongan", "status", "status_since"):
        if key in data:
            setattr(person, key, data[key])
    if "nip" in data:
        person.nip = "".join(data["nip"].split())
    if "unit_id" in data:
        person.unit = unit_by_id(data["unit_id"], "unit_id")
        person.unit_id = person.unit.id
    if "atasan_id" in data:
        person.atasan = pegawai_by_id(data["atasan_id"], "atasan_id") if data["atasan_id"] else None


@blp.route("/pegawai", methods=["POST"])
@blp.arguments(PegawaiCreateSchema)
@blp.response(201, PegawaiSchema)
def create_pegawai(data):
    """HR adds a pegawai to a unit of their daerah."""
    person = Pegawai()
    with db.session.no_autoflush:
        _set_pegawai(person, data)
        check_pegawai(db.session, actor(), person)
        _unique_nip(person.nip)
    db.session.add(person)
    db.session.flush()
    return person


@blp.route("/pegawai/<int(max=2147483647):pegawai_id>", methods=["GET"])
@blp.arguments(LangQuery, location="query")
@blp.response(200, PegawaiSchema)
def get_pegawai(args, pegawai_id):
    """One pegawai."""
    return pegawai_by_id(pegawai_id)


@blp.route("/pegawai/<int(max=2147483647):pegawai_id>", methods=["PATCH"])
@blp.arguments(PegawaiUpdateSchema)
@blp.response(200, PegawaiSchema)
def update_pegawai(data, pegawai_id):
    """HR changes a pegawai (only the fields given)."""
    person = pegawai_by_id(pegawai_id)
    require_write(db.session, actor(), "pegawai", person.daerah_id)
    with db.session.no_autoflush:
        _set_pegawai(person, data)
        check_pegawai(db.session, actor(), person)
        _unique_nip(person.nip, person.id)
    db.session.flush()
    return person


@blp.route("/pegawai/<int(max=2147483647):pegawai_id>", methods=["DELETE"])
@blp.response(204)
def delete_pegawai(pegawai_id):
    """HR deletes a pegawai nothing refers to (no evaluation, login, reports...)."""
    person = pegawai_by_id(pegawai_id)
    require_write(db.session, actor(), "pegawai", person.daerah_id)
    require_unreferenced(person)
    db.session.delete(person)
    db.session.flush()


@blp.route("/pegawai/import", methods=["POST"])
@blp.arguments(ImportQuery, location="query")
@blp.arguments(ImportFileSchema, location="files")
@blp.response(200, ImportReportSchema)
def import_siasn(args, files):
    """Import pegawai from a SIASN export (CSV or XLSX): every row or none; `dry_run` checks without storing."""
    daerah = daerah_by_code(args["daerah"], "pegawai", "daerah")
    require_write(db.session, actor(), "pegawai", daerah.id)
    if len(request.files.getlist("file")) > 1:  # which one to import would be a guess
        raise ValidationFailed("Kirim satu berkas saja.", "Send one file only.", code="invalid", field="file")
    upload = files["file"]
    rows = read_table(upload.filename or "", upload.read())
    result = import_pegawai(db.session, actor(), daerah, rows)
    if args["dry_run"]:
        db.session.rollback()
    return {"stored": not args["dry_run"], "dry_run": args["dry_run"], "rows": result.rows,
            "created": result.created, "updated": result.updated, "unchanged": result.unchanged,
            "units_created": result.units_created, "status_changed": result.status_changed,
            "not_in_file": len(result.not_in_file)}


UPLOADS.add(f"{blp.name}.import_siasn")

