"""The activation page: a pegawai signs in the first time (or after HR reissued their code) with their NIP and the
activation code HR gave them, and chooses their own password. Throttled like the login; one message for every
wrong NIP, code or expired code."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from admin.auth import sign_in, throttle_keys
from admin.extensions import db
from admin.i18n import TEXT, both, t
from engine.accounts import PASSWORD_MIN, activate, activation_user
from engine.audit import set_actor
from engine.identity import clear_login_failures, record_login_failure, throttle_wait
from engine.runtime.errors import ValidationFailed

bp = Blueprint("activation", __name__)

TEXT.update({
    "act.title": ("Aktifkan akun", "Activate your account"),
    "act.intro": ("Masukkan NIP dan kode aktivasi dari kepegawaian (BKPSDM), lalu pilih kata sandi Anda sendiri.",
                  "Enter your NIP and the activation code from HR (BKPSDM), then choose your own password."),
    "act.link": ("Punya kode aktivasi? Aktifkan akun", "Have an activation code? Activate your account"),
    "act.username": ("NIP (nama pengguna)", "NIP (username)"),
    "act.code": ("Kode aktivasi", "Activation code"),
    "act.new": ("Kata sandi baru (paling sedikit {n} karakter)", "New password (at least {n} characters)"),
    "act.confirm": ("Ulangi kata sandi baru", "Repeat the new password"),
    "act.submit": ("Aktifkan dan masuk", "Activate and sign in"),
    "act.failed": ("NIP atau kode aktivasi salah, atau kode sudah tidak berlaku. Minta kode baru ke kepegawaian.",
                   "The NIP or activation code is wrong, or the code has expired. Ask HR for a new code."),
    "act.done": ("Akun aktif. Selanjutnya masuk dengan NIP dan kata sandi yang baru Anda pilih.",
                 "Your account is active. From now on, sign in with your NIP and the password you just chose."),
    "act.back": ("Kembali ke halaman masuk", "Back to sign in"),
})


@bp.route("/aktivasi", methods=["GET", "POST"])
def activate_account():
    """Show the activation form; on POST set the first password and sign in."""
    if current_user.is_authenticated:
        return redirect(url_for("admin.index"))
    error, problems, status = None, {}, 200
    username = request.form.get("username", "")
    if request.method == "POST":
        keys = throttle_keys(username)
        wait = throttle_wait(db.session, keys)
        user = None if wait else activation_user(db.session, username, request.form.get("code", ""))
        if wait:
            error, status = t("login.throttled", seconds=wait), 429
        elif user is None:
            record_login_failure(db.session, keys, max_failures=current_app.config["LOGIN_MAX_FAILURES"])
            db.session.commit()
            error, status = t("act.failed"), 401
        else:
            set_actor(db.session, user)
            try:
                activate(db.session, user, request.form.get("new_password", ""),
                         request.form.get("confirm_password", ""))
            except ValidationFailed as exc:
                db.session.rollback()
                problems = {p.path: both(p.message_id, p.message_en) for p in exc.problems}
                status = 422
            else:
                clear_login_failures(db.session, keys)
                db.session.commit()
                sign_in(user)
                flash(t("act.done"), "success")
                return redirect(url_for("admin.index"))
    return render_template("accounts/activate.html", error=error, problems=problems, username=username,
                           minimum=PASSWORD_MIN), status
