"""The console's home page: what the signed-in user can see and do, per role."""
from __future__ import annotations

from flask import redirect, request, url_for
from flask_admin import AdminIndexView, expose
from flask_login import current_user
from sqlalchemy import func, select

from admin.extensions import db
from engine.accounts import WITHOUT_ACCOUNT
from engine.identity import ROLE_LABELS
from engine.organisation import Daerah, Pegawai, PegawaiStatus, UnitKerja
from engine.permissions import home_daerah_ids, read_scope, roles_of, write_scope

ROLE_ORDER = ("admin", "policy_maker", "hr", "auditor", "atasan", "pegawai")


def _count(model, column, scope, where=()) -> int:
    query = select(func.count()).select_from(model).where(*where)
    if not scope.everywhere:
        query = query.where(column.in_(scope.daerah_ids or {-1}))
    return db.session.scalar(query) or 0


class HomeView(AdminIndexView):
    """Home page per role; requires login."""

    def is_accessible(self) -> bool:
        return current_user.is_authenticated

    def inaccessible_callback(self, name, **kwargs):
        return redirect(url_for("auth.login", next=request.full_path))

    @expose("/")
    def index(self):
        user = current_user
        roles = [r for r in ROLE_ORDER if r in roles_of(user)]
        scope = read_scope(user, "pegawai")
        counts = None
        if scope.everywhere or scope.daerah_ids:
            counts = {"daerah": _count(Daerah, Daerah.id, scope), "units": _count(UnitKerja, UnitKerja.daerah_id, scope),
                      "pegawai": _count(Pegawai, Pegawai.daerah_id, scope)}
            accounts = write_scope(user, "accounts")
            if accounts.everywhere or accounts.daerah_ids:
                counts["without_account"] = _count(Pegawai, Pegawai.daerah_id, accounts, WITHOUT_ACCOUNT)
        daerah_ids = home_daerah_ids(user)
        daerah = db.session.scalars(select(Daerah).where(Daerah.id.in_(daerah_ids or {-1})).order_by(Daerah.name)).all()
        everywhere = any(g.daerah_id is None for g in user.grants)
        me = user.pegawai
        reports = sorted((p for p in me.bawahan if p.status == PegawaiStatus.aktif),
                         key=lambda p: p.name) if me is not None else []
        return self.render("admin/home.html", roles=roles, role_labels=ROLE_LABELS, counts=counts, daerah=daerah,
                           everywhere=everywhere, me=me, reports=reports)
