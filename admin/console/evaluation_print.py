"""The printable evaluation document of one evaluation (`/admin/evaluation/<id>/print/`): the pegawai, the pejabat
penilai and their atasan, the plan with target, realisasi and capaian per IKI, the seven BerAKHLAK ratings, the
ratings and predikat with the rules behind them, umpan balik, follow-ups, and signature blocks; for the personnel
file, signed on paper. Whoever may open the evaluation may print it."""
from __future__ import annotations

from flask_admin import expose
from sqlalchemy import select

from admin.extensions import db
from admin.i18n import TEXT, current_language
from engine.runtime.catalogue import BERAKHLAK, RATING_LABELS
from rules.models import Decision
from workflows.deadlines import local_today
from workflows.facts import iki_of_fact_id
from workflows.models import FollowUp

TEXT.update({
    "pr.print": ("Cetak dokumen evaluasi", "Print the evaluation document"),
    "pr.title": ("Dokumen Evaluasi Kinerja Pegawai", "Employee Performance Evaluation Document"),
    "pr.period": ("Periode penilaian", "Assessment period"),
    "pr.pegawai": ("Pegawai yang dinilai", "Employee assessed"),
    "pr.penilai": ("Pejabat penilai kinerja", "Assessing official"),
    "pr.atasan_penilai": ("Atasan pejabat penilai kinerja", "The assessing official's superior"),
    "pr.golongan": ("Pangkat / golongan", "Rank / golongan"),
    "pr.results": ("Hasil evaluasi", "Evaluation result"),
    "pr.rating_hasil": ("Rating hasil kerja", "Work result rating"),
    "pr.rating_perilaku": ("Rating perilaku kerja", "Work behaviour rating"),
    "pr.capaian": ("Capaian tertimbang", "Weighted achievement"),
    "pr.predikat": ("Predikat kinerja pegawai", "Employee performance predikat"),
    "pr.override": ("Ditetapkan pejabat penilai; menurut aturan: {engine}", "Set by the assessing official; by the "
                    "rules: {engine}"),
    "pr.hasil_kerja": ("Hasil kerja", "Work results"),
    "pr.perilaku": ("Perilaku kerja (BerAKHLAK)", "Work behaviour (BerAKHLAK)"),
    "pr.capaian_iki": ("Capaian", "Achievement"),
    "pr.rules": ("Dasar penilaian", "Basis of the assessment"),
    "pr.undecided": ("Evaluasi ini belum diputuskan.", "This evaluation has not been decided yet."),
    "pr.signed_at": ("{place}, {date}", "{place}, {date}"),
    "pr.footer": ("Dicetak dari Kinerja pada {date}. Keputusan #{decision}, diputuskan dengan versi aturan di bagian 9 "
                  "(masing-masing dengan awal sha256-nya).",
                  "Printed from Kinerja on {date}. Decision #{decision}, decided with the rule versions of section 9 (each "
                  "with the start of its sha256)."),
})


def _capaian_by_iki(decision: Decision | None) -> dict[int, float | None]:
    """Capaian (percent) per IKI id of the plan, from the decision's result (facts name IKI `iki-<id>`)."""
    if decision is None:
        return {}
    items = (decision.result.get("capaian") or {}).get("iki") or []
    return {iki_of_fact_id(item.get("id", "")): item.get("capaian") for item in items}


def percent(value: float | None) -> str:
    """A percentage with two decimals in the request's language (97,31% / 97.31%), '-' for none."""
    if value is None:
        return "-"
    text = f"{value:.2f}%"
    return text if current_language() == "en" else text.replace(".", ",")


class EvaluationPrintMixin:
    """The print page of the evaluation view."""

    @expose("/<int:eid>/print/")
    def print_view(self, eid: int):
        """The evaluation document, laid out for paper (A4)."""
        evaluation = self._evaluation(eid)  # 404 outside the daerah, 403 without a relation, as the page itself
        decision = db.session.get(Decision, evaluation.decision_id) if evaluation.decision_id else None
        follow_ups = list(db.session.scalars(select(FollowUp).where(FollowUp.evaluation_id == evaluation.id)
                                             .order_by(FollowUp.id)))
        pegawai = evaluation.pegawai
        penilai = pegawai.atasan
        realisasi = {i.id: (i.realisasi[-1].value if i.realisasi else None) for i in evaluation.iki}
        html, status = self._render(
            "lifecycle/print.html", ev=evaluation, pegawai=pegawai, penilai=penilai,
            atasan_penilai=penilai.atasan if penilai else None, decision=decision, follow_ups=follow_ups,
            ratings={r.nilai: r.rating for r in evaluation.perilaku}, berakhlak=BERAKHLAK,
            rating_labels=RATING_LABELS, capaian=_capaian_by_iki(decision), realisasi=realisasi,
            today=local_today(evaluation.daerah), percent=percent)
        return html, status
