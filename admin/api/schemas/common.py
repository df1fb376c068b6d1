"""Base schemas: strict input, pagination, the error envelope, bilingual messages, located problems."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from admin.api.errors import LANGUAGES


class ApiSchema(ma.Schema):
    """Every API schema: unknown fields are an error."""

    class Meta:
        unknown = ma.RAISE


class LangQuery(ApiSchema):
    """`?lang=` is accepted everywhere (id or en)."""

    lang = fields.String(validate=validate.OneOf(LANGUAGES), metadata={"description": "id (default) or en"})


class PageQuery(LangQuery):
    """Pagination of every list: `page` from 1, `per_page` 1..100 (default 20)."""

    page = fields.Integer(load_default=1, validate=validate.Range(1, 100_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(1, 100))


class MessageSchema(ApiSchema):
    """A message in Bahasa Indonesia and English."""

    id = fields.String(required=True)
    en = fields.String(required=True)


class ProblemSchema(ApiSchema):
    """A located problem of a document: code, path and message."""

    code = fields.String(required=True)
    path = fields.String(required=True)
    message = fields.Nested(MessageSchema, required=True)


def problems_out(problems) -> list[dict]:
    """Kernel Problems as dicts for ProblemSchema."""
    return [p.as_dict() for p in problems]


class ErrorBodySchema(ApiSchema):
    """The body of every error."""

    code = fields.String(required=True, metadata={"description": "machine code, e.g. invalid, not_found, stale"})
    message = fields.Nested(MessageSchema, required=True)
    lang = fields.String(required=True, validate=validate.OneOf(LANGUAGES))
    field_errors = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(MessageSchema)), required=True,
                               data_key="fields",
                               metadata={"description": "field path -> messages (every invalid field is listed)"})


class ErrorSchema(ApiSchema):
    """The one error envelope of the API."""

    error = fields.Nested(ErrorBodySchema, required=True)


_PAGES: dict[type, type] = {}


def page_schema(item: type[ma.Schema]) -> type[ma.Schema]:
    """The page schema of a list of `item` (one class per item schema, named after it)."""
    if item not in _PAGES:
        name = item.__name__.removesuffix("Schema") + "PageSchema"
        _PAGES[item] = type(name, (ApiSchema,), {
            "__doc__": f"A page of {item.__name__.removesuffix('Schema')}.",
            "items": fields.List(fields.Nested(item), required=True),
            "page": fields.Integer(required=True), "per_page": fields.Integer(required=True),
            "total": fields.Integer(required=True), "pages": fields.Integer(required=True)})
    return _PAGES[item]
