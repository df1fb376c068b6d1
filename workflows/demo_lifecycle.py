"""Demo lifecycle: for every demo daerah, last year's evaluations closed (so history triggers such as two years
Sangat Baik can fire) and this year's spread over every state, all through the real services, as the real
people (the demo logins where they exist; a per-pegawai actor otherwise). Deterministic and idempotent: only
evaluations that nobody has touched yet are driven, so a second run changes nothing.
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.audit import set_actor
from engine.demo_org import demo_tenants
from engine.identity import User
from engine.organisation import Daerah, Pegawai, UnitKerja
from workflows.feedback import acknowledge_evaluation, file_keberatan, give_feedback
from workflows.followup import resolve_follow_up
from workflows.models import (BERAKHLAK, Evaluation, FollowUp, FollowUpStatus, Period, PredikatHistory,
                              ServiceMeasure, TransitionHistory, WorkflowSetting)
from workflows.periods import open_period
from workflows.plan import approve_plan, save_plan, set_ekspektasi, submit_plan
from workflows.realization import log_activity, record_disiplin, record_realisasi, submit_realization
from workflows.review import decide_evaluation, rate_perilaku
from workflows.survey import refresh_daerah_ikm

#: This year's evaluations cycle through these stops (review_decided: decided, feedback not yet written).
CURRENT_STOPS = ("plan_draft", "plan_submitted", "plan_approved", "realization", "review", "review_decided",
                 "feedback", "keberatan", "follow_up", "closed")
SUB_PERIODS = {"pontianak": "bulanan"}
EKSPEKTASI = {
    "berorientasi_pelayanan": "Merespons permintaan layanan pada hari yang sama dan menindaklanjuti keluhan.",
    "akuntabel": "Menyusun laporan kegiatan tepat waktu dengan bukti dukung yang lengkap.",
    "kompeten": "Mengikuti paling sedikit 20 jam pengembangan kompetensi dan berbagi hasilnya.",
    "harmonis": "Membangun suasana kerja yang saling menghargai di tim.",
    "loyal": "Menjaga kerahasiaan data layanan dan nama baik instansi.",
    "adaptif": "Mengusulkan paling sedikit satu perbaikan proses kerja.",
    "kolaboratif": "Aktif berbagi data dan membantu unit lain yang membutuhkan.",
}
LAYANAN = (("disdik", "pendidikan"), ("sdn", "pendidikan"), ("smpn", "pendidikan"), ("sekolah", "pendidikan"),
           ("dinkes", "kesehatan"), ("pkm", "kesehatan"), ("puskesmas", "kesehatan"),
           ("disdukcapil", "kependudukan"), ("dpmptsp", "perizinan"))


@dataclass
class LifecycleReport:
    """What the demo lifecycle did (zero everywhere on a second run)."""

    evaluations_driven: int = 0
    decisions: int = 0
    by_state: dict[str, int] = field(default_factory=dict)


def _actors(session: Session, daerah: Daerah) -> tuple[User, dict[int, User]]:
    hr = session.scalar(select(User).where(User.username == f"hr.{daerah.code}"))
    users = {u.pegawai_id: u for u in session.scalars(select(User).join(Pegawai, Pegawai.id == User.pegawai_id)
                                                       .where(Pegawai.daerah_id == daerah.id))}
    return hr, users


def _actor(users: dict[int, User], pegawai: Pegawai | None, hr: User) -> User:
    """The login of a pegawai, or a stand-in actor named after the NIP (not stored); HR when there is none."""
    if pegawai is None:
        return hr
    user = users.get(pegawai.id)
    if user is None:
        user = User(username=f"demo.{pegawai.nip}", full_name=pegawai.name, active=True)
        user.pegawai, user.pegawai_id = pegawai, pegawai.id
        users[pegawai.id] = user
    return user


def _as(session: Session, user: User) -> User:
    set_actor(session, user)
    return user


def _profile(index: int) -> tuple[float, dict[str, str]]:
    """(realisasi factor, perilaku) of a pegawai: stars, weak results, misconduct, and most doing well."""
    if index % 7 == 0:
        return 1.25, {v: ("di_atas" if i < 5 else "sesuai") for i, v in enumerate(BERAKHLAK)}
    if index % 7 == 3:
        return 0.7, {v: "sesuai" for v in BERAKHLAK}
    if index % 11 == 5:
        return 1.0, {v: ("di_bawah" if v == "akuntabel" else "sesuai") for v in BERAKHLAK}
    return 1.0, {v: ("di_atas" if i < 2 and index % 3 == 0 else "sesuai") for i, v in enumerate(BERAKHLAK)}


def _plan(pegawai: Pegawai, unit: UnitKerja, rnd: random.Random, atasan_rhk: int | None) -> list[dict]:
    return [
        {"jenis": "utama", "uraian": f"Terlaksananya tugas {pegawai.jabatan}",
         "iki": [{"uraian": "Keluaran tugas yang diselesaikan", "aspek": "kuantitas",
                  "target": rnd.choice([12, 24, 36]), "satuan": "dokumen", "arah": "naik", "bobot": 40}]},
        {"jenis": "utama", "uraian": f"Meningkatnya kualitas layanan {unit.name}", "intervensi_rhk_id": atasan_rhk,
         "iki": [{"uraian": "Layanan sesuai standar", "aspek": "kualitas", "target": 90, "satuan": "persen",
                  "arah": "naik", "bobot": 30},
                 {"uraian": "Rata-rata waktu penyelesaian layanan", "aspek": "waktu", "target": 3, "satuan": "hari",
                  "arah": "turun", "bobot": 15}]},
        {"jenis": "tambahan", "uraian": "Terlaksananya pengembangan kompetensi",
         "iki": [{"uraian": "Jam pelatihan yang diikuti", "aspek": "kuantitas", "target": 20, "satuan": "jam",
                  "arah": "naik", "bobot": 15}]},
    ]


def _untouched(session: Session, evaluation: Evaluation) -> bool:
    return evaluation.state == "plan_draft" and not evaluation.rhk and session.scalar(
        select(func.count()).select_from(TransitionHistory).where(TransitionHistory.evaluation_id == evaluation.id)) == 0


def _setup_daerah(session: Session, daerah: Daerah, hr: User, years: tuple[int, ...]) -> None:
    if session.scalar(select(WorkflowSetting.id).where(WorkflowSetting.daerah_id == daerah.id)) is None:
        session.add(WorkflowSetting(daerah_id=daerah.id, sub_periods=SUB_PERIODS.get(daerah.code, "triwulan"),
                                    keberatan_days=14))
        session.flush()
    for tahun in years:
        open_period(session, _as(session, hr), daerah, tahun)


def _service_measures(session: Session, daerah: Daerah, period: Period, rnd: random.Random) -> None:
    if session.scalar(select(ServiceMeasure.id).where(ServiceMeasure.period_id == period.id).limit(1)):
        return
    for unit in session.scalars(select(UnitKerja).where(UnitKerja.daerah_id == daerah.id).order_by(UnitKerja.id)):
        layanan = next((kind for prefix, kind in LAYANAN if unit.code.startswith(prefix)), None)
        if layanan and unit.parent is not None and unit.parent.parent is None:
            session.add(ServiceMeasure(period_id=period.id, unit_id=unit.id, daerah_id=daerah.id,
                                       jenis_layanan=layanan, kepuasan_masyarakat=round(rnd.uniform(72, 92), 2),
                                       kepuasan_masyarakat_responden=rnd.randint(80, 400),
                                       waktu_layanan=round(rnd.uniform(1, 4), 1),
                                       waktu_respon_pengaduan=round(rnd.uniform(6, 36), 1)))
    session.flush()


class _Driver:
    """Drives one daerah's evaluations of one year through the services."""

    def __init__(self, session: Session, daerah: Daerah, tahun: int, today: dt.date, report: LifecycleReport):
        self.session, self.daerah, self.tahun, self.today, self.report = session, daerah, tahun, today, report
        self.hr, self.users = _actors(session, daerah)
        self.rnd = random.Random(f"{daerah.code}-{tahun}")
        self.last_day = max(dt.date(tahun, 1, 1), min(dt.date(tahun, 12, 20), today - dt.timedelta(days=1)))
        self.rhk_of: dict[int, int] = {}

    def actor(self, pegawai: Pegawai | None) -> User:
        """The acting user for a pegawai, set as the session's actor."""
        return _as(self.session, _actor(self.users, pegawai, self.hr))

    def atasan(self, ev: Evaluation) -> User:
        """The atasan's login (HR for pegawai without an atasan)."""
        return self.actor(ev.pegawai.atasan)

    def atasan2(self, ev: Evaluation) -> User:
        """The atasan's atasan (HR when there is none)."""
        atasan = ev.pegawai.atasan
        return self.actor(atasan.atasan if atasan is not None else None)

    def drive(self, ev: Evaluation, index: int, stop: str) -> None:
        """Move one untouched evaluation to `stop`."""
        s, rnd, p = self.session, self.rnd, ev.pegawai
        factor, perilaku = _profile(index)
        self.report.evaluations_driven += 1
        if stop == "plan_draft":
            save_plan(s, self.actor(p), ev, _plan(p, ev.unit, rnd, None))
            return
        save_plan(s, self.actor(p), ev, _plan(p, ev.unit, rnd, self.rhk_of.get(p.atasan_id or -1)))
        self.rhk_of[p.id] = ev.rhk[1].id
        submit_plan(s, self.actor(p), ev)
        if stop == "plan_submitted":
            return
        if self.tahun == self.today.year:  # last year's closed evaluations keep to what the history needs
            set_ekspektasi(s, self.atasan(ev), ev, EKSPEKTASI)
        approve_plan(s, self.atasan(ev), ev)
        if stop == "plan_approved":
            return
        mid = min(dt.date(self.tahun, 6, 30), self.last_day)
        with_mid = index % 4 == 0 and mid < self.last_day and self.tahun == self.today.year
        days = ((mid, 0.5), (self.last_day, 1.0)) if with_mid else ((self.last_day, 1.0),)
        for iki in list(ev.iki):
            value = iki.target * factor if iki.arah == "naik" else iki.target / factor
            for day, share in days:  # cumulative: a mid-year entry for some, the latest one counts
                shown = value * share if iki.arah == "naik" else value
                record_realisasi(s, self.actor(p), ev, iki.id, round(shown * rnd.uniform(0.97, 1.03), 2), day,
                                 note="Laporan capaian", evidence_url=f"https://bukti.{self.daerah.code}.go.id/"
                                 f"{p.nip}/{iki.id}-{day.isoformat()}", today=self.today)
        if self.daerah.code == "pontianak" and self.tahun == self.today.year:
            for k in range(rnd.randint(3, 12)):
                day = dt.date(self.tahun, 1, 2) + dt.timedelta(days=k * 7)
                if day <= self.last_day:
                    log_activity(s, self.actor(p), ev, day, "Pelayanan dan pencatatan kegiatan harian",
                                 today=self.today)
        if stop == "realization":
            return
        submit_realization(s, self.actor(p), ev)
        if index % 5 == 1:
            record_disiplin(s, _as(s, self.hr), ev, hari_tidak_masuk=rnd.choice([3, 7, 12]),
                            menit_terlambat=rnd.randint(0, 900))
        elif index % 5 == 2:
            record_disiplin(s, _as(s, self.hr), ev, hari_tidak_masuk=0, menit_terlambat=rnd.randint(0, 200))
        if stop == "review":
            return
        rate_perilaku(s, self.atasan(ev), ev, perilaku, kontribusi_tim=rnd.choice(["di_atas", "sesuai", "sesuai"]),
                      inovasi=index % 4 == 0)
        decide_evaluation(s, self.atasan(ev), ev)
        self.report.decisions += 1
        if stop == "review_decided":
            return
        give_feedback(s, self.atasan(ev), ev, "Terima kasih atas kerja tahun ini. Pertahankan ketepatan waktu "
                      "laporan dan tingkatkan dokumentasi bukti dukung.")
        if stop == "feedback":
            return
        if stop == "keberatan":
            file_keberatan(s, self.actor(p), ev, "Realisasi IKI layanan belum memperhitungkan bukti dukung "
                           "triwulan IV yang sudah saya unggah.", today=self.today)
            return
        acknowledge_evaluation(s, self.actor(p), ev, today=self.today)
        if stop == "follow_up":
            return
        for follow_up in list(s.scalars(select(FollowUp).where(FollowUp.evaluation_id == ev.id,
                                                               FollowUp.status == FollowUpStatus.open))):
            owner = self.hr if follow_up.owner_role == "hr" else self.atasan(ev)
            resolve_follow_up(s, _as(s, owner), follow_up, "Sudah dilaksanakan dan didokumentasikan.",
                              today=self.today)


def _history(session: Session, daerah: Daerah, tahun: int) -> None:
    """Imported predikat of the year before the system for the stars (so two-years triggers fire from day one)."""
    people = session.scalars(select(Pegawai).where(Pegawai.daerah_id == daerah.id).order_by(Pegawai.id)).all()
    have = set(session.scalars(select(PredikatHistory.pegawai_id).where(PredikatHistory.daerah_id == daerah.id,
                                                                        PredikatHistory.tahun == tahun)))
    for index, pegawai in enumerate(people):
        if index % 7 == 0 and pegawai.id not in have:
            session.add(PredikatHistory(pegawai_id=pegawai.id, daerah_id=daerah.id, tahun=tahun,
                                        predikat="sangat_baik", source="e-Kinerja lama (contoh demo)"))
    session.flush()


def _evaluations(session: Session, daerah: Daerah, tahun: int) -> list[Evaluation]:
    return list(session.scalars(select(Evaluation).join(Period, Period.id == Evaluation.period_id)
                                .join(Pegawai, Pegawai.id == Evaluation.pegawai_id)
                                .where(Evaluation.daerah_id == daerah.id, Period.tahun == tahun)
                                .order_by(Pegawai.id)))


def _current_stops(evaluations: list[Evaluation], users: dict[int, User]) -> dict[int, str]:
    """Every state in turn; the demo logins where they can act: pegawai.D in feedback, a report of atasan.D with a
    pending keberatan for atasan2.D, and others waiting for atasan.D's approval and review."""
    stops = {ev.id: CURRENT_STOPS[i % len(CURRENT_STOPS)] for i, ev in enumerate(evaluations)}
    logins = {u.username.split(".")[0]: u.pegawai_id for u in users.values() if u.id is not None}
    reports = [ev for ev in evaluations if ev.pegawai.atasan_id == logins.get("atasan")]
    wanted = ["feedback", "keberatan", "plan_submitted", "review", "follow_up"]
    for ev in sorted(reports, key=lambda e: e.pegawai_id != logins.get("pegawai")):
        if wanted:
            stops[ev.id] = wanted.pop(0)
    return stops


def load_demo_lifecycle(session: Session, today: dt.date, only: set[str] | None = None) -> LifecycleReport:
    """Drive the demo daerah's evaluations (those in `only`, default all): last year closed, this year spread over
    every state (idempotent; flushes, the caller commits). Needs `load_demo` first (organisation, logins, published
    rule packs)."""
    report = LifecycleReport()
    this_year, last_year = today.year, today.year - 1
    for tenant in demo_tenants():
        if only is not None and tenant["code"] not in only:
            continue
        daerah = session.scalar(select(Daerah).where(Daerah.code == tenant["code"]))
        if daerah is None or tenant["level"] == "nasional":
            continue
        hr, users = _actors(session, daerah)
        if hr is None:
            continue
        _setup_daerah(session, daerah, hr, (last_year, this_year))
        _history(session, daerah, last_year - 1)
        for tahun in (last_year, this_year):
            period = session.scalar(select(Period).where(Period.daerah_id == daerah.id, Period.tahun == tahun,
                                                         Period.jenis == "tahunan"))
            _service_measures(session, daerah, period, random.Random(f"ikm-{daerah.code}-{tahun}"))
            refresh_daerah_ikm(session, daerah, tahun)  # citizens' survey index, where a form has responses
            driver = _Driver(session, daerah, tahun, today, report)
            evaluations = _evaluations(session, daerah, tahun)
            stops = ({ev.id: "closed" for ev in evaluations} if tahun == last_year
                     else _current_stops(evaluations, driver.users))
            for index, ev in enumerate(evaluations):
                if _untouched(session, ev):
                    driver.drive(ev, index, stops[ev.id])
    for state, count in session.execute(select(Evaluation.state, func.count()).group_by(Evaluation.state)):
        report.by_state[str(state)] = count
    set_actor(session, "system:demo")
    session.flush()
    return report

