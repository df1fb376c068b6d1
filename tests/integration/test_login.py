"""Login: Indonesian page, one message for every failure, throttling, CSRF, cookies, logout, safe redirects."""
from __future__ import annotations

from tests.factories import PASSWORD, make_daerah, make_user
from tests.forms import form_data, login, submit


def _setup(session, **kw):
    daerah = make_daerah(session, code="kota")
    user = make_user(session, username="hr.kota", roles=[("hr", daerah)], **kw)
    session.commit()
    return user


def test_login_page_speaks_indonesian_by_default_and_english_on_request(client):
    page = client.get("/login").get_data(as_text=True)
    assert "Masuk ke Kinerja" in page and "Kata sandi" in page
    english = client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(as_text=True)
    assert "Sign in to Kinerja" in english
    assert "Masuk ke Kinerja" in client.get("/login?lang=id").get_data(as_text=True)


def test_console_requires_login(client):
    response = client.get("/admin/pegawai/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_successful_login_shows_the_role_home_page(client, session):
    _setup(session)
    response = login(client, "hr.kota", PASSWORD)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.request.path == "/admin/"
    assert 'data-role="hr"' in html and "Kepegawaian (BKPSDM)" in html and "Kota Uji" in html


def test_unknown_user_and_wrong_password_get_the_same_answer(client, session):
    _setup(session)
    wrong = login(client, "hr.kota", "salah-sekali")
    unknown = login(client, "tidak.ada", "salah-sekali")
    assert wrong.status_code == unknown.status_code == 401
    message = "Nama pengguna atau kata sandi salah."
    assert message in wrong.get_data(as_text=True) and message in unknown.get_data(as_text=True)


def test_repeated_failures_are_throttled_even_with_the_right_password(client, session):
    _setup(session)
    for _ in range(5):
        login(client, "hr.kota", "salah")
    blocked = login(client, "hr.kota", PASSWORD)
    assert blocked.status_code == 429
    assert "Terlalu banyak percobaan gagal" in blocked.get_data(as_text=True)
    assert client.get("/admin/").status_code == 302  # still not signed in


def test_inactive_user_cannot_sign_in(client, session):
    _setup(session, active=False)
    assert login(client, "hr.kota", PASSWORD).status_code == 401


def test_post_without_csrf_token_is_refused(client, session):
    _setup(session)
    response = client.post("/login", data={"username": "hr.kota", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/admin/").status_code == 302


def test_session_cookie_is_http_only_and_same_site(client, session):
    _setup(session)
    response = login(client, "hr.kota", PASSWORD, follow_redirects=False)
    cookie = next(v for v in response.headers.getlist("Set-Cookie") if v.startswith("kinerja_session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_secure_cookie_flag_by_default(app):
    from admin.config import load_config

    assert load_config(app.instance_path)["SESSION_COOKIE_SECURE"] is True


def test_next_parameter_cannot_redirect_off_site(client, session):
    _setup(session)
    page = client.get("/login?next=https://evil.example/x")
    response = client.post("/login?next=https://evil.example/x",
                           data=form_data(page.get_data(as_text=True), {"username": "hr.kota", "password": PASSWORD}))
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/")
    client.post("/logout", data=form_data(client.get("/admin/").get_data(as_text=True), index=0))
    page = client.get("/login?next=/admin/pegawai/")
    response = client.post("/login?next=/admin/pegawai/",
                           data=form_data(page.get_data(as_text=True), {"username": "hr.kota", "password": PASSWORD}))
    assert response.headers["Location"].endswith("/admin/pegawai/")


def test_logout_ends_the_session(client, session):
    _setup(session)
    login(client, "hr.kota", PASSWORD)
    response = submit(client, "/admin/", index=0)
    assert "Anda telah keluar." in response.get_data(as_text=True)
    assert client.get("/admin/").status_code == 302
