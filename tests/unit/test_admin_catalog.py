"""Checks for the Indonesian Flask-Admin catalog in admin/translations/id.

Flask-Admin 2.2.1 ships no Indonesian catalog, so Kinerja carries its own
``admin`` domain catalog. These tests need neither an app nor a database:

* every msgid Flask-Admin ships is present and translated here, so upgrading
  Flask-Admin with new strings fails until the catalog is updated;
* python-format placeholders match between msgid and msgstr;
* the committed ``admin.mo`` is up to date with ``admin.po``.

Regenerate the .mo after editing the .po with:

    pybabel compile -d admin/translations -D admin -l id
"""

from __future__ import annotations

import contextlib
import gettext
import importlib.util
import io
import re
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

REPO_ROOT = Path(__file__).resolve().parents[2]
LC_DIR = REPO_ROOT / "admin" / "translations" / "id" / "LC_MESSAGES"
PO_PATH = LC_DIR / "admin.po"
MO_PATH = LC_DIR / "admin.mo"

# %-style conversions (named or positional); "%%" is a literal percent sign.
_PERCENT = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?"
    r"(?P<conv>[diouxXeEfFgGcrsa%])"
)
# str.format-style fields; "{{" and "}}" are literal braces.
_BRACE = re.compile(r"\{[^{}]*\}")


def _read_po(path: Path) -> Catalog:
    # Some upstream catalogs make babel print parser warnings to stdout;
    # they are harmless for our purposes, keep the test output clean.
    with path.open("rb") as fh, contextlib.redirect_stdout(io.StringIO()):
        return read_po(fh)


def _key(message_id: str | tuple[str, ...]) -> str | tuple[str, ...]:
    return message_id if isinstance(message_id, str) else tuple(message_id)


def _forms(value: str | tuple[str, ...] | list[str] | None) -> list[str]:
    if value is None:
        return [""]
    return [value] if isinstance(value, str) else list(value)


def placeholders(text: str) -> Counter[str]:
    found = [m.group(0) for m in _PERCENT.finditer(text) if m.group("conv") != "%"]
    found += _BRACE.findall(text.replace("{{", "").replace("}}", ""))
    return Counter(found)


def _flask_admin_translations_dir() -> Path:
    # Locate the package without importing it (no app, no side effects).
    spec = importlib.util.find_spec("flask_admin")
    assert spec is not None and spec.submodule_search_locations, "flask_admin not installed"
    path = Path(list(spec.submodule_search_locations)[0]) / "translations"
    assert path.is_dir(), path
    return path


def _upstream_msgids() -> set[str | tuple[str, ...]]:
    """Msgids of Flask-Admin's own template.

    Uses admin.pot when the installed Flask-Admin ships one; otherwise the
    union of the msgids of every shipped admin.po (2.2.1 ships no .pot).
    """
    base = _flask_admin_translations_dir()
    pots = sorted(base.glob("*.pot"))
    sources = pots or sorted(base.glob("*/LC_MESSAGES/admin.po"))
    assert sources, f"no Flask-Admin catalogs found under {base}"
    ids: set[str | tuple[str, ...]] = set()
    for source in sources:
        ids.update(_key(m.id) for m in _read_po(source) if m.id)
    return ids


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    assert PO_PATH.is_file(), PO_PATH
    return _read_po(PO_PATH)


@pytest.fixture(scope="module")
def entries(catalog: Catalog) -> list:
    return [m for m in catalog if m.id]


def test_header(catalog: Catalog) -> None:
    assert str(catalog.locale) == "id"
    assert catalog.charset.lower() == "utf-8"
    assert catalog.num_plurals == 1
    assert catalog.plural_expr.strip() == "0"
    assert not catalog.fuzzy
    assert not catalog.obsolete


def test_every_upstream_msgid_is_translated(catalog: Catalog) -> None:
    upstream = _upstream_msgids()
    assert len(upstream) >= 100  # sanity: we really read Flask-Admin's strings
    ours = {_key(m.id): m for m in catalog if m.id}
    missing = sorted(map(repr, upstream - ours.keys()))
    assert not missing, f"msgids missing from {PO_PATH}: {missing}"
    untranslated = sorted(
        repr(key) for key in upstream if not all(_forms(ours[key].string))
    )
    assert not untranslated, f"untranslated msgids: {untranslated}"


def test_no_fuzzy_or_untranslated_entries(entries: list) -> None:
    assert not [m.id for m in entries if m.fuzzy]
    assert not [m.id for m in entries if not all(_forms(m.string))]


def test_plural_entries_have_single_form(entries: list) -> None:
    plurals = [m for m in entries if m.pluralizable]
    assert plurals, "expected plural entries in the Flask-Admin catalog"
    for m in plurals:
        assert len(_forms(m.string)) == 1, m.id


def test_placeholders_match(entries: list) -> None:
    problems = []
    for m in entries:
        ids = _forms(m.id)
        # With nplurals=1 the only form stands for every n, so it must carry
        # the placeholders of the plural msgid (e.g. %(count)s).
        expected = placeholders(ids[-1])
        for form in _forms(m.string):
            got = placeholders(form)
            if got != expected:
                problems.append(f"{m.id!r}: {form!r} has {dict(got)}, expected {dict(expected)}")
    assert not problems, "\n".join(problems)


def test_placeholder_detection() -> None:
    assert placeholders("Gagal: %(error)s, %d kali, 100%% {name}") == Counter(
        ["%(error)s", "%d", "{name}"]
    )
    assert placeholders("{{literal}}") == Counter()


def test_mo_is_up_to_date(catalog: Catalog) -> None:
    assert MO_PATH.is_file(), f"{MO_PATH} missing; run pybabel compile"
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    fresh = gettext.GNUTranslations(buf)
    with MO_PATH.open("rb") as fh:
        committed = gettext.GNUTranslations(fh)
    # The header ("" key) names the Babel release that compiled it: metadata, not a translation.
    translations = lambda t: {k: v for k, v in t._catalog.items() if k != ""}  # noqa: E731
    assert translations(committed) == translations(fresh), (
        f"{MO_PATH} is stale; run: pybabel compile -d admin/translations -D admin -l id"
    )
    assert all(committed.plural(n) == 0 for n in range(5))
    assert committed.gettext("Save") == "Simpan"
    assert committed.ngettext(
        "Record was successfully deleted.",
        "%(count)s records were successfully deleted.",
        1,
    ) % {"count": 1} == "1 data berhasil dihapus."
