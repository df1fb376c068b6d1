"""Plain-language explanation of a decision, in Indonesian and English (Indonesian number format: 97,5)."""
from __future__ import annotations

from .catalogue import ACTIONS, PREDIKAT_LABELS, RATING_LABELS


def format_number(value: float | int, lang: str = "id") -> str:
    """At most 2 decimals, no trailing zeros; Indonesian uses '.' for thousands and ',' for decimals."""
    text = f"{float(value):,.2f}".rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    if lang == "id":
        text = text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")
    return text


def _hasil(p: dict, lang: int) -> str:
    rating = p.get("rating_hasil_kerja")
    if rating is None:
        return ("rating hasil kerja belum ditetapkan", "the work result rating is not set")[lang]
    num = format_number(p.get("capaian_tertimbang", 0), ("id", "en")[lang])
    extra = []
    if p.get("jumlah_iki_utama_di_bawah"):
        n = p["jumlah_iki_utama_di_bawah"]
        extra.append((f"{n} IKI RHK utama di bawah ekspektasi", f"{n} IKI of a main RHK below expectations")[lang])
    if p.get("jumlah_iki_tanpa_capaian"):
        n = p["jumlah_iki_tanpa_capaian"]
        extra.append((f"{n} IKI tanpa capaian", f"{n} IKI without achievement")[lang])
    tail = ("; " + "; ".join(extra)) if extra else ""
    if lang == 0:
        return f"rating hasil kerja {RATING_LABELS[rating][0]} (capaian tertimbang {num}%{tail})"
    return f"the work result rating is {RATING_LABELS[rating][1]} (weighted achievement {num}%{tail})"


def _perilaku(p: dict, lang: int) -> str:
    rating = p.get("rating_perilaku")
    if rating is None:
        return ("rating perilaku belum ditetapkan", "the behaviour rating is not set")[lang]
    if rating == "di_bawah":
        n = p.get("jumlah_perilaku_di_bawah", 0)
        detail = (f"{n} dari 7 nilai di bawah ekspektasi", f"{n} of 7 values below expectations")[lang]
        weak = [v for v in ("akuntabel", "loyal") if p.get(f"perilaku.{v}") == "di_bawah"]
        if weak:
            detail += ("; di bawah ekspektasi pada " if lang == 0 else "; below expectations on ") + ", ".join(weak)
    else:
        n = p.get("jumlah_perilaku_di_atas", 0)
        detail = (f"{n} dari 7 nilai di atas ekspektasi", f"{n} of 7 values above expectations")[lang]
    if lang == 0:
        return f"rating perilaku {RATING_LABELS[rating][0]} ({detail})"
    return f"the behaviour rating is {RATING_LABELS[rating][1]} ({detail})"


def explain(pegawai_facts: dict, actions: list[dict]) -> dict:
    """The explanation of a decision as {"id": ..., "en": ...}."""
    texts = []
    for lang in (0, 1):
        predikat = pegawai_facts.get("predikat")
        if predikat is None:
            head = ("Predikat belum dapat ditetapkan: ", "The predikat could not be set: ")[lang]
        else:
            head = (f"Predikat {PREDIKAT_LABELS[predikat][0]} karena ",
                    f"Predikat {PREDIKAT_LABELS[predikat][1]} because ")[lang]
        text = head + _hasil(pegawai_facts, lang) + (" dan ", " and ")[lang] + _perilaku(pegawai_facts, lang) + "."
        if actions:
            names = [(ACTIONS[a["code"]].label_id, ACTIONS[a["code"]].label_en)[lang] for a in actions]
            text += (" Tindak lanjut: ", " Follow-up: ")[lang] + ", ".join(names) + "."
        texts.append(text)
    return {"id": texts[0], "en": texts[1]}
