"""Language choice (Bahasa Indonesia by default, English on request) and the console's own texts."""
from __future__ import annotations

from pathlib import Path

from flask import Flask, has_request_context, request, session
from flask_login import current_user

from engine.runtime.explain import format_number

LANGUAGES = ("id", "en")

#: The console's own texts: key -> (Bahasa Indonesia, English).
TEXT: dict[str, tuple[str, str]] = {
    "app.name": ("Kinerja", "Kinerja"),
    "app.tagline": ("Pengelolaan kinerja ASN berbasis aturan", "Rules-based ASN performance management"),
    "login.title": ("Masuk ke Kinerja", "Sign in to Kinerja"),
    "login.username": ("Nama pengguna", "Username"),
    "login.password": ("Kata sandi", "Password"),
    "login.submit": ("Masuk", "Sign in"),
    "login.failed": ("Nama pengguna atau kata sandi salah.", "Wrong username or password."),
    "login.throttled": ("Terlalu banyak percobaan gagal. Coba lagi dalam {seconds} detik.",
                        "Too many failed attempts. Try again in {seconds} seconds."),
    "login.required": ("Silakan masuk terlebih dahulu.", "Please sign in first."),
    "login.missing": ("Nama pengguna dan kata sandi wajib diisi.", "Username and password are required."),
    "logout": ("Keluar", "Sign out"),
    "logout.done": ("Anda telah keluar.", "You have signed out."),
    "lang.switch": ("English", "Bahasa Indonesia"),
    "home.welcome": ("Selamat datang, {name}", "Welcome, {name}"),
    "home.roles": ("Peran Anda", "Your roles"),
    "home.scope": ("Daerah", "Daerah"),
    "home.all_daerah": ("Semua daerah", "All daerah"),
    "home.counts": ("Ringkasan data", "Data summary"),
    "home.daerah": ("Daerah", "Daerah"),
    "home.units": ("Unit kerja", "Work units"),
    "home.pegawai": ("Pegawai", "Employees"),
    "home.without_account": ("pegawai aktif belum punya akun", "active employees without an account"),
    "field.activation_expires_at": ("Kode aktivasi berlaku sampai (UTC)", "Activation code valid until (UTC)"),
    "home.users": ("Pengguna", "Users"),
    "home.tasks": ("Yang dapat Anda lakukan", "What you can do"),
    "home.task.admin": ("Kelola daerah, pengguna dan peran.", "Manage daerah, users and roles."),
    "home.task.policy_maker": ("Susun dan terbitkan aturan penilaian kinerja daerah Anda.",
                               "Draft and publish your daerah's performance rules."),
    "home.task.hr": ("Kelola unit kerja dan pegawai, buka periode penilaian, pantau evaluasi.",
                     "Manage work units and employees, open appraisal periods, follow evaluations."),
    "home.task.auditor": ("Telusuri log audit dan keputusan sampai versi aturannya (hanya baca).",
                          "Trace the audit log and decisions back to their rule versions (read only)."),
    "home.task.pegawai": ("Lihat data kepegawaian Anda, SKP dan hasil penilaian.",
                          "See your staff record, SKP and appraisal results."),
    "home.task.atasan": ("Nilai dan bina bawahan langsung Anda.", "Appraise and coach your direct reports."),
    "home.my_record": ("Data saya", "My record"),
    "home.reports": ("Bawahan langsung", "Direct reports"),
    "home.none": ("Tidak ada.", "None."),
    "menu.home": ("Beranda", "Home"),
    "menu.master": ("Data induk", "Master data"),
    "menu.daerah": ("Daerah", "Daerah"),
    "menu.units": ("Unit kerja", "Work units"),
    "menu.pegawai": ("Pegawai", "Employees"),
    "menu.users": ("Pengguna", "Users"),
    "error.403": ("Akses ditolak", "Access denied"),
    "error.403.text": ("Anda tidak berwenang membuka halaman ini.", "You are not allowed to open this page."),
    "error.404": ("Tidak ditemukan", "Not found"),
    "error.404.text": ("Halaman atau data yang Anda cari tidak ada.", "The page or record you asked for does not exist."),
    "error.400": ("Permintaan tidak valid", "Bad request"),
    "error.400.text": ("Formulir kedaluwarsa atau tidak lengkap. Muat ulang halaman lalu coba lagi.",
                       "The form expired or is incomplete. Reload the page and try again."),
    "error.413": ("Data terlalu besar", "Request too large"),
    "error.nul": ("Kolom '{field}' berisi karakter NUL, yang tidak dapat disimpan. Hapus karakter itu lalu kirim lagi.",
                  "The field '{field}' holds a NUL character, which cannot be stored. Remove it and send again."),
    "error.413.text": ("Data yang dikirim melebihi batas ukuran.", "The data sent is larger than allowed."),
    "error.409": ("Data bertabrakan", "Conflicting data"),
    "error.409.text": ("Data bertabrakan dengan data lain yang tersimpan (mis. kode ganda atau perubahan bersamaan); "
                       "muat ulang lalu ulangi. Tidak ada yang disimpan.",
                       "The data clashes with stored data (e.g. a duplicate code or a concurrent change); reload and "
                       "retry. Nothing was stored."),
    "error.data.text": ("Sebuah nilai ditolak basis data (terlalu panjang atau di luar batas); perbaiki lalu kirim "
                        "lagi. Tidak ada yang disimpan.",
                        "The database refused a value (too long or out of range); correct it and send again. Nothing "
                        "was stored."),
    "list.filter_range": ("Nilai saringan di luar jangkauan kolomnya: tidak ada baris yang cocok.",
                          "A filter value is outside its column's range: no row matches."),
    "error.500": ("Terjadi kesalahan", "Something went wrong"),
    "error.500.text": ("Kesalahan ini sudah dicatat. Silakan coba lagi.", "The error was logged. Please try again."),
    "error.back": ("Kembali ke beranda", "Back to home"),
    "contoh": ("contoh", "example"),
    "field.code": ("Kode", "Code"),
    "field.name": ("Nama", "Name"),
    "field.level": ("Tingkat", "Level"),
    "field.timezone": ("Zona waktu", "Time zone"),
    "field.daerah": ("Daerah", "Daerah"),
    "field.parent": ("Unit induk", "Parent unit"),
    "field.nip": ("NIP", "NIP"),
    "field.jabatan": ("Jabatan", "Position"),
    "field.jenis_jabatan": ("Jenis jabatan", "Position type"),
    "field.golongan": ("Golongan", "Rank (golongan)"),
    "field.unit": ("Unit kerja", "Work unit"),
    "field.atasan": ("Atasan langsung", "Direct supervisor"),
    "field.username": ("Nama pengguna", "Username"),
    "field.full_name": ("Nama lengkap", "Full name"),
    "field.active": ("Aktif", "Active"),
    "field.locale": ("Bahasa", "Language"),
    "field.pegawai": ("Pegawai terkait", "Linked employee"),
    "field.new_password": ("Kata sandi baru", "New password"),
    "field.grants": ("Peran", "Roles"),
    "field.role": ("Peran", "Role"),
    "field.created_at": ("Dibuat", "Created"),
    "field.status": ("Status kepegawaian", "Employment status"),
    "field.status_since": ("Status sejak", "Status since"),
    "field.status.help": ("Hanya pegawai aktif yang mendapat evaluasi baru dan dapat masuk; pensiun, pindah (mutasi "
                          "keluar), berhenti atau meninggal menyimpan riwayatnya.",
                          "Only aktif (active) employees get new evaluations and may sign in; pensiun (retired), "
                          "pindah (transferred out), berhenti (discharged) or meninggal (deceased) keep their history."),
}


def current_language() -> str:
    """The language of this request: ?lang=, then the session choice, the user's setting, Accept-Language, `id`."""
    if not has_request_context():
        return "id"
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        session["lang"] = asked
        return asked
    if session.get("lang") in LANGUAGES:
        return session["lang"]
    if current_user and getattr(current_user, "is_authenticated", False) and current_user.locale in LANGUAGES:
        return current_user.locale
    return request.accept_languages.best_match(LANGUAGES, default="id") or "id"


def t(key: str, **values: object) -> str:
    """The text `key` in the request's language, with `{name}` placeholders filled."""
    pair = TEXT[key]
    text = pair[1] if current_language() == "en" else pair[0]
    return text.format(**values) if values else text


def both(message_id: str, message_en: str) -> str:
    """Pick one of two messages by the request's language."""
    return message_en if current_language() == "en" else message_id


def _wtforms_in_indonesian() -> None:
    """WTForms ships no Indonesian messages ("This field is required." stayed English on Indonesian pages): look in
    our translations first (admin/translations/id/LC_MESSAGES/wtforms.po), then in WTForms' own. flask-admin reads
    its module-level `wtforms_domain` on every message, so this replaces that one object."""
    import flask_admin.babel as admin_babel
    from flask_babel import Domain
    from wtforms.i18n import messages_path

    ours = str(Path(__file__).parent / "translations")
    admin_babel.wtforms_domain = Domain([ours, messages_path()], domain="wtforms")


def init_app(app: Flask) -> None:
    """Expose `t` and the language to templates; WTForms' messages in Indonesian."""
    _wtforms_in_indonesian()
    app.jinja_env.globals.update(t=t, current_language=current_language)
    app.jinja_env.filters["thousands"] = lambda number: format_number(number, current_language())
