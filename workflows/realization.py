"""Realisation: realisasi per IKI with date, note and evidence; daily activity; discipline and service inputs.

Realisasi is reported cumulatively: the entry with the latest date is the IKI's realisasi for the period.
The first realisasi of an approved plan starts the realisation phase (a transition like any other).
"""
from __future__ import annotations

import datetime as dt
import math
from urllib.parse import urlparse

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.audit import set_actor
from engine.identity import User
from engine.organisation import Pegawai, UnitKerja
from engine.runtime.values import MAX_ABS, capaian_overflows
from workflows.deadlines import local_today
from workflows.errors import WorkflowNotFound, invalid, problem
from workflows.models import (PREDIKATS, ActivityLog, Evaluation, EvaluationState as S, Iki, Period, PredikatHistory,
                              Realisasi, ServiceMeasure, TransitionHistory)
from workflows.permissions import Relation, require_access, require_hr, require_relation
from workflows.plan import require_state
from workflows.transitions import apply_transition, check_version, flush, save_evaluation, touch

REALISASI_STATES = (S.plan_approved, S.realization)
INPUT_STATES = (S.plan_approved, S.realization, S.review)
JENIS_LAYANAN = ("pendidikan", "kesehatan", "kependudukan", "perizinan", "umum")


def _number(value, path: str, lo: float = 0, hi: float | None = None, integer: bool = False) -> list:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if ok and integer:
        ok = float(value).is_integer()
    if ok and value >= lo and (value <= hi if hi is not None else value < MAX_ABS):  # the engine reads < 1e15
        return []
    rng = f"{lo:g}..{hi:g}" if hi is not None else f">= {lo:g}, < 1e15"
    kind_id, kind_en = ("bilangan bulat", "a whole number") if integer else ("angka", "a number")
    return [problem("range", path, f"harus {kind_id} {rng}, bukan {value!r}", f"must be {kind_en} {rng}, not {value!r}")]


def _in_period(evaluation: Evaluation, day, path: str, today: dt.date) -> list:
    period = evaluation.period
    if not isinstance(day, dt.date):
        return [problem("type", path, "tanggal wajib diisi", "a date is required")]
    last = min(period.ends_on, today)
    if not period.starts_on <= day <= last:
        return [problem("date", path, f"tanggal harus antara {period.starts_on} dan {last} (dalam periode, tidak di "
                        f"masa depan), bukan {day}", f"the date must be between {period.starts_on} and {last} (inside "
                        f"the period, not in the future), not {day}")]
    return []


def _evaluation_iki(session: Session, evaluation: Evaluation, iki_id: int) -> Iki:
    iki = session.get(Iki, iki_id)
    if iki is None or iki.evaluation_id != evaluation.id:
        raise WorkflowNotFound(f"IKI #{iki_id} bukan bagian evaluasi ini.", f"IKI #{iki_id} is not part of this "
                               "evaluation.", code="not_found", field="iki_id")
    return iki


def record_realisasi(session: Session, actor: User, evaluation: Evaluation, iki_id: int, value: float,
                     realized_on: dt.date, *, note: str = "", evidence_url: str = "", version: int | None = None,
                     today: dt.date | None = None) -> Realisasi:
    """The pegawai records an IKI's (cumulative) realisasi as of a date, with a note and an evidence link."""
    rels = require_access(actor, evaluation.pegawai)
    require_relation(rels, {Relation.pegawai}, "mengisi realisasi", "record realisasi")
    set_actor(session, actor)
    check_version(evaluation, version)
    require_state(evaluation, REALISASI_STATES, "mengisi realisasi", "record realisasi")
    iki = _evaluation_iki(session, evaluation, iki_id)
    today = today or local_today(evaluation.daerah)
    problems = _number(value, "value") + _in_period(evaluation, realized_on, "realized_on", today)
    if not problems and capaian_overflows(str(iki.arah), iki.target or 0, value):
        problems.append(problem("range", "value", f"realisasi {value:g} terlalu besar untuk target {iki.target:g}: "
                                "capaian (realisasi / target x 100) harus < 1e15",
                                f"realisasi {value:g} is too large for target {iki.target:g}: the achievement "
                                "(realisasi / target x 100) must be < 1e15"))
    if evidence_url:
        parsed = urlparse(evidence_url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc or len(evidence_url) > 500:
            problems.append(problem("url", "evidence_url", "tautan bukti harus alamat http(s) lengkap",
                                    "the evidence link must be a full http(s) address"))
    if problems:
        raise invalid(problems, "Realisasi tidak dapat disimpan", "The realisasi cannot be saved")
    if evaluation.state == S.plan_approved:
        apply_transition(session, actor, evaluation, "start_realization", reason="realisasi pertama / first realisasi",
                         relations=rels, today=today)
    row = Realisasi(evaluation_id=evaluation.id, iki_id=iki.id, realized_on=realized_on, value=float(value),
                    note=note.strip(), evidence_url=evidence_url.strip(), created_by=actor.username)
    session.add(row)
    touch(evaluation)
    flush(session, evaluation)
    return row


def log_activity(session: Session, actor: User, evaluation: Evaluation, activity_on: dt.date, description: str, *,
                 iki_id: int | None = None, today: dt.date | None = None) -> ActivityLog:
    """The pegawai writes a daily activity entry (aktivitas harian), optionally for one IKI."""
    rels = require_access(actor, evaluation.pegawai)
    require_relation(rels, {Relation.pegawai}, "mengisi aktivitas harian", "log daily activity")
    set_actor(session, actor)
    require_state(evaluation, REALISASI_STATES, "mengisi aktivitas harian", "log daily activity")
    problems = _in_period(evaluation, activity_on, "activity_on", today or local_today(evaluation.daerah))
    if not isinstance(description, str) or not description.strip():
        problems.append(problem("required", "description", "uraian aktivitas wajib diisi",
                                "the activity description is required"))
    if problems:
        raise invalid(problems, "Aktivitas tidak dapat disimpan", "The activity cannot be saved")
    if iki_id is not None:
        _evaluation_iki(session, evaluation, iki_id)
    row = ActivityLog(evaluation_id=evaluation.id, activity_on=activity_on, description=description.strip(),
                      iki_id=iki_id)
    session.add(row)
    session.flush()
    return row


def start_realization(session: Session, actor: User, evaluation: Evaluation, *,
                      version: int | None = None) -> TransitionHistory:
    """The pegawai or atasan starts the realisation phase of an approved plan."""
    return apply_transition(session, actor, evaluation, "start_realization", version=version)


def submit_realization(session: Session, actor: User, evaluation: Evaluation, *,
                       version: int | None = None) -> TransitionHistory:
    """The pegawai or atasan sends the realisation to review (guard: every IKI has a realisasi)."""
    return apply_transition(session, actor, evaluation, "submit_realization", version=version)


def record_disiplin(session: Session, actor: User, evaluation: Evaluation, *, hari_tidak_masuk: int,
                    menit_terlambat: int, hari_tidak_masuk_berturut: int | None = None,
                    version: int | None = None) -> Evaluation:
    """HR records the year's attendance figures (PP 94/2021 inputs) for the evaluation."""
    require_access(actor, evaluation.pegawai)
    require_hr(actor, evaluation.daerah)
    set_actor(session, actor)
    check_version(evaluation, version)
    require_state(evaluation, INPUT_STATES, "mengisi data disiplin", "record discipline figures")
    problems = (_number(hari_tidak_masuk, "hari_tidak_masuk", 0, 366, True)
                + _number(menit_terlambat, "menit_terlambat", 0, None, True))
    if hari_tidak_masuk_berturut is not None:
        problems += _number(hari_tidak_masuk_berturut, "hari_tidak_masuk_berturut", 0, 366, True)
    if problems:
        raise invalid(problems, "Data disiplin tidak valid", "Invalid discipline figures")
    before = {"hari_tidak_masuk": evaluation.hari_tidak_masuk, "menit_terlambat": evaluation.menit_terlambat,
              "hari_tidak_masuk_berturut": evaluation.hari_tidak_masuk_berturut}
    evaluation.hari_tidak_masuk, evaluation.menit_terlambat = int(hari_tidak_masuk), int(menit_terlambat)
    evaluation.hari_tidak_masuk_berturut = None if hari_tidak_masuk_berturut is None else int(hari_tidak_masuk_berturut)
    save_evaluation(session, evaluation, "record_disiplin", before,
                    {"hari_tidak_masuk": evaluation.hari_tidak_masuk, "menit_terlambat": evaluation.menit_terlambat,
                     "hari_tidak_masuk_berturut": evaluation.hari_tidak_masuk_berturut})
    return evaluation


def record_service_measure(session: Session, actor: User, period: Period, unit: UnitKerja, *,
                           jenis_layanan: str | None = None, kepuasan_masyarakat: float | None = None,
                           kepuasan_masyarakat_responden: int | None = None, waktu_layanan: float | None = None,
                           waktu_respon_pengaduan: float | None = None) -> ServiceMeasure:
    """HR records a unit's service figures for a period (IKM 25-100 with respondents, service and response
    times); pegawai of the unit's subtree use the nearest unit's figures."""
    require_hr(actor, period.daerah)
    set_actor(session, actor)
    problems = []
    if unit.daerah_id != period.daerah_id:
        problems.append(problem("unit", "unit", "unit kerja bukan bagian daerah periode ini",
                                "the unit is not part of this period's daerah"))
    if jenis_layanan is not None and jenis_layanan not in JENIS_LAYANAN:
        problems.append(problem("enum", "jenis_layanan", f"jenis layanan harus salah satu dari "
                                f"{', '.join(JENIS_LAYANAN)}", f"jenis_layanan must be one of {', '.join(JENIS_LAYANAN)}"))
    if kepuasan_masyarakat is not None:
        problems += _number(kepuasan_masyarakat, "kepuasan_masyarakat", 25, 100)
    if kepuasan_masyarakat_responden is not None:
        problems += _number(kepuasan_masyarakat_responden, "kepuasan_masyarakat_responden", 0, None, True)
    for key, value in (("waktu_layanan", waktu_layanan), ("waktu_respon_pengaduan", waktu_respon_pengaduan)):
        if value is not None:
            problems += _number(value, key)
    if problems:
        raise invalid(problems, "Data layanan tidak valid", "Invalid service figures")
    row = session.scalar(select(ServiceMeasure).where(ServiceMeasure.period_id == period.id,
                                                      ServiceMeasure.unit_id == unit.id))
    if row is None:
        row = ServiceMeasure(period_id=period.id, unit_id=unit.id, daerah_id=period.daerah_id)
        session.add(row)
    row.jenis_layanan, row.kepuasan_masyarakat = jenis_layanan, kepuasan_masyarakat
    row.kepuasan_masyarakat_responden, row.waktu_layanan = kepuasan_masyarakat_responden, waktu_layanan
    row.waktu_respon_pengaduan = waktu_respon_pengaduan
    session.flush()
    return row


def import_predikat_history(session: Session, actor: User, pegawai: Pegawai, tahun: int, predikat: str,
                            source: str = "") -> PredikatHistory:
    """HR records a predikat from before the system (riwayat), e.g. from the old e-Kinerja."""
    require_hr(actor, pegawai.daerah)
    set_actor(session, actor)
    if predikat not in PREDIKATS or not isinstance(tahun, int) or not 1990 <= tahun <= 2200:
        raise invalid([problem("enum", "predikat", f"predikat harus salah satu dari {', '.join(PREDIKATS)} dan tahun "
                               "1990-2200", f"predikat must be one of {', '.join(PREDIKATS)} and the year 1990-2200")],
                      "Riwayat tidak valid", "Invalid history")
    row = session.scalar(select(PredikatHistory).where(PredikatHistory.pegawai_id == pegawai.id,
                                                       PredikatHistory.tahun == tahun))
    if row is None:
        row = PredikatHistory(pegawai_id=pegawai.id, daerah_id=pegawai.daerah_id, tahun=tahun)
        session.add(row)
    row.predikat, row.source = predikat, source
    session.flush()
    return row
