"""Shared test settings: which databases the integration suite runs on, and CI strictness."""
from __future__ import annotations

import os

import pytest

STRICT = os.environ.get("KINERJA_TEST_STRICT") == "1"
PG_URL = os.environ.get("KINERJA_TEST_DATABASE_URL", "")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


def pytest_configure(config: pytest.Config) -> None:
    if STRICT and not PG_URL:
        raise pytest.UsageError("KINERJA_TEST_STRICT=1 needs KINERJA_TEST_DATABASE_URL: CI must run PostgreSQL tests")


def pytest_report_header(config: pytest.Config) -> str:
    return f"kinerja: integration backends {BACKENDS}; strict={STRICT}"
