"""The printable *penetapan predikat kinerja* of one unit kerja and period (`/admin/lifecycle/penetapan/`): every
decided evaluation of the unit with its ratings and predikat, the unit's distribution checked against the kurva
for its organisation predikat, and signature blocks: the list a unit's head signs (DOMAIN.md 1.5). HR, admins and
auditors of the daerah, as the kurva page."""
from __future__ import annotations

from collections import Counter

from flask import abort, request
from flask_admin import expose
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from admin.extensions import db
from admin.i18n import TEXT
from engine.runtime.catalogue import ORG_PREDIKATS, PREDIKATS, RATING_LABELS
from engine.runtime.kurva import check_kurva
from rules.models import Decision
from workflows import console_queries as cq
from workflows.models import Evaluation

TEXT.update({
    "pn.print": ("Cetak penetapan", "Print the determination"),
    "pn.title": ("Penetapan Predikat Kinerja Pegawai", "Determination of Employee Performance Predikat"),
    "pn.none": ("Belum ada evaluasi yang diputuskan di unit ini.", "No evaluation of this unit has been decided yet."),
    "pn.distribution": ("Distribusi predikat terhadap kurva (predikat organisasi: {org})",
                        "Predikat distribution against the curve (organisation predikat: {org})"),
    "pn.head": ("Pimpinan unit kerja", "Head of the work unit"),
    "pn.hr": ("Pengelola kepegawaian", "Personnel officer"),
    "pn.override": ("Ditetapkan pejabat penilai, berbeda dari predikat menurut aturan; alasannya tercatat di evaluasi.",
                    "Set by the assessing official, other than the rules' predikat; the reason is kept with the "
                    "evaluation."),
})


class PenetapanPrintMixin:
    """The print page of the lifecycle view (HR's board)."""

    @expose("/penetapan/")
    def penetapan_view(self):
        """The unit's decided evaluations of the period, for signing."""
        ctx = self._context()
        unit = self._unit(ctx, request.args.get("unit"))
        if unit is None or ctx["period"] is None:
            abort(404)
        org = request.args.get("org") or cq.DEFAULT_ORG_PREDIKAT
        if org not in ORG_PREDIKATS:
            abort(404)
        evaluations = list(db.session.scalars(
            select(Evaluation).options(selectinload(Evaluation.pegawai))
            .where(Evaluation.period_id == ctx["period"].id, Evaluation.unit_id == unit.id,
                   Evaluation.predikat.is_not(None))))
        evaluations.sort(key=lambda e: (e.pegawai.name, e.pegawai.nip))
        ids = [e.decision_id for e in evaluations if e.decision_id]
        outputs = {d.id: d.result.get("outputs") or {} for d in db.session.scalars(
            select(Decision).where(Decision.id.in_(ids or [-1])))}
        counts = Counter(e.predikat for e in evaluations)
        check = check_kurva(counts, org, cq.kurva_table(db.session, ctx["daerah"], ctx["period"]))
        return self._render("lifecycle/penetapan.html", unit=unit, org=org, evaluations=evaluations,
                            outputs=outputs, check=check, predikats=PREDIKATS, rating_labels=RATING_LABELS,
                            overridden=any(e.predikat != e.predikat_engine for e in evaluations), **ctx)
