"""Indeks Kepuasan Masyarakat (IKM, PermenPANRB 14/2017): nine survey elements scored 1-4.

Per element, the mean score over respondents (nilai rata-rata, NRR); the index is the mean of the nine element
means times 25, so it lies between 25 and 100. The index is rounded to two decimals (half up) before it is
banded, so a boundary value such as 88.305 reads 88.31 and is mutu A, as a reader of the published figure expects:

=====  ===============  ==============
mutu   kinerja          index
=====  ===============  ==============
A      sangat baik      88.31 - 100
B      baik             76.61 - 88.30
C      kurang baik      65.00 - 76.60
D      tidak baik       25.00 - 64.99
=====  ===============  ==============

Pure Python: used by the survey service, the console and the tests alike.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Iterable, Sequence

#: The nine elements (unsur) in the order of the regulation: code -> (Bahasa Indonesia, English).
ELEMENTS: tuple[str, ...] = ("persyaratan", "prosedur", "waktu", "biaya", "produk", "kompetensi", "perilaku",
                             "pengaduan", "sarana")
ELEMENT_LABELS: dict[str, tuple[str, str]] = {
    "persyaratan": ("Persyaratan", "Requirements"),
    "prosedur": ("Sistem, mekanisme dan prosedur", "System, mechanism and procedure"),
    "waktu": ("Waktu penyelesaian", "Completion time"),
    "biaya": ("Biaya/tarif", "Cost/fee"),
    "produk": ("Produk spesifikasi jenis pelayanan", "Service product specification"),
    "kompetensi": ("Kompetensi pelaksana", "Staff competence"),
    "perilaku": ("Perilaku pelaksana", "Staff behaviour"),
    "pengaduan": ("Penanganan pengaduan, saran dan masukan", "Handling of complaints and suggestions"),
    "sarana": ("Sarana dan prasarana", "Facilities"),
}
SCORES: tuple[int, ...] = (1, 2, 3, 4)
#: (mutu, lowest index of the band, label id, label en), best first.
BANDS: tuple[tuple[str, Decimal, str, str], ...] = (
    ("A", Decimal("88.31"), "Sangat baik", "Very good"),
    ("B", Decimal("76.61"), "Baik", "Good"),
    ("C", Decimal("65.00"), "Kurang baik", "Poor"),
    ("D", Decimal("25.00"), "Tidak baik", "Bad"),
)
_TWO = Decimal("0.01")


@dataclass(frozen=True)
class IkmResult:
    """An index with the element means it comes from and how many responses it rests on."""

    index: float
    mutu: str
    respondents: int
    element_means: dict[str, float]

    def label(self, lang: str = "id") -> str:
        """The band's name ("Baik", "Good"...) in the asked language."""
        return band_label(self.mutu, lang)

    def as_dict(self) -> dict:
        """JSON-ready form."""
        return {"index": self.index, "mutu": self.mutu, "respondents": self.respondents,
                "element_means": dict(self.element_means)}


def _round2(value: Fraction | Decimal) -> Decimal:
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return value.quantize(_TWO, rounding=ROUND_HALF_UP)


def band(index: float | Decimal) -> str:
    """The mutu letter (A-D) of an index 25-100, read at two decimals."""
    value = _round2(Decimal(str(index)))
    if not Decimal(25) <= value <= Decimal(100):
        raise ValueError(f"an IKM index lies between 25 and 100, not {index}")
    return next(letter for letter, low, _, _ in BANDS if value >= low)


def band_label(mutu: str, lang: str = "id") -> str:
    """The name of a mutu letter in the asked language."""
    for letter, _, label_id, label_en in BANDS:
        if letter == mutu:
            return label_en if lang == "en" else label_id
    raise KeyError(mutu)


def check_scores(scores: Sequence[object]) -> list[str]:
    """The problems of one response's scores (empty when the nine scores are whole numbers 1-4)."""
    if not isinstance(scores, (list, tuple)) or len(scores) != len(ELEMENTS):
        return [f"expected {len(ELEMENTS)} scores"]
    return [f"{ELEMENTS[i]}: {value!r} is not 1-4" for i, value in enumerate(scores)
            if isinstance(value, bool) or value not in SCORES]


def from_sums(sums: Sequence[int], respondents: int) -> IkmResult | None:
    """The index from per-element score sums over `respondents` responses (None when there are none)."""
    if respondents <= 0:
        return None
    if len(sums) != len(ELEMENTS):
        raise ValueError(f"expected {len(ELEMENTS)} element sums")
    if any(not respondents <= s <= 4 * respondents for s in sums):
        raise ValueError("an element sum lies outside 1-4 per respondent")
    means = [Fraction(int(s), respondents) for s in sums]
    exact = sum(means, Fraction(0)) / len(ELEMENTS) * 25  # exact arithmetic: no float drift at a band's edge
    index = _round2(exact)
    return IkmResult(index=float(index), mutu=band(index), respondents=respondents,
                     element_means={code: float(_round2(m)) for code, m in zip(ELEMENTS, means)})


def compute_ikm(responses: Iterable[Sequence[int]]) -> IkmResult | None:
    """The index of a set of responses, each the nine scores in ELEMENTS order (None when there are none)."""
    sums = [0] * len(ELEMENTS)
    count = 0
    for scores in responses:
        problems = check_scores(scores)
        if problems:
            raise ValueError("; ".join(problems))
        for i, value in enumerate(scores):
            sums[i] += value
        count += 1
    return from_sums(sums, count)
