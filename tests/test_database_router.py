"""The read-replica router: which database each path reads, and read-your-writes.

The decisions are checked in process; the real thing against a second
PostgreSQL cluster streaming from a first, both made on this machine for the
session (``tests/clusters.py``) and migrated by ``manage.py migrate``.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import DEFAULT_DB_ALIAS
from django.test import RequestFactory

from chengxin import replicas
from tests import clusters

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("method", "view", "cookies", "public"),
    [
        ("GET", "cms:merchant", {}, True),
        ("HEAD", "api:merchant", {}, True),
        ("GET", "wagtail_serve", {}, True),
        ("POST", "cms:merchant", {}, False),
        ("GET", "ratings:review", {}, False),
        ("GET", "wagtailadmin_home", {}, False),
        ("GET", "cms:merchant", {replicas.STICKY_COOKIE: "1"}, False),
    ],
)
def test_which_requests_may_read_the_replica(method, view, cookies, public):
    request = RequestFactory().generic(method, "/")
    request.COOKIES.update(cookies)
    assert replicas.is_public_read(request, view) is public


def test_without_a_replica_everything_reads_the_primary(settings):
    settings.DATABASE_REPLICAS = []
    token = replicas._public_read.set(True)
    try:
        assert replicas.read_alias() == DEFAULT_DB_ALIAS
    finally:
        replicas._public_read.reset(token)


def test_writes_always_go_to_the_primary():
    assert replicas.PrimaryReplicaRouter().db_for_write(None) == DEFAULT_DB_ALIAS
    assert replicas.PrimaryReplicaRouter().allow_migrate("replica", "merchants") is False


@pytest.fixture(scope="session")
def streaming_replica():
    reason = clusters.unavailable()
    if reason:
        print(f"\nREPLICA TESTS SKIPPED: {reason}")
        pytest.skip(f"cannot start a PostgreSQL replica here: {reason}")
    # Named and placed per test process, so suites run side by side never share clusters.
    primary_port, replica_port = clusters.free_ports(2)
    with clusters.streaming_pair(
        f"chengxin_router_test_{os.getpid()}", primary_port, replica_port, "chengxin", fsync="off"
    ) as (primary, replica):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "chengxin.settings.test",
            "DATABASE_URL": primary.url("chengxin"),
            "DATABASE_REPLICA_URL": replica.url("chengxin"),
            "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'site'}",
        }
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=300,
        )
        yield env


@pytest.fixture(scope="session")
def probe(streaming_replica):
    result = subprocess.run(
        [sys.executable, "tests/replica_probe.py"],
        cwd=ROOT,
        env=streaming_replica,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    line = next(line for line in result.stdout.splitlines() if line.startswith("PROBE="))
    return json.loads(line.removeprefix("PROBE="))


@pytest.mark.parametrize("step", ["merchant page", "api", "precinct page"])
def test_public_read_paths_read_the_replica(probe, step):
    assert probe[step]["status"] == 200
    assert probe[step]["replica"] > 0
    assert probe[step]["default"] == 0


@pytest.mark.parametrize("step", ["admin", "scan", "review post"])
def test_staff_pages_scans_and_writes_use_the_primary(probe, step):
    assert probe[step]["replica"] == 0
    assert probe[step]["default"] > 0


def test_a_visitor_reads_their_own_review_from_the_primary(probe):
    assert probe["review post"]["status"] == 303
    assert probe["review post"]["stored on primary"] == 1
    assert probe["review post"]["sticky cookie"] is True
    after = probe["merchant page after own write"]
    assert (after["status"], after["replica"]) == (200, 0)
    assert after["default"] > 0
    other = probe["merchant page, another visitor"]
    assert (other["replica"] > 0, other["default"]) == (True, 0)


def test_reads_inside_a_transaction_use_the_primary(probe):
    assert probe["public read outside a transaction"]["replica"] == 1
    inside = probe["public read inside a transaction"]
    assert (inside["replica"], inside["default"] > 0) == (0, True)


def test_healthz_checks_the_replica_too(probe):
    assert "postgresql (replica): ok" in probe["healthz"]["body"]
