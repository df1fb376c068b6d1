"""Rule sets and versions: list, read, draft, save, validate, approve, publish, retire, diff, export and import,
try on one facts document, and the impact on last period's decisions."""
from __future__ import annotations

import datetime as dt

from flask import Response
from sqlalchemy import func, or_, select

from admin.api.core import ApiBlueprint, actor, page_of
from admin.api.fields import json_problem
from admin.downloads import attachment
from engine.runtime.json_data import loads_strict
from admin.api.lookup import not_found
from admin.api.schemas.common import problems_out, page_schema
from admin.api.schemas.rules import (DiffQuery, DiffSchema, DraftCreateSchema, DraftImportSchema, DraftResultSchema,
                                     DraftSaveSchema, EmptySchema, ImpactQuery, ImpactSchema, PublishSchema,
                                     RetireSchema, RuleSetQuery, RuleSetSchema, TryResultSchema, TrySchema,
                                     ValidationResultSchema, VersionGetQuery, VersionQuery, VersionSchema,
                                     VersionSummarySchema)
from admin.extensions import db
from engine.organisation import Daerah
from engine.permissions import read_scope, require_write
from engine.runtime import dump_json, dump_yaml, load_document
from engine.runtime.errors import NotAllowed, NotFound, Problem, ValidationFailed
from rules.decisions import NASIONAL
from rules.impact import may_read_daerah_rules, may_read_rules, preview_impact, try_version
from rules.models import RuleKind, RuleSet, RuleVersion
from rules.packs import ensure_rule_set
from rules.versions import (approve_version, create_draft, diff_versions, in_force, publish_version,
                            resolved_document, retire_version, save_draft, version_problems)

blp = ApiBlueprint("aturan", __name__, description="Set dan versi aturan: draf, validasi, terbit, diff, impor/ekspor, "
                   "uji coba, dampak / rule sets and versions")
SET = "/rule-sets/<string:daerah>/<any(scoring, reward_punishment, coaching):kind>"
VERSION = SET + "/versions/<int(min=1, max=100000):number>"


def _daerah(code: str) -> Daerah:
    daerah = db.session.scalar(select(Daerah).where(Daerah.code == code))
    if daerah is None or not may_read_daerah_rules(actor(), daerah):
        raise not_found("daerah")
    return daerah


def _rule_set(code: str, kind: str) -> RuleSet:
    daerah = _daerah(code)
    rule_set = db.session.scalar(select(RuleSet).where(RuleSet.daerah_id == daerah.id, RuleSet.kind == kind))
    if rule_set is None:
        raise NotFound(f"Daerah {code} belum memiliki aturan {kind}.", f"{code} has no {kind} rules yet.",
                       code="not_found")
    return rule_set


def _version(code: str, kind: str, number: int) -> RuleVersion:
    rule_set = _rule_set(code, kind)
    version = db.session.scalar(select(RuleVersion).where(RuleVersion.rule_set_id == rule_set.id,
                                                          RuleVersion.number == number))
    if version is None:
        raise NotFound(f"Versi aturan {code}/{kind} v{number} tidak ditemukan.",
                       f"Rule version {code}/{kind} v{number} not found.", code="not_found")
    return version


def _rule_set_out(rule_set: RuleSet) -> dict:
    latest = db.session.scalar(select(func.max(RuleVersion.number)).where(RuleVersion.rule_set_id == rule_set.id))
    current = in_force(db.session, rule_set.daerah_id, rule_set.kind, dt.date.today())
    return {"id": rule_set.id, "daerah": rule_set.daerah.code, "kind": str(rule_set.kind), "name": rule_set.name,
            "requires_second_approval": rule_set.requires_second_approval, "latest_number": latest,
            "in_force_number": current.number if current else None}


@blp.route("/rule-sets", methods=["GET"])
@blp.arguments(RuleSetQuery, location="query")
@blp.response(200, page_schema(RuleSetSchema))
def list_rule_sets(args):
    """Rule sets the caller may read (their daerah's, and the nasional baseline)."""
    scope = read_scope(actor(), "rules")
    if not scope.everywhere and not scope.daerah_ids:
        raise NotAllowed("Anda tidak berwenang membaca aturan.", "You are not allowed to read rules.", code="forbidden")
    query = select(RuleSet).join(Daerah, Daerah.id == RuleSet.daerah_id).order_by(Daerah.code, RuleSet.kind)
    if not scope.everywhere:
        query = query.where(or_(RuleSet.daerah_id.in_(scope.daerah_ids), Daerah.code == NASIONAL))
    if args.get("daerah"):
        query = query.where(RuleSet.daerah_id == _daerah(args["daerah"]).id)
    if args.get("kind"):
        query = query.where(RuleSet.kind == args["kind"])
    page = page_of(query, args["page"], args["per_page"])
    page["items"] = [_rule_set_out(r) for r in page["items"]]
    return page


@blp.route(SET + "/versions", methods=["GET"])
@blp.arguments(VersionQuery, location="query")
@blp.response(200, page_schema(VersionSummarySchema))
def list_versions(args, daerah, kind):
    """The versions of a rule set, newest first."""
    rule_set = _rule_set(daerah, kind)
    query = select(RuleVersion).where(RuleVersion.rule_set_id == rule_set.id).order_by(RuleVersion.number.desc())
    if args.get("status"):
        query = query.where(RuleVersion.status == args["status"])
    return page_of(query, args["page"], args["per_page"])


def _default_extends(rule_set: RuleSet) -> RuleVersion | None:
    latest = db.session.scalar(select(RuleVersion).where(RuleVersion.rule_set_id == rule_set.id)
                               .order_by(RuleVersion.number.desc()).limit(1))
    if latest is not None:
        return latest.extends
    if rule_set.daerah.code == NASIONAL:
        return None
    nasional = db.session.scalar(select(Daerah).where(Daerah.code == NASIONAL))
    return in_force(db.session, nasional.id, rule_set.kind, dt.date.today()) if nasional else None


def _extends(data: dict, rule_set: RuleSet) -> RuleVersion | None:
    if "extends_version_id" not in data:
        return _default_extends(rule_set)
    if data["extends_version_id"] is None:
        return None
    base = db.session.get(RuleVersion, data["extends_version_id"])
    if base is None or not may_read_rules(actor(), base):
        raise not_found("rule_version", "extends_version_id")
    if base.rule_set.kind != rule_set.kind or base.rule_set_id == rule_set.id:
        raise ValidationFailed("Baseline harus versi jenis aturan yang sama dari daerah lain (biasanya nasional).",
                               "The baseline must be a version of the same kind from another daerah (usually "
                               "nasional).", code="extends", field="extends_version_id")
    return base


def _new_draft(code: str, kind: str, document: dict | None, data: dict):
    daerah = _daerah(code)
    require_write(db.session, actor(), "rules", daerah.id)
    rule_set = ensure_rule_set(db.session, daerah, RuleKind(kind))
    extends = _extends(data, rule_set)
    version = create_draft(db.session, actor(), rule_set, document=document, extends=extends,
                           change_note=data.get("change_note", ""))
    return {"version": version, "problems": problems_out(version_problems(version))}


@blp.route(SET + "/versions", methods=["POST"])
@blp.arguments(DraftCreateSchema)
@blp.response(201, DraftResultSchema)
def create_version(data, daerah, kind):
    """A policy maker starts a draft: the given document, or a copy of the latest version."""
    return _new_draft(daerah, kind, data.get("document"), data)


def _parse(data: dict) -> dict:
    if data["format"] == "json":
        try:
            document = loads_strict(data["content"])  # a key given twice, or nesting past Python's stack: refused
        except ValueError as error:
            raise ValidationFailed(f"Isi bukan JSON yang sah: {error}", f"The content is not valid JSON: {error}",
                                   code="not_json", field="content") from None
    else:
        document = load_document(data["content"] if "\n" in data["content"] else data["content"] + "\n")
    problem = json_problem(document) if isinstance(document, dict) else "Not a JSON object."
    if problem:
        raise ValidationFailed(f"Dokumen aturan harus objek JSON/YAML biasa ({problem})",
                               f"A rule document must be a plain JSON/YAML object ({problem})", code="shape",
                               field="content", problems=[Problem("shape", "content", problem, problem)])
    return document


@blp.route(SET + "/versions/import", methods=["POST"])
@blp.arguments(DraftImportSchema)
@blp.response(201, DraftResultSchema)
def import_version(data, daerah, kind):
    """A policy maker imports a rule document (YAML or JSON text) as a new draft."""
    return _new_draft(daerah, kind, _parse(data), data)


@blp.route(VERSION, methods=["GET"])
@blp.arguments(VersionGetQuery, location="query")
@blp.response(200, VersionSchema)
def get_version(args, daerah, kind, number):
    """One version with its document (and the resolved document with `resolved=true`)."""
    version = _version(daerah, kind, number)
    if not args["resolved"]:
        return version
    try:
        return _WithResolved(version, resolved_document(version))
    except ValidationFailed:  # a draft whose overrides do not fit its baseline: its problems say why
        return _WithResolved(version, None)


class _WithResolved:
    """A version seen with its resolved document beside it."""

    def __init__(self, version: RuleVersion, resolved: dict | None):
        self._version, self.resolved = version, resolved

    def __getattr__(self, name):
        return getattr(self._version, name)


@blp.route(VERSION, methods=["PUT"])
@blp.arguments(DraftSaveSchema)
@blp.response(200, DraftResultSchema)
def save_version(data, daerah, kind, number):
    """A policy maker saves a draft's document; it is stored even with problems, which are returned."""
    version = _version(daerah, kind, number)
    problems = save_draft(db.session, actor(), version, data["document"], data.get("change_note"))
    return {"version": version, "problems": problems_out(problems)}


@blp.route(VERSION + "/validate", methods=["POST"])
@blp.arguments(EmptySchema, required=False)
@blp.response(200, ValidationResultSchema)
def validate_version(data, daerah, kind, number):
    """Every problem that stops this version from being published (none: publishable)."""
    problems = version_problems(_version(daerah, kind, number))
    return {"publishable": not problems, "problems": problems_out(problems)}


@blp.route(VERSION + "/approve", methods=["POST"])
@blp.arguments(EmptySchema, required=False)
@blp.response(200, VersionSchema)
def approve(data, daerah, kind, number):
    """A second policy maker approves a draft (where the daerah requires it before publishing)."""
    version = _version(daerah, kind, number)
    approve_version(db.session, actor(), version)
    return version


@blp.route(VERSION + "/publish", methods=["POST"])
@blp.arguments(PublishSchema)
@blp.response(200, VersionSchema)
def publish(data, daerah, kind, number):
    """Freeze a valid draft with its legal basis and effective period."""
    version = _version(daerah, kind, number)
    return publish_version(db.session, actor(), version, legal_basis=data["legal_basis"],
                           effective_from=data["effective_from"], effective_to=data.get("effective_to"),
                           change_note=data.get("change_note", ""))


@blp.route(VERSION + "/retire", methods=["POST"])
@blp.arguments(RetireSchema)
@blp.response(200, VersionSchema)
def retire(data, daerah, kind, number):
    """Take a published version out of force (kept for replay and audit)."""
    version = _version(daerah, kind, number)
    retire_version(db.session, actor(), version, data["reason"])
    return version


@blp.route(VERSION + "/diff", methods=["GET"])
@blp.arguments(DiffQuery, location="query")
@blp.response(200, DiffSchema)
def diff(args, daerah, kind, number):
    """Rule-level differences from another version of the set (default: the previous one) to this one."""
    new = _version(daerah, kind, number)
    old = _version(daerah, kind, args.get("against") or max(number - 1, 1))
    return {"old": old.label, "new": new.label, "lines": diff_versions(old, new)}


def _export_doc(version: RuleVersion, resolved: bool) -> dict:
    return resolved_document(version) if resolved else version.document


def _attachment(version: RuleVersion, ext: str) -> dict:
    name = f"{version.rule_set.daerah.code}-{version.rule_set.kind}-v{version.number}.{ext}"
    return {"Content-Disposition": attachment(name)}


@blp.route(VERSION + "/export.yaml", methods=["GET"])
@blp.arguments(VersionGetQuery, location="query")
@blp.response(200, {"type": "object"}, content_type="application/yaml", description="The document as YAML")
def export_yaml(args, daerah, kind, number):
    """The version's document as YAML (`resolved=true`: merged over its baseline)."""
    version = _version(daerah, kind, number)
    return Response(dump_yaml(_export_doc(version, args["resolved"])), mimetype="application/yaml",
                    headers=_attachment(version, "yaml"))


@blp.route(VERSION + "/export.json", methods=["GET"])
@blp.arguments(VersionGetQuery, location="query")
@blp.response(200, {"type": "object"}, description="The document as JSON")
def export_json(args, daerah, kind, number):
    """The version's document as JSON (`resolved=true`: merged over its baseline)."""
    version = _version(daerah, kind, number)
    return Response(dump_json(_export_doc(version, args["resolved"])), mimetype="application/json",
                    headers=_attachment(version, "json"))


@blp.route(VERSION + "/try", methods=["POST"])
@blp.arguments(TrySchema)
@blp.response(200, TryResultSchema)
def try_on_facts(data, daerah, kind, number):
    """Decide one facts document with this version in place of its kind, beside the versions in force (nothing
    stored)."""
    version = _version(daerah, kind, number)
    return try_version(db.session, actor(), version, data["facts"], data.get("on"))


@blp.route(VERSION + "/impact", methods=["GET"])
@blp.arguments(ImpactQuery, location="query")
@blp.response(200, ImpactSchema)
def impact(args, daerah, kind, number):
    """Replay the daerah's decisions of a year with this version in place of its kind and count what changes."""
    version = _version(daerah, kind, number)
    result = preview_impact(db.session, actor(), version, args.get("year"))
    return {"year": result.year, "total": result.total, "changed_predikat": result.changed_predikat,
            "changed_actions": result.changed_actions, "changed_any": result.changed_any,
            "unchanged": result.unchanged, "errors": result.errors, "population": result.population,
            "truncated": result.truncated,
            "transitions": [{"old": o, "new": n, "count": c} for o, n, c in result.transitions()],
            "rows": result.rows, "problems": problems_out(result.problems)}
