"""Integration fixtures: one app per test on a migrated database, SQLite and (when configured) PostgreSQL."""
from __future__ import annotations

import shutil

import flask_admin.babel
import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
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


@pytest.fixture(scope="session")
def pg_migrated() -> str:
    """The PostgreSQL test database, migrated to head once."""
    _migrate(PG_URL)
    return PG_URL


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
