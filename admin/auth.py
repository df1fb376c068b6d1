"""Login and logout: one message for every failure, throttled, session rotated on success."""
from __future__ import annotations

import hmac
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from admin.converters import digits
from admin.extensions import db, login_manager
from admin.i18n import t
from engine.identity import User, authenticate, clear_login_failures, record_login_failure, throttle_wait

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    # "<id>.<session key>": a session made before the password last changed no longer loads (a plain id, from a
    # session of an older build, neither: its user signs in once more)
    number, _, key = user_id.partition(".")
    user = db.session.get(User, int(number)) if digits(number) and len(number) < 10 else None
    if user is None or not user.is_active or not hmac.compare_digest(key, user.session_key()):
        return None
    return user


def safe_next(target: str | None) -> str:
    """A local path to continue to after login; anything pointing elsewhere becomes the home page."""
    default = url_for("admin.index")
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def throttle_keys(username: str) -> list[str]:
    return [f"user:{username.strip().lower()[:150]}", f"ip:{request.remote_addr or '-'}"]


def sign_in(user: User) -> None:
    """Start the user's session: a new session (no fixation), the language kept."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    login_user(user)


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the login form and sign the user in."""
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    error, status = None, 200
    username = ""
    if request.method == "POST":
        username = request.form.get("username", "")
        password = request.form.get("password", "")
        keys = throttle_keys(username)
        wait = throttle_wait(db.session, keys)
        if wait:
            error, status = t("login.throttled", seconds=wait), 429
        elif not username.strip() or not password:
            error, status = t("login.missing"), 400
        else:
            user = authenticate(db.session, username, password)
            if user is None:
                record_login_failure(db.session, keys, max_failures=current_app.config["LOGIN_MAX_FAILURES"])
                db.session.commit()
                error, status = t("login.failed"), 401
            else:
                clear_login_failures(db.session, keys)
                db.session.commit()
                sign_in(user)
                return redirect(safe_next(request.args.get("next")))
    return render_template("auth/login.html", error=error, username=username), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign out (POST only, with the CSRF token)."""
    lang = session.get("lang")
    logout_user()
    session.clear()
    if lang:
        session["lang"] = lang
    flash(t("logout.done"), "info")
    return redirect(url_for("auth.login"))


@bp.route("/")
def root():
    """The site root leads to the console."""
    return redirect(url_for("admin.index"))
