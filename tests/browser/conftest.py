"""Browser tests: the real app served on 127.0.0.1 with demo data, driven in Debian's Chromium (one per run)."""
from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import flask_admin.babel
import pytest
from flask_migrate import upgrade

from admin.app import create_app
from admin.extensions import db
from tests.conftest import STRICT
from workflows.demo import load_demo
from workflows.demo_lifecycle import load_demo_lifecycle

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    if STRICT:
        raise pytest.UsageError(f"KINERJA_TEST_STRICT=1 but {CHROMIUM} is missing: CI must run the browser tests")
    reason = f"Chromium not installed at {CHROMIUM}; `.ci/run` installs it (apt-get install chromium)"
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=reason))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The app with demo data on a SQLite file, served by gunicorn in its own process, as `make run` does.
    Palangkaraya also gets the lifecycle demo (last year closed, this year in every state), so its public report
    has figures; the other daerah keep the base demo that their journeys start from."""
    path = tmp_path_factory.mktemp("browser") / "kinerja.db"
    url = f"sqlite:///{path}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        load_demo(db.session)
        load_demo_lifecycle(db.session, dt.date.today(), only={"palangkaraya"})
        db.session.commit()
        db.engine.dispose()
    flask_admin.babel.domain.cache.clear()
    port = _free_port()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("KINERJA_")},
           "KINERJA_DATABASE_URL": url, "KINERJA_COOKIE_SECURE": "0", "KINERJA_SECRET_KEY": "browser-test",
           "KINERJA_AUDIT_CHECK_SECONDS": "0"}  # the chain check answers after each batch, as on a provinsi's chain
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", "1", "--threads", "4",
                               "--bind", f"127.0.0.1:{port}", "wsgi:app"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{base}/login", timeout=2).close()
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                raise RuntimeError(f"gunicorn did not start: {server.stderr.read().decode(errors='replace')}")
            time.sleep(0.2)
    yield base
    server.terminate()
    server.wait(10)
    server.stderr.close()


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole run."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (Indonesian locale) that refuses every request leaving the server."""
    context = browser.new_context(locale="id-ID", base_url=live_server, viewport={"width": 1280, "height": 800})
    outside: list[str] = []

    def guard(route):
        if route.request.url.startswith(live_server):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    yield page
    context.close()
    assert outside == [], f"the console requested outside the server: {outside}"


def sign_in(page, username: str, password: str = "kinerja-demo") -> None:
    """Sign in through the login page as `username` (a fresh session, so one test may play two people)."""
    page.context.clear_cookies()
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")


def screenshot(page, name: str) -> None:
    """Save a screenshot for the README when `make screenshots` asks for it (KINERJA_SCREENSHOTS=1)."""
    if os.environ.get("KINERJA_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        # the whole page through a taller viewport, then back: Chromium's own full_page capture left the page's
        # metrics changed, and the next click on a form missed its button
        size = page.viewport_size
        height = page.evaluate("document.documentElement.scrollHeight")
        page.set_viewport_size({"width": size["width"], "height": max(size["height"], min(height, 6000))})
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
        page.set_viewport_size(size)
