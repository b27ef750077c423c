"""/livez answers from the process alone; /healthz names the service that is down."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CLOSED_REDIS = "redis://127.0.0.1:6390/0"
CLOSED_POSTGRES = "postgres://postgres@127.0.0.1:5439/chengxin_nowhere"

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {**settings.CACHES["default"], "LOCATION": CLOSED_REDIS},
    }


def test_healthy_stack_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith("ok\n")
    assert "postgresql (default): ok" in body
    assert "redis: ok" in body
    assert "no-store" in response["Cache-Control"]


def test_redis_down_is_named_with_503(client, redis_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.content.decode()
    assert body.startswith("down: redis\n")
    assert "postgresql (default): ok" in body


def test_livez_does_not_ask_redis(client, redis_down):
    response = client.get("/livez")
    assert response.status_code == 200
    assert response.content == b"ok"


def get_in_a_process(path, database_url):
    """Request ``path`` in a fresh process whose PostgreSQL URL points at a closed port."""
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        f"response = Client(raise_request_exception=False).get({path!r})\n"
        "print(response.status_code); print(response.content.decode())\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "chengxin.settings.test"}
    env["DATABASE_URL"] = database_url
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**env, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'site'}"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    status, _, body = result.stdout.partition("\n")
    return int(status), body


def test_postgresql_down_is_named_with_503():
    status, body = get_in_a_process("/healthz", CLOSED_POSTGRES)
    assert status == 503
    assert body.startswith("down: postgresql (default)\n")
    assert "OperationalError" in body
    assert "redis: ok" in body


def test_livez_answers_with_postgresql_down():
    status, body = get_in_a_process("/livez", CLOSED_POSTGRES)
    assert (status, body.strip()) == (200, "ok")
