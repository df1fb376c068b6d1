"""The public performance report of a daerah and year (transparency, as Palu publishes its annual ASN performance
report online): opt-in by the daerah's HR, aggregates only.

What it holds: pegawai assessed; the predikat distribution per unit kerja and for the daerah against the kurva
distribusi; the share of evaluations that reached each milestone by the daerah's deadline; follow-up actions by
kind; the rule versions in force with their legal basis; the units' satisfaction index.

Small cells (statistical disclosure control): a unit with fewer than MIN_CELL assessed pegawai is merged into an
"other units" row (and the smallest shown unit with it while that row is still too small); every count from 1 to
MIN_CELL - 1 is shown as "<5"; and a second cell is hidden wherever a hidden one could be recovered by subtracting
the shown cells from a published total (its row's n, or the daerah row of its column). Names, NIPs and individual
values never enter the report.
"""
from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Optional
from zoneinfo import ZoneInfo

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from engine.db import Base, utcnow
from engine.demo_org import demo_tenants
from engine.identity import Role, User
from engine.organisation import Daerah, Pegawai, UnitKerja
from engine.permissions import scope_for
from engine.runtime import check_kurva
from engine.runtime.catalogue import ACTIONS, PREDIKAT_LABELS, PREDIKATS
from rules.decisions import versions_for
from rules.models import Decision, DecisionVersion, RuleKind, RuleVersion
from rules.versions import resolved_document
from workflows.deadlines import deadline_rules, local_date, local_today
from workflows.errors import WorkflowNotAllowed, WorkflowNotFound, invalid, problem
from workflows.models import (Evaluation, EvaluationState as S, FollowUp, FollowUpStatus, Period, TransitionHistory)
from workflows.permissions import in_reach, require_hr
from workflows.survey import (SCORE_COLUMNS, CommentStatus, SurveyForm, SurveyResponse, digest, plausible_code,
                              refresh_daerah_ikm, unit_ikm)

MIN_CELL = 5
FINAL_STATES = (S.feedback, S.keberatan, S.follow_up, S.closed)
DEFAULT_ORG_PREDIKAT = "baik"
#: milestone -> (state reached, the state whose deadline applies, label id, label en)
MILESTONES: dict[str, tuple[str, str, str, str]] = {
    "plan": (S.plan_approved, S.plan_submitted, "SKP disetujui", "SKP plan approved"),
    "review": (S.feedback, S.review, "Penilaian selesai (umpan balik diberikan)", "Review completed (feedback given)"),
}
TIMELINESS = ("on_time", "late", "open_overdue", "open_not_due")
OTHER, DAERAH = "_lainnya", "_daerah"


class PublicReport(Base):
    """A daerah's choice to publish (or not) its report of a year; no row means not published."""

    __tablename__ = "public_report"
    __audit__ = True
    __table_args__ = (UniqueConstraint("daerah_id", "tahun", name="uq_public_report_daerah_tahun"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    daerah_id: Mapped[int] = mapped_column(ForeignKey("daerah.id"), index=True)
    tahun: Mapped[int] = mapped_column(Integer)
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    changed_by: Mapped[str] = mapped_column(String(120))
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    published_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)

    daerah: Mapped[Daerah] = relationship()


# --- HR: opting in and out ----------------------------------------------------------------------------------------

def report_settings(session: Session, actor: User, daerah: Daerah) -> list[dict]:
    """Every year of the daerah with a tahunan period or a choice, and whether its report is published."""
    if not scope_for(actor, {Role.hr, Role.admin, Role.auditor}).allows(daerah.id):
        if not in_reach(actor, daerah.id):
            raise WorkflowNotFound("Daerah tidak ditemukan.", "Daerah not found.", code="not_found")
        raise WorkflowNotAllowed("Hanya kepegawaian dan auditor daerah ini yang dapat melihat laporan publik.",
                                 "Only HR and auditors of this daerah may see the public report settings.",
                                 code="forbidden")
    years = set(session.scalars(select(Period.tahun).where(Period.daerah_id == daerah.id, Period.jenis == "tahunan")))
    choices = {r.tahun: r for r in session.scalars(select(PublicReport).where(PublicReport.daerah_id == daerah.id))}
    return [{"tahun": y, "published": bool(choices.get(y) and choices[y].published), "choice": choices.get(y),
             "has_period": y in years} for y in sorted(years | set(choices), reverse=True)]


def set_public_report(session: Session, actor: User, daerah: Daerah, tahun: int, published: bool) -> PublicReport:
    """HR publishes (opts in) or withdraws (opts out) the daerah's public report of a year."""
    require_hr(actor, daerah)
    if not isinstance(tahun, int) or isinstance(tahun, bool) or not 2000 <= tahun <= 2100:
        raise invalid([problem("range", "tahun", "tahun harus antara 2000 dan 2100", "the year must be 2000-2100")],
                      "Tahun tidak valid", "Invalid year")
    row = session.scalar(select(PublicReport).where(PublicReport.daerah_id == daerah.id, PublicReport.tahun == tahun))
    if row is None:
        row = PublicReport(daerah_id=daerah.id, tahun=tahun, published=False)
        session.add(row)
    if row.published != bool(published) or row.id is None:
        row.published, row.changed_by, row.changed_at = bool(published), actor.username, utcnow()
        if published:
            row.published_at = utcnow()
    session.flush()
    return row


def published_years(session: Session, daerah: Daerah) -> list[int]:
    """The years whose report the daerah publishes, newest first."""
    return list(session.scalars(select(PublicReport.tahun).where(PublicReport.daerah_id == daerah.id,
                                                                 PublicReport.published.is_(True))
                                .order_by(PublicReport.tahun.desc())))


def published_report(session: Session, daerah_code: str, tahun: int, today: dt.date | None = None) -> dict:
    """The public report, or NotFound when the daerah does not publish that year (the same for an unknown one)."""
    daerah = session.scalar(select(Daerah).where(Daerah.code == daerah_code)) if plausible_code(daerah_code, 40) \
        else None
    choice = daerah and session.scalar(select(PublicReport).where(PublicReport.daerah_id == daerah.id,
                                                                  PublicReport.tahun == tahun))
    if daerah is None or choice is None or not choice.published:
        raise WorkflowNotFound("Laporan kinerja publik ini tidak tersedia.", "This public performance report is not "
                               "available.", code="not_found")
    return build_report(session, daerah, tahun, today)


# --- small cells -------------------------------------------------------------------------------------------------

def protect(rows: list[list[int]], total_row: int | None = None) -> list[list[bool]]:
    """Which cells to hide: counts 1..MIN_CELL-1, then complements until no hidden cell is alone in its row (each
    row's total is published) or, when `total_row` is the sum of the other rows, alone in its column."""
    hide = [[0 < v < MIN_CELL for v in row] for row in rows]
    groups = [[(r, c) for c in range(len(row))] for r, row in enumerate(rows)]
    if total_row is not None and rows:
        groups += [[(r, c) for r in range(len(rows))] for c in range(len(rows[0]))]
    changed = True
    while changed:
        changed = False
        for cells in groups:
            hidden = [x for x in cells if hide[x[0]][x[1]]]
            shown = [x for x in cells if not hide[x[0]][x[1]]]
            if len(hidden) == 1 and shown:
                r, c = min(shown, key=lambda x: (rows[x[0]][x[1]] == 0, rows[x[0]][x[1]], x))
                hide[r][c] = changed = True
    return hide


def _percent(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


def _cells(values: list[int], hidden: list[bool], n: int) -> list[dict]:
    return [{"count": None if h else v, "persen": None if h else _percent(v, n)} for v, h in zip(values, hidden)]


def _count(value: int) -> int | None:
    """A lone published count: hidden (None) from 1 to MIN_CELL - 1."""
    return None if 0 < value < MIN_CELL else value


# --- the report --------------------------------------------------------------------------------------------------

def _period(session: Session, daerah: Daerah, tahun: int) -> Period | None:
    return session.scalar(select(Period).where(Period.daerah_id == daerah.id, Period.tahun == tahun,
                                               Period.jenis == "tahunan"))


def org_predikats(session: Session, daerah: Daerah, tahun: int) -> dict[int, str]:
    """The predikat kinerja organisasi HR set per unit for the year; none is stored yet, so every unit is checked
    against DEFAULT_ORG_PREDIKAT and the page says so."""
    return {}


def _kurva_table(session: Session, daerah: Daerah, period: Period | None) -> dict:
    on = period.ends_on if period else dt.date.today()
    for version in versions_for(session, daerah, on):
        if version.rule_set.kind == RuleKind.scoring:
            return resolved_document(version).get("kurva") or {}
    return {}


def _violation_text(v: dict) -> dict:
    preds = v["predikat"]
    label_id = " + ".join(PREDIKAT_LABELS[p][0] for p in preds)
    label_en = " + ".join(PREDIKAT_LABELS[p][1] for p in preds)
    if v["kind"] == "max":
        return {"id": f"{label_id}: paling banyak {v['limit_persen']:g}%", "en": f"{label_en}: at most "
                f"{v['limit_persen']:g}%"}
    if v["limit_persen"] is not None:
        return {"id": f"{label_id}: paling sedikit {v['limit_persen']:g}%", "en": f"{label_en}: at least "
                f"{v['limit_persen']:g}%"}
    return {"id": f"{label_id}: paling sedikit {v['limit_count']} orang", "en": f"{label_en}: at least "
            f"{v['limit_count']} person(s)"}


def _extreme(values: list[int], hide: list[bool], involved: set[str], high: bool) -> dict[str, int]:
    """Counts with every hidden pegawai put where the constraint's count is highest (or lowest)."""
    counts = {p: (0 if h else v) for p, v, h in zip(PREDIKATS, values, hide)}
    mass = sum(values) - sum(counts.values())
    hidden = [p for p, h in zip(PREDIKATS, hide) if h]
    inside = [p for p in hidden if p in involved]
    outside = [p for p in hidden if p not in involved]
    target = (inside or outside) if high else (outside or inside)
    if target:
        counts[target[0]] += mass
    return counts


def kurva_verdict(values: list[int], hide: list[bool], org_predikat: str, table: dict) -> dict:
    """The kurva verdicts a reader could work out from the shown cells alone: a constraint is reported (kept or
    broken) only when it holds, or fails, whatever the hidden cells contain; so the verdict reveals nothing hidden."""
    violations, undetermined = [], 0
    for constraint in table.get(org_predikat, []):
        single = {org_predikat: [constraint]}
        involved = set(constraint.get("predikat", []))
        low = check_kurva(_extreme(values, hide, involved, False), org_predikat, single)
        high = check_kurva(_extreme(values, hide, involved, True), org_predikat, single)
        if low["ok"] != high["ok"]:
            undetermined += 1
        elif not low["ok"]:
            broken = low["violations"][0]
            violations.append({"id": broken["id"], "text": _violation_text(broken)})
    return {"violations": violations, "undetermined": undetermined}


def perangkat_daerah(session: Session, daerah: Daerah) -> dict[int, int]:
    """unit id -> the unit the report groups it under: its perangkat daerah (the ancestor right below the
    daerah's top unit, e.g. Dinas Kesehatan for a Puskesmas), or itself at the top."""
    parent = dict(session.execute(select(UnitKerja.id, UnitKerja.parent_id).where(UnitKerja.daerah_id == daerah.id)).all())
    out = {}
    for unit_id in parent:
        node, seen = unit_id, set()
        while parent.get(node) is not None and parent.get(parent[node]) is not None and node not in seen:
            seen.add(node)
            node = parent[node]
        out[unit_id] = node
    return out


def _distribution(session: Session, daerah: Daerah, period: Period | None, tahun: int) -> dict:
    group = perangkat_daerah(session, daerah)
    counts: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(PREDIKATS, 0))
    if period is not None:
        for unit_id, predikat, n in session.execute(
                select(Evaluation.unit_id, Evaluation.predikat, func.count(Evaluation.id))
                .where(Evaluation.period_id == period.id, Evaluation.state.in_(FINAL_STATES),
                       Evaluation.predikat.in_(PREDIKATS))
                .group_by(Evaluation.unit_id, Evaluation.predikat)):
            counts[group.get(unit_id, unit_id)][predikat] += n
    units = {u.id: u for u in session.scalars(select(UnitKerja).where(UnitKerja.id.in_(list(counts))))}
    table, org = _kurva_table(session, daerah, period), org_predikats(session, daerah, tahun)
    size = {uid: sum(c.values()) for uid, c in counts.items()}
    shown = sorted((uid for uid in counts if size[uid] >= MIN_CELL), key=lambda u: (size[u], units[u].name))
    other = [uid for uid in counts if size[uid] < MIN_CELL]
    while other and sum(size[u] for u in other) < MIN_CELL and shown:
        other.append(shown.pop(0))  # the merged row itself would be a small cell: merge the smallest shown unit
    shown.sort(key=lambda u: units[u].name)
    rows = [(uid, [counts[uid][p] for p in PREDIKATS]) for uid in shown]
    if other:
        rows.append((OTHER, [sum(counts[u][p] for u in other) for p in PREDIKATS]))
    total = [sum(counts[u][p] for u in counts) for p in PREDIKATS]
    n_total = sum(total)
    hidden = protect([values for _, values in rows] + [total], total_row=len(rows))
    out_rows, judged = [], []
    for (key, values), hide in zip(rows, hidden):
        row = {"key": key, "n": sum(values), "cells": _cells(values, hide, sum(values))}
        if key == OTHER:
            row.update(label=None, units=sorted(units[u].name for u in other))
        else:
            verdict = kurva_verdict(values, hide, org.get(key, DEFAULT_ORG_PREDIKAT), table)
            row.update(label=units[key].name, org_predikat=org.get(key, DEFAULT_ORG_PREDIKAT),
                       org_assumed=key not in org, **verdict)
            if verdict["violations"] or not verdict["undetermined"]:
                judged.append(not verdict["violations"])
        out_rows.append(row)
    small = 0 < n_total < MIN_CELL
    return {"rows": [] if small else out_rows,
            "daerah": None if small else {"key": DAERAH, "n": n_total, "cells": _cells(total, hidden[-1], n_total)},
            "suppressed_all": small, "units_checked": len(judged), "units_violating": judged.count(False),
            "kurva_available": bool(table)}


def _timeliness(session: Session, daerah: Daerah, period: Period | None, tahun: int, today: dt.date) -> list[dict]:
    if period is None:
        return []
    ev_ids = list(session.scalars(select(Evaluation.id).where(Evaluation.period_id == period.id)))
    rules = deadline_rules(session, daerah.id)
    out = []
    for key, (reached, state, label_id, label_en) in MILESTONES.items():
        due = rules[state].due_on(tahun)
        first = dict(session.execute(
            select(TransitionHistory.evaluation_id, func.min(TransitionHistory.at))
            .join(Evaluation, Evaluation.id == TransitionHistory.evaluation_id)
            .where(Evaluation.period_id == period.id, TransitionHistory.to_state == reached)
            .group_by(TransitionHistory.evaluation_id)).all())
        tally = dict.fromkeys(TIMELINESS, 0)
        for ev_id in ev_ids:
            if ev_id in first:
                tally["on_time" if local_date(daerah, first[ev_id]) <= due else "late"] += 1
            else:
                tally["open_overdue" if today > due else "open_not_due"] += 1
        values = [tally[k] for k in TIMELINESS]
        hide = protect([values])[0]
        out.append({"key": key, "label": {"id": label_id, "en": label_en}, "due_on": due, "total": len(ev_ids),
                    "cells": {k: (None if h else v) for k, v, h in zip(TIMELINESS, values, hide)},
                    "on_time_persen": None if hide[0] else _percent(tally["on_time"], len(ev_ids))})
    return out


def _follow_ups(session: Session, period: Period | None) -> dict:
    if period is None:
        return {"rows": [], "total": None}
    data: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for code, status, n in session.execute(
            select(FollowUp.action_code, FollowUp.status, func.count(FollowUp.id))
            .join(Evaluation, Evaluation.id == FollowUp.evaluation_id)
            .where(Evaluation.period_id == period.id, FollowUp.status != FollowUpStatus.cancelled)
            .group_by(FollowUp.action_code, FollowUp.status)):
        data[code][0 if status == FollowUpStatus.done else 1] += n
    kinds = {"reward": 0, "coaching": 1, "punishment": 2}
    codes = sorted(data, key=lambda c: (kinds.get(ACTIONS[c].kind if c in ACTIONS else "", 9), c))
    matrix = [data[c] for c in codes] + [[sum(data[c][0] for c in codes), sum(data[c][1] for c in codes)]]
    hidden = protect(matrix, total_row=len(codes)) if codes else [[False, False]]
    rows = []
    for code, values, hide in zip(codes + [None], matrix, hidden):
        spec = ACTIONS.get(code) if code else None
        rows.append({"code": code, "kind": spec.kind if spec else None,
                     "label": {"id": spec.label_id, "en": spec.label_en} if spec else None,
                     "total": _count(sum(values)),
                     "done": None if hide[0] else values[0], "open": None if hide[1] else values[1]})
    return {"rows": rows[:-1], "total": rows[-1]}


def _versions(session: Session, daerah: Daerah, period: Period | None) -> list[dict]:
    chosen: dict[int, tuple[RuleVersion, bool]] = {}
    in_force = versions_for(session, daerah, period.ends_on if period else dt.date.today())
    used_ids = set()
    if period is not None:
        used_ids = set(session.scalars(
            select(DecisionVersion.rule_version_id).join(Decision, Decision.id == DecisionVersion.decision_id)
            .join(Evaluation, Evaluation.decision_id == Decision.id).where(Evaluation.period_id == period.id)
            .distinct()))  # a handful of versions, not one row per decision and version (250,000 for 50,000)
    pending = list(in_force) + list(session.scalars(select(RuleVersion).where(RuleVersion.id.in_(used_ids))))
    while pending:
        version = pending.pop(0)
        if version.id not in chosen:
            chosen[version.id] = (version, version.id in used_ids)
            if version.extends is not None:
                pending.append(version.extends)
    return [{"label": v.label, "daerah": v.rule_set.daerah.code, "kind": str(v.rule_set.kind), "number": v.number,
             "legal_basis": v.legal_basis, "effective_from": v.effective_from, "effective_to": v.effective_to,
             "contoh": bool(v.contoh) or (v.legal_basis or "").lower().startswith("contoh"),
             "hash": (v.content_hash or "")[:16], "used": used}
            for v, used in sorted(chosen.values(), key=lambda x: (x[0].rule_set.daerah.code != "nasional",
                                                                  x[0].label))]


def _ikm(session: Session, daerah: Daerah, tahun: int) -> list[dict]:
    out = []
    for form in session.scalars(select(SurveyForm).join(UnitKerja).where(SurveyForm.daerah_id == daerah.id)
                                .order_by(UnitKerja.name)):
        result = unit_ikm(session, form.unit_id, tahun)
        if result is None:
            continue
        excluded = session.scalar(select(func.count(SurveyResponse.id)).where(
            SurveyResponse.unit_id == form.unit_id, SurveyResponse.tahun == tahun, SurveyResponse.excluded.is_(True)))
        out.append({"unit": form.unit.name, "unit_code": form.unit.code, "title": form.title,
                    "jenis_layanan": form.jenis_layanan, "index": result.index, "mutu": result.mutu,
                    "respondents": result.respondents, "excluded": int(excluded or 0), "is_open": form.is_open})
    return out


def build_report(session: Session, daerah: Daerah, tahun: int, today: dt.date | None = None) -> dict:
    """The aggregates of a daerah's year (no permission check: callers decide who sees it)."""
    period = _period(session, daerah, tahun)
    today = today or local_today(daerah)
    evaluations = assessed = 0
    if period is not None:
        evaluations = session.scalar(select(func.count(Evaluation.id)).where(Evaluation.period_id == period.id))
        assessed = session.scalar(select(func.count(Evaluation.id)).where(
            Evaluation.period_id == period.id, Evaluation.state.in_(FINAL_STATES), Evaluation.predikat.is_not(None)))
    pegawai = session.scalar(select(func.count(Pegawai.id)).where(Pegawai.daerah_id == daerah.id))
    return {"daerah": {"code": daerah.code, "name": daerah.name, "timezone": daerah.timezone}, "tahun": tahun,
            "as_of": today, "min_cell": MIN_CELL, "predikats": PREDIKATS,
            "totals": {"pegawai": _count(pegawai), "evaluations": _count(evaluations), "assessed": _count(assessed)},
            "distribution": _distribution(session, daerah, period, tahun),
            "timeliness": _timeliness(session, daerah, period, tahun, today),
            "follow_ups": _follow_ups(session, period), "versions": _versions(session, daerah, period),
            "ikm": _ikm(session, daerah, tahun)}


def report_rows(report: dict, lang: str = "id") -> list[list[object]]:
    """The report as CSV rows (section, row, measure, value); hidden cells read '*'."""
    en = lang == "en"
    hidden = "*"
    out: list[list[object]] = [["bagian/section", "baris/row", "ukuran/measure", "nilai/value"],
                               ["info", "daerah", "nama/name", report["daerah"]["name"]],
                               ["info", "daerah", "tahun/year", report["tahun"]],
                               ["info", "daerah", "per tanggal/as of", report["as_of"].isoformat()],
                               ["info", "aturan/rule", "sel kecil/small cells",
                                f"* = hidden: counts 1-{report['min_cell'] - 1}, and cells a total would reveal"
                                if en else f"* = disembunyikan: jumlah 1-{report['min_cell'] - 1}, dan sel yang "
                                "dapat dihitung dari total"]]
    for key, value in report["totals"].items():
        out.append(["ringkasan/summary", "daerah", key, hidden if value is None else value])
    dist = report["distribution"]
    other = "Other units" if en else "Unit lainnya"
    for row in dist["rows"] + ([dist["daerah"]] if dist["daerah"] else []):
        name = {"_lainnya": other, "_daerah": report["daerah"]["name"]}.get(row["key"], row.get("label"))
        out.append(["distribusi/distribution", name, "n", row["n"]])
        for predikat, cell in zip(report["predikats"], row["cells"]):
            out.append(["distribusi/distribution", name, predikat, hidden if cell["count"] is None else cell["count"]])
        for v in row.get("violations", []):
            out.append(["kurva", name, v["id"], v["text"]["en" if en else "id"]])
    for row in report["timeliness"]:
        for key, value in row["cells"].items():
            out.append(["tepat waktu/timeliness", row["label"]["en" if en else "id"], key,
                        hidden if value is None else value])
    for row in report["follow_ups"]["rows"]:
        for key in ("done", "open"):
            out.append(["tindak lanjut/follow-up", row["code"], key, hidden if row[key] is None else row[key]])
    for v in report["versions"]:
        out.append(["aturan/rules", v["label"], "dasar hukum/legal basis",
                    f"{v['legal_basis']}{' (contoh)' if v['contoh'] else ''}"])
    for item in report["ikm"]:
        out.append(["ikm", item["unit"], "indeks/index", item["index"]])
        out.append(["ikm", item["unit"], "mutu", item["mutu"]])
        out.append(["ikm", item["unit"], "responden/respondents", item["respondents"]])
    return out


# --- demo ------------------------------------------------------------------------------------------------------

#: daerah -> [(unit code, jenis layanan, service title, mean score 1-4)]: Puskesmas, Dinas Kesehatan, DPMPTSP.
DEMO_FORMS: dict[str, list[tuple[str, str, str, float]]] = {
    "pontianak": [("pkm-pontianak-1", "kesehatan", "Kunjungan berobat di Puskesmas", 2.85),
                  ("pkm-pontianak-2", "kesehatan", "Kunjungan berobat di Puskesmas", 3.6),
                  ("dinkes", "kesehatan", "Layanan pengaduan dan rekomendasi kesehatan", 3.3)],
    "bantul": [("pkm-bantul-1", "kesehatan", "Kunjungan pasien di Puskesmas", 2.9),
               ("pkm-bantul-2", "kesehatan", "Kunjungan pasien di Puskesmas", 3.35),
               ("dpmptsp", "perizinan", "Perizinan berusaha (izin usaha dan PBG)", 3.55)],
}
DEMO_COMMENTS: tuple[tuple[str, str], ...] = (
    ("Pelayanan cepat dan petugas ramah.", "approved"),
    ("Antrean pagi terlalu panjang, mohon tambah loket.", "approved"),
    ("Ruang tunggu bersih dan nyaman.", "approved"),
    ("Informasi persyaratan di papan pengumuman kurang jelas.", "pending"),
    ("Petugas menjelaskan prosedur dengan sabar dan jelas.", "pending"),
    ("Tempat parkir sempit pada jam sibuk.", "pending"),
)


def _demo_scores(rnd, mean: float) -> list[int]:
    return [min(4, max(1, round(rnd.gauss(mean, 0.55)))) for _ in range(9)]


def _demo_responses(session: Session, form: SurveyForm, tahun: int, months: int, mean: float) -> int:
    prefix = f"demo-{form.daerah.code}-{form.unit.code}-{tahun}-"
    if session.scalar(select(SurveyResponse.id).where(SurveyResponse.nonce.like(prefix + "%")).limit(1)):
        return 0
    rnd = random.Random(prefix)
    zone = ZoneInfo(form.daerah.timezone or "Asia/Jakarta")
    rows = []
    for bulan in range(1, months + 1):
        for i in range(rnd.randint(3, 6)):
            local = dt.datetime(tahun, bulan, rnd.randint(1, 28), rnd.randint(8, 14), rnd.randint(0, 59), tzinfo=zone)
            scores = _demo_scores(rnd, mean)
            comment, status = (DEMO_COMMENTS[(bulan + i) % len(DEMO_COMMENTS)] if i == 0 and bulan % 2 == 1
                               else (None, None))
            nonce = f"{prefix}{bulan:02d}-{i}"
            rows.append(SurveyResponse(
                form_id=form.id, daerah_id=form.daerah_id, unit_id=form.unit_id, tahun=tahun, bulan=bulan,
                submitted_at=local.astimezone(dt.UTC).replace(tzinfo=None), comment=comment,
                comment_status=CommentStatus(status) if status else None,
                comment_hash=digest(form.id, nonce, comment) if comment else None,
                moderated_by="hr." + form.daerah.code if status and status != "pending" else None,
                client_hash=digest("demo-client", nonce), content_hash=digest(nonce, *scores), nonce=nonce,
                excluded=False, **dict(zip(SCORE_COLUMNS, scores))))
    session.add_all(rows)
    session.flush()
    return len(rows)


def load_demo_public(session: Session, today: dt.date | None = None) -> dict:
    """Demo transparency data (idempotent; flushes, the caller commits): every demo daerah publishes last year's
    report; Puskesmas, Dinas Kesehatan and DPMPTSP forms of Pontianak and Bantul are open with deterministic
    responses for last year and this year (to today's month), written into the units' service figures where the
    periods exist. Run it before the evaluations are decided (and again after the periods are opened, or call
    `refresh_daerah_ikm`) so the index feeds the decisions."""
    report = {"reports": 0, "forms": 0, "responses": 0, "units_written": 0}
    for tenant in demo_tenants():
        daerah = session.scalar(select(Daerah).where(Daerah.code == tenant["code"]))
        if daerah is None or tenant["level"] == "nasional":
            continue
        local = today or local_today(daerah)
        last_year = local.year - 1
        if session.scalar(select(PublicReport.id).where(PublicReport.daerah_id == daerah.id,
                                                        PublicReport.tahun == last_year)) is None:
            session.add(PublicReport(daerah_id=daerah.id, tahun=last_year, published=True, changed_by="system:demo",
                                     changed_at=utcnow(), published_at=utcnow()))
            report["reports"] += 1
        for unit_code, jenis, title, mean in DEMO_FORMS.get(daerah.code, []):
            unit = session.scalar(select(UnitKerja).where(UnitKerja.daerah_id == daerah.id,
                                                          UnitKerja.code == unit_code))
            if unit is None:
                continue
            form = session.scalar(select(SurveyForm).where(SurveyForm.unit_id == unit.id))
            if form is None:
                form = SurveyForm(daerah_id=daerah.id, unit_id=unit.id, jenis_layanan=jenis, title=title,
                                  is_open=True, opened_at=utcnow(), changed_by="system:demo")
                session.add(form)
                session.flush()
                report["forms"] += 1
            report["responses"] += _demo_responses(session, form, last_year, 12, mean)
            report["responses"] += _demo_responses(session, form, local.year, local.month, mean)
        for tahun in (last_year, local.year):
            report["units_written"] += refresh_daerah_ikm(session, daerah, tahun)
    session.flush()
    return report
