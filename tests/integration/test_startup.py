"""Start-up: an unreachable database gives one clear line naming the URL, not a stack trace."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _env(**values: str) -> dict:
    return {**{k: v for k, v in os.environ.items() if not k.startswith("KINERJA_")}, **values}


def test_unreachable_database_prints_one_line_with_the_url(tmp_path):
    env = {**_env(), "KINERJA_DATABASE_URL": "postgresql+psycopg://kinerja:rahasia@127.0.0.1:1/tidak_ada"}
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "kinerja", "demo"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "postgresql+psycopg://kinerja:***@127.0.0.1:1/tidak_ada" in lines[0]
    assert "rahasia" not in result.stderr and "Traceback" not in result.stderr


def test_missing_sqlite_folder_is_reported_not_crashed(tmp_path):
    env = {**_env(), "KINERJA_DATABASE_URL": f"sqlite:///{tmp_path}/tidak/ada/kinerja.db"}
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "kinerja", "audit-verify"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert f"sqlite:///{tmp_path}/tidak/ada/kinerja.db" in result.stderr


def test_a_number_variable_that_is_not_a_usable_number_is_named_in_one_line():
    for name, value in (("KINERJA_LOGIN_MAX_FAILURES", "lima"), ("KINERJA_LOGIN_MAX_FAILURES", "0"),
                        ("KINERJA_AUDIT_CHECK_SECONDS", "-1"), ("KINERJA_AUDIT_CHECK_SECONDS", "nan")):
        env = {**_env(), name: value}
        result = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "kinerja", "audit-verify"],
                                cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert result.returncode == 2 and len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
        assert f"{name} harus" in lines[0] and f"{name} must be" in lines[0] and repr(value) in lines[0]
