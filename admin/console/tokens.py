"""The console page where a signed-in user creates, lists and revokes their personal API tokens.

The secret is shown once, in the answer to the creation form (never in a URL, a flash message or the session).
"""
from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_login import current_user

from admin.console.text import lazy
from admin.converters import digits
from admin.extensions import db
from admin.i18n import TEXT, current_language, t
from engine.api_tokens import MAX_LIFETIME_DAYS, create_token, get_token, list_tokens, revoke_token
from engine.audit import set_actor
from engine.runtime.errors import EngineError

TEXT.update({
    "menu.tokens": ("Token API", "API tokens"),
    "tokens.title": ("Token API pribadi", "Personal API tokens"),
    "tokens.intro": ("Token membuka API JSON (/api/v1) dengan peran dan daerah Anda. Kirim sebagai header "
                     "'Authorization: Bearer <token>'. Simpan seperti kata sandi.",
                     "A token opens the JSON API (/api/v1) with your roles and daerah. Send it as the header "
                     "'Authorization: Bearer <token>'. Keep it like a password."),
    "tokens.docs": ("Dokumentasi API", "API documentation"),
    "tokens.name": ("Nama token (untuk apa)", "Token name (what it is for)"),
    "tokens.days": ("Berlaku (hari, kosong = tanpa batas)", "Valid for (days, empty = no end)"),
    "tokens.create": ("Buat token", "Create token"),
    "tokens.secret": ("Token baru Anda. Salin sekarang: token ini tidak akan ditampilkan lagi.",
                      "Your new token. Copy it now: it will not be shown again."),
    "tokens.none": ("Belum ada token.", "No tokens yet."),
    "tokens.prefix": ("Awalan", "Prefix"),
    "tokens.created": ("Dibuat (UTC)", "Created (UTC)"),
    "tokens.expires": ("Kedaluwarsa (UTC)", "Expires (UTC)"),
    "tokens.last_used": ("Terakhir dipakai (UTC)", "Last used (UTC)"),
    "tokens.status": ("Status", "Status"),
    "tokens.active": ("aktif", "active"),
    "tokens.revoked": ("dicabut", "revoked"),
    "tokens.expired": ("kedaluwarsa", "expired"),
    "tokens.revoke": ("Cabut", "Revoke"),
    "tokens.revoked_done": ("Token '{name}' telah dicabut.", "Token '{name}' was revoked."),
    "tokens.days_invalid": ("Masa berlaku harus angka 1-{max} hari.", "The lifetime must be a number of 1-{max} days."),
})


class TokenView(BaseView):
    """Personal API tokens of the signed-in user."""

    def is_accessible(self) -> bool:
        return current_user.is_authenticated

    def inaccessible_callback(self, name, **kwargs):
        return redirect(url_for("auth.login", next=request.full_path))

    def _page(self, secret: str | None = None, error: str | None = None, status: int = 200):
        tokens = list_tokens(db.session, current_user)
        return self.render("tokens/index.html", tokens=tokens, secret=secret, error=error,
                           max_days=MAX_LIFETIME_DAYS, name=request.form.get("name", "")), status

    @expose("/")
    def index(self):
        """The user's tokens and the creation form."""
        return self._page()

    @expose("/create", methods=("POST",))
    def create(self):
        """Create a token and show its secret once."""
        set_actor(db.session, current_user)
        days_text = request.form.get("expires_in_days", "").strip()
        if days_text and not digits(days_text):
            return self._page(error=t("tokens.days_invalid", max=MAX_LIFETIME_DAYS), status=422)
        try:
            _, secret = create_token(db.session, current_user, request.form.get("name", ""),
                                     expires_in_days=int(days_text) if days_text else None)
        except EngineError as error:
            db.session.rollback()
            return self._page(error=error.message(current_language()), status=422)
        db.session.commit()
        return self._page(secret=secret, status=201)

    @expose("/<int:token_id>/revoke", methods=("POST",))
    def revoke(self, token_id: int):
        """Revoke one of the user's tokens."""
        set_actor(db.session, current_user)
        try:
            token = revoke_token(db.session, current_user, get_token(db.session, current_user, token_id))
        except EngineError as error:
            db.session.rollback()
            flash(error.message(current_language()), "error")
            return redirect(url_for(".index"))
        db.session.commit()
        flash(t("tokens.revoked_done", name=token.name), "success")
        return redirect(url_for(".index"))


def add_views(console) -> None:
    """Register the token page."""
    console.add_view(TokenView(name=lazy("menu.tokens"), endpoint="tokens", url="/admin/tokens"))
