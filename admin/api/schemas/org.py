"""Schemas of the organisation: daerah, unit kerja, pegawai and the SIASN import report."""
from __future__ import annotations

from flask_smorest.fields import Upload
from marshmallow import fields, validate

from admin.api.fields import choice, ident, text
from admin.api.schemas.common import ApiSchema, LangQuery, PageQuery
from engine.organisation import GOLONGAN, DaerahLevel, JenisJabatan, PegawaiStatus

JENIS = [j.value for j in JenisJabatan]
STATUS = [s.value for s in PegawaiStatus]


class DaerahSchema(ApiSchema):
    """A daerah (tenant)."""

    id = fields.Integer(required=True)
    code = fields.String(required=True)
    name = fields.String(required=True)
    level = fields.String(required=True, validate=validate.OneOf([lv.value for lv in DaerahLevel]))
    timezone = fields.String(required=True)


class DaerahQuery(PageQuery):
    """Filters of the daerah list."""

    q = text(100, metadata={"description": "part of the code or name"})


class UnitKerjaSchema(ApiSchema):
    """A unit kerja."""

    id = fields.Integer(required=True)
    daerah = fields.Function(lambda u: u.daerah.code, required=True)
    code = fields.String(required=True)
    name = fields.String(required=True)
    parent_id = fields.Integer(allow_none=True)


class UnitKerjaQuery(PageQuery):
    """Filters of the unit kerja list."""

    daerah = text(40, metadata={"description": "daerah code"})
    parent_id = ident(strict=False)
    q = text(100, metadata={"description": "part of the code or name"})


class UnitKerjaCreateSchema(ApiSchema):
    """A new unit kerja."""

    daerah = text(40, min_length=1, required=True, metadata={"description": "daerah code"})
    code = text(60, min_length=1, required=True)
    name = text(200, min_length=1, required=True)
    parent_id = ident(allow_none=True)


class UnitKerjaUpdateSchema(ApiSchema):
    """Changes to a unit kerja (only the fields given)."""

    code = text(60, min_length=1)
    name = text(200, min_length=1)
    parent_id = ident(allow_none=True)


class PegawaiSchema(ApiSchema):
    """A pegawai (ASN employee)."""

    id = fields.Integer(required=True)
    daerah = fields.Function(lambda p: p.daerah.code, required=True)
    nip = fields.String(required=True)
    name = fields.String(required=True)
    jabatan = fields.String(required=True)
    jenis_jabatan = fields.String(required=True)
    golongan = fields.String(required=True)
    unit_id = fields.Integer(required=True)
    unit = fields.Function(lambda p: p.unit.code, required=True, metadata={"description": "unit code"})
    atasan_id = fields.Integer(allow_none=True)
    atasan_nip = fields.Function(lambda p: p.atasan.nip if p.atasan else None, allow_none=True)
    status = fields.String(required=True, metadata={"description": "aktif, pensiun, pindah, berhenti, meninggal"})
    status_since = fields.Date(allow_none=True)


class PegawaiQuery(PageQuery):
    """Filters of the pegawai list."""

    daerah = text(40, metadata={"description": "daerah code"})
    unit_id = ident(strict=False)
    jenis_jabatan = choice(JENIS)
    golongan = choice(GOLONGAN)
    atasan_id = ident(strict=False)
    status = choice(STATUS)
    q = text(100, metadata={"description": "part of the NIP, name or jabatan"})


class PegawaiCreateSchema(ApiSchema):
    """A new pegawai; the daerah follows from the unit."""

    nip = text(40, min_length=1, required=True, metadata={"description": "18 digits (spaces are removed)"})
    name = text(200, min_length=1, required=True)
    jabatan = text(200, min_length=1, required=True)
    jenis_jabatan = choice(JENIS, required=True)
    golongan = choice(GOLONGAN, required=True)
    unit_id = ident(required=True)
    atasan_id = ident(allow_none=True)
    status = choice(STATUS, metadata={"description": "default aktif; only aktif pegawai get evaluations"})
    status_since = fields.Date(allow_none=True)


class PegawaiUpdateSchema(ApiSchema):
    """Changes to a pegawai (only the fields given)."""

    nip = text(40, min_length=1)
    name = text(200, min_length=1)
    jabatan = text(200, min_length=1)
    jenis_jabatan = choice(JENIS)
    golongan = choice(GOLONGAN)
    unit_id = ident()
    atasan_id = ident(allow_none=True)
    status = choice(STATUS)
    status_since = fields.Date(allow_none=True)


class ImportQuery(LangQuery):
    """Where to import and whether to store."""

    daerah = text(40, min_length=1, required=True, metadata={"description": "daerah code"})
    dry_run = fields.Boolean(load_default=False, metadata={"description": "check only, store nothing"})


class ImportFileSchema(ApiSchema):
    """The SIASN export: CSV (comma or semicolon, UTF-8) or XLSX, first row the column names."""

    file = Upload(required=True)


class ImportReportSchema(ApiSchema):
    """What an import did, or would do: all rows or none (a file with any bad row is a 422 whose `fields` name
    each problem as `rows[N].COLUMN`)."""

    stored = fields.Boolean(required=True)
    dry_run = fields.Boolean(required=True)
    rows = fields.Integer(required=True)
    created = fields.Integer(required=True)
    updated = fields.Integer(required=True)
    unchanged = fields.Integer(required=True)
    units_created = fields.Integer(required=True)
    status_changed = fields.Integer(required=True, metadata={
        "description": "existing pegawai whose status the file's KEDUDUKAN HUKUM changed (counted in `updated` too)"})
    not_in_file = fields.Integer(required=True, metadata={
        "description": "aktif pegawai of the daerah whose NIP is not in the file (for a whole-daerah export: who "
                       "may have left; nothing is changed)"})
