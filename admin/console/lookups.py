"""Searchable pickers for relations with many rows (a pegawai's atasan, a user's pegawai record).

A plain select lists every row: with 50,000 pegawai the pegawai form was 3 MB and took 3 s to render. These fields
ask the server as the user types (flask-admin's select2 ajax lookup), limited to the daerah the user may write, a
page of at most ``MAX_LIMIT`` rows. A posted id is looked up without that limit, so the view's own validators can
say what is wrong with it (another daerah's atasan); an id that names no row is refused, never saved as empty.
"""
from __future__ import annotations

from typing import Callable

from flask_admin.contrib.sqla.ajax import QueryAjaxModelLoader
from wtforms.validators import ValidationError

from admin.console.base import in_scope
from admin.converters import as_id
from admin.i18n import both
from engine.permissions import Scope

MAX_LIMIT = 50          #: rows one lookup returns at most (select2 asks for 10)
MAX_OFFSET = 10_000     #: nobody pages further through a picker: search instead


class ScopedLoader(QueryAjaxModelLoader):
    """An ajax loader whose list is limited to `scope()` through the model's `daerah_id`."""

    def __init__(self, name: str, session, model, scope: Callable[[], Scope], **options):
        options.setdefault("page_size", 10)
        super().__init__(name, session, model, **options)
        self.scope = scope

    def get_query(self):
        return in_scope(super().get_query(), self.model.daerah_id, self.scope())

    def get_one(self, pk):
        row_id = as_id(pk)
        return super().get_one(row_id) if row_id is not None else None

    def get_list(self, term, offset=0, limit=10):
        # ?query= may be missing and ?offset= / ?limit= are any integer: bound them (a huge OFFSET is a 500)
        offset = min(max(offset or 0, 0), MAX_OFFSET)
        limit = min(max(limit or 10, 1), MAX_LIMIT)
        return super().get_list((term or "").strip(), offset, limit)


def known_row(form, field) -> None:
    """Validator: an id was posted but names no row (deleted meanwhile, or typed by hand)."""
    posted = getattr(field, "_formdata", None)
    if posted not in (None, "", "__None") and field.data is None:
        raise ValidationError(both("Pilihan tidak ditemukan; pilih lagi dari daftar",
                                   "The choice was not found; pick again from the list"))
