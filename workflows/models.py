"""The evaluation lifecycle's tables: settings, deadlines, periods, evaluations, the SKP plan, realisasi,
perilaku ratings, decision links, keberatan, follow-ups and the transition history.

The Evaluation row stores its state as a plain string; `workflows.machine` moves it. Changes to rows a user writes
(plan, realisasi, ratings, follow-ups...) are audited automatically (`__audit__`); evaluation transitions and other
evaluation changes write one explicit audit event each (see `workflows.transitions`).
"""
from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, Optional

from sqlalchemy import (Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.db import Base, JsonType, utcnow
from engine.organisation import Daerah, Pegawai, UnitKerja

BERAKHLAK: tuple[str, ...] = ("berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal",
                              "adaptif", "kolaboratif")
RATINGS: tuple[str, ...] = ("di_atas", "sesuai", "di_bawah")
PREDIKATS: tuple[str, ...] = ("sangat_baik", "baik", "butuh_perbaikan", "kurang_misconduct", "sangat_kurang")


class EvaluationState(StrEnum):
    """Where an evaluation is in its lifecycle."""

    plan_draft = "plan_draft"
    plan_submitted = "plan_submitted"
    plan_approved = "plan_approved"
    realization = "realization"
    review = "review"
    feedback = "feedback"
    keberatan = "keberatan"
    follow_up = "follow_up"
    closed = "closed"


class SubPeriods(StrEnum):
    """How a daerah divides the tahunan period for monitoring."""

    none = "none"
    triwulan = "triwulan"
    bulanan = "bulanan"


class RhkJenis(StrEnum):
    """Jenis RHK."""

    utama = "utama"
    tambahan = "tambahan"


class Aspek(StrEnum):
    """Aspek of an IKI."""

    kuantitas = "kuantitas"
    kualitas = "kualitas"
    waktu = "waktu"
    biaya = "biaya"


class Arah(StrEnum):
    """Polarity of an IKI: `naik` more is better, `turun` less is better."""

    naik = "naik"
    turun = "turun"


class FollowUpStatus(StrEnum):
    """A follow-up is open until done or cancelled."""

    open = "open"
    done = "done"
    cancelled = "cancelled"


class KeberatanStatus(StrEnum):
    """A keberatan is pending until the atasan's atasan upholds or changes the decision."""

    pending = "pending"
    upheld = "upheld"
    changed = "changed"


class WorkflowSetting(Base):
    """Per daerah: sub-periods and the days a pegawai has to file a keberatan."""

    __tablename__ = "workflow_setting"
    __audit__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    daerah_id: Mapped[int] = mapped_column(ForeignKey("daerah.id"), unique=True)
    sub_periods: Mapped[SubPeriods] = mapped_column(String(20), default=SubPeriods.triwulan)
    keberatan_days: Mapped[int] = mapped_column(Integer, default=14)

    daerah: Mapped[Daerah] = relationship()


class DeadlineRule(Base):
    """By when an evaluation must have left `state`: day and month of the period's year plus `year_offset`."""

    __tablename__ = "deadline_rule"
    __audit__ = True
    __table_args__ = (UniqueConstraint("daerah_id", "state", name="uq_deadline_rule_daerah_state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    daerah_id: Mapped[int] = mapped_column(ForeignKey("daerah.id"), index=True)
    state: Mapped[EvaluationState] = mapped_column(String(20))
    year_offset: Mapped[int] = mapped_column(Integer, default=0)
    month: Mapped[int] = mapped_column(Integer)
    day: Mapped[int] = mapped_column(Integer)

    def due_on(self, tahun: int) -> dt.date:
        """The due date for a period of `tahun`."""
        return dt.date(tahun + self.year_offset, self.month, self.day)


class Period(Base):
    """A period of a daerah: the tahunan period and its sub-periods (triwulan_1.., bulanan_01..)."""

    __tablename__ = "period"
    __audit__ = True
    __table_args__ = (UniqueConstraint("daerah_id", "tahun", "jenis", name="uq_period_daerah_tahun_jenis"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    daerah_id: Mapped[int] = mapped_column(ForeignKey("daerah.id"), index=True)
    tahun: Mapped[int] = mapped_column(Integer)
    jenis: Mapped[str] = mapped_column(String(20))
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    parent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("period.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    daerah: Mapped[Daerah] = relationship()
    parent: Mapped[Optional["Period"]] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Period"]] = relationship(back_populates="parent", order_by="Period.starts_on")

    def __str__(self) -> str:
        return f"{self.jenis} {self.tahun}"


class Evaluation(Base):
    """One pegawai's SKP and evaluation for one tahunan period; `state` is moved by `workflows.machine`."""

    __tablename__ = "evaluation"
    __table_args__ = (UniqueConstraint("period_id", "pegawai_id", name="uq_evaluation_period_pegawai"),
                      Index("ix_evaluation_daerah_state", "daerah_id", "state"))

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id"), index=True)
    daerah_id: Mapped[int] = mapped_column(ForeignKey("daerah.id"))
    pegawai_id: Mapped[int] = mapped_column(ForeignKey("pegawai.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit_kerja.id"), index=True)
    state: Mapped[EvaluationState] = mapped_column(String(20), default=EvaluationState.plan_draft)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    # the decision in force (the latest; earlier ones stay linked through EvaluationDecision)
    decision_id: Mapped[Optional[int]] = mapped_column(ForeignKey("decision.id"))
    predikat_engine: Mapped[Optional[str]] = mapped_column(String(30))
    predikat: Mapped[Optional[str]] = mapped_column(String(30))
    override_reason: Mapped[Optional[str]] = mapped_column(Text)
    override_by: Mapped[Optional[str]] = mapped_column(String(120))
    override_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)
    umpan_balik: Mapped[Optional[str]] = mapped_column(Text)
    # inputs for the facts document besides plan, realisasi and perilaku
    hari_tidak_masuk: Mapped[Optional[int]] = mapped_column(Integer)
    menit_terlambat: Mapped[Optional[int]] = mapped_column(Integer)
    hari_tidak_masuk_berturut: Mapped[Optional[int]] = mapped_column(Integer)
    inovasi: Mapped[Optional[bool]] = mapped_column(Boolean)
    kontribusi_tim: Mapped[Optional[str]] = mapped_column(String(20))
    # when each phase happened (the history has every detail)
    plan_submitted_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)
    plan_approved_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)
    feedback_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)
    acknowledged_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)
    follow_up_on: Mapped[Optional[dt.date]] = mapped_column(Date)
    closed_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": version}

    period: Mapped[Period] = relationship()
    daerah: Mapped[Daerah] = relationship()
    pegawai: Mapped[Pegawai] = relationship()
    unit: Mapped[UnitKerja] = relationship()
    rhk: Mapped[list["Rhk"]] = relationship(back_populates="evaluation", order_by="Rhk.position",
                                            cascade="all, delete-orphan")
    iki: Mapped[list["Iki"]] = relationship(viewonly=True, order_by="Iki.id")
    ekspektasi: Mapped[list["Ekspektasi"]] = relationship(cascade="all, delete-orphan", order_by="Ekspektasi.id")
    perilaku: Mapped[list["PerilakuRating"]] = relationship(cascade="all, delete-orphan",
                                                            order_by="PerilakuRating.id")
    follow_ups: Mapped[list["FollowUp"]] = relationship(back_populates="evaluation", order_by="FollowUp.id")
    history: Mapped[list["TransitionHistory"]] = relationship(order_by="TransitionHistory.id", viewonly=True)

    def __str__(self) -> str:
        return f"evaluasi #{self.id} ({self.state})"


class Rhk(Base):
    """Rencana Hasil Kerja: utama or tambahan, optionally intervening (cascading from) an RHK of the atasan."""

    __tablename__ = "rhk"
    __audit__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    jenis: Mapped[RhkJenis] = mapped_column(String(20))
    uraian: Mapped[str] = mapped_column(Text)
    intervensi_rhk_id: Mapped[Optional[int]] = mapped_column(ForeignKey("rhk.id", ondelete="SET NULL"), index=True)

    evaluation: Mapped[Evaluation] = relationship(back_populates="rhk")
    iki: Mapped[list["Iki"]] = relationship(back_populates="rhk", order_by="Iki.position",
                                            cascade="all, delete-orphan")
    intervensi: Mapped[Optional["Rhk"]] = relationship(remote_side=[id])


class Iki(Base):
    """Indikator Kinerja Individu of an RHK: aspek, target and satuan, arah, bobot (all IKI weigh 100 together)."""

    __tablename__ = "iki"
    __audit__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"), index=True)
    rhk_id: Mapped[int] = mapped_column(ForeignKey("rhk.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    uraian: Mapped[str] = mapped_column(Text)
    aspek: Mapped[Aspek] = mapped_column(String(20))
    target: Mapped[float] = mapped_column(Float)
    satuan: Mapped[str] = mapped_column(String(60), default="")
    arah: Mapped[Arah] = mapped_column(String(10), default=Arah.naik)
    bobot: Mapped[float] = mapped_column(Float)

    rhk: Mapped[Rhk] = relationship(back_populates="iki")
    realisasi: Mapped[list["Realisasi"]] = relationship(back_populates="iki", cascade="all, delete-orphan",
                                                        order_by="[Realisasi.realized_on, Realisasi.id]")


class Ekspektasi(Base):
    """Ekspektasi khusus pimpinan for one BerAKHLAK value."""

    __tablename__ = "ekspektasi"
    __audit__ = True
    __table_args__ = (UniqueConstraint("evaluation_id", "nilai", name="uq_ekspektasi_evaluation_nilai"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"), index=True)
    nilai: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text)


class Realisasi(Base):
    """Realisasi of an IKI as of a date (cumulative: the latest entry counts), with a note and an evidence link."""

    __tablename__ = "realisasi"
    __audit__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"), index=True)
    iki_id: Mapped[int] = mapped_column(ForeignKey("iki.id", ondelete="CASCADE"), index=True)
    realized_on: Mapped[dt.date] = mapped_column(Date)
    value: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    evidence_url: Mapped[str] = mapped_column(String(500), default="")
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    iki: Mapped[Iki] = relationship(back_populates="realisasi")


class ActivityLog(Base):
    """A daily activity entry (aktivitas harian), optionally for one IKI."""

    __tablename__ = "activity_log"
    __audit__ = True
    __table_args__ = (Index("ix_activity_log_evaluation_day", "evaluation_id", "activity_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"))
    activity_on: Mapped[dt.date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text)
    iki_id: Mapped[Optional[int]] = mapped_column(ForeignKey("iki.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class PerilakuRating(Base):
    """The atasan's rating of one BerAKHLAK value."""

    __tablename__ = "perilaku_rating"
    __audit__ = True
    __table_args__ = (UniqueConstraint("evaluation_id", "nilai", name="uq_perilaku_rating_evaluation_nilai"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"), index=True)
    nilai: Mapped[str] = mapped_column(String(30))
    rating: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    rated_by: Mapped[str] = mapped_column(String(120))


class ServiceMeasure(Base):
    """Service figures of a unit for a period (kepuasan masyarakat, service and response times); the pegawai of
    the unit's subtree inherit the nearest unit's row."""

    __tablename__ = "service_measure"
    __audit__ = True
    __table_args__ = (UniqueConstraint("period_id", "unit_id", name="uq_service_measure_period_unit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit_kerja.id"), index=True)
    daerah_id: Mapped[int] = mapped_column(ForeignKey("daerah.id"))
    jenis_layanan: Mapped[Optional[str]] = mapped_column(String(30))
    kepuasan_masyarakat: Mapped[Optional[float]] = mapped_column(Float)
    kepuasan_masyarakat_responden: Mapped[Optional[int]] = mapped_column(Integer)
    waktu_layanan: Mapped[Optional[float]] = mapped_column(Float)
    waktu_respon_pengaduan: Mapped[Optional[float]] = mapped_column(Float)


class PredikatHistory(Base):
    """A predikat from before the system (imported), used as riwayat when no evaluation of that year exists."""

    __tablename__ = "predikat_history"
    __audit__ = True
    __table_args__ = (UniqueConstraint("pegawai_id", "tahun", name="uq_predikat_history_pegawai_tahun"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pegawai_id: Mapped[int] = mapped_column(ForeignKey("pegawai.id"), index=True)
    daerah_id: Mapped[int] = mapped_column(ForeignKey("daerah.id"))
    tahun: Mapped[int] = mapped_column(Integer)
    predikat: Mapped[str] = mapped_column(String(30))
    source: Mapped[str] = mapped_column(String(200), default="")


class EvaluationDecision(Base):
    """Every decision taken for an evaluation, in order; the evaluation points at the one in force."""

    __tablename__ = "evaluation_decision"
    __audit__ = True
    __table_args__ = (UniqueConstraint("evaluation_id", "seq", name="uq_evaluation_decision_evaluation_seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"), index=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decision.id"), unique=True)
    daerah_id: Mapped[int] = mapped_column(ForeignKey("daerah.id"))
    seq: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(30))     # review | keberatan | reopen
    predikat: Mapped[Optional[str]] = mapped_column(String(30))
    result_hash: Mapped[str] = mapped_column(String(64))
    actor: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Keberatan(Base):
    """An objection by the pegawai to the decision, resolved by the atasan's atasan."""

    __tablename__ = "keberatan"
    __audit__ = True
    __table_args__ = (UniqueConstraint("evaluation_id", "round", name="uq_keberatan_evaluation_round"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"), index=True)
    daerah_id: Mapped[int] = mapped_column(ForeignKey("daerah.id"))
    round: Mapped[int] = mapped_column(Integer, default=1)
    alasan: Mapped[str] = mapped_column(Text)
    filed_by: Mapped[str] = mapped_column(String(120))
    filed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    deadline_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[KeberatanStatus] = mapped_column(String(20), default=KeberatanStatus.pending)
    resolution: Mapped[Optional[str]] = mapped_column(Text)
    resolved_by: Mapped[Optional[str]] = mapped_column(String(120))
    resolved_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)
    decision_before_id: Mapped[Optional[int]] = mapped_column(ForeignKey("decision.id"))
    decision_after_id: Mapped[Optional[int]] = mapped_column(ForeignKey("decision.id"))
    predikat_before: Mapped[Optional[str]] = mapped_column(String(30))
    predikat_after: Mapped[Optional[str]] = mapped_column(String(30))


class FollowUp(Base):
    """A tindak lanjut from the decision's actions: owner role (and user), due date, status, completion note."""

    __tablename__ = "follow_up"
    __audit__ = True
    __table_args__ = (UniqueConstraint("decision_id", "position", name="uq_follow_up_decision_position"),
                      Index("ix_follow_up_daerah_status_due", "daerah_id", "status", "due_on"))

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"), index=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decision.id"))
    daerah_id: Mapped[int] = mapped_column(ForeignKey("daerah.id"))
    position: Mapped[int] = mapped_column(Integer)
    action_code: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(20))
    params: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    owner_role: Mapped[str] = mapped_column(String(20))
    owner_pegawai_id: Mapped[Optional[int]] = mapped_column(ForeignKey("pegawai.id"))
    due_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[FollowUpStatus] = mapped_column(String(20), default=FollowUpStatus.open)
    note: Mapped[Optional[str]] = mapped_column(Text)
    resolved_by: Mapped[Optional[str]] = mapped_column(String(120))
    resolved_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    evaluation: Mapped[Evaluation] = relationship(back_populates="follow_ups")


class TransitionHistory(Base):
    """One transition: who, when, from, to, why; each also has an audit event written in the same transaction."""

    __tablename__ = "transition_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"), index=True)
    event: Mapped[str] = mapped_column(String(30))
    from_state: Mapped[str] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(120))
    actor_user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text, default="")
    forced: Mapped[bool] = mapped_column(Boolean, default=False)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
