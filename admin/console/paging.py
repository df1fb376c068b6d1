"""Pages of a long console list: ?page= as typed, bounded to the pages there are."""
from __future__ import annotations

from dataclasses import dataclass

from flask import request

from admin.converters import digits

PAGE_SIZE = 100


@dataclass(frozen=True)
class Page:
    """Page `number` (1-based) of `total` rows, `size` a page."""

    number: int
    total: int
    size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def first(self) -> int:
        """The 1-based position of the page's first row (0 when there are none)."""
        return min(self.offset + 1, self.total)

    @property
    def last(self) -> int:
        return min(self.offset + self.size, self.total)

    def numbers(self, around: int = 2) -> list[int | None]:
        """The page numbers to link: the first, the last and `around` either side of this one; None marks a gap."""
        shown = sorted({1, self.pages, *range(max(1, self.number - around), min(self.pages, self.number + around) + 1)})
        out: list[int | None] = []
        for n in shown:
            if out and n - out[-1] > 1:
                out.append(None)
            out.append(n)
        return out


def current_page(total: int, size: int = PAGE_SIZE) -> Page:
    """The page ?page= asks for: what is not a number is the first page, a number beyond the last the last page."""
    text = (request.args.get("page") or "").strip()
    # 12 digits: beyond any page there is, however long it was; ASCII only (int() refuses a superscript '²')
    wanted = int(text[:12]) if digits(text) else 1
    return Page(min(max(wanted, 1), Page(1, total, size).pages), total, size)
