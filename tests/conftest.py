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


#: Test files whose tests must share one xdist worker (and so one browser, one live server, one full demo), in order.
SHARED_WORKER = {"tests/browser/": "browser", "tests/integration/test_full_demo": "full-demo"}


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """Spread tests one by one over the workers, except the SHARED_WORKER groups, each kept on one worker.
    (xdist's own `--dist loadgroup` does not group under pytest 9: it renames `item._nodeid`, which pytest 9 no
    longer reads.)"""
    from xdist.scheduler import LoadScopeScheduling

    class KinerjaScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return next((group for prefix, group in SHARED_WORKER.items() if nodeid.startswith(prefix)), nodeid)

    return KinerjaScheduling(config, log)
