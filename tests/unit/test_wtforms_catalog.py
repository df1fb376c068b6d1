"""The Indonesian WTForms catalog in admin/translations/id (WTForms ships none): every message WTForms has is
translated with the same placeholders, and the committed wtforms.mo is up to date with wtforms.po.

Regenerate the .mo after editing the .po with:

    pybabel compile -d admin/translations -D wtforms -l id
"""
from __future__ import annotations

import gettext
import io
from pathlib import Path

from babel.messages.mofile import write_mo
from wtforms.i18n import messages_path

from tests.unit.test_admin_catalog import LC_DIR, _forms, _key, _read_po, placeholders

PO_PATH = LC_DIR / "wtforms.po"
MO_PATH = LC_DIR / "wtforms.mo"


def test_every_wtforms_message_is_translated_with_its_placeholders():
    upstream = {_key(m.id): m for m in _read_po(Path(messages_path()) / "wtforms.pot") if m.id}
    assert len(upstream) >= 35  # sanity: we really read WTForms' strings (39 in WTForms 3.2)
    ours = {_key(m.id): m for m in _read_po(PO_PATH) if m.id}
    assert sorted(map(repr, upstream.keys() - ours.keys())) == []
    for key, message in ours.items():
        forms = _forms(message.string)
        assert all(forms) and not message.fuzzy, key
        expected = placeholders(_forms(message.id)[-1])
        assert all(placeholders(form) == expected for form in forms), (key, forms)


def test_wtforms_mo_is_up_to_date():
    buf = io.BytesIO()
    write_mo(buf, _read_po(PO_PATH))
    buf.seek(0)
    fresh = gettext.GNUTranslations(buf)
    with MO_PATH.open("rb") as fh:
        committed = gettext.GNUTranslations(fh)
    strip = lambda t: {k: v for k, v in t._catalog.items() if k != ""}  # noqa: E731
    assert strip(committed) == strip(fresh), f"{MO_PATH} is stale; run pybabel compile -d admin/translations -D wtforms -l id"
    assert committed.gettext("This field is required.") == "Isian ini wajib diisi."
