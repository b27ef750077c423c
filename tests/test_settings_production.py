"""Production settings refuse to start unsafe and pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD_SECRET = "k" * 30 + "-production-secret-for-tests-" + "9" * 20


def run_manage(*args, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DEBUG", "PUBLIC_BASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update(DJANGO_SETTINGS_MODULE="chengxin.settings.production", **env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deploy_check_is_clean():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=GOOD_SECRET,
        PUBLIC_BASE_URL="https://xy.example.gov.cn",
        ALLOWED_HOSTS="xy.example.gov.cn",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "Set the SECRET_KEY environment variable"),
        ({"SECRET_KEY": "short"}, "at least 50 characters"),
        ({"SECRET_KEY": GOOD_SECRET, "DEBUG": "true"}, "DEBUG must be off"),
        ({"SECRET_KEY": GOOD_SECRET, "DEBUG": "maybe"}, "DEBUG must be true or false"),
    ],
)
def test_refuses_to_start_unsafe(env, message):
    result = run_manage("check", PUBLIC_BASE_URL="https://xy.example.gov.cn", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_secret_may_come_from_a_file(tmp_path):
    secret_file = tmp_path / "secret"
    secret_file.write_text(GOOD_SECRET + "\n")
    result = run_manage(
        "check", SECRET_KEY_FILE=str(secret_file), PUBLIC_BASE_URL="https://xy.example.gov.cn"
    )
    assert result.returncode == 0, result.stderr
