"""The base of every console model view: login required, rows limited to the user's daerah, writes checked."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, request, url_for
from flask_admin.contrib.sqla import ModelView
from flask_login import current_user
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from wtforms.validators import ValidationError

from admin.console.text import lazy
from admin.converters import as_id
from admin.extensions import db
from admin.i18n import both, t
from engine.audit import set_actor
from engine.permissions import Scope, read_scope, write_scope
from engine.runtime.errors import EngineError


#: what the database refuses that no check foresaw, and the text the user gets: a conflict (a unique key, two people
#: saving at once), or a value too long for its column (PostgreSQL refuses it, SQLite stores it)
_REFUSED = (((IntegrityError, StaleDataError), "error.409.text"), ((DataError,), "error.data.text"))

MAX_PAGE = 10**6  #: list pages beyond this show the same empty page (no OFFSET the database cannot hold)


def in_scope(query, column, scope: Scope):
    """`query` (a legacy Query) limited to the rows whose daerah `column` is in `scope`."""
    if scope.everywhere:
        return query
    return query.filter(column.in_(scope.daerah_ids or {-1}))


class ScopedView(ModelView):
    """A model view whose rows are limited to the daerah the user may read, and writes to where they may write."""

    entity = ""  #: permission entity name (engine.permissions)
    page_size = 20
    can_view_details = True
    can_set_page_size = True
    labels: dict[str, str] = {}

    def __init__(self, model, session, **kwargs):
        self.column_labels = {k: lazy(v) for k, v in self.labels.items()}
        super().__init__(model, session, **kwargs)

    # --- scope -------------------------------------------------------------------------------------------------
    def read(self) -> Scope:
        """Where the current user may read this entity."""
        return read_scope(current_user, self.entity)

    def write(self) -> Scope:
        """Where the current user may write this entity."""
        return write_scope(current_user, self.entity)

    def scope_filter(self, query, scope: Scope):
        """Limit `query` to `scope`; each view says how its rows belong to a daerah."""
        raise NotImplementedError

    def daerah_of(self, obj) -> int | None:
        """The daerah a record belongs to."""
        return obj.daerah_id

    def visible(self, obj) -> bool:
        """True when the current user may open this record."""
        return self.read().allows(self.daerah_of(obj))

    def writable(self, obj) -> bool:
        """True when the current user may change or delete this record."""
        return self.write().allows(self.daerah_of(obj))

    def is_accessible(self) -> bool:
        if not current_user.is_authenticated:
            return False
        scope = self.read()
        return scope.everywhere or bool(scope.daerah_ids)

    def inaccessible_callback(self, name, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.full_path))
        abort(403)

    @property
    def can_create(self) -> bool:
        scope = self.write()
        return scope.everywhere or bool(scope.daerah_ids)

    @property
    def can_edit(self) -> bool:
        return self.can_create

    @property
    def can_delete(self) -> bool:
        return self.can_create

    def get_query(self):
        return self.scope_filter(super().get_query(), self.read())

    def get_count_query(self):
        return self.scope_filter(super().get_count_query(), self.read())

    def _get_list_extra_args(self):
        # ?page= is any integer to flask-admin; page x page_size becomes the query's OFFSET, and past 64 bits the
        # database fails (a 500). A page beyond the last is an empty list, whatever its number: cap it.
        args = super()._get_list_extra_args()
        return args.clone(page=min(max(args.page or 0, 0), MAX_PAGE))

    def get_list(self, *args, **kwargs):
        # a filter value the column cannot hold (an integer beyond 64 bits for SQLite, beyond 32 for PostgreSQL)
        # passes flask-admin's own check and fails in the query: no row can match it
        try:
            return super().get_list(*args, **kwargs)
        except (OverflowError, DataError):
            db.session.rollback()
            flash(t("list.filter_range"), "error")
            return 0, []

    def get_one(self, id):
        if as_id(id) is None:  # ?id= as typed: every id column is INTEGER
            abort(404)
        obj = super().get_one(id)
        if obj is None or not self.visible(obj):
            abort(404)  # same answer for "missing" and "not yours": nothing leaked
        return obj

    # --- writes --------------------------------------------------------------------------------------------------
    def check(self, model) -> None:
        """Validate and authorise a record about to be saved (a kernel service)."""
        raise NotImplementedError

    def on_model_change(self, form, model, is_created):
        set_actor(db.session, current_user)
        try:
            self.check(model)
        except EngineError as error:
            raise ValidationError(both(error.message_id, error.message_en)) from error

    def handle_view_exception(self, exc: Exception) -> bool:
        # flask-admin flashes a database conflict as the driver's own text (SQL included), and builds that text
        # through the failed session: roll back first, then say what happened in the user's language
        for kinds, text in _REFUSED:
            if isinstance(exc, kinds):
                db.session.rollback()
                current_app.logger.warning("console: the database refused a save: %s", exc)
                flash(t(text), "error")
                return True
        return super().handle_view_exception(exc)

    def on_model_delete(self, model):
        set_actor(db.session, current_user)
        if not self.writable(model):
            abort(403)

    def action_delete(self, ids):
        # flask-admin passes the ids as strings; psycopg 3 under SQLAlchemy 2.1 binds them as VARCHAR and
        # PostgreSQL refuses `integer IN (varchar)`. Our primary keys are integers: convert, drop anything else.
        return super().action_delete(tuple(i for i in map(as_id, ids) if i is not None))

    action_delete._action = ModelView.action_delete._action  # keep it registered as flask-admin's "delete" action
