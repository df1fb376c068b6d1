"""Integration fixtures: one app per test on a migrated database, SQLite and (when configured) PostgreSQL."""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass

import flask_admin.babel
import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from admin.app import create_app
from admin.extensions import db
from engine.audit import set_actor
from engine.db import Base
from tests.conftest import BACKENDS, PG_URL

TEST_CONFIG = {"TESTING": True, "SECRET_KEY": "test-secret", "SESSION_COOKIE_SECURE": False,
               "REMEMBER_COOKIE_SECURE": False}


def _migrate(url: str) -> None:
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> str:
    """A SQLite file migrated to head once; each test gets a copy."""
    path = tmp_path_factory.mktemp("db") / "template.db"
    _migrate(f"sqlite:///{path}")
    return str(path)


def _worker_database(url: str, worker: str) -> str:
    """A database of this xdist worker's own beside the configured one (created fresh), so workers never share
    rows; the configured database itself when tests run in one process."""
    if not worker:
        return url
    base = make_url(url)
    name = f"{base.database}_{worker}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def _drop_worker_database(url: str) -> None:
    base = make_url(PG_URL)
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def pg_migrated() -> str:
    """The PostgreSQL test database (one per xdist worker), migrated to head once."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    url = _worker_database(PG_URL, worker)
    _migrate(url)
    yield url
    if worker:
        _drop_worker_database(url)


def _truncate_pg(url: str) -> None:
    engine = create_engine(url)
    tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        conn.execute(text("INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, :h)"), {"h": "0" * 64})
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path) -> str:
    """A migrated, empty database for one test."""
    if request.param == "sqlite":
        path = tmp_path / "kinerja.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("pg_migrated")
        yield url
        _truncate_pg(url)


@pytest.fixture
def app(database_url):
    """The app on a fresh migrated database (no context pushed: each request gets its own, as in production)."""
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url})
    yield app
    with app.app_context():
        db.engine.dispose()
    flask_admin.babel.domain.cache.clear()


@pytest.fixture
def session(database_url):
    """A session of the test's own, on its own connection: set-up commits, assertions see only committed data."""
    engine = create_engine(database_url)
    with Session(engine) as session:
        set_actor(session, "test")
        yield session
        session.rollback()
    engine.dispose()


@pytest.fixture
def client(app):
    """A test client that keeps cookies."""
    return app.test_client()


@dataclass
class DemoRun:
    """A database holding the whole demo, loaded once per run by the real `kinerja demo` command."""

    url: str
    output: str
    exit_code: int


@pytest.fixture(scope="session")
def _demo_builds():
    """The full demo databases built in this run, by backend (PostgreSQL ones dropped at the end)."""
    builds: dict[str, DemoRun] = {}
    yield builds
    for backend, run in builds.items():
        if backend != "sqlite":
            _drop_worker_database(run.url)


@pytest.fixture(params=BACKENDS)
def full_demo(request, _demo_builds, tmp_path_factory) -> DemoRun:
    """The full demo (organisation, rule packs, last year closed, this year in every state, survey responses),
    built once per backend and xdist worker by the real `kinerja demo` command: 20 to 45 s each. Tests
    on it only read, or re-run loaders that must change nothing; they live in test_full_demo.py, which one worker
    runs whole (tests/conftest.py), so it is built once per backend in a run."""
    backend = request.param
    if backend not in _demo_builds:
        if backend == "sqlite":
            path = tmp_path_factory.mktemp("demo") / "kinerja.db"
            shutil.copy(request.getfixturevalue("sqlite_template"), path)
            url = f"sqlite:///{path}"
        else:
            url = _worker_database(PG_URL, (os.environ.get("PYTEST_XDIST_WORKER") or "main") + "_demo")
            _migrate(url)
        app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
        result = app.test_cli_runner().invoke(args=["kinerja", "demo"])
        with app.app_context():
            db.engine.dispose()
        flask_admin.babel.domain.cache.clear()
        _demo_builds[backend] = DemoRun(url, result.output, result.exit_code)
    return _demo_builds[backend]


@pytest.fixture
def demo_app(full_demo):
    """The app on the full demo database."""
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": full_demo.url})
    yield app
    with app.app_context():
        db.engine.dispose()
    flask_admin.babel.domain.cache.clear()


@pytest.fixture
def demo_session(full_demo):
    """A session on the full demo database (tests on it must leave it as they found it)."""
    engine = create_engine(full_demo.url)
    with Session(engine) as session:
        set_actor(session, "test")
        yield session
        session.rollback()
    engine.dispose()
