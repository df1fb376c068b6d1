"""Rule sets per daerah and kind, their versions, and the decisions taken with them."""
from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, Optional

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.db import Base, JsonType, utcnow
from engine.organisation import Daerah


class RuleKind(StrEnum):
    """What a rule set decides: scoring (ratings, predikat, score), reward/punishment triggers, coaching triggers."""

    scoring = "scoring"
    reward_punishment = "reward_punishment"
    coaching = "coaching"


class VersionStatus(StrEnum):
    """Life of a version: drafts are edited, published ones are frozen, retired ones are kept for replay."""

    draft = "draft"
    published = "published"
    retired = "retired"


KIND_LABELS = {
    "scoring": ("Penilaian (rating dan predikat)", "Scoring (ratings and predikat)"),
    "reward_punishment": ("Penghargaan dan sanksi", "Reward and punishment"),
    "coaching": ("Pembinaan (bimbingan, konseling, pelatihan)", "Coaching (guidance, counselling, training)"),
}


class RuleSet(Base):
    """The rules of one daerah for one kind; its versions carry the content."""

    __tablename__ = "rule_set"
    __audit__ = True
    __table_args__ = (UniqueConstraint("daerah_id", "kind", name="uq_rule_set_daerah_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    daerah_id: Mapped[int] = mapped_column(ForeignKey("daerah.id"), index=True)
    kind: Mapped[RuleKind] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(200))
    requires_second_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    daerah: Mapped[Daerah] = relationship()
    versions: Mapped[list["RuleVersion"]] = relationship(back_populates="rule_set", order_by="RuleVersion.number")

    def __str__(self) -> str:
        return self.name


class RuleVersion(Base):
    """One version of a rule set. Published and retired versions are immutable (service and database trigger)."""

    __tablename__ = "rule_version"
    __audit__ = True
    __table_args__ = (UniqueConstraint("rule_set_id", "number", name="uq_rule_version_set_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_set_id: Mapped[int] = mapped_column(ForeignKey("rule_set.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[VersionStatus] = mapped_column(String(20), default=VersionStatus.draft, index=True)
    document: Mapped[dict[str, Any]] = mapped_column(JsonType)
    content_hash: Mapped[Optional[str]] = mapped_column(String(64), index=True)
    canonical: Mapped[Optional[str]] = mapped_column(Text)
    extends_id: Mapped[Optional[int]] = mapped_column(ForeignKey("rule_version.id"))
    effective_from: Mapped[Optional[dt.date]] = mapped_column(Date)
    effective_to: Mapped[Optional[dt.date]] = mapped_column(Date)
    legal_basis: Mapped[str] = mapped_column(String(300), default="")
    change_note: Mapped[str] = mapped_column(Text, default="")
    contoh: Mapped[bool] = mapped_column(Boolean, default=False)
    problem_count: Mapped[int] = mapped_column(Integer, default=0)
    author: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    approved_by: Mapped[Optional[str]] = mapped_column(String(120))
    approved_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)
    publisher: Mapped[Optional[str]] = mapped_column(String(120))
    published_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)
    retired_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)

    rule_set: Mapped[RuleSet] = relationship(back_populates="versions")
    extends: Mapped[Optional["RuleVersion"]] = relationship(remote_side=[id])

    @property
    def daerah_id(self) -> int:
        """The daerah of the rule set (for audit and permission checks)."""
        return self.rule_set.daerah_id

    @property
    def label(self) -> str:
        """`<daerah>/<kind> v<number>`."""
        return f"{self.rule_set.daerah.code}/{self.rule_set.kind} v{self.number}"

    def __str__(self) -> str:
        return self.label


class Decision(Base):
    """A decision taken by the rules engine: facts snapshot, outputs, trace, versions and hashes, actor and time."""

    __tablename__ = "decision"
    # Not audited column by column (facts and trace are large): `decide` writes one explicit audit event.

    id: Mapped[int] = mapped_column(primary_key=True)
    daerah_id: Mapped[int] = mapped_column(ForeignKey("daerah.id"), index=True)
    pegawai_id: Mapped[Optional[int]] = mapped_column(ForeignKey("pegawai.id"), index=True)
    subject: Mapped[str] = mapped_column(String(120), default="", index=True)
    facts: Mapped[dict[str, Any]] = mapped_column(JsonType)
    result: Mapped[dict[str, Any]] = mapped_column(JsonType)
    result_hash: Mapped[str] = mapped_column(String(64))
    predikat: Mapped[Optional[str]] = mapped_column(String(30), index=True)
    engine_version: Mapped[str] = mapped_column(String(60))
    actor: Mapped[str] = mapped_column(String(120))
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    supersedes_id: Mapped[Optional[int]] = mapped_column(ForeignKey("decision.id"))

    versions: Mapped[list["DecisionVersion"]] = relationship(back_populates="decision", cascade="all, delete-orphan",
                                                             order_by="DecisionVersion.position")


class DecisionVersion(Base):
    """The exact rule versions (and their hashes) a decision was taken with, in evaluation order."""

    __tablename__ = "decision_version"

    decision_id: Mapped[int] = mapped_column(ForeignKey("decision.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    rule_version_id: Mapped[int] = mapped_column(ForeignKey("rule_version.id"), index=True)
    content_hash: Mapped[str] = mapped_column(String(64))

    decision: Mapped[Decision] = relationship(back_populates="versions")
    rule_version: Mapped[RuleVersion] = relationship()
