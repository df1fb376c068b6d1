"""Gathering an evaluation's facts document (the contract of `engine.runtime.facts`) from the database.

Set-based: one query per kind of fact for a whole chunk of evaluations, so bulk decisions cost a handful of
queries per chunk, not per evaluation. What goes in:

- periode, pegawai (nip, nama, jenis jabatan, golongan, unit code; jenis layanan from the unit's service figures);
- iki: every IKI of the plan with its RHK's jenis and the latest realisasi (left out when none: the rules rate it
  di_bawah and say why);
- perilaku: the atasan's seven BerAKHLAK ratings; kontribusi_tim and inovasi when the atasan gave them;
- disiplin when HR recorded it; kepuasan_masyarakat, waktu_layanan, waktu_respon_pengaduan from the nearest unit
  with service figures for the period;
- skp_disepakati (the plan was approved), aktivitas_harian (days with an activity entry), hari_kerja (weekdays of
  the period);
- riwayat: the final predikat of earlier tahunan evaluations (follow_up or closed), else imported history.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import Connection, distinct, func, select
from sqlalchemy.orm import Session

from engine.db import among
from engine.organisation import Daerah, Pegawai, UnitKerja
from workflows.models import (ActivityLog, Evaluation, EvaluationState as S, Iki, Period, PerilakuRating,
                              PredikatHistory, Realisasi, Rhk, ServiceMeasure)

FINAL_STATES = (S.follow_up, S.closed)
_SERVICE_FIELDS = ("kepuasan_masyarakat", "kepuasan_masyarakat_responden", "waktu_layanan", "waktu_respon_pengaduan")


def iki_fact_id(iki_id: int) -> str:
    """The id an IKI row of the plan has in the facts document (and so in a decision's capaian and trace)."""
    return f"iki-{iki_id}"


def iki_of_fact_id(fact_id: str) -> int | None:
    """The plan's IKI row id behind a facts document's IKI id (None for an id not made by `iki_fact_id`)."""
    raw = str(fact_id).removeprefix("iki-")
    return int(raw) if raw != str(fact_id) and raw.isascii() and raw.isdigit() else None


def working_days(start: dt.date, end: dt.date) -> int:
    """Monday-to-Friday days from start to end inclusive (no holiday calendar)."""
    days = (end - start).days + 1
    weeks, rest = divmod(days, 7)
    extra = sum(1 for i in range(rest) if (start.weekday() + i) % 7 < 5)
    return weeks * 5 + extra


def _number(value: float):
    """Whole floats as ints, so the stored facts read as they were typed (12, not 12.0)."""
    return int(value) if float(value).is_integer() else value


def gather_facts(session: Session, evaluation: Evaluation) -> dict:
    """The facts document of one evaluation."""
    return gather_facts_many(session, [evaluation.id])[evaluation.id]


def gather_facts_many(session: Session, evaluation_ids: list[int]) -> dict[int, dict]:
    """The facts documents of many evaluations, by evaluation id."""
    if not evaluation_ids:
        return {}
    # plain Core rows on the session's connection: the ORM's row processing cost more than the queries; the
    # session is flushed first, so what the caller changed in this transaction is what the facts say
    session.flush()
    conn = session.connection()
    dialect = conn.dialect.name
    base = conn.execute(
        select(Evaluation.id, Evaluation.pegawai_id, Evaluation.unit_id, Evaluation.period_id,
               Evaluation.plan_approved_at, Evaluation.hari_tidak_masuk, Evaluation.menit_terlambat,
               Evaluation.hari_tidak_masuk_berturut, Evaluation.inovasi, Evaluation.kontribusi_tim,
               Pegawai.nip, Pegawai.name, Pegawai.jenis_jabatan, Pegawai.golongan, UnitKerja.code, Daerah.code,
               Daerah.id, Period.tahun, Period.jenis, Period.starts_on, Period.ends_on)
        .join(Pegawai, Pegawai.id == Evaluation.pegawai_id).join(UnitKerja, UnitKerja.id == Evaluation.unit_id)
        .join(Daerah, Daerah.id == Evaluation.daerah_id).join(Period, Period.id == Evaluation.period_id)
        .where(among(Evaluation.id, evaluation_ids, dialect))).all()
    ids = [row[0] for row in base]

    iki: dict[int, list[dict]] = defaultdict(list)
    iki_rows = conn.execute(
        select(Iki.evaluation_id, Iki.id, Iki.uraian, Iki.aspek, Iki.arah, Iki.target, Iki.bobot, Iki.satuan,
               Rhk.jenis, Rhk.uraian)
        .join(Rhk, Rhk.id == Iki.rhk_id).where(among(Iki.evaluation_id, ids, dialect))
        .order_by(Iki.evaluation_id, Rhk.position, Rhk.id, Iki.position, Iki.id)).all()
    latest: dict[int, tuple] = {}
    for iki_id, day, rid, value in conn.execute(
            select(Realisasi.iki_id, Realisasi.realized_on, Realisasi.id, Realisasi.value)
            .where(among(Realisasi.evaluation_id, ids, dialect))).all():
        if iki_id not in latest or (day, rid) > latest[iki_id][:2]:
            latest[iki_id] = (day, rid, value)
    for ev_id, iki_id, uraian, aspek, arah, target, bobot, satuan, jenis_rhk, rhk_uraian in iki_rows:
        item = {"id": iki_fact_id(iki_id), "aspek": str(aspek), "arah": str(arah), "target": _number(target),
                "bobot": _number(bobot), "jenis_rhk": str(jenis_rhk), "rhk": rhk_uraian, "uraian": uraian}
        if satuan:
            item["satuan"] = satuan
        if iki_id in latest:
            item["realisasi"] = _number(latest[iki_id][2])
        iki[ev_id].append(item)

    perilaku: dict[int, dict] = defaultdict(dict)
    for ev_id, nilai, rating in conn.execute(
            select(PerilakuRating.evaluation_id, PerilakuRating.nilai, PerilakuRating.rating)
            .where(among(PerilakuRating.evaluation_id, ids, dialect))).all():
        perilaku[ev_id][nilai] = rating

    activity = dict(conn.execute(
        select(ActivityLog.evaluation_id, func.count(distinct(ActivityLog.activity_on)))
        .where(among(ActivityLog.evaluation_id, ids, dialect)).group_by(ActivityLog.evaluation_id)).all())

    service = _service_for(session, {(row[3], row[2], row[16]) for row in base})
    history = _riwayat(conn, {row[1] for row in base})

    out = {}
    for (ev_id, pegawai_id, unit_id, period_id, approved_at, absent, late, absent_run, inovasi, kontribusi, nip,
         name, jenis_jabatan, golongan, unit_code, daerah_code, _daerah_id, tahun, jenis, starts, ends) in base:
        measure = service.get((period_id, unit_id), {})
        pegawai = {"nip": nip, "nama": name, "jenis_jabatan": str(jenis_jabatan), "golongan": golongan,
                   "unit": unit_code}
        if measure.get("jenis_layanan"):
            pegawai["jenis_layanan"] = measure["jenis_layanan"]
        facts = {"daerah": daerah_code, "periode": {"tahun": tahun, "jenis": jenis}, "pegawai": pegawai,
                 "iki": iki.get(ev_id, []), "perilaku": perilaku.get(ev_id, {}),
                 "skp_disepakati": approved_at is not None, "aktivitas_harian": min(activity.get(ev_id, 0), 366),
                 "hari_kerja": min(working_days(starts, ends), 366)}
        if absent is not None and late is not None:
            facts["disiplin"] = {"hari_tidak_masuk": absent, "menit_terlambat": late}
            if absent_run is not None:
                facts["disiplin"]["hari_tidak_masuk_berturut"] = absent_run
        if inovasi is not None:
            facts["inovasi"] = bool(inovasi)
        if kontribusi:
            facts["kontribusi_tim"] = kontribusi
        for key in _SERVICE_FIELDS:
            if measure.get(key) is not None:
                facts[key] = _number(measure[key])
        riwayat = [{"tahun": y, "predikat": p} for y, p in sorted(history.get(pegawai_id, {}).items()) if y < tahun]
        if riwayat:
            facts["riwayat"] = riwayat
        out[ev_id] = facts
    return out


def _service_for(session: Session, keys: set[tuple[int, int, int]]) -> dict[tuple[int, int], dict]:
    """(period, unit) -> the service figures of the nearest unit (itself or an ancestor) that has them."""
    period_ids = {k[0] for k in keys}
    rows = session.scalars(select(ServiceMeasure).where(ServiceMeasure.period_id.in_(period_ids))).all()
    if not rows:
        return {}
    measures = {(r.period_id, r.unit_id): {"jenis_layanan": r.jenis_layanan,
                                           **{f: getattr(r, f) for f in _SERVICE_FIELDS}} for r in rows}
    daerah_ids = {k[2] for k in keys}
    parent = dict(session.execute(select(UnitKerja.id, UnitKerja.parent_id)
                                  .where(UnitKerja.daerah_id.in_(daerah_ids))).all())
    out = {}
    for period_id, unit_id, _daerah in keys:
        node, seen = unit_id, set()
        while node is not None and node not in seen:
            seen.add(node)
            if (period_id, node) in measures:
                out[(period_id, unit_id)] = measures[(period_id, node)]
                break
            node = parent.get(node)
    return out


def _riwayat(conn: Connection, pegawai_ids: set[int]) -> dict[int, dict[int, str]]:
    """pegawai -> {tahun: predikat}: final evaluations first, imported history for the other years."""
    out: dict[int, dict[int, str]] = defaultdict(dict)
    dialect = conn.dialect.name
    for pegawai_id, tahun, predikat in conn.execute(
            select(PredikatHistory.pegawai_id, PredikatHistory.tahun, PredikatHistory.predikat)
            .where(among(PredikatHistory.pegawai_id, pegawai_ids, dialect))).all():
        out[pegawai_id][tahun] = predikat
    for pegawai_id, tahun, predikat in conn.execute(
            select(Evaluation.pegawai_id, Period.tahun, Evaluation.predikat)
            .join(Period, Period.id == Evaluation.period_id)
            .where(among(Evaluation.pegawai_id, pegawai_ids, dialect), Period.jenis == "tahunan",
                   Evaluation.state.in_(FINAL_STATES), Evaluation.predikat.is_not(None))).all():
        out[pegawai_id][tahun] = predikat
    return out
