"""Rule versions: drafts, validation on save, publish with legal basis and effective dates, retire, diff."""
from __future__ import annotations

import copy
import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.audit import record_event
from engine.identity import User
from engine.permissions import require_read, require_write
from engine.runtime import canonical_json, content_hash, diff_documents, resolve, validate_document
from engine.runtime.errors import Conflict, NotFound, Problem, ValidationFailed
from engine.db import utcnow
from rules.models import RuleSet, RuleVersion, VersionStatus

LEGAL_BASIS_MAX = RuleVersion.__table__.c.legal_basis.type.length  #: the column's size

ONE_DAY = dt.timedelta(days=1)


def _require_draft(version: RuleVersion) -> None:
    if version.status != VersionStatus.draft:
        raise Conflict(f"Versi {version.label} sudah {version.status}: tidak dapat diubah. Buat draf baru.",
                       f"Version {version.label} is {version.status} and cannot change. Create a new draft.",
                       code="version_frozen")


def resolved_document(version: RuleVersion) -> dict:
    """The version's document merged over its baseline (the version it extends), with per-rule origin."""
    doc = copy.deepcopy(version.document)
    if version.extends is not None:
        return resolve(resolved_document(version.extends), doc)
    return resolve(doc, None)


def _pack_problems(version: RuleVersion, doc: dict) -> list[Problem]:
    """A document whose `pack` names another daerah than the rule set's (an export of another daerah imported)."""
    code = version.rule_set.daerah.code
    if isinstance(doc.get("pack"), str) and doc["pack"] != code:
        return [Problem("pack", "pack", f"dokumen ini untuk '{doc['pack']}', bukan '{code}'",
                        f"this document is for '{doc['pack']}', not '{code}'")]
    return []


def _kind_problems(version: RuleVersion, doc: dict) -> list[Problem]:
    from rules.packs import KIND_STAGES

    allowed = KIND_STAGES[version.rule_set.kind]
    return [Problem("stage_kind", f"stages.{name}",
                    f"Tahap '{name}' tidak termasuk jenis aturan '{version.rule_set.kind}' (boleh: {', '.join(allowed)}).",
                    f"Stage '{name}' does not belong to rule kind '{version.rule_set.kind}' (allowed: {', '.join(allowed)}).")
            for name in _stage_names(doc) if name not in allowed]


def _stage_names(doc: dict) -> list[str]:
    stages = doc.get("stages")
    return list(stages) if isinstance(stages, dict) else []  # a wrong shape is validate_document's to name


def version_problems(version: RuleVersion) -> list[Problem]:
    """Every problem that stops this version from being published (empty: publishable)."""
    doc = version.document
    if not isinstance(doc, dict):
        return [Problem("shape", "$", "Dokumen aturan harus objek JSON.", "The rule document must be a JSON object.")]
    problems = _pack_problems(version, doc) + _kind_problems(version, doc)
    try:
        resolved = resolved_document(version)
    except ValidationFailed as error:
        return problems + (error.problems or [Problem(error.code, "$", error.message_id, error.message_en)])
    return problems + validate_document(resolved)


#: problems that keep a document from being stored at all, even as a draft: a wrong shape, a fact the catalogue
#: does not have (what the rules issue calls bad input), or another daerah's pack. Every other problem (a gap, an
#: overlap, a type that does not fit...) is saved with the draft, listed, and blocks only publishing.
UNSTORABLE = frozenset({"shape", "unknown_key", "unknown_fact", "pack"})


def _refuse_unstorable(version: RuleVersion) -> list[Problem]:
    """The version's problems, or ValidationFailed (nothing to be stored) when any of them is unstorable."""
    problems = version_problems(version)
    bad = [p for p in problems if p.code in UNSTORABLE]
    if bad:
        more = f" (+{len(bad) - 3})" if len(bad) > 3 else ""
        raise ValidationFailed(
            "Dokumen aturan tidak disimpan: bentuknya salah, memakai fakta yang tidak ada di katalog, atau untuk "
            "daerah lain. "
            + "; ".join(f"{p.path}: {p.message_id}" for p in bad[:3]) + more,
            "The rule document was not stored: its shape is wrong, it uses a fact the catalogue does not have, or it "
            "is another daerah's. "
            + "; ".join(f"{p.path}: {p.message_en}" for p in bad[:3]) + more, code="invalid_rules", problems=bad)
    return problems


def _require_object(document: object) -> None:
    if not isinstance(document, dict):
        raise ValidationFailed("Dokumen aturan harus objek JSON/YAML (kunci: pack, stages, ...); tidak ada yang disimpan.",
                               "A rule document must be a JSON/YAML object (keys: pack, stages, ...); nothing was saved.",
                               code="shape", field="document",
                               problems=[Problem("shape", "$", "harus objek", "must be an object")])


def create_draft(session: Session, actor: User, rule_set: RuleSet, *, document: dict | None = None,
                 extends: RuleVersion | None = None, change_note: str = "") -> RuleVersion:
    """A new draft: the given document, or a copy of the latest version; nothing is published."""
    require_write(session, actor, "rules", rule_set.daerah_id)
    if document is not None:
        _require_object(document)
    latest = session.scalar(select(RuleVersion).where(RuleVersion.rule_set_id == rule_set.id)
                            .order_by(RuleVersion.number.desc()).limit(1))
    if document is None:
        if latest is None:
            raise ValidationFailed("Dokumen aturan wajib untuk draf pertama.", "The first draft needs a document.",
                                   code="required", field="document")
        document, extends = copy.deepcopy(latest.document), extends or latest.extends
    number = (session.scalar(select(func.max(RuleVersion.number)).where(RuleVersion.rule_set_id == rule_set.id))
              or 0) + 1
    version = RuleVersion(rule_set=rule_set, number=number, status=VersionStatus.draft,
                          document=copy.deepcopy(document), extends=extends, change_note=change_note,
                          contoh=bool(isinstance(document, dict) and document.get("contoh")),
                          author=actor.username)
    with session.no_autoflush:  # checked before it is added: a refused document leaves no row behind
        version.problem_count = len(_refuse_unstorable(version))
    session.add(version)
    session.flush()
    return version


def save_draft(session: Session, actor: User, version: RuleVersion, document: dict,
               change_note: str | None = None) -> list[Problem]:
    """Replace a draft's document; the draft is saved even when invalid, and its problems are returned, unless the
    document's shape is wrong or it names an unknown fact (UNSTORABLE: ValidationFailed, the draft unchanged)."""
    require_write(session, actor, "rules", version.rule_set.daerah_id)
    _require_draft(version)
    _require_object(document)
    stored = version.document
    version.document = copy.deepcopy(document)
    try:
        with session.no_autoflush:
            problems = _refuse_unstorable(version)
    except ValidationFailed:
        version.document = stored  # the draft keeps what it held
        raise
    version.contoh = bool(isinstance(document, dict) and document.get("contoh"))
    if change_note is not None:
        version.change_note = change_note
    version.problem_count = len(problems)
    session.flush()
    return problems


def approve_version(session: Session, actor: User, version: RuleVersion) -> None:
    """Second-person approval of a draft (required before publishing where the daerah asks for it)."""
    require_write(session, actor, "rules", version.rule_set.daerah_id)
    _require_draft(version)
    if actor.username == version.author:
        raise Conflict("Persetujuan kedua harus oleh orang lain, bukan penyusun draf.",
                       "The second approval must come from someone other than the draft's author.",
                       code="same_person")
    version.approved_by, version.approved_at = actor.username, utcnow()
    record_event(session, "approve", "rule_version", version.id, daerah_id=version.rule_set.daerah_id,
                 after={"approved_by": actor.username}, actor=actor)


def _overlaps(session: Session, version: RuleVersion, start: dt.date, end: dt.date | None) -> list[RuleVersion]:
    others = session.scalars(select(RuleVersion).where(RuleVersion.rule_set_id == version.rule_set_id,
                                                       RuleVersion.status == VersionStatus.published,
                                                       RuleVersion.id != version.id)).all()
    return [o for o in others if (end is None or o.effective_from <= end) and
            (o.effective_to is None or o.effective_to >= start)]


def publish_version(session: Session, actor: User, version: RuleVersion, *, legal_basis: str,
                    effective_from: dt.date, effective_to: dt.date | None = None, change_note: str = "") -> RuleVersion:
    """Freeze a valid draft: canonical JSON, content hash, who, when, legal basis and effective period."""
    require_write(session, actor, "rules", version.rule_set.daerah_id)
    _require_draft(version)
    problems = version_problems(version)
    if problems:
        version.problem_count = len(problems)
        raise ValidationFailed(f"Versi belum dapat diterbitkan: {len(problems)} masalah, mis. {problems[0].message_id}",
                               f"The version cannot be published: {len(problems)} problems, e.g. "
                               f"{problems[0].message_en}", code="invalid_rules", problems=problems)
    if not (legal_basis or "").strip():
        raise ValidationFailed("Dasar hukum (nomor Perkada/Perwal/Perbup) wajib diisi untuk menerbitkan.",
                               "A legal basis (Perkada/Perwal/Perbup number) is required to publish.",
                               code="required", field="legal_basis")
    if len(legal_basis.strip()) > LEGAL_BASIS_MAX:
        raise ValidationFailed(f"Dasar hukum paling panjang {LEGAL_BASIS_MAX} karakter.",
                               f"The legal basis has at most {LEGAL_BASIS_MAX} characters.", code="too_long",
                               field="legal_basis")
    if effective_to is not None and effective_to < effective_from:
        raise ValidationFailed("Tanggal akhir berlaku tidak boleh sebelum tanggal mulai.",
                               "The end date cannot be before the start date.", code="dates", field="effective_to")
    if version.rule_set.requires_second_approval and not version.approved_by:
        raise Conflict("Daerah ini mewajibkan persetujuan orang kedua sebelum terbit.",
                       "This daerah requires a second person's approval before publishing.", code="needs_approval")
    for other in _overlaps(session, version, effective_from, effective_to):
        if other.effective_from < effective_from and other.effective_to is None:
            other.effective_to = effective_from - ONE_DAY  # the open-ended predecessor ends the day before
            continue
        raise Conflict(f"Masa berlaku bertumpang tindih dengan {other.label} "
                       f"({other.effective_from} s.d. {other.effective_to or '-'}).",
                       f"The effective period overlaps {other.label} "
                       f"({other.effective_from} to {other.effective_to or '-'}).", code="overlap")
    version.canonical = canonical_json(version.document)
    version.content_hash = content_hash(version.document)
    version.legal_basis, version.effective_from, version.effective_to = legal_basis.strip(), effective_from, effective_to
    if change_note:
        version.change_note = change_note
    version.status, version.publisher, version.published_at = VersionStatus.published, actor.username, utcnow()
    version.problem_count = 0
    session.flush()
    record_event(session, "publish", "rule_version", version.id, daerah_id=version.rule_set.daerah_id,
                 after={"label": version.label, "hash": version.content_hash, "legal_basis": version.legal_basis,
                        "effective_from": effective_from, "effective_to": effective_to}, actor=actor)
    return version


def retire_version(session: Session, actor: User, version: RuleVersion, reason: str) -> None:
    """Take a published version out of force (it stays for replay and audit)."""
    require_write(session, actor, "rules", version.rule_set.daerah_id)
    if version.status != VersionStatus.published:
        raise Conflict("Hanya versi terbit yang dapat dipensiunkan.", "Only a published version can be retired.",
                       code="not_published")
    if not (reason or "").strip():
        raise ValidationFailed("Alasan wajib diisi.", "A reason is required.", code="required", field="reason")
    from rules.decisions import unload_version  # decisions builds on this module

    version.status, version.retired_at = VersionStatus.retired, utcnow()
    session.flush()
    record_event(session, "retire", "rule_version", version.id, daerah_id=version.rule_set.daerah_id,
                 after={"reason": reason}, actor=actor)
    unload_version(version)  # should the transaction fail, a later decision registers them again


def get_version(session: Session, actor: User, daerah_code: str, kind: str, number: int | None = None) -> RuleVersion:
    """A version of a daerah's rule set (the latest when no number is given) that `actor` may read."""
    from engine.organisation import Daerah

    rule_set = session.scalar(select(RuleSet).join(Daerah).where(Daerah.code == daerah_code, RuleSet.kind == kind))
    query = select(RuleVersion).where(RuleVersion.rule_set_id == (rule_set.id if rule_set else -1))
    query = query.where(RuleVersion.number == number) if number else query.order_by(RuleVersion.number.desc())
    version = session.scalars(query.limit(1)).first()
    if version is None:
        raise NotFound(f"Versi aturan {daerah_code}/{kind} v{number or '-'} tidak ditemukan.",
                       f"Rule version {daerah_code}/{kind} v{number or '-'} not found.", code="not_found")
    require_read(session, actor, "rules", version.rule_set.daerah_id)
    return version


def diff_versions(old: RuleVersion, new: RuleVersion) -> list[dict]:
    """Rule-level differences between two versions as they apply (each resolved over its baseline)."""
    return diff_documents(resolved_document(old), resolved_document(new))


def in_force(session: Session, daerah_id: int, kind: str, on: dt.date) -> RuleVersion | None:
    """The daerah's published version of `kind` whose effective period covers `on`."""
    rows = session.scalars(select(RuleVersion).join(RuleSet).where(
        RuleSet.daerah_id == daerah_id, RuleSet.kind == kind, RuleVersion.status == VersionStatus.published,
        RuleVersion.effective_from <= on).order_by(RuleVersion.effective_from.desc())).all()
    return next((v for v in rows if v.effective_to is None or v.effective_to >= on), None)
