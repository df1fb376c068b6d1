"""Citizen satisfaction survey (survei kepuasan masyarakat) per unit kerja: forms HR opens and closes, anonymous
responses on the nine IKM elements with an optional comment held for moderation, abuse controls, and the unit's
index written as its ServiceMeasure.kepuasan_masyarakat (with the respondent count) for the tahunan period, which
`workflows.facts` reads into the facts of every pegawai of the unit's subtree.

Public submissions take no user: only request facts (a salted hash of the client address, the challenge nonce).
The address itself is never stored. Abuse controls: a DB-backed attempt counter per address hash (works across
gunicorn workers), one response per challenge nonce, the same answers from the same address or the same comment
text on the same form within a day refused as duplicates, comment length and markup limits. Comments are shown
publicly only after HR approves them; HR may also exclude a response as spam (audited, and the public page says
how many were excluded), which removes it from the index.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from enum import StrEnum
from typing import Optional

from sqlalchemy import (Boolean, CheckConstraint, DateTime, ForeignKey, Index, Integer, SmallInteger, String, Text,
                        case, delete, func, select)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from engine.audit import record_event
from engine.db import Base, utcnow
from engine.identity import Role, User
from engine.organisation import Daerah, UnitKerja
from engine.permissions import scope_for
from engine.runtime.ikm import ELEMENTS, IkmResult, check_scores, from_sums
from workflows.deadlines import local_today
from workflows.errors import WorkflowConflict, WorkflowNotAllowed, WorkflowNotFound, invalid, problem
from workflows.models import Period, ServiceMeasure
from workflows.permissions import in_reach, require_hr
from workflows.realization import JENIS_LAYANAN

COMMENT_MAX = 1000
TITLE_MAX = 200
DUPLICATE_WINDOW = dt.timedelta(hours=24)
SCORE_COLUMNS = tuple(f"u{i}" for i in range(1, len(ELEMENTS) + 1))
_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?][^>]*>|javascript\s*:|on[a-z]+\s*=", re.IGNORECASE)
_LINK = re.compile(r"https?://|www\.", re.IGNORECASE)


class CommentStatus(StrEnum):
    """A comment waits for HR; only approved ones are shown publicly."""

    pending = "pending"
    approved = "approved"
    rejected = "rejected"


class SurveyForm(Base):
    """The public satisfaction form of one unit kerja: the service it asks about and whether it is open."""

    __tablename__ = "survey_form"
    __audit__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    daerah_id: Mapped[int] = mapped_column(ForeignKey("daerah.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit_kerja.id"), unique=True)
    jenis_layanan: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    is_open: Mapped[bool] = mapped_column(Boolean, default=False)
    opened_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)
    closed_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)
    changed_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    daerah: Mapped[Daerah] = relationship()
    unit: Mapped[UnitKerja] = relationship()


class SurveyResponse(Base):
    """One anonymous response: nine scores 1-4 (u1..u9 in the regulation's order), an optional comment and its
    moderation, the local year and month it arrived, and hashes for abuse control (never the address)."""

    __tablename__ = "survey_response"
    __table_args__ = (
        CheckConstraint(" AND ".join(f"{c} BETWEEN 1 AND 4" for c in SCORE_COLUMNS), name="scores_1_4"),
        Index("ix_survey_response_unit_tahun", "unit_id", "tahun"),
        Index("ix_survey_response_form_submitted", "form_id", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("survey_form.id"))
    daerah_id: Mapped[int] = mapped_column(ForeignKey("daerah.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit_kerja.id"))
    tahun: Mapped[int] = mapped_column(Integer)
    bulan: Mapped[int] = mapped_column(Integer)
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    u1: Mapped[int] = mapped_column(SmallInteger)
    u2: Mapped[int] = mapped_column(SmallInteger)
    u3: Mapped[int] = mapped_column(SmallInteger)
    u4: Mapped[int] = mapped_column(SmallInteger)
    u5: Mapped[int] = mapped_column(SmallInteger)
    u6: Mapped[int] = mapped_column(SmallInteger)
    u7: Mapped[int] = mapped_column(SmallInteger)
    u8: Mapped[int] = mapped_column(SmallInteger)
    u9: Mapped[int] = mapped_column(SmallInteger)
    comment: Mapped[Optional[str]] = mapped_column(Text)
    comment_status: Mapped[Optional[CommentStatus]] = mapped_column(String(20), index=True)
    comment_hash: Mapped[Optional[str]] = mapped_column(String(64), index=True)
    moderated_by: Mapped[Optional[str]] = mapped_column(String(120))
    moderated_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)
    excluded: Mapped[bool] = mapped_column(Boolean, default=False)
    excluded_reason: Mapped[Optional[str]] = mapped_column(Text)
    client_hash: Mapped[str] = mapped_column(String(64), index=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    nonce: Mapped[str] = mapped_column(String(64), unique=True)

    form: Mapped[SurveyForm] = relationship()

    @property
    def scores(self) -> list[int]:
        """The nine scores in ELEMENTS order."""
        return [getattr(self, c) for c in SCORE_COLUMNS]


class SurveyThrottle(Base):
    """Submission attempts per client-address hash in a fixed window (shared by every worker)."""

    __tablename__ = "survey_throttle"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[dt.datetime] = mapped_column(DateTime, index=True)


# --- reading and permissions ----------------------------------------------------------------------------------

def _require_reader(actor: User, daerah: Daerah) -> None:
    if scope_for(actor, {Role.hr, Role.admin, Role.auditor}).allows(daerah.id):
        return
    if not in_reach(actor, daerah.id):
        raise WorkflowNotFound("Daerah tidak ditemukan.", "Daerah not found.", code="not_found")
    raise WorkflowNotAllowed("Hanya kepegawaian dan auditor daerah ini yang dapat melihat survei kepuasan.",
                             "Only HR and auditors of this daerah may see the satisfaction survey.", code="forbidden")


def survey_forms(session: Session, actor: User, daerah: Daerah) -> list[SurveyForm]:
    """Every survey form of the daerah (HR, admins and auditors)."""
    _require_reader(actor, daerah)
    return list(session.scalars(select(SurveyForm).join(UnitKerja).where(SurveyForm.daerah_id == daerah.id)
                                .order_by(UnitKerja.name)))


def get_form(session: Session, actor: User, form_id: int) -> SurveyForm:
    """A survey form the actor may read (404 for another daerah's, as for a missing one)."""
    form = session.get(SurveyForm, form_id)
    if form is None or not scope_for(actor, {Role.hr, Role.admin, Role.auditor}).allows(form.daerah_id):
        raise WorkflowNotFound("Formulir survei tidak ditemukan.", "Survey form not found.", code="not_found")
    return form


def plausible_code(code: object, limit: int = 60) -> bool:
    """True when `code` could be a stored daerah or unit code (a public URL may carry anything, even NUL bytes,
    which PostgreSQL refuses in a query)."""
    return isinstance(code, str) and 0 < len(code) <= limit and not any(ord(ch) < 32 for ch in code)


def public_form(session: Session, daerah_code: str, unit_code: str) -> SurveyForm:
    """The open form of a unit for the public page; NotFound for an unknown unit or a closed form."""
    form = None
    if plausible_code(daerah_code, 40) and plausible_code(unit_code):
        form = session.scalar(select(SurveyForm).join(UnitKerja, UnitKerja.id == SurveyForm.unit_id)
                              .join(Daerah, Daerah.id == SurveyForm.daerah_id)
                              .where(Daerah.code == daerah_code, UnitKerja.code == unit_code))
    if form is None or not form.is_open:
        raise WorkflowNotFound("Formulir survei tidak ditemukan atau sedang ditutup.",
                               "The survey form does not exist or is closed.", code="not_found")
    return form


def open_forms(session: Session, daerah: Daerah) -> list[SurveyForm]:
    """The daerah's open forms, for the public index."""
    return list(session.scalars(select(SurveyForm).join(UnitKerja).where(SurveyForm.daerah_id == daerah.id,
                                                                          SurveyForm.is_open.is_(True))
                                .order_by(UnitKerja.name)))


# --- HR: forms -------------------------------------------------------------------------------------------------

def open_form(session: Session, actor: User, unit: UnitKerja, *, jenis_layanan: str, title: str) -> SurveyForm:
    """HR opens (or reopens, possibly renamed) the unit's public satisfaction form."""
    require_hr(actor, unit.daerah)
    title = " ".join((_clean_comment(title) or "").split())
    problems = []
    if jenis_layanan not in JENIS_LAYANAN:
        problems.append(problem("enum", "jenis_layanan", f"jenis layanan harus salah satu dari {', '.join(JENIS_LAYANAN)}",
                                f"the service kind must be one of {', '.join(JENIS_LAYANAN)}"))
    if not title or len(title) > TITLE_MAX or _MARKUP.search(title):
        problems.append(problem("title", "title", f"nama layanan wajib diisi, paling banyak {TITLE_MAX} karakter, "
                                "tanpa kode HTML", f"the service name is required, at most {TITLE_MAX} characters, "
                                "without HTML"))
    if problems:
        raise invalid(problems, "Formulir survei tidak dapat dibuka", "The survey form cannot be opened")
    form = session.scalar(select(SurveyForm).where(SurveyForm.unit_id == unit.id))
    if form is None:
        form = SurveyForm(daerah_id=unit.daerah_id, unit_id=unit.id)
        session.add(form)
    form.jenis_layanan, form.title, form.is_open = jenis_layanan, title, True
    form.opened_at, form.changed_by = utcnow(), actor.username
    session.flush()
    return form


def close_form(session: Session, actor: User, form: SurveyForm) -> SurveyForm:
    """HR closes the form: the public page answers 404; responses and the index stay."""
    require_hr(actor, form.daerah)
    if form.is_open:
        form.is_open, form.closed_at, form.changed_by = False, utcnow(), actor.username
        session.flush()
    return form


# --- public: abuse control and submission ----------------------------------------------------------------------

def take_attempt(session: Session, key: str, *, limit: int, window: dt.timedelta,
                 now: dt.datetime | None = None) -> int:
    """Count one submission attempt under `key`; the seconds to wait when the window's limit is spent (0: go on)."""
    now = now or utcnow()
    session.execute(delete(SurveyThrottle).where(SurveyThrottle.window_start < now - 2 * window))
    row = session.get(SurveyThrottle, key, with_for_update=True)
    if row is None:
        try:
            with session.begin_nested():
                row = SurveyThrottle(key=key, attempts=0, window_start=now)
                session.add(row)
        except IntegrityError:  # another worker created it first: use theirs
            row = session.get(SurveyThrottle, key, with_for_update=True, populate_existing=True)
    if now - row.window_start >= window:
        row.attempts, row.window_start = 0, now
    if row.attempts >= limit:
        return max(1, int((row.window_start + window - now).total_seconds()) + 1)
    row.attempts += 1
    session.flush()
    return 0


def _clean_comment(comment: str | None) -> str | None:
    """Normalised text without control characters (NUL bytes included), or None when nothing is left."""
    text = unicodedata.normalize("NFC", comment or "")
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    text = "\n".join(" ".join(line.split()) for line in text.strip().splitlines()).strip()
    return text or None


def comment_problems(comment: str | None) -> list:
    """Why a (cleaned) comment is refused: too long, markup or script, or more than two links."""
    if comment is None:
        return []
    out = []
    if len(comment) > COMMENT_MAX:
        out.append(problem("too_long", "comment", f"komentar paling banyak {COMMENT_MAX} karakter (ada {len(comment)})",
                           f"the comment may have at most {COMMENT_MAX} characters (it has {len(comment)})"))
    if _MARKUP.search(comment):
        out.append(problem("markup", "comment", "komentar tidak boleh berisi kode HTML atau skrip",
                           "the comment may not contain HTML or script"))
    if len(_LINK.findall(comment)) > 2:
        out.append(problem("links", "comment", "komentar berisi terlalu banyak tautan",
                           "the comment contains too many links"))
    return out


def digest(*parts: object) -> str:
    """sha256 of the parts joined (content and comment fingerprints for duplicate detection)."""
    return hashlib.sha256("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()


def submit_response(session: Session, form_id: int, scores: list, comment: str | None, *, client_hash: str,
                    nonce: str, now: dt.datetime | None = None) -> SurveyResponse:
    """Store one public response to an open form (no user: request facts only) and refresh the unit's index."""
    now = now or utcnow()
    form = session.get(SurveyForm, form_id, with_for_update=True)  # one writer per form: the index stays exact
    if form is None or not form.is_open:
        raise WorkflowNotFound("Formulir survei tidak ditemukan atau sedang ditutup.",
                               "The survey form does not exist or is closed.", code="not_found")
    comment = _clean_comment(comment)
    problems = [problem("score", f"scores.{msg.split(':')[0]}", "setiap unsur wajib dinilai 1 sampai 4",
                        "every element must be scored 1 to 4") for msg in check_scores(scores)][:1]
    problems += comment_problems(comment)
    if problems:
        raise invalid(problems, "Tanggapan belum dapat dikirim", "The response cannot be sent yet")
    if session.scalar(select(SurveyResponse.id).where(SurveyResponse.nonce == nonce)) is not None:
        raise _duplicate()
    content = digest(form.id, *scores, comment or "")
    since = now - DUPLICATE_WINDOW
    recent = select(SurveyResponse.id).where(SurveyResponse.form_id == form.id, SurveyResponse.submitted_at >= since)
    comment_hash = digest(form.id, " ".join((comment or "").lower().split())) if comment else None
    if session.scalar(recent.where(SurveyResponse.client_hash == client_hash,
                                   SurveyResponse.content_hash == content).limit(1)) is not None or (
            comment_hash and session.scalar(recent.where(SurveyResponse.comment_hash == comment_hash).limit(1))):
        raise _duplicate()
    local = local_today(form.daerah, now)
    row = SurveyResponse(form_id=form.id, daerah_id=form.daerah_id, unit_id=form.unit_id, tahun=local.year,
                         bulan=local.month, submitted_at=now, comment=comment,
                         comment_status=CommentStatus.pending if comment else None, comment_hash=comment_hash,
                         client_hash=client_hash, content_hash=content, nonce=nonce, excluded=False,
                         **dict(zip(SCORE_COLUMNS, scores)))
    session.add(row)
    session.flush()
    refresh_ikm(session, form, local.year)
    return row


def _duplicate() -> WorkflowConflict:
    return WorkflowConflict("Tanggapan yang sama sudah kami terima. Terima kasih.",
                            "We have already received this response. Thank you.", code="duplicate")


# --- the index ----------------------------------------------------------------------------------------------------

def unit_ikm(session: Session, unit_id: int, tahun: int, bulan: int | None = None) -> IkmResult | None:
    """The index of a unit's counted (not excluded) responses of a year, or of one month of it."""
    cols = [func.coalesce(func.sum(getattr(SurveyResponse, c)), 0) for c in SCORE_COLUMNS]
    query = select(func.count(SurveyResponse.id), *cols).where(
        SurveyResponse.unit_id == unit_id, SurveyResponse.tahun == tahun, SurveyResponse.excluded.is_(False))
    if bulan is not None:
        query = query.where(SurveyResponse.bulan == bulan)
    count, *sums = session.execute(query).one()
    return from_sums([int(s) for s in sums], int(count))


def refresh_ikm(session: Session, form: SurveyForm, tahun: int) -> ServiceMeasure | None:
    """Write the unit's index and respondent count for the daerah's tahunan period of `tahun` (when that period
    exists); the other service figures of the row are kept."""
    period = session.scalar(select(Period).where(Period.daerah_id == form.daerah_id, Period.tahun == tahun,
                                                 Period.jenis == "tahunan"))
    if period is None:
        return None
    result = unit_ikm(session, form.unit_id, tahun)
    row = session.scalar(select(ServiceMeasure).where(ServiceMeasure.period_id == period.id,
                                                      ServiceMeasure.unit_id == form.unit_id))
    if row is None:
        if result is None:
            return None
        row = ServiceMeasure(period_id=period.id, unit_id=form.unit_id, daerah_id=form.daerah_id)
        session.add(row)
    row.jenis_layanan = row.jenis_layanan or form.jenis_layanan
    row.kepuasan_masyarakat = result.index if result else None
    row.kepuasan_masyarakat_responden = result.respondents if result else None
    session.flush()
    return row


def refresh_daerah_ikm(session: Session, daerah: Daerah, tahun: int) -> int:
    """Write every form's index of `tahun` into the service figures (no permission check: system use, e.g. right
    after a period is opened and before its evaluations are decided); returns the units written."""
    forms = session.scalars(select(SurveyForm).where(SurveyForm.daerah_id == daerah.id)
                            .order_by(SurveyForm.id)).all()
    return sum(1 for form in forms if refresh_ikm(session, form, tahun) is not None)


def sync_ikm(session: Session, actor: User, daerah: Daerah, tahun: int) -> int:
    """HR writes every form's index of `tahun` into the service figures (e.g. after opening the period)."""
    require_hr(actor, daerah)
    written = refresh_daerah_ikm(session, daerah, tahun)
    record_event(session, "sync_ikm", "survey_form", daerah.id, daerah_id=daerah.id,
                 after={"tahun": tahun, "units": written}, actor=actor)
    return written


def monthly(session: Session, actor: User, form: SurveyForm, tahun: int) -> list[dict]:
    """Responses per month of a form's unit: count, excluded, comments waiting, and the month's index."""
    _require_reader(actor, form.daerah)
    rows = session.execute(
        select(SurveyResponse.bulan, func.count(SurveyResponse.id),
               func.sum(case((SurveyResponse.excluded.is_(True), 1), else_=0)),
               func.sum(case((SurveyResponse.comment_status == CommentStatus.pending, 1), else_=0)))
        .where(SurveyResponse.unit_id == form.unit_id, SurveyResponse.tahun == tahun)
        .group_by(SurveyResponse.bulan)).all()
    by_month = {b: (int(c), int(e or 0), int(p or 0)) for b, c, e, p in rows}
    out = []
    for bulan in range(1, 13):
        count, excluded, pending = by_month.get(bulan, (0, 0, 0))
        result = unit_ikm(session, form.unit_id, tahun, bulan) if count else None
        out.append({"bulan": bulan, "responses": count, "excluded": excluded, "pending": pending,
                    "ikm": result.index if result else None, "mutu": result.mutu if result else None})
    return out


def public_summary(session: Session, form: SurveyForm, tahun: int) -> dict:
    """What the public page shows: the year's index, respondents, excluded responses and approved comments."""
    excluded = session.scalar(select(func.count(SurveyResponse.id)).where(
        SurveyResponse.unit_id == form.unit_id, SurveyResponse.tahun == tahun, SurveyResponse.excluded.is_(True)))
    comments = session.execute(
        select(SurveyResponse.comment, SurveyResponse.bulan, SurveyResponse.tahun).where(
            SurveyResponse.form_id == form.id, SurveyResponse.comment_status == CommentStatus.approved,
            SurveyResponse.excluded.is_(False))
        .order_by(SurveyResponse.submitted_at.desc()).limit(20)).all()
    return {"tahun": tahun, "ikm": unit_ikm(session, form.unit_id, tahun), "excluded": int(excluded or 0),
            "comments": [{"text": c, "bulan": b, "tahun": y} for c, b, y in comments]}


# --- HR: moderation ---------------------------------------------------------------------------------------------

def comments_for_moderation(session: Session, actor: User, daerah: Daerah, status: str = CommentStatus.pending,
                            limit: int = 100) -> list[SurveyResponse]:
    """Responses with a comment in `status`, newest first (HR, admins and auditors of the daerah)."""
    _require_reader(actor, daerah)
    if status not in {s.value for s in CommentStatus}:
        status = CommentStatus.pending
    return list(session.scalars(select(SurveyResponse).where(SurveyResponse.daerah_id == daerah.id,
                                                             SurveyResponse.comment_status == status)
                                .order_by(SurveyResponse.submitted_at.desc(), SurveyResponse.id.desc())
                                .limit(limit)))


def _response(session: Session, actor: User, response_id: int) -> SurveyResponse:
    row = session.get(SurveyResponse, response_id)
    if row is None or not in_reach(actor, row.daerah_id):
        raise WorkflowNotFound("Tanggapan tidak ditemukan.", "Response not found.", code="not_found")
    require_hr(actor, row.form.daerah)
    return row


def moderate_comment(session: Session, actor: User, response_id: int, approve: bool) -> SurveyResponse:
    """HR approves a comment for the public page or rejects it (the scores still count)."""
    row = _response(session, actor, response_id)
    if row.comment_status is None:
        raise WorkflowConflict("Tanggapan ini tidak berisi komentar.", "This response has no comment.",
                               code="no_comment")
    before = row.comment_status
    row.comment_status = CommentStatus.approved if approve else CommentStatus.rejected
    row.moderated_by, row.moderated_at = actor.username, utcnow()
    record_event(session, "moderate_comment", "survey_response", row.id, daerah_id=row.daerah_id,
                 before={"comment_status": before}, after={"comment_status": row.comment_status}, actor=actor)
    return row


def exclude_response(session: Session, actor: User, response_id: int, reason: str) -> SurveyResponse:
    """HR excludes a response as spam, with a reason: it leaves the index (audited; the public page counts them)."""
    row = _response(session, actor, response_id)
    reason = " ".join((_clean_comment(reason) or "").split())
    if not reason or len(reason) > 500:
        raise invalid([problem("required", "reason", "alasan wajib diisi (paling banyak 500 karakter)",
                               "a reason is required (at most 500 characters)")],
                      "Tanggapan tidak dapat dikecualikan", "The response cannot be excluded")
    if not row.excluded:
        row.excluded, row.excluded_reason = True, reason
        if row.comment_status == CommentStatus.pending:
            row.comment_status = CommentStatus.rejected
        row.moderated_by, row.moderated_at = actor.username, utcnow()
        record_event(session, "exclude_response", "survey_response", row.id, daerah_id=row.daerah_id,
                     after={"excluded": True, "reason": reason}, actor=actor)
        refresh_ikm(session, row.form, row.tahun)
    return row
