"""API test set-up: the integration fixtures (one migrated database per test, SQLite and PostgreSQL), a world of
two daerah with packs installed, people in every role with a personal token each, and a small client helper."""
from __future__ import annotations

import datetime as dt
import itertools
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from engine.api_tokens import create_token
from engine.identity import Role, RoleGrant, User
from rules.packs import install_packs
from tests.factories import make_daerah, make_pegawai, make_unit, password_hash
from tests.integration.conftest import app, client, database_url, pg_migrated, session, sqlite_template  # noqa: F401
from workflows.models import Evaluation, Period
from workflows.periods import open_period

TAHUN = dt.date.today().year
BERAKHLAK = ("berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal", "adaptif", "kolaboratif")
_seq = itertools.count(1)


def make_api_user(session, username: str, roles=(), pegawai=None, **kw) -> User:
    """A user with roles [(role, daerah or None)] and an optional pegawai link."""
    user = User(username=username, full_name=username.title(), password_hash=password_hash(), pegawai=pegawai, **kw)
    user.grants = [RoleGrant(role=Role(r), daerah=d) for r, d in roles]
    session.add(user)
    session.flush()
    return user


def plan_input(bobot=(40, 30, 30)) -> list[dict]:
    """A complete plan: two RHK utama and one tambahan, one IKI each."""
    return [
        {"jenis": "utama", "uraian": "Layanan aplikasi e-government berjalan",
         "iki": [{"uraian": "Aplikasi yang dikembangkan", "aspek": "kuantitas", "target": 12, "satuan": "aplikasi",
                  "arah": "naik", "bobot": bobot[0]}]},
        {"jenis": "utama", "uraian": "Gangguan layanan ditangani cepat",
         "iki": [{"uraian": "Waktu penanganan gangguan", "aspek": "waktu", "target": 3, "satuan": "hari",
                  "arah": "turun", "bobot": bobot[1]}]},
        {"jenis": "tambahan", "uraian": "Pelatihan internal",
         "iki": [{"uraian": "Sesi pelatihan", "aspek": "kuantitas", "target": 4, "satuan": "sesi", "arah": "naik",
                  "bobot": bobot[2]}]},
    ]


@pytest.fixture
def world(session):
    """palu (full chain of pegawai, HR, auditor, policy makers) and bantul, packs installed, the period of this
    year opened in both, and a token per user in `w.tokens[username]`."""
    nasional = make_daerah(session, code="nasional", name="Nasional", level="nasional")
    palu = make_daerah(session, code="palu", name="Kota Palu", timezone="Asia/Makassar")
    bantul = make_daerah(session, code="bantul", name="Kabupaten Bantul", level="kabupaten")
    admin = make_api_user(session, "admin", [("admin", None)])
    install_packs(session, admin, names=("palu", "bantul"))
    dinas = make_unit(session, palu, code="diskominfo", name="Diskominfo")
    bidang = make_unit(session, palu, code="diskominfo-aptika", name="Bidang Aptika", parent=dinas)
    kepala = make_pegawai(session, dinas, name="Kepala Dinas", jenis_jabatan="jpt", golongan="IV/c")
    kabid = make_pegawai(session, bidang, name="Kepala Bidang", jenis_jabatan="administrator", atasan=kepala)
    kasi = make_pegawai(session, bidang, name="Kepala Seksi", jenis_jabatan="pengawas", atasan=kabid)
    staff = make_pegawai(session, bidang, name="Pranata Komputer", jenis_jabatan="fungsional", atasan=kasi)
    b_unit = make_unit(session, bantul, code="dpmptsp", name="DPMPTSP Bantul")
    b_boss = make_pegawai(session, b_unit, name="Kepala DPMPTSP", jenis_jabatan="jpt", golongan="IV/b")
    b_staff = make_pegawai(session, b_unit, name="Staf Bantul", atasan=b_boss)
    w = SimpleNamespace(nasional=nasional, palu=palu, bantul=bantul, dinas=dinas, bidang=bidang, b_unit=b_unit,
                        kepala_p=kepala, kabid_p=kabid, kasi_p=kasi, staff_p=staff, b_boss_p=b_boss,
                        b_staff_p=b_staff, tokens={})
    users = {
        "admin": admin,
        "hr.palu": make_api_user(session, "hr.palu", [("hr", palu)]),
        "auditor.palu": make_api_user(session, "auditor.palu", [("auditor", palu)]),
        "kebijakan.palu": make_api_user(session, "kebijakan.palu", [("policy_maker", palu)]),
        "kebijakan2.palu": make_api_user(session, "kebijakan2.palu", [("policy_maker", palu)]),
        "pegawai.palu": make_api_user(session, "pegawai.palu", pegawai=staff),
        "atasan.palu": make_api_user(session, "atasan.palu", pegawai=kasi),
        "atasan2.palu": make_api_user(session, "atasan2.palu", pegawai=kabid),
        "hr.bantul": make_api_user(session, "hr.bantul", [("hr", bantul)]),
        "auditor.bantul": make_api_user(session, "auditor.bantul", [("auditor", bantul)]),
        "kebijakan.bantul": make_api_user(session, "kebijakan.bantul", [("policy_maker", bantul)]),
        "pegawai.bantul": make_api_user(session, "pegawai.bantul", pegawai=b_staff),
        "auditor.semua": make_api_user(session, "auditor.semua", [("auditor", None)]),
    }
    for name, user in users.items():
        w.tokens[name] = create_token(session, user, "uji")[1]
    w.users = users
    open_period(session, users["hr.palu"], palu, TAHUN)
    open_period(session, users["hr.bantul"], bantul, TAHUN)
    session.commit()
    w.period = session.scalar(select(Period).where(Period.daerah_id == palu.id, Period.tahun == TAHUN,
                                                   Period.jenis == "tahunan"))
    w.ev = evaluation_of(session, staff)
    w.b_ev = evaluation_of(session, b_staff)
    return w


def evaluation_of(session, pegawai) -> Evaluation:
    """The pegawai's evaluation of this year."""
    return session.scalar(select(Evaluation).join(Period).where(Evaluation.pegawai_id == pegawai.id,
                                                                Period.tahun == TAHUN, Period.jenis == "tahunan"))


class Api:
    """Calls /api/v1 as one token: `api.get("/me")`, `api.post(path, json=...)`; returns the response."""

    def __init__(self, client, token: str | None):
        self.client, self.token = client, token

    def __call__(self, method: str, path: str, *, headers: dict | None = None, **kwargs):
        all_headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        all_headers.update(headers or {})
        url = path if path.startswith("/api/") else f"/api/v1{path}"
        return self.client.open(url, method=method, headers=all_headers, **kwargs)

    def get(self, path, **kw):
        return self("GET", path, **kw)

    def post(self, path, **kw):
        return self("POST", path, **kw)

    def put(self, path, **kw):
        return self("PUT", path, **kw)

    def patch(self, path, **kw):
        return self("PATCH", path, **kw)

    def delete(self, path, **kw):
        return self("DELETE", path, **kw)


@pytest.fixture
def as_user(client, world):
    """`as_user("hr.palu")` -> an Api caller with that user's token."""
    return lambda username: Api(client, world.tokens[username])


def error_of(response) -> dict:
    """The error body of an envelope response (asserting its shape)."""
    body = response.get_json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"code", "message", "lang", "fields"}, error
    assert error["message"]["id"] and error["message"]["en"]
    return error


def write(api: Api, method: str, path: str, etag: str, **kwargs):
    """A change to an evaluation with If-Match."""
    return api(method, path, headers={"If-Match": etag}, **kwargs)


def etag(api: Api, evaluation_id: int) -> str:
    """The evaluation's current ETag as the caller sees it."""
    response = api.get(f"/evaluations/{evaluation_id}")
    assert response.status_code == 200, response.get_json()
    return response.headers["ETag"]


def next_id() -> int:
    """A fresh number for names in a test."""
    return next(_seq)
