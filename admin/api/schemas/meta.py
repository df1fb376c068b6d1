"""Schemas of the caller's identity and their personal tokens."""
from __future__ import annotations

from marshmallow import fields

from admin.api.fields import UtcDateTime
from admin.api.schemas.common import ApiSchema


class TokenSchema(ApiSchema):
    """A personal API token (never its secret)."""

    id = fields.Integer(required=True)
    name = fields.String(required=True)
    prefix = fields.String(required=True, metadata={"description": "the first characters, to recognise it"})
    created_at = UtcDateTime(required=True)
    expires_at = UtcDateTime(allow_none=True)
    last_used_at = UtcDateTime(allow_none=True)
    revoked_at = UtcDateTime(allow_none=True)
    active = fields.Function(lambda t: t.usable(), required=True)


class PegawaiRefSchema(ApiSchema):
    """A pegawai named in another record."""

    id = fields.Integer(required=True)
    nip = fields.String(required=True)
    name = fields.String(required=True)


class MeSchema(ApiSchema):
    """Who the token acts as: roles and the daerah they reach."""

    username = fields.String(required=True)
    full_name = fields.String(required=True)
    roles = fields.List(fields.String(), required=True)
    everywhere = fields.Boolean(required=True, metadata={"description": "granted for every daerah"})
    daerah = fields.List(fields.String(), required=True, metadata={"description": "codes of the daerah reached"})
    pegawai = fields.Nested(PegawaiRefSchema, allow_none=True)
    token = fields.Nested(TokenSchema, required=True)
