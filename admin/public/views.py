"""Routes of the public pages. No login; nothing here reads a user. Every answer is a page, a CSV or a 404/4xx."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException

from admin.converters import digits
from admin.downloads import table_download
from admin.errors import cleans_control_characters
from admin.extensions import db
from admin.i18n import both, current_language, t
from admin.public.challenge import HONEYPOT, check_challenge, client_hash, new_challenge
from engine.audit import set_actor
from engine.organisation import Daerah
from engine.runtime.catalogue import PREDIKAT_LABELS
from engine.runtime.errors import EngineError, NotFound
from engine.runtime.ikm import ELEMENTS, band_label
from workflows.errors import WorkflowConflict, WorkflowInvalid
from workflows.deadlines import local_today
from workflows.public_report import published_report, published_years, report_rows
from workflows.survey import (COMMENT_MAX, SCORE_COLUMNS, open_forms, plausible_code, public_form, public_summary,
                              submit_response, take_attempt)

bp = Blueprint("public", __name__, url_prefix="/publik", static_folder="static", static_url_path="/_static")
YEAR = "int(min=2000, max=2100)"


@bp.app_template_global()
def predikat_label(code: str) -> str:
    """A predikat's label in the request's language."""
    pair = PREDIKAT_LABELS.get(code, (code, code))
    return pair[1] if current_language() == "en" else pair[0]


@bp.app_template_global()
def mutu_label(mutu: str) -> str:
    """An IKM grade's name in the request's language."""
    return band_label(mutu, current_language())


@bp.app_template_filter("angka")
def angka(value) -> str:
    """A number the way the page's language writes it (Indonesian: decimal comma)."""
    if value is None:
        return ""
    text = f"{value:,.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"
    if current_language() == "en":
        return text
    return text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException):
    status = error.code or 500
    if status >= 500 or status == 405:
        return error
    key = status if status in (400, 403, 404, 413) else 400
    return render_template("public/error.html", code=status, title=t(f"error.{key}"),
                           text=t(f"error.{key}.text")), status


@bp.errorhandler(EngineError)
def _engine_error(error: EngineError):
    status = 404 if isinstance(error, NotFound) else 400
    return render_template("public/error.html", code=status, title=t(f"error.{status}"),
                           text=error.message(current_language())), status


def _daerah(code: str) -> Daerah:
    daerah = db.session.scalar(select(Daerah).where(Daerah.code == code)) if plausible_code(code, 40) else None
    if daerah is None or daerah.level == "nasional":
        abort(404)
    return daerah


@bp.get("/")
def index():
    """Every daerah with a published report or an open survey form."""
    items = []
    for daerah in db.session.scalars(select(Daerah).where(Daerah.level != "nasional").order_by(Daerah.name)):
        years, forms = published_years(db.session, daerah), open_forms(db.session, daerah)
        if years or forms:
            items.append({"daerah": daerah, "years": years, "forms": forms})
    return render_template("public/index.html", items=items)


@bp.get("/<daerah>/")
def daerah_page(daerah: str):
    """A daerah's published reports and open survey forms (404 when it publishes nothing)."""
    row = _daerah(daerah)
    years, forms = published_years(db.session, row), open_forms(db.session, row)
    if not years and not forms:
        abort(404)
    return render_template("public/daerah.html", daerah=row, years=years, forms=forms)


def _report(daerah: str, tahun: int) -> dict:
    return published_report(db.session, daerah, tahun)


@bp.get(f"/<daerah>/<{YEAR}:tahun>")
def report(daerah: str, tahun: int):
    """The public performance report (404 unless the daerah publishes that year)."""
    return render_template("public/report.html", report=_report(daerah, tahun), printable=False,
                           elements=ELEMENTS)


@bp.get(f"/<daerah>/<{YEAR}:tahun>/cetak")
def report_print(daerah: str, tahun: int):
    """The same report laid out for paper (and for saving as PDF from the browser)."""
    return render_template("public/report.html", report=_report(daerah, tahun), printable=True, elements=ELEMENTS)


@bp.get(f"/<daerah>/<{YEAR}:tahun>.csv")
def report_csv(daerah: str, tahun: int):
    """The report as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read it right)."""
    rows = report_rows(_report(daerah, tahun), current_language())
    return table_download(f"kinerja-{daerah}-{tahun}", "csv", None, rows)


# --- the survey form --------------------------------------------------------------------------------------------

def _scores(form_data) -> list:
    out = []
    for column in SCORE_COLUMNS:
        value = (form_data.get(column) or "").strip()
        out.append(int(value) if digits(value) and len(value) == 1 else None)
    return out


def _render_form(form, errors: list[str], status: int, values=None, retry_after: int | None = None):
    tahun = local_today(form.daerah).year
    response = render_template("public/survey.html", form=form, challenge=new_challenge(form.id), errors=errors,
                               values=values or {}, summary=public_summary(db.session, form, tahun),
                               elements=ELEMENTS, columns=SCORE_COLUMNS, comment_max=COMMENT_MAX, honeypot=HONEYPOT)
    response = current_app.make_response((response, status))
    if retry_after:
        response.headers["Retry-After"] = str(retry_after)
    return response


@bp.route("/<daerah>/survei/<unit>", methods=("GET", "POST"))
@cleans_control_characters
def survey(daerah: str, unit: str):
    """The satisfaction form of a unit (404 when unknown or closed); POST stores one anonymous response."""
    form = public_form(db.session, daerah, unit)
    if request.method == "GET":
        return _render_form(form, [], 200)
    key = client_hash(request.remote_addr)
    limit = int(current_app.config.get("SURVEY_MAX_PER_WINDOW", 10))
    window = dt.timedelta(seconds=int(current_app.config.get("SURVEY_WINDOW_SECONDS", 3600)))
    wait = take_attempt(db.session, key, limit=limit, window=window)
    db.session.commit()  # the attempt counts even when the submission is refused below
    form = public_form(db.session, daerah, unit)
    values = request.form
    if wait:
        return _render_form(form, [t("survey.throttled", minutes=max(1, -(-wait // 60)))], 429, values, wait)
    nonce, reason = check_challenge(form.id, request.form.get("challenge", ""), request.form.get("answer", ""),
                                    request.form.get(HONEYPOT, ""))
    if reason:
        return _render_form(form, [t(f"survey.error.{reason}")], 400 if reason == "bot" else 422, values)
    set_actor(db.session, "publik:survei")
    try:
        response = submit_response(db.session, form.id, _scores(request.form), request.form.get("comment"),
                                   client_hash=key, nonce=nonce)
        has_comment = response.comment is not None
        db.session.commit()
    except WorkflowInvalid as error:
        db.session.rollback()
        messages = [p.message_en if current_language() == "en" else p.message_id for p in error.problems]
        return _render_form(public_form(db.session, daerah, unit), messages, 422, values)
    except (WorkflowConflict, IntegrityError) as error:
        db.session.rollback()
        message = error.message(current_language()) if isinstance(error, WorkflowConflict) else both(
            "Tanggapan yang sama sudah kami terima. Terima kasih.", "We have already received this response. Thank you.")
        return _render_form(public_form(db.session, daerah, unit), [message], 409, values)
    return redirect(url_for(".thanks", daerah=daerah, unit=unit, komentar=1 if has_comment else None))


@bp.get("/<daerah>/survei/<unit>/terima-kasih")
def thanks(daerah: str, unit: str):
    """After a response: thanks, and what happens to the comment."""
    form = public_form(db.session, daerah, unit)
    return render_template("public/thanks.html", form=form, comment=request.args.get("komentar") == "1")
