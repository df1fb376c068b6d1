"""Console pages of accounts: HR gives the pegawai of their daerah logins with one-time activation codes (a CSV to
hand out) and reissues a code for a forgotten password; every signed-in user changes their own password."""
from __future__ import annotations

import re

from flask import Response, abort, flash, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_login import current_user
from sqlalchemy import select

from admin.auth import sign_in
from admin.console.base import in_scope
from admin.console.text import lazy
from admin.converters import as_id
from admin.extensions import db
from admin.i18n import TEXT, both, current_language, t
from engine.accounts import (ACTIVATION_DAYS, PASSWORD_MIN, account_of_nip, change_password, codes_csv,
                             count_without_account, create_pegawai_accounts, reissue_activation)
from engine.audit import set_actor
from engine.organisation import Daerah, UnitKerja
from engine.permissions import write_scope
from engine.runtime.errors import EngineError, NotAllowed

TEXT.update({
    "menu.accounts": ("Akun pegawai", "Employee accounts"),
    "menu.password": ("Kata sandi", "Password"),
    "acc.title": ("Akun pegawai", "Employee accounts"),
    "acc.intro": ("Setiap pegawai masuk dengan NIP-nya. Akun baru belum punya kata sandi: pegawai mengaktifkannya "
                  "di halaman Aktifkan akun dengan kode aktivasi sekali pakai (berlaku {days} hari) lalu memilih kata "
                  "sandinya sendiri. Kode hanya ada di berkas CSV yang diunduh saat akun dibuat; simpan dan bagikan "
                  "berkas itu seperti kata sandi.",
                  "Every pegawai signs in with their NIP. A new account has no password yet: the pegawai activates "
                  "it on the Activate your account page with a one-time code (valid {days} days) and chooses their "
                  "own password. The codes exist only in the CSV file downloaded when the accounts are created; "
                  "keep and hand out that file like passwords."),
    "acc.without": ("Pegawai tanpa akun di {daerah}: {n}", "Employees without an account in {daerah}: {n}"),
    "acc.unit": ("Unit kerja (beserta sub-unitnya; kosong = seluruh daerah)",
                 "Work unit (with its sub-units; empty = the whole daerah)"),
    "acc.no_unit": ("Unit kerja itu tidak ada di daerah ini.", "That unit is not in this daerah."),
    "acc.create": ("Buat akun dan unduh kode aktivasi (CSV)", "Create accounts and download the codes (CSV)"),
    "acc.none": ("Semua pegawai yang dipilih sudah punya akun.", "Every employee chosen already has an account."),
    "acc.skipped": ("{n} pegawai dilewati: nama pengguna (NIP) sudah dipakai akun lain: {nips}.",
                    "{n} employees skipped: their username (NIP) is taken by another account: {nips}."),
    "acc.reissue.title": ("Kode aktivasi baru (lupa kata sandi)", "New activation code (forgotten password)"),
    "acc.reissue.intro": ("Kata sandi lama pegawai tidak berlaku lagi setelah kode baru dibuat.",
                          "The employee's old password stops working once a new code is made."),
    "acc.reissue.nip": ("NIP pegawai", "The employee's NIP"),
    "acc.reissue.submit": ("Buat kode baru", "Make a new code"),
    "acc.reissue.unknown": ("Tidak ada akun pegawai dengan NIP itu di daerah Anda.",
                            "There is no employee account with that NIP in your daerah."),
    "acc.reissue.done": ("Kode aktivasi baru untuk {name} ({nip}), berlaku sampai {until} UTC. Sampaikan langsung "
                         "kepada pegawai; kode ini tidak akan ditampilkan lagi.",
                         "New activation code for {name} ({nip}), valid until {until} UTC. Hand it to the employee "
                         "in person; it will not be shown again."),
    "acc.csv.code": ("Kode aktivasi", "Activation code"),
    "acc.csv.until": ("Berlaku sampai (UTC)", "Valid until (UTC)"),
    "acc.csv.page": ("Halaman aktivasi", "Activation page"),
    "pw.title": ("Ganti kata sandi", "Change password"),
    "pw.current": ("Kata sandi sekarang", "Current password"),
    "pw.new": ("Kata sandi baru (paling sedikit {n} karakter)", "New password (at least {n} characters)"),
    "pw.confirm": ("Ulangi kata sandi baru", "Repeat the new password"),
    "pw.submit": ("Simpan kata sandi", "Save password"),
    "pw.done": ("Kata sandi Anda telah diganti.", "Your password was changed."),
})


def _header() -> list[str]:
    return [t("field.nip"), t("field.name"), t("field.unit"), t("field.username"), t("acc.csv.code"),
            t("acc.csv.until"), t("acc.csv.page")]


class AccountsView(BaseView):
    """HR's page for the pegawai's own logins (`/admin/akun/`)."""

    def _scope(self):
        return write_scope(current_user, "accounts")

    def is_accessible(self) -> bool:
        if not current_user.is_authenticated:
            return False
        scope = self._scope()
        return scope.everywhere or bool(scope.daerah_ids)

    def inaccessible_callback(self, name, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.full_path))
        abort(403)

    def _daerah_list(self) -> list[Daerah]:
        return in_scope(db.session.query(Daerah), Daerah.id, self._scope()).order_by(Daerah.name).all()

    def _daerah(self, choices: list[Daerah]) -> Daerah | None:
        code = request.values.get("daerah", "")
        if len(choices) == 1 and not code:
            return choices[0]
        return next((d for d in choices if d.code == code), None)

    def _page(self, status: int = 200, **extra):
        choices = self._daerah_list()
        daerah = self._daerah(choices)
        units = (db.session.scalars(select(UnitKerja).where(UnitKerja.daerah_id == daerah.id)
                                    .order_by(UnitKerja.name)).all() if daerah else [])
        without = count_without_account(db.session, daerah) if daerah else 0
        return self.render("accounts/index.html", choices=choices, daerah=daerah, units=units, without=without,
                           days=ACTIVATION_DAYS, **extra), status

    @expose("/")
    def index(self):
        """The count of pegawai without an account, the create form and the reissue form."""
        return self._page()

    @expose("/create", methods=("POST",))
    def create(self):
        """Create the accounts and answer with the CSV of their activation codes."""
        daerah = self._daerah(self._daerah_list())
        if daerah is None:
            abort(404)
        unit_id = request.form.get("unit", "")
        unit = db.session.get(UnitKerja, as_id(unit_id)) if as_id(unit_id) else None
        if unit_id and (unit is None or unit.daerah_id != daerah.id):
            return self._page(422, error=t("acc.no_unit"))
        set_actor(db.session, current_user)
        try:
            issued, skipped = create_pegawai_accounts(db.session, current_user, daerah, unit)
        except NotAllowed:
            db.session.rollback()
            abort(403)
        except EngineError as error:
            db.session.rollback()
            return self._page(422, error=error.message(current_language()))
        if skipped:
            flash(t("acc.skipped", n=len(skipped), nips=", ".join(skipped[:20])), "warning")
        if not issued:
            db.session.rollback()
            flash(t("acc.none"), "info")
            return redirect(url_for(".index", daerah=daerah.code))
        db.session.commit()
        body = codes_csv(issued, _header(), url_for("activation.activate_account", _external=True))
        name = re.sub(r"[^A-Za-z0-9._-]", "_", f"kode-aktivasi-{daerah.code}{'-' + unit.code if unit else ''}") + ".csv"
        return Response(body, mimetype="text/csv", headers={"Content-Disposition": f"attachment; filename={name}",
                                                            "Cache-Control": "no-store"})

    @expose("/reissue", methods=("POST",))
    def reissue(self):
        """A new activation code for one pegawai's account, shown once on the page."""
        nip = "".join(request.form.get("nip", "").split())
        user = account_of_nip(db.session, nip)
        if user is None or not self._scope().allows(user.pegawai.daerah_id):
            return self._page(404, reissue_error=t("acc.reissue.unknown"), nip=nip)
        set_actor(db.session, current_user)
        try:
            issued = reissue_activation(db.session, current_user, user)
        except EngineError as error:
            db.session.rollback()
            return self._page(403 if isinstance(error, NotAllowed) else 422,
                              reissue_error=error.message(current_language()), nip=nip)
        db.session.commit()
        return self._page(reissued=issued, reissued_text=t("acc.reissue.done", name=issued.name, nip=issued.nip,
                                                           until=issued.expires_at.strftime("%Y-%m-%d %H:%M")))


class PasswordView(BaseView):
    """Every signed-in user changes their own password (`/admin/kata-sandi/`)."""

    def is_accessible(self) -> bool:
        return current_user.is_authenticated

    def is_visible(self) -> bool:
        return False  # reached from the user's name in the navigation bar, not from the menu

    def inaccessible_callback(self, name, **kwargs):
        return redirect(url_for("auth.login", next=request.full_path))

    @expose("/", methods=("GET", "POST"))
    def index(self):
        """The form; on POST check the current password and store the new one."""
        problems, status = {}, 200
        if request.method == "POST":
            set_actor(db.session, current_user)
            try:
                change_password(db.session, current_user, request.form.get("current_password", ""),
                                request.form.get("new_password", ""), request.form.get("confirm_password", ""))
            except EngineError as error:
                db.session.rollback()
                problems = {p.path: both(p.message_id, p.message_en) for p in error.problems}
                status = 422
            else:
                db.session.commit()
                sign_in(current_user._get_current_object())  # this session goes on; every other one ends
                flash(t("pw.done"), "success")
                return redirect(url_for("admin.index"))
        return self.render("accounts/password.html", problems=problems, minimum=PASSWORD_MIN), status


def add_views(admin) -> None:
    """Register the account pages."""
    admin.add_view(AccountsView(name=lazy("menu.accounts"), endpoint="accounts", url="/admin/akun"))
    admin.add_view(PasswordView(name=lazy("menu.password"), endpoint="password", url="/admin/kata-sandi"))
