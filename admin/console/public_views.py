"""HR's transparency console: publish the public report per year, open and close the satisfaction form per unit,
see the responses per month, and moderate comments. Services check permissions; the views commit once."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_login import current_user
from sqlalchemy import select

import admin.public.text  # noqa: F401 (registers the texts)
from admin.console.text import lazy
from admin.converters import as_id, digits
from admin.extensions import db
from admin.i18n import current_language, t
from engine.identity import Role
from engine.organisation import Daerah, UnitKerja
from engine.permissions import scope_for
from engine.runtime.errors import EngineError, NotFound
from engine.runtime.ikm import ELEMENTS
from workflows.deadlines import local_today
from workflows.permissions import is_hr
from workflows.public_report import report_settings, set_public_report
from workflows.realization import JENIS_LAYANAN
from workflows.survey import (CommentStatus, close_form, comments_for_moderation, exclude_response, get_form,
                              moderate_comment, monthly, open_form, survey_forms, sync_ikm, unit_ikm)

READERS = {Role.hr, Role.admin, Role.auditor}


class _TransparencyView(BaseView):
    """Login required; HR, admins and auditors; pages about one daerah chosen with ?daerah=."""

    def is_accessible(self) -> bool:
        if not current_user.is_authenticated:
            return False
        scope = scope_for(current_user, READERS)
        return scope.everywhere or bool(scope.daerah_ids)

    def inaccessible_callback(self, name, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.full_path))
        abort(403)

    def daerah_choices(self) -> list[Daerah]:
        """The daerah the user may look at (never the national baseline)."""
        scope = scope_for(current_user, READERS)
        query = select(Daerah).where(Daerah.level != "nasional").order_by(Daerah.name)
        if not scope.everywhere:
            query = query.where(Daerah.id.in_(scope.daerah_ids or {-1}))
        return list(db.session.scalars(query))

    def daerah(self) -> Daerah:
        """The chosen daerah (?daerah= or the form's field), else the first in reach; 404 outside it."""
        choices = self.daerah_choices()
        code = request.values.get("daerah")
        if not choices:
            abort(404)
        if not code:
            return choices[0]
        chosen = next((d for d in choices if d.code == code), None)
        if chosen is None:
            abort(404)
        return chosen

    def page(self, template: str, **values):
        """Render with the daerah picker's data."""
        daerah = values["daerah"]
        return self.render(template, choices=self.daerah_choices(), can_write=is_hr(current_user, daerah.id),
                           lang=current_language(), **values)

    def act(self, action, daerah: Daerah, endpoint: str = ".index", **args):
        """Run a service, commit, flash the outcome, and go back to the page."""
        try:
            message = action()
            db.session.commit()
            flash(message if isinstance(message, str) else t("pa.saved"), "success")
        except NotFound:
            db.session.rollback()
            abort(404)
        except EngineError as error:
            db.session.rollback()
            flash(error.message(current_language()), "error")
        return redirect(url_for(endpoint, daerah=daerah.code, **args))


def _year(daerah: Daerah) -> int:
    value = request.values.get("tahun", "")
    year = int(value) if digits(value) and len(value) == 4 else local_today(daerah).year
    return min(max(year, 2000), 2100)


class PublicReportAdminView(_TransparencyView):
    """Opt the daerah's report of a year in or out of the public site."""

    @expose("/")
    def index(self):
        daerah = self.daerah()
        return self.page("public_admin/reports.html", daerah=daerah,
                         years=report_settings(db.session, current_user, daerah))

    @expose("/set/", methods=("POST",))
    def set_year(self):
        """Publish or withdraw one year."""
        daerah = self.daerah()
        publish = request.form.get("publish") == "1"
        value = request.form.get("tahun", "").strip()
        # the service names a bad year
        tahun = int(value) if digits(value) and len(value) <= 4 else -1
        return self.act(lambda: set_public_report(db.session, current_user, daerah, tahun, publish), daerah)


class SurveyAdminView(_TransparencyView):
    """Satisfaction forms per unit: open, close, responses per month, and the index written to service figures."""

    @expose("/")
    def index(self):
        daerah = self.daerah()
        tahun = _year(daerah)
        forms = {f.unit_id: f for f in survey_forms(db.session, current_user, daerah)}
        units = db.session.scalars(select(UnitKerja).where(UnitKerja.daerah_id == daerah.id)
                                   .order_by(UnitKerja.name)).all()
        rows = [{"unit": u, "form": forms.get(u.id), "ikm": unit_ikm(db.session, u.id, tahun) if u.id in forms else None}
                for u in units]
        return self.page("public_admin/surveys.html", daerah=daerah, tahun=tahun, rows=rows, jenis=JENIS_LAYANAN)

    @expose("/form/<int:form_id>/")
    def form(self, form_id: int):
        """One form's responses per month of a year."""
        try:
            form = get_form(db.session, current_user, form_id)
        except NotFound:
            abort(404)
        tahun = _year(form.daerah)
        months = monthly(db.session, current_user, form, tahun)
        return self.page("public_admin/survey_form.html", daerah=form.daerah, form=form, tahun=tahun, months=months,
                         ikm=unit_ikm(db.session, form.unit_id, tahun), elements=ELEMENTS)

    @expose("/open/", methods=("POST",))
    def open_unit(self):
        """Open (or reopen) a unit's form."""
        daerah = self.daerah()
        unit_id = as_id(request.form.get("unit_id"))
        unit = db.session.get(UnitKerja, unit_id) if unit_id else None
        if unit is None or unit.daerah_id != daerah.id:
            abort(404)
        return self.act(lambda: open_form(db.session, current_user, unit, jenis_layanan=request.form.get(
            "jenis_layanan", ""), title=request.form.get("title", "")), daerah)

    @expose("/close/", methods=("POST",))
    def close_unit(self):
        """Close a form (the public page answers 404 from now on)."""
        daerah = self.daerah()
        try:
            form = get_form(db.session, current_user, as_id(request.form.get("form_id")) or 0)
        except NotFound:
            abort(404)
        return self.act(lambda: close_form(db.session, current_user, form), daerah)

    @expose("/sync/", methods=("POST",))
    def sync_units(self):
        """Write every form's index of the year into the tahunan period's service figures."""
        daerah = self.daerah()
        tahun = _year(daerah)
        return self.act(lambda: t("pa.synced", n=sync_ikm(db.session, current_user, daerah, tahun)), daerah,
                        tahun=tahun)


class ModerationView(_TransparencyView):
    """Comments waiting for approval; approve, reject, or exclude a response as spam."""

    @expose("/")
    def index(self):
        daerah = self.daerah()
        status = request.args.get("status", CommentStatus.pending)
        rows = comments_for_moderation(db.session, current_user, daerah, status)
        return self.page("public_admin/moderation.html", daerah=daerah, rows=rows, status=status,
                         statuses=[s.value for s in CommentStatus], elements=ELEMENTS)

    @expose("/moderate/", methods=("POST",))
    def moderate(self):
        """Approve or reject one comment."""
        daerah = self.daerah()
        response_id = as_id(request.form.get("response_id"))
        if response_id is None:
            abort(404)
        approve = request.form.get("action") == "approve"
        return self.act(lambda: moderate_comment(db.session, current_user, response_id, approve),
                        daerah, status=request.form.get("status", CommentStatus.pending))

    @expose("/exclude/", methods=("POST",))
    def exclude(self):
        """Exclude one response from the index as spam, with a reason."""
        daerah = self.daerah()
        response_id = as_id(request.form.get("response_id"))
        if response_id is None:
            abort(404)
        return self.act(lambda: exclude_response(db.session, current_user, response_id,
                                                 request.form.get("reason", "")),
                        daerah, status=request.form.get("status", CommentStatus.pending))


def add_views(console) -> None:
    """Register the transparency views under one menu category."""
    category = lazy("menu.transparency")
    console.add_view(PublicReportAdminView(name=lazy("menu.public_reports"), category=category,
                                           endpoint="public_reports", url="/admin/publik/laporan"))
    console.add_view(SurveyAdminView(name=lazy("menu.surveys"), category=category, endpoint="public_surveys",
                                     url="/admin/publik/survei"))
    console.add_view(ModerationView(name=lazy("menu.moderation"), category=category, endpoint="public_moderation",
                                    url="/admin/publik/moderasi"))
