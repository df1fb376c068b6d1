"""Schemas of pegawai accounts: creating logins with one-time activation codes, reissuing a code."""
from __future__ import annotations

from marshmallow import fields

from admin.api.fields import ident, text
from admin.api.schemas.common import ApiSchema


class AccountsCreateSchema(ApiSchema):
    """Whose logins to create: the aktif pegawai without one, of the daerah or of one unit and its sub-units."""

    daerah = text(40, min_length=1, required=True, metadata={"description": "daerah code, e.g. palu"})
    unit_id = ident(allow_none=True, metadata={"description": "only this unit kerja and its sub-units"})


class IssuedCodeSchema(ApiSchema):
    """One account with its activation code (shown this once: only its sha256 is stored)."""

    nip = fields.String(required=True)
    name = fields.String(required=True)
    unit = fields.String(required=True)
    username = fields.String(required=True)
    activation_code = fields.String(required=True, attribute="code")
    expires_at = fields.DateTime(required=True, metadata={"description": "UTC"})


class AccountsCreatedSchema(ApiSchema):
    """The accounts created and their codes; hand each code to its pegawai like a password."""

    created = fields.Integer(required=True)
    skipped = fields.List(fields.String(), required=True, metadata={
        "description": "NIPs whose username another account already has (no account made for them)"})
    activation_url = fields.String(required=True, metadata={"description": "where a pegawai activates the account"})
    accounts = fields.List(fields.Nested(IssuedCodeSchema), required=True)


class ReissueSchema(ApiSchema):
    """The pegawai who forgot their password."""

    nip = text(40, min_length=1, required=True, metadata={"description": "the pegawai's NIP (spaces ignored)"})
