"""The append-only audit log: one row per change, chained by the hash of the row before it.

Changes of models that declare ``__audit__ = True`` are written automatically in the flush that makes them (same
transaction); services add explicit events with :func:`record_event`. The acting user is read from
``session.info["actor"]``, which :func:`set_actor` sets.
"""
from __future__ import annotations

import datetime as dt
import decimal
import enum
import hashlib
import json
import time
from dataclasses import dataclass
from typing import Any, Optional

from sqlalchemy import DateTime, Integer, String, bindparam, event, inspect, insert, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from engine.db import Base, JsonType, utcnow

GENESIS = "0" * 64


class AuditLog(Base):
    """One audited change: who, when, what, before and after, and the chain hashes."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    actor: Mapped[str] = mapped_column(String(120), index=True)
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(60), index=True)
    entity_id: Mapped[str] = mapped_column(String(80))
    daerah_id: Mapped[Optional[int]] = mapped_column(Integer, index=True)
    before: Mapped[Optional[dict[str, Any]]] = mapped_column(JsonType)
    after: Mapped[Optional[dict[str, Any]]] = mapped_column(JsonType)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The single row holding the last sequence number and hash; locked while appending."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    hash: Mapped[str] = mapped_column(String(64), default=GENESIS)


#: The chain's statements, built once: building them again for each of the thousands of appends a busy day makes
#: (the comparisons, the value coercions) cost more than running them on SQLite.
_HEAD = select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)
_LOCK_HEAD = _HEAD.with_for_update()
_INSERT_ROWS = insert(AuditLog)
_MOVE_HEAD = update(AuditHead).where(AuditHead.id == 1).values(seq=bindparam("new_seq"), hash=bindparam("new_hash"))


def set_actor(session: Session, actor: Any) -> None:
    """Record who acts in this session; audit rows name them."""
    session.info["actor"] = actor if isinstance(actor, str) else getattr(actor, "username", str(actor))


def jsonable(value: Any) -> Any:
    """A JSON-safe copy of a column value (dates as ISO strings, enums as their value)."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def row_hash(payload: dict) -> str:
    """sha256 of the canonical JSON of an audit row's content (prev_hash included)."""
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _payload(seq: int, at: dt.datetime, actor: str, action: str, entity: str, entity_id: str,
             daerah_id: int | None, before: Any, after: Any, prev_hash: str) -> dict:
    return {"seq": seq, "at": at.replace(microsecond=at.microsecond).isoformat(timespec="microseconds"),
            "actor": actor, "action": action, "entity": entity, "entity_id": entity_id, "daerah_id": daerah_id,
            "before": before, "after": after, "prev_hash": prev_hash}


def _append(session: Session, entries: list[dict]) -> None:
    """Append entries to the chain under a row lock on the head (serialises concurrent writers)."""
    if not entries:
        return
    conn = session.connection()
    head = conn.execute(_LOCK_HEAD).first()
    if head is None:
        conn.execute(insert(AuditHead).values(id=1, seq=0, hash=GENESIS))
        seq, prev = 0, GENESIS
    else:
        seq, prev = head.seq, head.hash
    rows = []
    now = utcnow()
    for e in entries:
        seq += 1
        payload = _payload(seq, now, e["actor"], e["action"], e["entity"], e["entity_id"], e.get("daerah_id"),
                           e.get("before"), e.get("after"), prev)
        digest = row_hash(payload)
        rows.append({"seq": seq, "at": now, "actor": e["actor"], "action": e["action"], "entity": e["entity"],
                     "entity_id": e["entity_id"], "daerah_id": e.get("daerah_id"), "before": e.get("before"),
                     "after": e.get("after"), "prev_hash": prev, "hash": digest})
        prev = digest
    conn.execute(_INSERT_ROWS, rows)
    conn.execute(_MOVE_HEAD, {"new_seq": seq, "new_hash": prev})


def record_event(session: Session, action: str, entity: str, entity_id: Any, *, daerah_id: int | None = None,
                 before: Any = None, after: Any = None, actor: Any = None) -> None:
    """Write one explicit audit row (a transition, a publish...) in the session's transaction."""
    session.flush()
    who = session.info.get("actor", "system") if actor is None else getattr(actor, "username", str(actor))
    _append(session, [{"actor": who, "action": action, "entity": entity,
                       "entity_id": str(entity_id), "daerah_id": daerah_id,
                       "before": jsonable(before), "after": jsonable(after)}])


def _columns(model: type) -> list[str]:
    excluded = set(getattr(model, "__audit_exclude__", ()))
    return [a.key for a in inspect(model).column_attrs if a.key not in excluded]


def _snapshot(obj: Any) -> dict:
    return {k: jsonable(getattr(obj, k)) for k in _columns(type(obj))}


def _created(actor: str, table: str, entity_id: str, daerah_id: int | None, after: dict) -> dict:
    return {"actor": actor, "action": "create", "entity": table, "entity_id": entity_id, "daerah_id": daerah_id,
            "after": after}


def _changes(obj: Any) -> tuple[dict, dict]:
    state = inspect(obj)
    before, after = {}, {}
    excluded = set(getattr(obj, "__audit_exclude__", ()))
    for attr in state.mapper.column_attrs:
        hist = state.attrs[attr.key].history
        if hist.has_changes():
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            if old == new:
                continue
            if attr.key in excluded:
                before[attr.key], after[attr.key] = "***", "*** (diubah / changed)"
            else:
                before[attr.key], after[attr.key] = jsonable(old), jsonable(new)
    return before, after


def _daerah_of(obj: Any) -> int | None:
    if obj.__tablename__ == "daerah":
        return obj.id
    return getattr(obj, "daerah_id", None)


def _entity_id(obj: Any) -> str:
    """The row's primary key as text ("3", or "3,7" for a composite key). Read from the object: when the flush hook
    runs, a row just inserted has its key values but not yet its identity key."""
    state = inspect(obj)
    values = state.identity or state.mapper.primary_key_from_instance(obj)
    return ",".join(str(v) for v in values if v is not None)


def record_inserted(session: Session, model: type, rows: list[dict]) -> None:
    """Audit rows inserted in bulk (a Core insert, ids returned): the same `create` entries the flush hook writes
    for ORM objects (every audited column, the id as entity id, the daerah). Each row must carry every column."""
    actor, columns = session.info.get("actor", "system"), _columns(model)
    _append(session, [_created(actor, model.__tablename__, str(row["id"]), row.get("daerah_id"),
                               {k: jsonable(row[k]) for k in columns}) for row in rows])


@event.listens_for(Base, "mapper_configured", propagate=True)
def _keep_old_values(mapper: Any, cls: type) -> None:
    """Audited columns load their old value before a change, so `before` is never lost to an expired attribute."""
    if getattr(cls, "__audit__", False):
        for attr in mapper.column_attrs:
            getattr(cls, attr.key).impl.active_history = True


@event.listens_for(Session, "after_flush")
def _audit_after_flush(session: Session, flush_context: Any) -> None:
    actor = session.info.get("actor", "system")
    entries = []
    for obj in session.new:
        if getattr(obj, "__audit__", False):
            entries.append(_created(actor, obj.__tablename__, _entity_id(obj), _daerah_of(obj), _snapshot(obj)))
    for obj in session.dirty:
        if getattr(obj, "__audit__", False) and session.is_modified(obj, include_collections=False):
            before, after = _changes(obj)
            if before or after:
                entries.append({"actor": actor, "action": "update", "entity": obj.__tablename__,
                                "entity_id": _entity_id(obj), "daerah_id": _daerah_of(obj),
                                "before": before, "after": after})
    for obj in session.deleted:
        if getattr(obj, "__audit__", False):
            entries.append({"actor": actor, "action": "delete", "entity": obj.__tablename__,
                            "entity_id": _entity_id(obj), "daerah_id": _daerah_of(obj), "before": _snapshot(obj)})
    _append(session, entries)


@dataclass(frozen=True)
class ChainCursor:
    """Where a chain check stopped for now: the last row checked, the sequence number the next row must carry, the
    hash it must link to, and how many rows were checked so far."""

    last_id: int = 0
    next_seq: int = 1
    prev_hash: str = GENESIS
    checked: int = 0


@dataclass(frozen=True)
class ChainReport:
    """Result of a chain check: rows checked, the first broken row if any, and where to go on when the check
    stopped at its time budget before the end (`resume`)."""

    checked: int
    broken_seq: int | None = None
    reason: str = ""
    reason_en: str = ""
    resume: ChainCursor | None = None
    total: int | None = None  #: with `resume`: rows in the chain as its head read when the segment began

    @property
    def complete(self) -> bool:
        """True when the check reached a verdict: a broken row, or the end of the chain."""
        return self.resume is None

    @property
    def ok(self) -> bool:
        """True only when every row of the whole chain was checked and its hash and link are intact."""
        return self.broken_seq is None and self.resume is None


_CHAIN_BATCH = (select(AuditLog.id, AuditLog.seq, AuditLog.at, AuditLog.actor, AuditLog.action, AuditLog.entity,
                       AuditLog.entity_id, AuditLog.daerah_id, AuditLog.before, AuditLog.after, AuditLog.prev_hash,
                       AuditLog.hash)
                .where(AuditLog.id > bindparam("after")).order_by(AuditLog.id).limit(bindparam("n")))


def _broken(checked: int, seq: int, expected: int, linked: bool) -> ChainReport:
    """The report of the first broken row: out of sequence, not linked to the row before, or changed."""
    if seq != expected:
        return ChainReport(checked, seq, f"urutan terputus: diharapkan {expected}, ada {seq}",
                           f"the sequence breaks: {expected} expected, {seq} found")
    if not linked:
        return ChainReport(checked, seq, "prev_hash tidak cocok dengan hash baris sebelumnya",
                           "prev_hash does not match the hash of the row before")
    return ChainReport(checked, seq, "isi baris tidak cocok dengan hash-nya (diubah)",
                       "the row's content does not match its hash (changed)")


def verify_chain(session: Session, batch: int = 5000, *, start: ChainCursor | None = None,
                 seconds: float | None = None) -> ChainReport:
    """Recompute every row's hash in order and return the first row whose content or link is broken. From `start`
    (a previous report's `resume`) when given; with `seconds`, stop after the first batch that ends past that budget
    and return where to resume (so a request stays short however long the chain is). The check goes up to the head
    as it reads it first (rows appended meanwhile are the next segment's, never a false "missing"), and the head must
    then name the last row checked. Rows are read as plain tuples: the check reads every row ever written."""
    at = start or ChainCursor()
    began = time.monotonic()
    conn = session.connection()
    head = conn.execute(_HEAD).first()
    end = head.seq if head is not None else None
    while end is None or at.next_seq <= end:
        rows = conn.execute(_CHAIN_BATCH, {"after": at.last_id, "n": batch}).all()
        if not rows:
            break
        prev, expected, last_id = at.prev_hash, at.next_seq, at.last_id
        for row_id, seq, moment, actor, action, entity, entity_id, daerah_id, before, after, prev_hash, digest in rows:
            if end is not None and expected > end:
                break
            payload = _payload(seq, moment, actor, action, entity, entity_id, daerah_id, before, after, prev_hash)
            if seq != expected or prev_hash != prev or row_hash(payload) != digest:
                return _broken(at.checked + expected - at.next_seq, seq, expected, prev_hash == prev)
            prev, expected, last_id = digest, expected + 1, row_id
        at = ChainCursor(last_id, expected, prev, at.checked + expected - at.next_seq)
        more = len(rows) == batch and (end is None or at.next_seq <= end)
        if seconds is not None and more and time.monotonic() - began >= seconds:
            return ChainReport(at.checked, resume=at, total=end)
    if head is not None and (head.seq != at.next_seq - 1 or head.hash != at.prev_hash):
        return ChainReport(at.checked, at.next_seq, "baris terakhir hilang: kepala rantai tidak cocok",
                           "the last rows are missing: the chain's head does not match")
    return ChainReport(at.checked)
