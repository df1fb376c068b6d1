"""Console views of the master data: daerah, unit kerja, pegawai and users."""
from __future__ import annotations

from flask_login import current_user
from sqlalchemy import or_
from wtforms import PasswordField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional as OptionalValidator
from wtforms.validators import ValidationError

from admin.console.base import ScopedView, in_scope
from admin.console.lookups import ScopedLoader, known_row
from admin.console.pegawai_import import PegawaiImportMixin
from admin.console.text import lazy
from admin.extensions import db
from admin.i18n import both
from engine.accounts import password_problems
from engine.identity import Role, RoleGrant, User
from engine.masterdata import atasan_problems, check_daerah, check_pegawai, check_unit, check_user, parent_problems
from engine.organisation import (GOLONGAN, TIMEZONES, Daerah, DaerahLevel, JenisJabatan, Pegawai, PegawaiStatus,
                                 UnitKerja)


def choices(values) -> dict:
    """form_overrides/form_args for a fixed list of values: a plain select with declared options."""
    return {"choices": [SelectChoice(v, label) for v, label in values]}


def _pegawai_loader(name: str, scope) -> ScopedLoader:
    """A pegawai picker searched by name or NIP, limited to where the user may write."""
    return ScopedLoader(name, db.session, Pegawai, scope, fields=("name", "nip"), order_by=Pegawai.name)


def _first_problem(problems) -> None:
    if problems:
        raise ValidationError(both(problems[0].message_id, problems[0].message_en))


class DaerahView(ScopedView):
    """Daerah (tenants): administrators manage them; everyone else sees their own."""

    entity = "daerah"
    column_list = ("code", "name", "level", "timezone")
    column_searchable_list = ("code", "name")
    column_filters = ("level", "timezone")
    form_columns = ("code", "name", "level", "timezone")
    form_overrides = {"level": SelectField, "timezone": SelectField}
    form_args = {"level": choices((lv.value, lv.value) for lv in DaerahLevel),
                 "timezone": choices((z, z) for z in TIMEZONES)}
    labels = {"code": "field.code", "name": "field.name", "level": "field.level", "timezone": "field.timezone"}

    def scope_filter(self, query, scope):
        return in_scope(query, Daerah.id, scope)

    def daerah_of(self, obj):
        return obj.id

    def check(self, model):
        check_daerah(db.session, current_user, model)


class UnitKerjaView(ScopedView):
    """Unit kerja of a daerah, as a tree through the parent unit."""

    entity = "unit_kerja"
    column_list = ("code", "name", "daerah", "parent")
    column_searchable_list = ("code", "name")
    column_filters = ("daerah.code", "daerah.name", "parent.name")
    column_default_sort = "name"
    form_columns = ("daerah", "code", "name", "parent")
    labels = {"code": "field.code", "name": "field.name", "daerah": "field.daerah", "parent": "field.parent",
              "daerah.code": "field.daerah", "daerah.name": "field.daerah", "parent.name": "field.parent"}

    def scope_filter(self, query, scope):
        return in_scope(query, UnitKerja.daerah_id, scope)

    def _daerah_choices(self):
        return in_scope(db.session.query(Daerah), Daerah.id, self.write()).order_by(Daerah.name)

    def _unit_choices(self):
        return in_scope(db.session.query(UnitKerja), UnitKerja.daerah_id, self.write()).order_by(UnitKerja.name)

    @property
    def form_args(self):
        def parent_ok(form, field):
            current = getattr(form, "_obj", None)
            _first_problem(parent_problems(getattr(current, "id", None),
                                           form.daerah.data.id if form.daerah.data else None, field.data))

        return {"daerah": {"query_factory": self._daerah_choices},
                "parent": {"query_factory": self._unit_choices, "validators": [parent_ok]}}

    def check(self, model):
        check_unit(db.session, current_user, model)


class PegawaiView(PegawaiImportMixin, ScopedView):
    """Pegawai of the daerah, with NIP validation and an atasan from the same daerah; the SIASN import page."""

    entity = "pegawai"
    list_template = "masterdata/pegawai_list.html"
    column_list = ("nip", "name", "jabatan", "jenis_jabatan", "golongan", "unit", "atasan", "status", "daerah")
    column_searchable_list = ("nip", "name", "jabatan")
    column_filters = ("status", "jenis_jabatan", "golongan", "unit.name", "daerah.code")
    column_default_sort = "name"
    form_columns = ("nip", "name", "jabatan", "jenis_jabatan", "golongan", "unit", "atasan", "status", "status_since")
    form_overrides = {"jenis_jabatan": SelectField, "golongan": SelectField, "status": SelectField}
    labels = {"nip": "field.nip", "name": "field.name", "jabatan": "field.jabatan",
              "jenis_jabatan": "field.jenis_jabatan", "golongan": "field.golongan", "unit": "field.unit",
              "atasan": "field.atasan", "daerah": "field.daerah", "unit.name": "field.unit", "daerah.code": "field.daerah",
              "status": "field.status", "status_since": "field.status_since"}

    def scope_filter(self, query, scope):
        return in_scope(query, Pegawai.daerah_id, scope)

    def _unit_choices(self):
        return in_scope(db.session.query(UnitKerja), UnitKerja.daerah_id, self.write()).order_by(UnitKerja.name)

    @property
    def form_ajax_refs(self):
        # a daerah has thousands of pegawai: the atasan is searched by name or NIP, not listed
        return {"atasan": _pegawai_loader("atasan", self.write)}

    @property
    def form_args(self):
        from engine.nip import nip_problems

        def nip_ok(form, field):
            _first_problem(nip_problems(field.data or ""))

        def atasan_ok(form, field):
            unit = form.unit.data
            current = getattr(form, "_obj", None)
            _first_problem(atasan_problems(getattr(current, "id", None), unit.daerah_id if unit else None, field.data))

        return {"nip": {"validators": [nip_ok], "filters": [lambda v: "".join((v or "").split())]},
                "jenis_jabatan": choices((j.value, j.value) for j in JenisJabatan),
                "golongan": choices((g, g) for g in GOLONGAN),
                "status": {**choices((v.value, v.value) for v in PegawaiStatus),
                           "description": lazy("field.status.help")},
                "unit": {"query_factory": self._unit_choices},
                "atasan": {"validators": [known_row, atasan_ok]}}

    def edit_form(self, obj=None):
        form = super().edit_form(obj)
        form._obj = obj
        return form

    def check(self, model):
        check_pegawai(db.session, current_user, model)


class UserView(ScopedView):
    """User accounts: administrators manage them; HR and auditors see the accounts of their daerah."""

    entity = "users"
    column_list = ("username", "full_name", "active", "pegawai", "grants", "created_at", "activation_expires_at")
    column_searchable_list = ("username", "full_name")
    column_filters = ("active", "grants.role")
    column_exclude_list = ("password_hash", "activation_hash")
    column_details_exclude_list = ("password_hash", "activation_hash")
    form_columns = ("username", "full_name", "active", "locale", "pegawai", "new_password")
    form_extra_fields = {"new_password": PasswordField(validators=[OptionalValidator()])}
    form_overrides = {"locale": SelectField}
    _form_args = {"locale": choices([("", "-"), ("id", "Bahasa Indonesia"), ("en", "English")])}
    inline_models = [(RoleGrant, {"form_columns": ("id", "role", "daerah"), "form_overrides": {"role": SelectField},
                                  "form_args": {"role": choices((r.value, r.value) for r in Role)}})]
    labels = {"username": "field.username", "full_name": "field.full_name", "active": "field.active",
              "locale": "field.locale", "pegawai": "field.pegawai", "new_password": "field.new_password",
              "grants": "field.grants", "created_at": "field.created_at", "grants.role": "field.role",
              "activation_expires_at": "field.activation_expires_at"}

    @property
    def form_ajax_refs(self):
        return {"pegawai": _pegawai_loader("pegawai", self.write)}

    @property
    def form_args(self):
        return {**self._form_args, "pegawai": {"validators": [known_row]}}

    def scope_filter(self, query, scope):
        if scope.everywhere:
            return query
        ids = scope.daerah_ids or {-1}
        in_daerah = or_(User.grants.any(RoleGrant.daerah_id.in_(ids)), User.pegawai.has(Pegawai.daerah_id.in_(ids)))
        return query.filter(in_daerah)

    def visible(self, obj) -> bool:
        scope = self.read()
        ids = {g.daerah_id for g in obj.grants if g.daerah_id}
        if obj.pegawai is not None:
            ids.add(obj.pegawai.daerah_id)
        return scope.everywhere or any(scope.allows(i) for i in ids)

    def writable(self, obj) -> bool:
        return self.write().everywhere

    def on_model_change(self, form, model, is_created):
        if form.new_password.data:
            _first_problem(password_problems(model, form.new_password.data, form.new_password.data))
            model.set_password(form.new_password.data)
        super().on_model_change(form, model, is_created)

    def check(self, model):
        check_user(db.session, current_user, model)


def add_views(admin) -> None:
    """Register the master data views."""
    admin.add_view(DaerahView(Daerah, db, name=lazy("menu.daerah"), endpoint="daerah"))
    admin.add_view(UnitKerjaView(UnitKerja, db, name=lazy("menu.units"), endpoint="unit_kerja"))
    admin.add_view(PegawaiView(Pegawai, db, name=lazy("menu.pegawai"), endpoint="pegawai"))
    admin.add_view(UserView(User, db, name=lazy("menu.users"), endpoint="users"))

