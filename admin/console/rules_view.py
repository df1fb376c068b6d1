"""The policy maker's console: rule sets, versions, the no-code editor, coba, impact, publish, diff, import/export.

Every change goes through the rules services (which check permissions and write the audit rows); this module
parses forms, commits once per request, and maps errors to messages at the field they name. A version of a daerah
the user may not read answers 404, a change they may not make 403.
"""
from __future__ import annotations

import copy
import datetime as dt
import json

import yaml
from flask import abort, flash, make_response, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_login import current_user
from sqlalchemy import select

from admin.console import rules_render as rr
from admin.console.rules_text import js_texts
from admin.console.text import lazy
from admin.converters import db_int, digits
from admin.downloads import attachment
from admin.extensions import db
from admin.i18n import current_language, t
from engine.organisation import Daerah
from engine.permissions import read_scope, write_scope
from engine.runtime import content_hash, dump_json, dump_yaml
from engine.runtime.catalogue import BERAKHLAK, JENIS_JABATAN, JENIS_LAYANAN, PERIODE_JENIS, PREDIKATS, RATINGS
from engine.runtime.errors import Conflict, EngineError, NotAllowed, NotFound, Problem, ValidationFailed
from engine.runtime.json_data import check_json_data, loads_strict
from engine.runtime.yaml_text import error_position, load_yaml
from rules.decisions import NASIONAL
from rules.impact import may_read_daerah_rules, may_read_rules, preview_impact, sample_decisions, try_version
from rules.models import RuleKind, RuleSet, RuleVersion, VersionStatus
from rules.packs import KIND_STAGES, ensure_rule_set
from rules.versions import (approve_version, create_draft, diff_versions, in_force, publish_version, resolved_document,
                            retire_version, save_draft, version_problems)
from rules.xlsx import MAX_BYTES, export_xlsx, import_xlsx

IKI_ROWS = 5
MAX_IKI_ROWS = 500  #: the coba form's rows at most (iki_count is a hidden field, but a request can send any number)
FACT_NUMBERS = ("kepuasan_masyarakat", "kepuasan_masyarakat_responden", "aktivitas_harian", "hari_kerja",
                "waktu_respon_pengaduan", "waktu_layanan")
INTEGER_FACTS = ("kepuasan_masyarakat_responden", "aktivitas_harian", "hari_kerja")


def _msg(error: EngineError) -> str:
    return error.message(current_language())


def _problem_dicts(problems: list[Problem]) -> list[dict]:
    lang = current_language()
    return [{"path": p.path, "code": p.code, "message": p.message_en if lang == "en" else p.message_id,
             "where": rr.problem_location(p.path)} for p in problems]


def _status_of(error: EngineError) -> int:
    if isinstance(error, NotAllowed):
        return 403
    if isinstance(error, NotFound):
        return 404
    if isinstance(error, Conflict):
        return 409
    return 422


def _parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat((text or "").strip())
    except ValueError:
        return None


def _number(text: str, integer: bool = False):
    """A number typed in a form ('87,5' or '87.5'); None when empty; ValueError when it is not a number."""
    text = (text or "").strip().replace(" ", "")
    if not text:
        return None
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    value = float(text)
    if integer or value.is_integer() and "." not in text:
        if not value.is_integer():
            raise ValueError(text)
        return int(value)
    return value


def _unreadable(error) -> str:
    """The message for YAML/JSON text that could not be read, with where (line, column) and why."""
    at, reason = error_position(error)
    where = t("rules.raw.where", line=at[0], column=at[1]) if at else ""
    return t("rules.raw.unreadable", where=where, reason=reason)


def _iki_rows(form) -> int:
    """How many IKI rows the coba form has: its iki_count, between IKI_ROWS and MAX_IKI_ROWS."""
    try:
        count = db_int(form.get("iki_count") or IKI_ROWS)
    except ValueError:
        count = IKI_ROWS
    return min(max(count, IKI_ROWS), MAX_IKI_ROWS)


class RulesView(BaseView):
    """Aturan: the rules of the user's daerah and the nasional baseline."""

    def render(self, template, **kwargs):
        kwargs.setdefault("rr", rr)
        return super().render(template, js_texts=js_texts, **kwargs)

    # --- access ------------------------------------------------------------------------------------------------
    def is_accessible(self) -> bool:
        if not current_user.is_authenticated:
            return False
        scope = read_scope(current_user, "rules")
        return scope.everywhere or bool(scope.daerah_ids)

    def inaccessible_callback(self, name, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.full_path))
        abort(403)

    def _version(self, vid: int) -> RuleVersion:
        version = db.session.get(RuleVersion, vid)
        if version is None or not may_read_rules(current_user, version):
            abort(404)  # another daerah's version looks like a missing one
        return version

    def _rule_set(self, sid: int) -> RuleSet:
        rule_set = db.session.get(RuleSet, sid)
        if rule_set is None:
            abort(404)
        if not may_read_daerah_rules(current_user, rule_set.daerah):
            abort(404)
        return rule_set

    @staticmethod
    def writable(daerah_id: int) -> bool:
        """True when the user may draft and publish rules of this daerah."""
        return write_scope(current_user, "rules").allows(daerah_id)

    @staticmethod
    def is_admin() -> bool:
        """True for administrators (who may switch the second approval off)."""
        return any(g.role == "admin" for g in current_user.grants)

    def _refuse(self, version_or_set) -> None:
        daerah_id = version_or_set.rule_set.daerah_id if isinstance(version_or_set, RuleVersion) \
            else version_or_set.daerah_id
        if not self.writable(daerah_id):
            abort(403)

    # --- list --------------------------------------------------------------------------------------------------
    def _daerah_choices(self) -> list[Daerah]:
        scope = read_scope(current_user, "rules")
        query = select(Daerah).where(Daerah.code != NASIONAL).order_by(Daerah.name)
        if not scope.everywhere:
            query = query.where(Daerah.id.in_(scope.daerah_ids or {-1}))
        return list(db.session.scalars(query))

    def _set_cards(self, daerah: Daerah, today: dt.date) -> list[dict]:
        sets = {str(s.kind): s for s in db.session.scalars(select(RuleSet).where(RuleSet.daerah_id == daerah.id))}
        cards = []
        for kind in RuleKind:
            rule_set = sets.get(kind.value)
            current = in_force(db.session, daerah.id, kind, today) if rule_set else None
            versions = sorted(rule_set.versions, key=lambda v: v.number, reverse=True) if rule_set else []
            cards.append({"kind": kind.value, "kind_label": rr.kind_label(kind), "set": rule_set,
                          "versions": versions, "current": current, "daerah": daerah,
                          "writable": self.writable(daerah.id)})
        return cards

    @expose("/")
    def index(self):
        today = dt.date.today()
        choices = self._daerah_choices()
        asked = request.args.get("daerah")
        daerah = next((d for d in choices if d.code == asked), choices[0] if choices else None)
        nasional = db.session.scalar(select(Daerah).where(Daerah.code == NASIONAL))
        return self.render("rules/index.html", choices=choices, daerah=daerah,
                           cards=self._set_cards(daerah, today) if daerah else [],
                           nasional_cards=self._set_cards(nasional, today) if nasional else [],
                           today=today, rr=rr)

    @expose("/set/<int:sid>/draft", methods=("POST",))
    def new_draft(self, sid: int):
        rule_set = self._rule_set(sid)
        self._refuse(rule_set)
        try:
            version = create_draft(db.session, current_user, rule_set,
                                   change_note=(request.form.get("change_note") or "").strip())
            db.session.commit()
        except EngineError as error:
            db.session.rollback()
            flash(_msg(error), "error")
            return redirect(url_for(".index", daerah=rule_set.daerah.code))
        flash(t("rules.draft_created", label=version.label), "success")
        return redirect(url_for(".edit", vid=version.id))

    @expose("/start", methods=("POST",))
    def start(self):
        """A daerah without its own rule set of a kind starts one: an empty override of the nasional baseline."""
        daerah = db.session.get(Daerah, request.form.get("daerah_id", type=db_int) or -1)
        kind = request.form.get("kind", "")
        if daerah is None or kind not in {k.value for k in RuleKind} or not read_scope(current_user, "rules").allows(daerah.id):
            abort(404)
        if not self.writable(daerah.id):
            abort(403)
        nasional = db.session.scalar(select(Daerah).where(Daerah.code == NASIONAL))
        base = in_force(db.session, nasional.id, kind, dt.date.today()) if nasional and nasional.id != daerah.id else None
        document = {"pack": daerah.code, "version": "1", "title": {"id": daerah.name, "en": daerah.name},
                    "contoh": False, "stages": {}}
        if base is not None:
            document["extends"] = NASIONAL
        try:
            rule_set = ensure_rule_set(db.session, daerah, RuleKind(kind))
            version = create_draft(db.session, current_user, rule_set, document=document, extends=base)
            db.session.commit()
        except EngineError as error:
            db.session.rollback()
            flash(_msg(error), "error")
            return redirect(url_for(".index", daerah=daerah.code))
        return redirect(url_for(".edit", vid=version.id))

    @expose("/set/<int:sid>/approval", methods=("POST",))
    def approval(self, sid: int):
        """Switch the second-person approval on (admins and policy makers) or off (admins only)."""
        rule_set = self._rule_set(sid)
        self._refuse(rule_set)
        wanted = request.form.get("required") == "1"
        if not wanted and rule_set.requires_second_approval and not self.is_admin():
            abort(403)  # a four-eyes rule the same person could switch off would not be one
        rule_set.requires_second_approval = wanted
        db.session.commit()
        flash(t("rules.approval_on" if wanted else "rules.approval_off"), "success")
        return redirect(url_for(".index", daerah=rule_set.daerah.code))

    # --- one version -------------------------------------------------------------------------------------------
    def _contoh_pack(self, version: RuleVersion) -> str | None:
        doc = version.document if isinstance(version.document, dict) else {}
        return doc.get("pack") if version.contoh else None

    def _detail(self, version: RuleVersion, publish_errors: dict | None = None, publish_form: dict | None = None,
                retire_error: str | None = None, action_error: str | None = None, status: int = 200):
        problems = version_problems(version) if version.status == VersionStatus.draft else []
        try:
            resolved, resolve_error = resolved_document(version), None
        except EngineError as error:
            resolved, resolve_error = None, _msg(error)
        stages = KIND_STAGES[version.rule_set.kind]
        others = [v for v in version.rule_set.versions if v.id != version.id]
        previous = max((v for v in others if v.number < version.number), key=lambda v: v.number, default=None)
        daerah_id = version.rule_set.daerah_id
        html = self.render("rules/version.html", version=version, problems=_problem_dicts(problems),
                           stages=rr.stages_view(resolved, stages, self._contoh_pack(version)) if resolved else [],
                           resolve_error=resolve_error, writable=self.writable(daerah_id), rr=rr,
                           previous=previous, others=others, publish_errors=publish_errors or {},
                           publish_form=publish_form or {}, retire_error=retire_error, action_error=action_error,
                           in_force_today=in_force(db.session, daerah_id, version.rule_set.kind, dt.date.today()),
                           kurva=bool(resolved and resolved.get("kurva")), is_nasional=version.rule_set.daerah.code == NASIONAL)
        return html, status

    @expose("/v/<int:vid>/")
    def version(self, vid: int):
        return self._detail(self._version(vid))

    @expose("/v/<int:vid>/publish", methods=("POST",))
    def publish(self, vid: int):
        version = self._version(vid)
        self._refuse(version)
        form = {k: (request.form.get(k) or "").strip() for k in ("legal_basis", "effective_from", "effective_to",
                                                                  "change_note")}
        errors = {}
        start = _parse_date(form["effective_from"])
        end = _parse_date(form["effective_to"]) if form["effective_to"] else None
        if not form["legal_basis"]:
            errors["legal_basis"] = t("rules.publish.legal_basis_required")
        if start is None:  # typed but no date (2030-02-30) is not the same as left empty
            errors["effective_from"] = t("rules.publish.date_invalid" if form["effective_from"] else
                                         "rules.publish.date_required")
        if form["effective_to"] and end is None:
            errors["effective_to"] = t("rules.publish.date_invalid")
        if not errors:
            try:
                publish_version(db.session, current_user, version, legal_basis=form["legal_basis"],
                                effective_from=start, effective_to=end, change_note=form["change_note"])
                db.session.commit()
                flash(t("rules.published", label=version.label), "success")
                return redirect(url_for(".version", vid=version.id))
            except EngineError as error:
                db.session.rollback()
                if isinstance(error, NotAllowed):
                    abort(403)
                errors[error.field if error.field in form else "_form"] = _msg(error)
        db.session.rollback()
        return self._detail(self._version(vid), publish_errors=errors, publish_form=form, status=422)

    @expose("/v/<int:vid>/approve", methods=("POST",))
    def approve(self, vid: int):
        version = self._version(vid)
        self._refuse(version)
        try:
            approve_version(db.session, current_user, version)
            db.session.commit()
            flash(t("rules.approved", label=version.label), "success")
        except EngineError as error:
            db.session.rollback()
            if isinstance(error, NotAllowed):
                abort(403)
            return self._detail(self._version(vid), action_error=_msg(error), status=_status_of(error))
        return redirect(url_for(".version", vid=vid))

    @expose("/v/<int:vid>/retire", methods=("POST",))
    def retire(self, vid: int):
        version = self._version(vid)
        self._refuse(version)
        reason = (request.form.get("reason") or "").strip()
        if not reason:
            return self._detail(version, retire_error=t("rules.retire.reason_required"), status=422)
        try:
            retire_version(db.session, current_user, version, reason)
            db.session.commit()
        except EngineError as error:
            db.session.rollback()
            return self._detail(self._version(vid), retire_error=_msg(error), status=_status_of(error))
        flash(t("rules.retired", label=version.label), "success")
        return redirect(url_for(".version", vid=vid))

    # --- editor ------------------------------------------------------------------------------------------------
    def _editor(self, version: RuleVersion, *, document=None, raw_text: str | None = None, raw_error: str | None = None,
                tab: str = "visual", conflict: bool = False, base_hash: str | None = None, status: int = 200,
                form_error: str | None = None, problems: list[Problem] | None = None):
        document = version.document if document is None else document
        problems = version_problems(version) if problems is None else problems
        baseline = None
        if version.extends is not None:
            try:
                baseline = resolved_document(version.extends)
            except EngineError:
                baseline = None
        stages = KIND_STAGES[version.rule_set.kind]
        data = {"document": document, "baseline": baseline, "problems": _problem_dicts(problems),
                "contoh": bool(isinstance(document, dict) and document.get("contoh")),
                "extends": version.extends is not None, "kind": str(version.rule_set.kind)}
        html = self.render("rules/edit.html", version=version, data=data,
                           catalogue=rr.editor_catalogue(stages), problems=data["problems"], rr=rr,
                           raw_text=raw_text if raw_text is not None else dump_yaml(document),
                           raw_error=raw_error, tab=tab, conflict=conflict, form_error=form_error,
                           base_hash=base_hash or content_hash(version.document),
                           document_json=json.dumps(document, ensure_ascii=False),
                           editable=version.status == VersionStatus.draft and self.writable(version.rule_set.daerah_id))
        return html, status

    def _save(self, version: RuleVersion, document, *, tab: str, raw_text: str | None = None):
        note = request.form.get("change_note")
        if request.form.get("base_hash") != content_hash(version.document):
            db.session.rollback()
            return self._editor(version, document=document, raw_text=raw_text, tab=tab, conflict=True, status=409)
        old_hash = content_hash(version.document)
        try:
            problems = save_draft(db.session, current_user, version, document,
                                  change_note=note.strip() if note is not None else None)
            if content_hash(document) != old_hash and version.approved_by:
                # an approval covers the content that was approved; a change needs a new one
                version.approved_by, version.approved_at = None, None
            db.session.commit()
        except EngineError as error:
            db.session.rollback()
            if isinstance(error, NotAllowed):
                abort(403)
            # a refused document: the editor keeps what was typed and lists the problems of that, not of the stored
            return self._editor(self._version(version.id), document=document, raw_text=raw_text, tab=tab,
                                form_error=_msg(error), status=_status_of(error), problems=error.problems or None)
        if problems:
            flash(t("rules.saved_with_problems", n=len(problems)), "warning")
        else:
            flash(t("rules.saved_valid"), "success")
        return redirect(url_for(".edit", vid=version.id, tab=tab))

    @expose("/v/<int:vid>/edit", methods=("GET", "POST"))
    def edit(self, vid: int):
        version = self._version(vid)
        if request.method == "GET":
            tab = request.args.get("tab") if request.args.get("tab") in ("visual", "raw") else "visual"
            return self._editor(version, tab=tab)
        self._refuse(version)
        try:
            document = loads_strict(request.form.get("document") or "")
            check_json_data(document)
        except ValueError:  # JSONDecodeError and NotJsonData alike: a key twice, a surrogate, a bomb, too deep
            return self._editor(version, form_error=t("rules.editor.bad_json"), status=400)
        if not isinstance(document, dict):
            return self._editor(version, form_error=t("rules.editor.bad_json"), status=400)
        return self._save(version, document, tab="visual")

    @expose("/v/<int:vid>/raw", methods=("POST",))
    def raw(self, vid: int):
        version = self._version(vid)
        self._refuse(version)
        text = request.form.get("text") or ""
        try:
            document = load_yaml(text)
        except yaml.YAMLError as error:
            return self._editor(version, raw_text=text, raw_error=_unreadable(error), tab="raw", status=422)
        if not isinstance(document, dict):
            return self._editor(version, raw_text=text, raw_error=t("rules.raw.not_object"), tab="raw", status=422)
        return self._save(version, document, tab="raw", raw_text=text)

    # --- coba (try) ----------------------------------------------------------------------------------------------
    def _facts_from_form(self, form, daerah: Daerah) -> tuple[dict, dict, list[int]]:
        """The facts document typed into the coba form, field errors (name -> message), form row of each IKI."""
        errors: dict[str, str] = {}
        rows: list[int] = []

        def num(name, integer=False):
            try:
                return _number(form.get(name, ""), integer)
            except ValueError:
                errors[name] = t("rules.try.not_number")
                return None

        facts: dict = {"daerah": daerah.code,
                       "periode": {"tahun": num("tahun", True), "jenis": form.get("jenis") or "tahunan"},
                       "pegawai": {"nip": (form.get("nip") or "").strip() or "000000000000000000",
                                   "jenis_jabatan": form.get("jenis_jabatan") or "pelaksana"}}
        for key in ("jenis_asn", "jenis_layanan"):
            if form.get(key):
                facts["pegawai"][key] = form.get(key)
        iki = []
        for i in range(_iki_rows(form)):
            target, realisasi, bobot = (num(f"iki-{i}-target"), num(f"iki-{i}-realisasi"), num(f"iki-{i}-bobot"))
            if target is None and realisasi is None and bobot is None:
                continue
            item = {"id": (form.get(f"iki-{i}-id") or "").strip() or f"iki-{i + 1}",
                    "aspek": form.get(f"iki-{i}-aspek") or "kuantitas", "arah": form.get(f"iki-{i}-arah") or "naik",
                    "target": target, "bobot": bobot, "jenis_rhk": form.get(f"iki-{i}-jenis_rhk") or "utama"}
            if realisasi is not None:
                item["realisasi"] = realisasi
            iki.append(item)
            rows.append(i)
        facts["iki"] = iki
        facts["perilaku"] = {v: form.get(f"perilaku-{v}") or "sesuai" for v in BERAKHLAK}
        facts["disiplin"] = {"hari_tidak_masuk": num("hari_tidak_masuk", True) or 0,
                             "menit_terlambat": num("menit_terlambat", True) or 0,
                             "hari_tidak_masuk_berturut": num("hari_tidak_masuk_berturut", True) or 0}
        for key in FACT_NUMBERS:
            value = num(key, key in INTEGER_FACTS)
            if value is not None:
                facts[key] = value
        facts["inovasi"] = form.get("inovasi") == "1"
        if form.get("skp_disepakati") in ("1", "0"):
            facts["skp_disepakati"] = form.get("skp_disepakati") == "1"
        if form.get("kontribusi_tim"):
            facts["kontribusi_tim"] = form.get("kontribusi_tim")
        riwayat = []
        tahun = facts["periode"]["tahun"]
        for back in (1, 2):
            predikat = form.get(f"riwayat-{back}")
            if predikat and isinstance(tahun, int):
                riwayat.append({"tahun": tahun - back, "predikat": predikat})
        if riwayat:
            facts["riwayat"] = riwayat
        return facts, errors, rows

    @staticmethod
    def _field_of(path: str, rows: list[int]) -> str:
        """The coba form field a facts problem names ('iki[1].bobot' -> 'iki-<row>-bobot')."""
        if path.startswith("iki[") and "]" in path:
            index, _, rest = path[4:].partition("]")
            row = rows[int(index)] if digits(index) and int(index) < len(rows) else 0
            return f"iki-{row}-{rest.lstrip('.')}" if rest else f"iki-{row}"
        head, _, tail = path.partition(".")
        if head == "periode":
            return {"tahun": "tahun", "jenis": "jenis"}.get(tail, "tahun")
        if head == "perilaku":
            return f"perilaku-{tail}"
        if head in ("pegawai", "disiplin"):
            return tail
        return head

    @staticmethod
    def _form_from_facts(facts: dict) -> dict:
        """Prefill the coba form from a stored facts snapshot."""
        form = {"tahun": str((facts.get("periode") or {}).get("tahun", "")),
                "jenis": (facts.get("periode") or {}).get("jenis", "tahunan")}
        pegawai = facts.get("pegawai") or {}
        for key in ("nip", "jenis_jabatan", "jenis_asn", "jenis_layanan"):
            if pegawai.get(key) is not None:
                form[key] = str(pegawai[key])
        for i, item in enumerate(facts.get("iki") or []):
            for key in ("id", "aspek", "arah", "jenis_rhk", "target", "realisasi", "bobot"):
                if item.get(key) is not None:
                    form[f"iki-{i}-{key}"] = str(item[key])
        form["iki_count"] = str(max(IKI_ROWS, len(facts.get("iki") or []) + 1))
        for v in BERAKHLAK:
            form[f"perilaku-{v}"] = (facts.get("perilaku") or {}).get(v, "sesuai")
        for key, value in (facts.get("disiplin") or {}).items():
            form[key] = str(value)
        for key in FACT_NUMBERS:
            if facts.get(key) is not None:
                form[key] = str(facts[key])
        form["inovasi"] = "1" if facts.get("inovasi") else ""
        if "skp_disepakati" in facts:
            form["skp_disepakati"] = "1" if facts["skp_disepakati"] else "0"
        if facts.get("kontribusi_tim"):
            form["kontribusi_tim"] = facts["kontribusi_tim"]
        tahun = (facts.get("periode") or {}).get("tahun")
        for entry in facts.get("riwayat") or []:
            if isinstance(tahun, int) and entry.get("tahun") in (tahun - 1, tahun - 2):
                form[f"riwayat-{tahun - entry['tahun']}"] = entry.get("predikat", "")
        return form

    @expose("/v/<int:vid>/try", methods=("GET", "POST"))
    def try_(self, vid: int):
        version = self._version(vid)
        daerah = version.rule_set.daerah
        samples = sample_decisions(db.session, current_user, daerah)
        people = {}
        if samples:
            from engine.organisation import Pegawai
            ids = [d.pegawai_id for d in samples if d.pegawai_id]
            people = {p.id: p for p in db.session.scalars(select(Pegawai).where(Pegawai.id.in_(ids or [-1])))}
        form = {"tahun": str(dt.date.today().year), "jenis": "tahunan", "jenis_jabatan": "pelaksana",
                "iki_count": str(IKI_ROWS), "iki-0-target": "100", "iki-0-realisasi": "100", "iki-0-bobot": "100"}
        for v in BERAKHLAK:
            form[f"perilaku-{v}"] = "sesuai"
        chosen = None
        outcome, errors, fact_problems, run_error = None, {}, [], None
        if request.method == "GET" and request.args.get("decision", type=db_int):
            chosen = next((d for d in samples if d.id == request.args.get("decision", type=db_int)), None)
            if chosen is None:
                abort(404)
            form = self._form_from_facts(chosen.facts)
        if request.method == "POST":
            form = request.form.to_dict()
            facts, errors, rows = self._facts_from_form(request.form, daerah)
            if not errors:
                try:
                    outcome = try_version(db.session, current_user, version, facts)
                except ValidationFailed as error:
                    fact_problems = _problem_dicts(error.problems) or [{"path": "", "where": "",
                                                                        "message": _msg(error)}]
                    if error.code == "invalid_facts":
                        for problem in fact_problems:
                            errors.setdefault(self._field_of(problem["path"], rows), problem["message"])
                except EngineError as error:
                    run_error = _msg(error)
        iki_count = _iki_rows(form)
        return self.render("rules/try.html", version=version, samples=samples, people=people, form=form,
                           errors=errors, outcome=outcome, fact_problems=fact_problems, run_error=run_error,
                           iki_count=iki_count, rr=rr, chosen=chosen, berakhlak=BERAKHLAK, ratings=RATINGS,
                           predikats=PREDIKATS, jenis_periode=PERIODE_JENIS, jenis_jabatan=JENIS_JABATAN,
                           jenis_layanan=JENIS_LAYANAN, problems=_problem_dicts(version_problems(version))
                           if version.status == VersionStatus.draft else [])

    # --- impact ------------------------------------------------------------------------------------------------
    @expose("/v/<int:vid>/impact")
    def impact(self, vid: int):
        version = self._version(vid)
        year = request.args.get("year", type=db_int)
        try:
            report = preview_impact(db.session, current_user, version, year)
            error = None
        except NotAllowed as exc:
            report, error = None, _msg(exc)
        chart = None
        if report and report.total:
            order = [*PREDIKATS, None]
            chart = {"labels": [rr.value_label(p) if p else t("rules.impact.none") for p in order],
                     "before": [report.before.get(p, 0) for p in order],
                     "after": [report.after.get(p, 0) for p in order],
                     "before_label": t("rules.impact.before"), "after_label": t("rules.impact.after")}
        return self.render("rules/impact.html", version=version, report=report, error=error, chart=chart, rr=rr,
                           problems=_problem_dicts(report.problems) if report else [])

    # --- diff --------------------------------------------------------------------------------------------------
    @expose("/diff")
    def diff(self):
        a, b = request.args.get("a", type=db_int), request.args.get("b", type=db_int)
        if not a or not b:
            abort(404)
        old, new = self._version(a), self._version(b)
        try:
            lines, error = diff_versions(old, new), None
        except EngineError as exc:
            lines, error = [], _msg(exc)
        lang = current_language()
        rendered = [{"where": rr.problem_location("stages." + line["path"].replace("/", ".rules[", 1) + "]")
                     if "/" in line["path"] else line["path"], "text": line["en" if lang == "en" else "id"]}
                    for line in lines]
        choices = sorted({*old.rule_set.versions, *new.rule_set.versions}, key=lambda v: (v.rule_set_id, v.number))
        return self.render("rules/diff.html", old=old, new=new, lines=rendered, error=error, choices=choices, rr=rr)

    # --- export / import ---------------------------------------------------------------------------------------
    @expose("/v/<int:vid>/export/<fmt>")
    def export(self, vid: int, fmt: str):
        version = self._version(vid)
        resolved = request.args.get("resolved") == "1"
        doc = resolved_document(version) if resolved else version.document
        name = f"{version.rule_set.daerah.code}-{version.rule_set.kind}-v{version.number}{'-resolved' if resolved else ''}"
        if fmt == "yaml":
            body, mime = dump_yaml(doc).encode("utf-8"), "application/yaml; charset=utf-8"
        elif fmt == "json":
            body, mime = dump_json(doc).encode("utf-8"), "application/json; charset=utf-8"
        elif fmt == "xlsx":
            body = export_xlsx(doc, f"{version.label} ({version.status})")
            mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        else:
            abort(404)
        response = make_response(body)
        response.headers["Content-Type"] = mime
        response.headers["Content-Disposition"] = attachment(f"{name}.{fmt}")
        return response

    def _import_document(self, upload) -> dict:
        data = upload.read(MAX_BYTES + 1)
        name = (upload.filename or "").lower()
        if len(data) > MAX_BYTES:
            raise ValidationFailed(t("rules.import.too_large"), t("rules.import.too_large"), code="too_large",
                                   field="file")
        if not data:
            raise ValidationFailed(t("rules.import.empty"), t("rules.import.empty"), code="required", field="file")
        if name.endswith(".xlsx") or data[:2] == b"PK":
            return import_xlsx(data)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationFailed(t("rules.import.not_text"), t("rules.import.not_text"), code="encoding",
                                   field="file") from None
        try:
            document = load_yaml(text)  # YAML is a superset of JSON; never a path, never a Python tag
        except yaml.YAMLError as error:
            message = _unreadable(error)
            raise ValidationFailed(message, message, code="not_json", field="file") from None
        if not isinstance(document, dict):
            raise ValidationFailed(t("rules.raw.not_object"), t("rules.raw.not_object"), code="shape", field="file")
        return document

    @expose("/set/<int:sid>/import", methods=("GET", "POST"))
    def import_(self, sid: int):
        rule_set = self._rule_set(sid)
        self._refuse(rule_set)
        error, problems = None, []
        if request.method == "POST":
            upload = request.files.get("file")
            if upload is None or not upload.filename:
                error = t("rules.import.no_file")
            else:
                try:
                    document = self._import_document(upload)
                    version = self._create_imported(rule_set, document)
                    problems = version_problems(version)
                    if problems and request.form.get("keep_invalid") != "1":
                        db.session.rollback()
                        error = t("rules.import.has_problems", n=len(problems))
                    else:
                        db.session.commit()
                        flash(t("rules.imported", label=version.label, n=len(problems)),
                              "warning" if problems else "success")
                        return redirect(url_for(".edit", vid=version.id))
                except EngineError as exc:
                    db.session.rollback()
                    if isinstance(exc, NotAllowed):
                        abort(403)
                    error, problems = _msg(exc), exc.problems
        status = 422 if error else 200
        return self.render("rules/import.html", rule_set=rule_set, error=error, problems=_problem_dicts(problems),
                           rr=rr), status

    def _create_imported(self, rule_set: RuleSet, document: dict) -> RuleVersion:
        daerah = rule_set.daerah  # another daerah's pack is refused by create_draft (rules.versions.UNSTORABLE)
        base = None
        if daerah.code != NASIONAL and document.get("extends"):
            nasional = db.session.scalar(select(Daerah).where(Daerah.code == NASIONAL))
            base = in_force(db.session, nasional.id, rule_set.kind, dt.date.today()) if nasional else None
            latest = max(rule_set.versions, key=lambda v: v.number, default=None)
            base = base or (latest.extends if latest else None)
        note = (request.form.get("change_note") or "").strip() or t("rules.import.note")
        return create_draft(db.session, current_user, rule_set, document=copy.deepcopy(document), extends=base,
                            change_note=note)


def add_rules_view(console) -> None:
    """Register the rules pages on the console (menu: Aturan / Rules)."""
    console.add_view(RulesView(name=lazy("menu.rules"), endpoint="rules", url="/admin/rules"))
