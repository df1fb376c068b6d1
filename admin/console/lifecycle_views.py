"""The evaluation lifecycle in the console: HR's board per period (counts per unit and state, drill-down, overdue,
kurva distribusi, bulk open/decide, CSV/XLSX export), the evaluation page every role shares (plan, realisasi,
ratings, decision, feedback, keberatan, follow-ups, history, the transitions this user may make now), and the
"Penilaian saya" / "Bawahan" lists.

Every change goes through a `workflows` service (permissions, guards, version check, audit); this module parses
forms, commits once per request, and shows refusals at the field they name. Another daerah's evaluation answers
404, a change the user may not make 403, a stale version 409 with nothing changed.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re

from flask import abort, flash, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_login import current_user
from sqlalchemy import select

import admin.console.audit_text  # noqa: F401 (field.predikat, decision.versions)
import admin.console.lifecycle_text  # noqa: F401 (registers the texts)
from admin.console.evaluation_print import EvaluationPrintMixin
from admin.console.paging import current_page
from admin.console.penetapan_print import PenetapanPrintMixin
from admin.console.text import lazy
from admin.downloads import table_download
from admin.converters import db_int
from admin.extensions import db
from admin.i18n import current_language, t
from engine.audit import set_actor
from engine.identity import Role
from engine.organisation import Daerah, UnitKerja
from engine.permissions import read_scope, scope_for
from engine.runtime.catalogue import ACTIONS, BERAKHLAK, ORG_PREDIKATS, PREDIKAT_LABELS, PREDIKATS, RATING_LABELS, RATINGS
from engine.runtime.errors import Conflict, EngineError, NotAllowed, NotFound, Problem
from rules.models import Decision
from workflows import console_queries as cq
from workflows.bulk import decide_unit_job, open_period_job
from workflows.deadlines import RESPONSIBLE_ROLES, keberatan_deadline, local_today, overdue, unit_subtree_ids
from workflows.feedback import acknowledge_evaluation, file_keberatan, give_feedback, resolve_keberatan
from workflows.followup import resolve_follow_up
from workflows.machine import REOPEN_TARGETS, RULES, STATE_LABELS, TransitionContext, allowed_events, sources_of
from workflows.models import (Aspek, Arah, EvaluationDecision, EvaluationState as S, FollowUp, FollowUpStatus,
                              Keberatan, RhkJenis, TransitionHistory)
from workflows.periods import get_evaluation
from workflows.permissions import RELATION_LABELS, Relation, is_hr
from workflows.plan import approve_plan, return_plan, revise_plan, save_plan, submit_plan
from workflows.realization import REALISASI_STATES, record_realisasi, submit_realization
from workflows.review import decide_evaluation, override_predikat, rate_perilaku
from workflows.skp import MAX_IKI, MAX_RHK
from workflows.transitions import (apply_transition, check_version, close_evaluation, force_transition,
                                   guard_inputs, reopen_evaluation)

OVERSEERS = {Role.hr, Role.admin, Role.auditor}
DECIDE_BATCH = 2000  #: evaluations one console request decides (about 3 s); the page continues with the next
OWN_FORM_EVENTS = {"resolve_keberatan"}  # has its own form (uphold or change)


# --- small helpers -----------------------------------------------------------------------------------------------

def _lang_index() -> int:
    return 1 if current_language() == "en" else 0


def state_label(state: str) -> str:
    """A state's label in the request's language."""
    return STATE_LABELS.get(str(state), (str(state), str(state)))[_lang_index()]


def predikat_label(predikat: str | None) -> str:
    """A predikat's label in the request's language ('-' for none)."""
    if not predikat:
        return "-"
    return PREDIKAT_LABELS.get(predikat, (predikat, predikat))[_lang_index()]


def event_label(event: str) -> str:
    """A transition's label (a verb phrase) in the request's language, capitalised."""
    rule = RULES[event]
    text = rule.label_en if current_language() == "en" else rule.label_id
    return text[:1].upper() + text[1:]


def action_label(code: str) -> str:
    """The catalogue label of a follow-up action, in the user's language."""
    spec = ACTIONS.get(code)
    return (spec.label_id, spec.label_en)[_lang_index()] if spec else code


def relation_label(role: str) -> str:
    """Who owns a follow-up (atasan, hr...), in words."""
    return RELATION_LABELS[role][_lang_index()] if role in RELATION_LABELS else role


def nilai_label(nilai: str) -> str:
    """A BerAKHLAK value's label."""
    return nilai.replace("_", " ").capitalize()


def _int(value) -> int | None:
    try:
        return db_int(value)
    except (TypeError, ValueError):
        return None


def _number(text: str):
    """A number typed in a form ('87,5' or '87.5'); the raw text when it is not one (the service then names it)."""
    raw = (text or "").strip().replace(" ", "")
    if not raw:
        return None
    if "," in raw and "." not in raw:
        raw = raw.replace(",", ".")
    try:
        value = float(raw)
    except ValueError:
        return text
    return int(value) if value.is_integer() and "." not in raw else value


def field_key(path: str) -> str:
    """A problem path (``rhk[0].iki[1].bobot``) as a form field name (``rhk-0-iki-1-bobot``)."""
    return re.sub(r"\[(\d+)\]", r"-\1", path or "").replace(".", "-")


def _message(error: EngineError) -> str:
    return error.message(current_language())


def _problem_text(problem: Problem) -> str:
    return problem.message_en if current_language() == "en" else problem.message_id


def overdue_what(item) -> str:
    """What an overdue item waits for: the follow-up action, or the state to leave."""
    if item.kind == "follow_up":
        return f"{t('lc.followup')}: {action_label(item.what)}"
    return t("lc.overdue.leave", state=state_label(item.what))


class _LoginRequired(BaseView):
    def is_accessible(self) -> bool:
        return current_user.is_authenticated

    def inaccessible_callback(self, name, **kwargs):
        return redirect(url_for("auth.login", next=request.full_path))

    def _render(self, template: str, status: int = 200, **kwargs):
        html = self.render(template, state_label=state_label, predikat_label=predikat_label,
                           event_label=event_label, nilai_label=nilai_label, action_label=action_label,
                           relation_label=relation_label, overdue_what=overdue_what, lang=current_language(),
                           **kwargs)
        return html, status


# --- HR's board --------------------------------------------------------------------------------------------------

class LifecycleView(PenetapanPrintMixin, _LoginRequired):
    """HR, admins and auditors: a period's board per unit and state, lists, overdue, kurva, bulk jobs, exports."""

    def is_visible(self) -> bool:
        if not current_user.is_authenticated:
            return False
        scope = scope_for(current_user, OVERSEERS)
        return scope.everywhere or bool(scope.daerah_ids)

    def is_accessible(self) -> bool:
        return current_user.is_authenticated

    # context: daerah, tahun, period
    def _daerah_choices(self) -> list[Daerah]:
        scope = scope_for(current_user, OVERSEERS)
        query = select(Daerah).where(Daerah.level != "nasional").order_by(Daerah.name)
        if not scope.everywhere:
            query = query.where(Daerah.id.in_(scope.daerah_ids or {-1}))
        return list(db.session.scalars(query))

    def _context(self) -> dict:
        choices = self._daerah_choices()
        if not choices:
            abort(403)
        wanted = _int(request.values.get("daerah"))
        daerah = next((d for d in choices if d.id == wanted), None) if wanted is not None else choices[0]
        if daerah is None:
            abort(404)  # another daerah's board: the same answer as a missing one
        periods = cq.tahunan_periods(db.session, daerah.id)
        tahun = _int(request.values.get("tahun"))
        if tahun is None:
            tahun = periods[0].tahun if periods else local_today(daerah).year
        period = next((p for p in periods if p.tahun == tahun), None)
        units = list(db.session.scalars(select(UnitKerja).where(UnitKerja.daerah_id == daerah.id)
                                        .order_by(UnitKerja.name)))
        return {"daerah": daerah, "choices": choices, "tahun": tahun, "period": period, "periods": periods,
                "units": units, "hr": is_hr(current_user, daerah.id), "states": cq.STATES,
                "today": local_today(daerah)}

    @expose("/")
    def index(self):
        """The board: counts of evaluations per unit kerja and state for the period."""
        ctx = self._context()
        rows = cq.board_counts(db.session, ctx["period"]) if ctx["period"] else []
        return self._render("lifecycle/board.html", rows=rows, totals=cq.board_totals(rows), **ctx)

    @staticmethod
    def _unit(ctx, value) -> UnitKerja | None:
        """The daerah's unit kerja a query or form value names, None when it names none; 404 for any other id."""
        unit_id = _int(value)
        if unit_id is None:
            return None
        unit = next((u for u in ctx["units"] if u.id == unit_id), None)
        if unit is None:
            abort(404)
        return unit

    def _list_filters(self, ctx) -> tuple[UnitKerja | None, dict]:
        """The list's filters from the query: the unit kerja, and the keywords of `cq.evaluation_rows` (unit,
        state and a search in the name or NIP)."""
        unit, state = self._unit(ctx, request.args.get("unit")), request.args.get("state") or None
        if state is not None and state not in cq.STATES:
            abort(404)
        search = " ".join((request.args.get("q") or "").split())[:100] or None
        return unit, {"unit_id": unit.id if unit else None, "state": state, "search": search}

    @expose("/list/")
    def list_view(self):
        """The evaluations of a unit kerja and/or state (the board's drill-down), a page at a time."""
        ctx = self._context()
        unit, query = self._list_filters(ctx)
        page = current_page(cq.evaluation_count(db.session, ctx["period"], **query) if ctx["period"] else 0)
        rows = (cq.evaluation_rows(db.session, ctx["period"], offset=page.offset, limit=page.size, **query)
                if ctx["period"] else [])
        page_args = {"daerah": ctx["daerah"].id, "tahun": ctx["tahun"], "unit": query["unit_id"],
                     "state": query["state"], "q": query["search"]}
        return self._render("lifecycle/list.html", rows=rows, page=page, page_args=page_args, unit=unit,
                            state=query["state"], search=query["search"], **ctx)

    def _overdue_items(self, ctx) -> tuple[list, dict]:
        """What is overdue today, of a unit kerja subtree (?unit=) and/or for one kind of actor (?who=)."""
        unit, who = self._unit(ctx, request.args.get("unit")), request.args.get("who") or None
        if who is not None and who not in RESPONSIBLE_ROLES:
            abort(404)
        items = overdue(db.session, current_user, ctx["daerah"],
                        unit_ids=unit_subtree_ids(db.session, unit) if unit else None)
        by_who = dict.fromkeys(RESPONSIBLE_ROLES, 0)
        for item in items:
            by_who[item.responsible_role] += 1
        if who:
            items = [i for i in items if i.responsible_role == who]
        return items, {"unit": unit, "who": who, "by_who": by_who}

    @expose("/overdue/")
    def overdue_view(self):
        """Everything overdue in the daerah today (local date), with who must act, a page at a time."""
        ctx = self._context()
        items, filters = self._overdue_items(ctx)
        page = current_page(len(items))
        page_args = {"daerah": ctx["daerah"].id, "tahun": ctx["tahun"],
                     "unit": filters["unit"].id if filters["unit"] else None, "who": filters["who"]}
        return self._render("lifecycle/overdue.html", items=items[page.offset:page.offset + page.size], page=page,
                            page_args=page_args, roles=RESPONSIBLE_ROLES, **filters, **ctx)

    @expose("/kurva/")
    def kurva_view(self):
        """Predikat distribution per unit against the kurva for the unit's organisation predikat (default baik;
        the organisation predikat is not stored yet, so HR can try another one per unit on this page)."""
        ctx = self._context()
        org = {}
        for unit in ctx["units"]:
            chosen = request.args.get(f"org-{unit.id}")
            if chosen in ORG_PREDIKATS:
                org[unit.id] = chosen
        rows = (cq.predikat_distribution(db.session, ctx["daerah"], ctx["period"], org) if ctx["period"] else [])
        return self._render("lifecycle/kurva.html", rows=rows, predikats=PREDIKATS, org_predikats=ORG_PREDIKATS,
                            default_org=cq.DEFAULT_ORG_PREDIKAT, **ctx)

    @expose("/export/")
    def export(self):
        """The board (what=board), a list (what=list, with its filters) or what is overdue (what=overdue, with its
        filters) as CSV or XLSX: every row, never one page."""
        ctx = self._context()
        what, fmt = request.args.get("what", "board"), request.args.get("fmt", "csv")
        if what not in ("board", "list", "overdue") or fmt not in ("csv", "xlsx"):
            abort(404)
        idx = _lang_index()
        if what == "board":
            rows = cq.board_counts(db.session, ctx["period"]) if ctx["period"] else []
            header = [t("lc.unit")] + [STATE_LABELS[s][idx] for s in cq.STATES] + [t("lc.total")]
            body = [[r["unit"]] + [r["counts"][s] for s in cq.STATES] + [r["total"]] for r in rows]
        elif what == "list":
            _, query = self._list_filters(ctx)
            rows = cq.evaluation_rows(db.session, ctx["period"], **query) if ctx["period"] else []
            header = ["id", t("field.nip"), t("field.name"), t("field.jabatan"), t("lc.unit"), t("lc.state"),
                      t("field.predikat"), t("lc.predikat_engine")]
            labels = {p: PREDIKAT_LABELS[p][idx] for p in PREDIKAT_LABELS}  # the language once, not per cell
            body = [[r.id, r.nip, r.name, r.jabatan, r.unit, STATE_LABELS[r.state][idx],
                     labels.get(r.predikat, r.predikat) if r.predikat else "",
                     labels.get(r.predikat_engine, r.predikat_engine) if r.predikat_engine else ""] for r in rows]
        else:
            items, _ = self._overdue_items(ctx)
            header = ["id", t("lc.overdue.what"), t("field.nip"), t("field.name"), t("lc.state"), t("lc.overdue.due"),
                      t("lc.overdue.late"), t("lc.overdue.who"), t("lc.overdue.role")]
            roles = {r: relation_label(r) for r in RESPONSIBLE_ROLES}
            body = [[i.evaluation_id, overdue_what(i), i.nip, i.name, STATE_LABELS[i.state][idx],
                     i.due_on.isoformat(), i.days_late, i.responsible_name, roles[i.responsible_role]] for i in items]
        return table_download(f"kinerja-{ctx['daerah'].code}-{ctx['tahun']}-{what}", fmt, header, body, sheet=what)

    # bulk jobs
    def _bulk_unit(self, ctx) -> UnitKerja | None:
        return self._unit(ctx, request.form.get("unit"))

    @expose("/open/", methods=("POST",))
    def open_period(self):
        """HR opens the tahunan period for the daerah or a unit subtree (committed per chunk; safe to re-run)."""
        ctx = self._context()
        unit = self._bulk_unit(ctx)
        tahun = _int(request.form.get("tahun"))
        if tahun is None or not 2000 <= tahun <= 2100:
            return self._bulk_error(ctx, "open", t("lc.bulk.bad_year"), 422)
        steps: list[tuple[int, int]] = []
        set_actor(db.session, current_user)
        try:
            report = open_period_job(db.session, current_user, ctx["daerah"], tahun, unit,
                                     progress=lambda done, total: steps.append((done, total)))
        except EngineError as error:
            db.session.rollback()
            return self._bulk_error(ctx, "open", _message(error), _status(error))
        db.session.commit()
        result = {"kind": "open", "tahun": tahun, "unit": unit, "steps": steps,
                  "counts": [("lc.bulk.total", report.total), ("lc.bulk.created", report.created),
                             ("lc.bulk.existing", report.existing), ("lc.bulk.not_aktif", report.not_aktif)],
                  "failed": []}
        ctx.update(tahun=tahun)
        return self._render("lifecycle/bulk.html", result=result, **ctx)

    @expose("/decide/", methods=("POST",))
    def decide(self):
        """HR decides every evaluation in review without a decision (of the daerah or a unit subtree, of the year),
        DECIDE_BATCH at a time: the page then goes on with the next batch by itself (a request of a whole provinsi
        would outlast the server's timeout; `kinerja decide` runs any size at once)."""
        ctx = self._context()
        unit = self._bulk_unit(ctx)
        before = {key: max(0, _int(request.form.get(key)) or 0) for key in ("decided_before", "failed_before")}
        steps: list[tuple[int, int]] = []
        set_actor(db.session, current_user)
        try:
            report = decide_unit_job(db.session, current_user, ctx["daerah"], unit, tahun=ctx["tahun"],
                                     after_id=_int(request.form.get("after")), limit=DECIDE_BATCH,
                                     progress=lambda done, total: steps.append((done, total)))
        except EngineError as error:
            db.session.rollback()
            return self._bulk_error(ctx, "decide", _message(error), _status(error))
        db.session.commit()
        decided = before["decided_before"] + report.decided
        failed = before["failed_before"] + len(report.failed)
        result = {"kind": "decide", "tahun": ctx["tahun"], "unit": unit, "steps": steps,
                  "counts": [("lc.bulk.total", report.total), ("lc.bulk.decided", decided),
                             # decided before this job began (earlier batches of it are counted as decided)
                             ("lc.bulk.already", max(0, report.already_decided - before["decided_before"])),
                             ("lc.bulk.failed", failed)],
                  "failed": report.failed, "remaining": report.remaining, "after": report.last_id,
                  "carry": {"decided_before": decided, "failed_before": failed}}
        return self._render("lifecycle/bulk.html", result=result, **ctx)

    def _bulk_error(self, ctx, kind: str, message: str, status: int):
        return self._render("lifecycle/bulk.html", status=status, result=None, error=message, kind=kind, **ctx)


def _status(error: EngineError) -> int:
    if isinstance(error, NotAllowed):
        return 403
    if isinstance(error, NotFound):
        return 404
    if isinstance(error, Conflict):
        return 409
    return 422


# --- the evaluation page -----------------------------------------------------------------------------------------

def _plan_rows_from_model(evaluation) -> list[dict]:
    return [{"id": r.id, "jenis": str(r.jenis), "uraian": r.uraian,
             "iki": [{"id": i.id, "uraian": i.uraian, "aspek": str(i.aspek), "target": f"{i.target:g}",
                      "satuan": i.satuan, "arah": str(i.arah), "bobot": f"{i.bobot:g}"} for i in r.iki]}
            for r in evaluation.rhk]


def _blank_iki() -> dict:
    return {"id": "", "uraian": "", "aspek": "kuantitas", "target": "", "satuan": "", "arah": "naik", "bobot": ""}


def _plan_rows_from_form(form) -> list[dict]:
    """The plan editor's rows as typed (raw text), blank rows included, in form order."""
    rows = []
    for i in range(MAX_RHK + 1):
        if f"rhk-{i}-jenis" not in form:
            continue
        iki = []
        for k in range(MAX_IKI + 1):
            p = f"rhk-{i}-iki-{k}-"
            if p + "uraian" not in form:
                continue
            iki.append({key: form.get(p + key, "") for key in ("id", "uraian", "aspek", "target", "satuan", "arah",
                                                               "bobot")} | {"index": k})
        rows.append({"id": form.get(f"rhk-{i}-id", ""), "jenis": form.get(f"rhk-{i}-jenis", ""),
                     "uraian": form.get(f"rhk-{i}-uraian", ""), "iki": iki, "index": i})
    return rows


def _with_blanks(rows: list[dict]) -> list[dict]:
    """Rows for the editor, in the order given (so refusals keep pointing at the row typed): each RHK gets an empty
    IKI row at its end, and an empty RHK is added at the end (the plan grows a row at a time without script)."""
    def blank(row: dict) -> bool:
        return not any(str(row.get(k) or "").strip() for k in ("id", "uraian", "target", "bobot"))

    out = []
    for row in rows:
        iki = list(row["iki"])
        if not iki or not blank(iki[-1]):
            iki.append(_blank_iki())
        out.append({**row, "iki": iki})
    if not out or not (blank(out[-1]) and all(blank(i) for i in out[-1]["iki"])):
        out.append({"id": "", "jenis": "utama" if not rows else "tambahan", "uraian": "", "iki": [_blank_iki()]})
    return out


def _plan_input(rows: list[dict]) -> tuple[list[dict], dict[str, str]]:
    """Service input from the typed rows (blank rows dropped) and the map of service paths to form names."""
    items, paths = [], {}
    for row in rows:
        ikis = [i for i in row["iki"] if any(str(i.get(k) or "").strip() for k in ("id", "uraian", "target", "bobot"))]
        if not (str(row["id"]).strip() or row["uraian"].strip() or ikis):
            continue
        n = len(items)
        paths[f"rhk-{n}"] = f"rhk-{row['index']}"
        item = {"jenis": row["jenis"], "uraian": row["uraian"], "iki": []}
        if _int(row["id"]) is not None:
            item["id"] = _int(row["id"])
        for iki in ikis:
            paths[f"rhk-{n}-iki-{len(item['iki'])}"] = f"rhk-{row['index']}-iki-{iki['index']}"
            entry = {"uraian": iki["uraian"], "aspek": iki["aspek"], "target": _number(iki["target"]),
                     "satuan": iki["satuan"], "arah": iki["arah"] or "naik", "bobot": _number(iki["bobot"])}
            if _int(iki["id"]) is not None:
                entry["id"] = _int(iki["id"])
            item["iki"].append(entry)
        items.append(item)
    return items, paths


def _remap(key: str, paths: dict[str, str]) -> str:
    """A field name of the service's (compacted) plan as the name of the form row it came from."""
    for service, form in sorted(paths.items(), key=lambda kv: -len(kv[0])):
        if key == service or key.startswith(service + "-"):
            return form + key[len(service):]
    return key


class Refusal(Exception):
    """A refused form: the section it belongs to, a summary, field messages, and the HTTP status."""

    def __init__(self, section: str, message: str, fields: dict[str, list[str]] | None = None,
                 problems: list[str] | None = None, status: int = 422):
        super().__init__(message)
        self.section, self.message, self.fields = section, message, fields or {}
        self.problems, self.status = problems or [], status


class EvaluationView(EvaluationPrintMixin, _LoginRequired):
    """The evaluation page (every role, as allowed) and "Penilaian saya" (own evaluations)."""

    def is_visible(self) -> bool:
        return current_user.is_authenticated and current_user.pegawai_id is not None

    @expose("/")
    def index(self):
        """Penilaian saya: the user's own evaluations."""
        me = current_user.pegawai_id
        own = cq.own_evaluations(db.session, me) if me else []
        return self._render("lifecycle/mine.html", own=own, reports=None, waiting=None, title=t("menu.mine"))

    # --- the page
    def _evaluation(self, eid: int):
        return get_evaluation(db.session, current_user, eid)  # 404 outside the daerah, 403 without a relation

    def _relations(self, evaluation) -> frozenset[Relation]:
        from workflows.permissions import relations_to

        return relations_to(current_user, evaluation.pegawai)

    def _buttons(self, evaluation, rels) -> list[dict]:
        """The transitions this user may make now: allowed by the machine for their relations; each with the
        guard problems that would refuse it (shown, the button disabled)."""
        out = []
        for event in allowed_events(str(evaluation.state), rels):
            if event in OWN_FORM_EVENTS:
                continue
            rule = RULES[event]
            problems: list[str] = []
            if rule.guard is not None:
                try:
                    guards = guard_inputs(db.session, evaluation, event)
                    if event == "give_feedback":  # the umpan balik comes with this very form
                        guards = dataclasses.replace(guards, umpan_balik="-")
                    ctx = TransitionContext(relations=rels, guards=guards)
                    problems = [_problem_text(p) for p in rule.guard(ctx)]
                except EngineError as error:
                    problems = [_message(error)]
            out.append({"event": event, "label": event_label(event), "problems": problems,
                        "reason": rule.reason_required or event == "file_keberatan",
                        "feedback": event == "give_feedback", "reopen": event == "reopen"})
        return out

    def _page(self, eid: int, refusal: Refusal | None = None, form=None):
        evaluation = self._evaluation(eid)
        rels = self._relations(evaluation)
        decision = db.session.get(Decision, evaluation.decision_id) if evaluation.decision_id else None
        decisions = list(db.session.scalars(select(EvaluationDecision).where(
            EvaluationDecision.evaluation_id == evaluation.id).order_by(EvaluationDecision.seq)))
        keberatan = list(db.session.scalars(select(Keberatan).where(Keberatan.evaluation_id == evaluation.id)
                                            .order_by(Keberatan.round)))
        follow_ups = list(db.session.scalars(select(FollowUp).where(FollowUp.evaluation_id == evaluation.id)
                                             .order_by(FollowUp.id)))
        history = list(db.session.scalars(select(TransitionHistory).where(
            TransitionHistory.evaluation_id == evaluation.id).order_by(TransitionHistory.id)))
        state = str(evaluation.state)
        is_pegawai, is_atasan = Relation.pegawai in rels, Relation.atasan in rels
        hr = Relation.hr in rels and not is_pegawai
        plan_form = (refusal is not None and refusal.section == "plan" and form is not None)
        plan_rows = _with_blanks(_plan_rows_from_form(form) if plan_form else _plan_rows_from_model(evaluation))
        ratings = {r.nilai: r for r in evaluation.perilaku}
        may = {
            "plan": is_pegawai and state == S.plan_draft,
            "realisasi": is_pegawai and state in REALISASI_STATES,
            "rate": is_atasan and state == S.review,
            "decide": (is_atasan or hr) and state == S.review,
            "override": is_atasan and state == S.review and evaluation.decision_id is not None,
            "resolve": Relation.atasan2 in rels and state == S.keberatan,
            "followup": hr or is_atasan,
            "force": hr,
        }
        force_events = [e for e in RULES if state in sources_of(e)] if hr else []
        rows_by_iki = {i.id: i.realisasi for i in evaluation.iki}
        html, status = self._render(
            "lifecycle/evaluation.html", status=refusal.status if refusal else 200, ev=evaluation, rels=rels,
            relation_labels={r: RELATION_LABELS[r][_lang_index()] for r in rels}, decision=decision,
            decisions=decisions, keberatan=keberatan, follow_ups=follow_ups, history=history,
            buttons=self._buttons(evaluation, rels), may=may, plan_rows=plan_rows, ratings=ratings,
            berakhlak=BERAKHLAK, rating_options=RATINGS, rating_labels=RATING_LABELS, predikats=PREDIKATS,
            jenis_options=[j.value for j in RhkJenis], aspek_options=[a.value for a in Aspek],
            arah_options=[a.value for a in Arah], reopen_targets=REOPEN_TARGETS, force_events=force_events,
            refusal=refusal, form=form or {}, today=local_today(evaluation.daerah),
            keberatan_deadline=keberatan_deadline(db.session, evaluation), rows_by_iki=rows_by_iki,
            can_trail=read_scope(current_user, "decisions").allows(evaluation.daerah_id),
            can_resolve_follow_up=lambda f: f.status == FollowUpStatus.open and (
                hr or (f.owner_role == "atasan" and (is_atasan or f.owner_pegawai_id == current_user.pegawai_id))))
        return html, status

    @expose("/<int:eid>/")
    def view(self, eid: int):
        """The evaluation page."""
        return self._page(eid)

    def _act(self, eid: int, section: str, action, done_key: str):
        """Run `action(evaluation, version)` in one transaction; a refusal re-renders the page with its messages
        (nothing is written), success redirects back to the section."""
        evaluation = self._evaluation(eid)
        set_actor(db.session, current_user)
        version = _int(request.form.get("version"))
        try:
            if version is None:
                raise Refusal(section, t("lc.version_missing"), status=409)
            check_version(evaluation, version)
            action(evaluation, version)
            db.session.commit()
        except Refusal as refusal:
            db.session.rollback()
            return self._page(eid, refusal, request.form)
        except EngineError as error:
            db.session.rollback()
            status = _status(error)
            if status == 404:
                raise
            fields: dict[str, list[str]] = {}
            for problem in error.problems:
                fields.setdefault(field_key(problem.path), []).append(_problem_text(problem))
            if error.field and not error.problems:
                fields.setdefault(field_key(error.field), []).append(_message(error))
            if section == "plan" and getattr(error, "_paths", None):
                fields = {_remap(k, error._paths): v for k, v in fields.items()}
            message = t("lc.conflict", detail=_message(error)) if status == 409 else _message(error)
            return self._page(eid, Refusal(section, message, fields, [m for v in fields.values() for m in v],
                                           status), request.form)
        flash(t(done_key), "success")
        return redirect(url_for(".view", eid=eid) + f"#{section}")

    @expose("/<int:eid>/event/", methods=("POST",))
    def event(self, eid: int):
        """Fire one transition the page offered (submit, approve, return, feedback, accept, object, close...)."""
        event = request.form.get("event", "")
        reason = request.form.get("reason", "")

        def run(ev, version):
            s, me = db.session, current_user
            if event not in RULES or event in OWN_FORM_EVENTS:
                raise Refusal("actions", t("lc.unknown_event"), status=409)
            if event == "submit_plan":
                submit_plan(s, me, ev, version=version)
            elif event == "approve_plan":
                approve_plan(s, me, ev, version=version, note=reason)
            elif event == "return_plan":
                return_plan(s, me, ev, reason, version=version)
            elif event == "revise_plan":
                revise_plan(s, me, ev, reason, version=version)
            elif event == "submit_realization":
                submit_realization(s, me, ev, version=version)
            elif event == "give_feedback":
                give_feedback(s, me, ev, request.form.get("umpan_balik", ""), version=version)
            elif event == "acknowledge":
                acknowledge_evaluation(s, me, ev, version=version)
            elif event == "file_keberatan":
                file_keberatan(s, me, ev, reason, version=version)
            elif event == "close":
                close_evaluation(s, me, ev, reason, version=version)
            elif event == "reopen":
                reopen_evaluation(s, me, ev, reason, to=request.form.get("to", ""), version=version)
            else:  # start_realization, complete
                apply_transition(s, me, ev, event, reason=reason, version=version)

        return self._act(eid, "actions", run, "lc.done.event")

    @expose("/<int:eid>/force/", methods=("POST",))
    def force(self, eid: int):
        """HR forces a transition past roles and guards, with a reason."""
        event = request.form.get("event", "")

        def run(ev, version):
            force_transition(db.session, current_user, ev, event, request.form.get("reason", ""), version=version,
                             reopen_to=request.form.get("to") or None)

        return self._act(eid, "force", run, "lc.done.event")

    @expose("/<int:eid>/plan/", methods=("POST",))
    def plan(self, eid: int):
        """The pegawai saves the plan (RHK and IKI rows; empty rows are ignored); `submit` also submits it."""
        rows = _plan_rows_from_form(request.form)
        items, paths = _plan_input(rows)

        def run(ev, version):
            try:
                save_plan(db.session, current_user, ev, items, version=version)
                if request.form.get("submit") == "1":
                    submit_plan(db.session, current_user, ev)
            except EngineError as error:
                error._paths = paths
                raise

        return self._act(eid, "plan", run, "lc.done.plan")

    @expose("/<int:eid>/realisasi/", methods=("POST",))
    def realisasi(self, eid: int):
        """The pegawai records an IKI's realisasi as of a date."""
        form = request.form

        def run(ev, version):
            fields = {}
            iki_id = _int(form.get("iki_id"))
            if iki_id is None:
                fields["iki_id"] = [t("lc.required")]
            value = _number(form.get("value", ""))
            if value is None:
                fields["value"] = [t("lc.required")]
            elif isinstance(value, str):
                fields["value"] = [t("lc.not_number")]
            try:
                day = dt.date.fromisoformat(form.get("realized_on", "").strip())
            except ValueError:
                day = None
                fields["realized_on"] = [t("lc.bad_date")]
            if fields:
                raise Refusal("realisasi", t("lc.fix_fields"), fields)
            record_realisasi(db.session, current_user, ev, iki_id, value, day, note=form.get("note", ""),
                             evidence_url=form.get("evidence_url", "").strip(), version=version)

        return self._act(eid, "realisasi", run, "lc.done.realisasi")

    @expose("/<int:eid>/ratings/", methods=("POST",))
    def ratings(self, eid: int):
        """The atasan rates the seven BerAKHLAK values (and kontribusi tim, inovasi)."""
        form = request.form

        def run(ev, version):
            ratings = {v: form.get(f"perilaku-{v}") for v in BERAKHLAK if form.get(f"perilaku-{v}")}
            notes = {v: form.get(f"note-{v}", "") for v in ratings}
            missing = [v for v in BERAKHLAK if v not in ratings]
            if missing:
                raise Refusal("ratings", t("lc.rate_all"), {f"perilaku-{v}": [t("lc.required")] for v in missing})
            rate_perilaku(db.session, current_user, ev, ratings, notes=notes,
                          kontribusi_tim=form.get("kontribusi_tim") or None, inovasi=form.get("inovasi") == "1",
                          version=version)

        return self._act(eid, "ratings", run, "lc.done.ratings")

    @expose("/<int:eid>/decide/", methods=("POST",))
    def decide(self, eid: int):
        """The atasan (or HR) decides the evaluation with the rules in force."""
        return self._act(eid, "decision", lambda ev, v: decide_evaluation(db.session, current_user, ev, version=v),
                         "lc.done.decide")

    @expose("/<int:eid>/override/", methods=("POST",))
    def override(self, eid: int):
        """The atasan sets another predikat with a written reason."""
        return self._act(eid, "decision", lambda ev, v: override_predikat(
            db.session, current_user, ev, request.form.get("predikat", ""), request.form.get("reason", ""),
            version=v), "lc.done.override")

    @expose("/<int:eid>/keberatan/", methods=("POST",))
    def keberatan(self, eid: int):
        """The atasan's atasan upholds the decision or changes it (new ratings and/or a predikat)."""
        form = request.form

        def run(ev, version):
            uphold = form.get("outcome") != "change"
            perilaku = {v: form.get(f"perilaku-{v}") for v in BERAKHLAK if form.get(f"perilaku-{v}")}
            resolve_keberatan(db.session, current_user, ev, uphold=uphold, reason=form.get("reason", ""),
                              perilaku=perilaku or None, predikat=form.get("predikat") or None, version=version)

        return self._act(eid, "keberatan", run, "lc.done.keberatan")

    @expose("/<int:eid>/followup/<int:fid>/", methods=("POST",))
    def follow_up(self, eid: int, fid: int):
        """The owner (or HR) marks a follow-up done or cancelled with a note."""
        def run(ev, version):
            row = db.session.get(FollowUp, fid)
            if row is None or row.evaluation_id != ev.id:
                abort(404)
            resolve_follow_up(db.session, current_user, row, request.form.get("note", ""),
                              status=request.form.get("status", "done"))

        return self._act(eid, "followups", run, "lc.done.followup")


class ReportsView(_LoginRequired):
    """Bawahan: the evaluations of the user's direct reports, and keberatan waiting for them as atasan's atasan."""

    def is_visible(self) -> bool:
        return (current_user.is_authenticated and current_user.pegawai is not None
                and bool(current_user.pegawai.bawahan))

    @expose("/")
    def index(self):
        me = current_user.pegawai_id
        reports = cq.report_evaluations(db.session, me) if me else []
        waiting = cq.waiting_as_atasan2(db.session, me) if me else []
        return self._render("lifecycle/mine.html", own=None, reports=reports, waiting=waiting,
                            title=t("menu.reports"))


def add_views(console) -> None:
    """Register the lifecycle pages."""
    console.add_view(EvaluationView(name=lazy("menu.mine"), endpoint="evaluation", url="/admin/evaluation"))
    console.add_view(ReportsView(name=lazy("menu.reports"), endpoint="reports", url="/admin/reports"))
    console.add_view(LifecycleView(name=lazy("menu.lifecycle"), endpoint="lifecycle", url="/admin/lifecycle"))
