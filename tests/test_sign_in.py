"""Staff sign-in throttling: per account and per network, on Redis, with the time it lifts."""

import datetime
import logging
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import caches
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
ROOT = Path(__file__).resolve().parent.parent
NOW = datetime.datetime(2026, 11, 23, 2, 0, tzinfo=datetime.UTC)  # 10:00 in Guangzhou
ATTACKER = "203.0.113.9"


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def staff(db):
    return UserFactory(username="clerk", is_staff=True, is_superuser=True, password="right-horse")


def sign_in(username, password, address=ATTACKER):
    client = Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(LOGIN, {"username": username, "password": password})
    signed_in = client.get("/admin/").status_code == 200
    return response, signed_in


def test_forty_wrong_passwords_then_the_right_one_does_not_sign_in(staff):
    for _attempt in range(40):
        sign_in("clerk", "wrong")
    response, signed_in = sign_in("clerk", "right-horse")
    assert not signed_in
    text = response.content.decode()
    assert "Too many failed sign-ins for this account or from this network" in text
    assert "until" in text


def test_the_message_says_when_the_lock_lifts_and_it_does(staff, time_machine):
    for _attempt in range(9):
        response, _signed_in = sign_in("clerk", "wrong", address=f"198.51.100.{_attempt}")
        assert "Too many" not in response.content.decode()
    response, _signed_in = sign_in("clerk", "wrong", address="198.51.100.77")
    text = response.content.decode()
    assert "Signing in is locked for" in text
    assert sign_in("clerk", "right-horse", address="192.0.2.1")[1] is False

    time_machine.move_to(NOW + datetime.timedelta(minutes=16), tick=False)
    assert sign_in("clerk", "right-horse", address="192.0.2.1")[1] is True


def test_the_right_password_within_the_limit_signs_in(staff):
    for _attempt in range(3):
        sign_in("clerk", "wrong")
    assert sign_in("clerk", "right-horse")[1] is True


def test_one_network_guessing_many_accounts_is_locked_out_of_all(staff):
    for number in range(20):
        sign_in(f"guess{number}", "wrong")
    assert sign_in("clerk", "right-horse")[1] is False
    assert sign_in("clerk", "right-horse", address="192.0.2.1")[1] is True


def test_an_ipv6_attacker_cannot_escape_by_changing_address_within_the_64(staff):
    for number in range(20):
        sign_in(f"guess{number}", "wrong", address=f"2001:db8:1:2::{number + 1:x}")
    assert sign_in("clerk", "right-horse", address="2001:db8:1:2::ffff")[1] is False


def test_failures_are_logged_without_the_address(staff, caplog):
    with caplog.at_level(logging.WARNING, logger="chengxin.sign_in"):
        sign_in("clerk", "wrong")
        sign_in("nobody-here", "wrong")
    text = caplog.text
    assert "failed staff sign-in for 'clerk' from network" in text
    assert "failed staff sign-in for an unknown account" in text
    assert ATTACKER not in text


def test_redis_holds_no_address_or_username(staff):
    for _attempt in range(3):
        sign_in("clerk", "wrong")
    redis = caches["ratelimit"].client.get_client()
    keys = b" ".join(redis.keys("*")).decode()
    assert ATTACKER not in keys and "clerk" not in keys


def test_the_lock_survives_a_restart_of_the_application(staff):
    for _attempt in range(10):
        sign_in("clerk", "wrong", address=f"198.51.100.{_attempt}")
    # A new process: nothing in memory, only Redis.
    script = (
        "import datetime, time_machine, django; django.setup();"
        "from django.test import RequestFactory;"
        "from merchants.sign_in import SignInThrottle;"
        f"time_machine.travel(datetime.datetime.fromisoformat('{NOW.isoformat()}'), tick=False)"
        ".start();"
        "request = RequestFactory().post('/admin/login/', REMOTE_ADDR='192.0.2.1');"
        "print(SignInThrottle(request, 'clerk').locked())"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**_environment(), "DJANGO_SETTINGS_MODULE": "chengxin.settings.test"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stdout.startswith("Lock(retry_after="), result.stderr


def _environment():
    import os

    return {**os.environ, "PYTHONPATH": f"{ROOT / 'site'}:{ROOT}"}


def test_without_the_counters_sign_in_is_refused_with_a_clear_message(staff, settings):
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {**settings.CACHES["ratelimit"], "LOCATION": "redis://127.0.0.1:6390/0"},
    }
    response, signed_in = sign_in("clerk", "right-horse")
    assert not signed_in
    assert "Signing in is paused for a minute" in response.content.decode()


def test_the_lock_message_is_in_chinese_for_chinese_staff(staff):
    for _attempt in range(10):
        sign_in("clerk", "wrong")
    client = Client(REMOTE_ADDR=ATTACKER, HTTP_ACCEPT_LANGUAGE="zh-hans")
    response = client.post(LOGIN, {"username": "clerk", "password": "right-horse"})
    assert "登录失败次数过多" in response.content.decode()
