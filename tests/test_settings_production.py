"""Production settings refuse to start unsafe and pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD_SECRET = "k" * 30 + "-production-secret-for-tests-" + "9" * 20
PLACARD_SECRET = "p" * 40


def run_manage(*args, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "SECRET_KEY",
            "DEBUG",
            "PUBLIC_BASE_URL",
            "PLACARD_SECRET",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="chengxin.settings.production",
        PLACARD_SECRET=PLACARD_SECRET,
        REDIS_URL="redis://127.0.0.1:6379/13",
        RATELIMIT_REDIS_URL="redis://127.0.0.1:6379/12",
    )
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deploy_check_is_clean():
    """A deployment as docs/DEPLOY.md describes it: behind the shipped nginx."""
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=GOOD_SECRET,
        PUBLIC_BASE_URL="https://xy.example.gov.cn",
        ALLOWED_HOSTS="xy.example.gov.cn",
        TRUSTED_PROXY_COUNT="1",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_warns_of_an_https_site_with_no_proxy_counted():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=GOOD_SECRET,
        PUBLIC_BASE_URL="https://xy.example.gov.cn",
        ALLOWED_HOSTS="xy.example.gov.cn",
        TRUSTED_PROXY_COUNT="0",
    )
    assert result.returncode != 0
    assert "chengxin.W001" in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "Set the SECRET_KEY environment variable"),
        ({"SECRET_KEY": "short"}, "at least 50 characters"),
        ({"SECRET_KEY": GOOD_SECRET, "DEBUG": "true"}, "DEBUG must be off"),
        ({"SECRET_KEY": GOOD_SECRET, "DEBUG": "maybe"}, "DEBUG must be true or false"),
        ({"SECRET_KEY": GOOD_SECRET, "PLACARD_SECRET": ""}, "Set the PLACARD_SECRET"),
        ({"SECRET_KEY": GOOD_SECRET, "PLACARD_SECRET": "short"}, "PLACARD_SECRET must be at least"),
        (
            {"SECRET_KEY": GOOD_SECRET, "RATELIMIT_REDIS_URL": "redis://127.0.0.1:6379/13"},
            "RATELIMIT_REDIS_URL must name another Redis database",
        ),
        (
            {"SECRET_KEY": GOOD_SECRET, "RATELIMIT_REDIS_URL": "redis://127.0.0.1/13"},
            "RATELIMIT_REDIS_URL must name another Redis database",
        ),
        ({"SECRET_KEY": GOOD_SECRET, "RATELIMIT_REDIS_URL": ""}, "Set the RATELIMIT_REDIS_URL"),
    ],
)
def test_refuses_to_start_unsafe(env, message):
    result = run_manage("check", PUBLIC_BASE_URL="https://xy.example.gov.cn", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_queues_print_batches_for_a_worker():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.TASKS['default']['BACKEND'])",
        SECRET_KEY=GOOD_SECRET,
        PUBLIC_BASE_URL="https://xy.example.gov.cn",
    )
    assert result.stdout.strip().endswith("django_tasks_db.DatabaseBackend"), result.stderr


def test_secret_may_come_from_a_file(tmp_path):
    secret_file = tmp_path / "secret"
    secret_file.write_text(GOOD_SECRET + "\n")
    result = run_manage(
        "check", SECRET_KEY_FILE=str(secret_file), PUBLIC_BASE_URL="https://xy.example.gov.cn"
    )
    assert result.returncode == 0, result.stderr
