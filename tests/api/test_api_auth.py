"""Personal tokens: hashed at rest, carrying the user's scope, revocable, expiring; failed attempts throttled per
address; a session cookie never authenticates the API."""
from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from sqlalchemy import select

from engine.api_tokens import ApiToken, authenticate_token, create_token, hash_token, revoke_token
from engine.audit import AuditLog
from engine.identity import LoginThrottle
from engine.runtime.errors import Conflict, ValidationFailed
from tests.api.conftest import Api, error_of
from tests.forms import login, parse_forms


def test_the_secret_is_stored_only_as_its_sha256(session, world):
    raw = world.tokens["hr.palu"]
    rows = session.scalars(select(ApiToken)).all()
    assert all(raw not in (r.token_hash, r.prefix, r.name) for r in rows)
    stored = session.scalar(select(ApiToken).where(ApiToken.token_hash == hashlib.sha256(raw.encode()).hexdigest()))
    assert stored is not None and raw.startswith(stored.prefix) and len(raw) > 40
    assert session.scalar(select(AuditLog).where(AuditLog.entity == "api_token", AuditLog.action == "create"))


def test_me_shows_the_users_roles_and_daerah(as_user):
    body = as_user("hr.palu").get("/me").get_json()
    assert body["username"] == "hr.palu" and body["roles"] == ["hr"] and body["daerah"] == ["palu"]
    assert body["everywhere"] is False and body["token"]["name"] == "uji" and body["token"]["active"] is True
    me = as_user("atasan.palu").get("/me").get_json()
    assert set(me["roles"]) == {"pegawai", "atasan"} and me["pegawai"]["name"] == "Kepala Seksi"


@pytest.mark.parametrize("header", [None, "", "Bearer", "Basic dXNlcjpwYXNz", "Bearer knj_bukan-token-sah",
                                    "Bearer " + "x" * 500])
def test_no_valid_token_is_401_with_the_envelope(client, world, header):
    response = client.get("/api/v1/me", headers={"Authorization": header} if header is not None else {})
    assert response.status_code == 401
    assert error_of(response)["code"] in ("token_required", "unauthenticated")
    assert response.headers["WWW-Authenticate"].startswith('Bearer realm="kinerja"')


def test_a_session_cookie_does_not_authenticate_the_api(app, client, world, session):
    login(client, "hr.palu", "rahasia-uji-123")
    assert client.get("/admin/").status_code == 200
    assert client.get("/api/v1/me").status_code == 401


def test_revoked_and_expired_tokens_stop_working(client, world, session):
    api = Api(client, world.tokens["kebijakan.palu"])
    assert api.get("/me").status_code == 200
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(world.tokens["kebijakan.palu"])))
    revoke_token(session, world.users["kebijakan.palu"], token)
    session.commit()
    assert api.get("/me").status_code == 401
    with pytest.raises(Conflict):
        revoke_token(session, world.users["kebijakan.palu"], token)
    user = world.users["auditor.palu"]
    old, raw = create_token(session, user, "kedaluwarsa", expires_in_days=1,
                            now=dt.datetime(2020, 1, 1))
    session.commit()
    assert Api(client, raw).get("/me").status_code == 401


def test_an_inactive_user_s_token_is_refused(client, world, session):
    user = session.get(type(world.users["hr.bantul"]), world.users["hr.bantul"].id)
    user.active = False
    session.commit()
    assert Api(client, world.tokens["hr.bantul"]).get("/me").status_code == 401


def test_token_names_and_lifetimes_are_validated(session, world):
    with pytest.raises(ValidationFailed):
        create_token(session, world.users["hr.palu"], "  ")
    with pytest.raises(ValidationFailed):
        create_token(session, world.users["hr.palu"], "ok", expires_in_days=10_000)


def test_failed_attempts_are_throttled_per_address_even_for_a_valid_token(app, client, world, session):
    app.config["LOGIN_MAX_FAILURES"] = 3
    for _ in range(3):
        assert client.get("/api/v1/me", headers={"Authorization": "Bearer knj_tebakan"}).status_code == 401
    blocked = client.get("/api/v1/me", headers={"Authorization": f"Bearer {world.tokens['hr.palu']}"})
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
    assert error_of(blocked)["code"] == "throttled"
    other = client.get("/api/v1/me", headers={"Authorization": f"Bearer {world.tokens['hr.palu']}"},
                       environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert other.status_code == 200
    session.expire_all()
    assert session.get(LoginThrottle, "api-ip:127.0.0.1").failures == 3


def test_a_missing_header_is_not_counted_as_a_failure(app, client, world, session):
    for _ in range(8):
        assert client.get("/api/v1/me").status_code == 401
    assert Api(client, world.tokens["hr.palu"]).get("/me").status_code == 200


def test_authenticate_counts_without_clearing_on_success(session, world):
    now = dt.datetime(2026, 1, 1, 8)
    for _ in range(2):
        with pytest.raises(Exception):
            authenticate_token(session, "knj_salah", "1.2.3.4", now=now)
    authenticate_token(session, world.tokens["hr.palu"], "1.2.3.4", now=now)
    assert session.get(LoginThrottle, "api-ip:1.2.3.4").failures == 2


def test_tokens_are_listed_and_revoked_through_the_api(client, world, session):
    api = Api(client, world.tokens["hr.palu"])
    second, raw = create_token(session, world.users["hr.palu"], "skrip")
    session.commit()
    listed = api.get("/tokens").get_json()
    assert [t["name"] for t in listed] == ["skrip", "uji"] and all("hash" not in t for t in listed)
    assert api.delete(f"/tokens/{second.id}").status_code == 204
    assert Api(client, raw).get("/me").status_code == 401
    assert api.delete(f"/tokens/{second.id}").status_code == 409
    others = Api(client, world.tokens["hr.bantul"])
    assert others.delete(f"/tokens/{listed[1]['id']}").status_code == 404


def test_console_page_creates_lists_and_revokes_tokens(client, world, session):
    login(client, "hr.palu", "rahasia-uji-123")
    page = client.get("/admin/tokens/")
    assert page.status_code == 200 and "Token API" in page.get_data(as_text=True)
    form = next(f for f in parse_forms(page.get_data(as_text=True)) if f["id"] == "token-form")
    data = dict(form["fields"]) | {"name": "laptop kantor", "expires_in_days": "30"}
    created = client.post("/admin/tokens/create", data=data)
    assert created.status_code == 201
    html = created.get_data(as_text=True)
    secret = html.split('id="token-secret"')[1].split(">", 1)[1].split("<", 1)[0].strip()
    assert secret.startswith("knj_") and Api(client, secret).get("/me").status_code == 200
    again = client.get("/admin/tokens/").get_data(as_text=True)
    assert "laptop kantor" in again and secret not in again
    token = session.scalar(select(ApiToken).where(ApiToken.name == "laptop kantor"))
    revoke_form = next(f for f in parse_forms(again) if f["action"].endswith(f"/{token.id}/revoke"))
    assert client.post(revoke_form["action"], data=dict(revoke_form["fields"])).status_code == 302
    assert Api(client, secret).get("/me").status_code == 401


def test_console_refuses_a_token_without_csrf_or_name(client, world):
    login(client, "hr.palu", "rahasia-uji-123")
    assert client.post("/admin/tokens/create", data={"name": "x"}).status_code == 400
    page = client.get("/admin/tokens/").get_data(as_text=True)
    form = next(f for f in parse_forms(page) if f["id"] == "token-form")
    bad = client.post("/admin/tokens/create", data=dict(form["fields"]) | {"name": " "})
    assert bad.status_code == 422 and 'id="token-secret"' not in bad.get_data(as_text=True)


def test_console_token_page_needs_a_login(client, world):
    response = client.get("/admin/tokens/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
