"""The auditor's console: the audit log with filters and the chain check, decisions and the versions behind them."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_login import current_user
from sqlalchemy import select

import admin.console.audit_text  # noqa: F401 (registers the texts)
from admin.console.base import ScopedView
from admin.converters import db_int
from admin.extensions import db
from admin.audit_chain import check_segment, token_of
from admin.i18n import both, current_language, t
from engine.audit import AuditLog
from engine.permissions import read_scope
from engine.runtime import dump_yaml
from engine.runtime.explain import format_number
from engine.runtime.errors import NotFound, ValidationFailed
from rules.decisions import get_decision, replay
from rules.models import Decision, RuleVersion, VersionStatus
from rules.versions import diff_versions


class AuditLogView(ScopedView):
    """The append-only audit log, read only, limited to the user's daerah; with the chain check."""

    entity = "audit"
    can_create = can_edit = can_delete = False
    can_view_details = True
    column_list = ("seq", "at", "actor", "action", "entity", "entity_id", "daerah_id")
    column_details_list = ("seq", "at", "actor", "action", "entity", "entity_id", "daerah_id", "before", "after",
                           "prev_hash", "hash")
    column_filters = ("actor", "action", "entity", "at", "daerah_id")
    column_searchable_list = ("actor", "entity", "entity_id")
    column_default_sort = ("seq", True)
    list_template = "audit/list.html"
    labels = {"seq": "field.seq", "at": "field.at", "actor": "field.actor", "action": "field.action",
              "entity": "field.entity", "entity_id": "field.entity_id", "daerah_id": "field.daerah",
              "before": "field.before", "after": "field.after", "hash": "field.hash", "prev_hash": "field.prev_hash"}

    def scope_filter(self, query, scope):
        if scope.everywhere:
            return query
        return query.filter(AuditLog.daerah_id.in_(scope.daerah_ids or {-1}))

    @expose("/verify/", methods=("POST",))
    def verify(self):
        """Recompute the whole chain (any auditor may; the chain is global), a few seconds a request: until the
        check reaches a verdict, the page shows its progress and goes on with the next segment by itself."""
        try:
            report = check_segment(db.session, request.form.get("resume") or None, "resume")
        except ValidationFailed as error:
            flash(both(error.message_id, error.message_en), "error")
            return redirect(url_for(".index_view"))
        if not report.complete:
            return self.render("audit/verify.html", checked=report.checked, total=report.total or 0,
                               resume=token_of(report.resume))
        if report.ok:
            flash(t("audit.ok", n=format_number(report.checked, current_language())), "success")
        else:
            flash(t("audit.broken", seq=report.broken_seq, reason=both(report.reason, report.reason_en)), "error")
        return redirect(url_for(".index_view"))


class DecisionView(ScopedView):
    """Decisions of the user's daerah; the details page traces each to its rule versions."""

    entity = "decisions"
    can_create = can_edit = can_delete = False
    column_list = ("id", "subject", "predikat", "decided_at", "actor", "result_hash")
    column_filters = ("predikat", "subject", "actor", "decided_at")
    column_searchable_list = ("subject",)
    column_default_sort = ("id", True)
    labels = {"subject": "field.subject", "predikat": "field.predikat", "decided_at": "field.decided_at",
              "actor": "field.actor", "result_hash": "field.result_hash"}

    def scope_filter(self, query, scope):
        if scope.everywhere:
            return query
        return query.filter(Decision.daerah_id.in_(scope.daerah_ids or {-1}))

    @expose("/details/")
    def details_view(self):
        return redirect(url_for("trail.decision", decision_id=request.args.get("id", type=db_int) or 0))


class TrailView(BaseView):
    """From a decision to the exact versions behind it, and from a version to its diff with the one before."""

    def is_accessible(self) -> bool:
        return current_user.is_authenticated

    def inaccessible_callback(self, name, **kwargs):
        return redirect(url_for("auth.login", next=request.full_path))

    def is_visible(self) -> bool:
        return False

    @expose("/")
    def index(self):
        return redirect(url_for("decision.index_view"))

    @expose("/decision/<int:decision_id>/", methods=("GET", "POST"))
    def decision(self, decision_id: int):
        """A decision with its facts, outputs, explanation, trace and versions; POST replays it."""
        try:
            decision = get_decision(db.session, current_user, decision_id)
        except NotFound:
            abort(404)
        replayed = replay(db.session, decision) if request.method == "POST" else None
        lang = current_language()
        return self.render("audit/decision.html", decision=decision, result=decision.result, replayed=replayed,
                           lang=lang, links=decision.versions)

    @expose("/version/<int:version_id>/")
    def version(self, version_id: int):
        """A rule version: who wrote, approved and published it, its legal basis, hash, document, and diff."""
        version = db.session.get(RuleVersion, version_id)
        if version is None or not read_scope(current_user, "rules").allows(version.rule_set.daerah_id):
            abort(404)
        previous = db.session.scalar(select(RuleVersion).where(
            RuleVersion.rule_set_id == version.rule_set_id, RuleVersion.number < version.number,
            RuleVersion.status != VersionStatus.draft).order_by(RuleVersion.number.desc()).limit(1))
        lines = diff_versions(previous, version) if previous is not None else None
        return self.render("audit/version.html", version=version, previous=previous, lines=lines,
                           document=dump_yaml(version.document), lang=current_language())


def add_views(console) -> None:
    """Register the auditor's views."""
    from admin.console.text import lazy

    console.add_view(AuditLogView(AuditLog, db, name=lazy("menu.audit"), endpoint="audit"))
    console.add_view(DecisionView(Decision, db, name=lazy("menu.decisions"), endpoint="decision"))
    console.add_view(TrailView(name="trail", endpoint="trail", url="/admin/trail"))
