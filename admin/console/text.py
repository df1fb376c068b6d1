"""Texts that are resolved when rendered, so one view instance speaks the language of each request."""
from __future__ import annotations

from markupsafe import escape

from admin.i18n import TEXT, t


class LazyText:
    """A text key rendered in the request's language at the moment it is shown."""

    def __init__(self, key: str):
        if key not in TEXT:
            raise KeyError(key)
        self.key = key

    def __str__(self) -> str:
        return t(self.key)

    def __html__(self) -> str:
        return str(escape(str(self)))

    def __len__(self) -> int:
        return len(str(self))

    def __eq__(self, other: object) -> bool:
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash(self.key)


def lazy(key: str) -> LazyText:
    """Shorthand for LazyText."""
    return LazyText(key)
