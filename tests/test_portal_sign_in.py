"""Portal sign-in: Django's authentication, throttled per account and per network on Redis."""

import re

import pytest
from django.test import override_settings

from tests.factories_portal import PASSWORD, merchant_user, portal

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_a_fixed_day")]

RATES = {"account": ["3/15m"], "address": ["5/15m"]}


def sign_in(client, username, password, address="203.0.113.5"):
    return client.post(
        portal("sign-in/", "en"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_the_right_password_signs_in(client):
    merchant_user(username="ming")
    assert sign_in(client, "ming", PASSWORD).status_code == 302


@override_settings(PORTAL_SIGN_IN_RATES=RATES)
def test_an_account_is_locked_after_repeated_failures_with_its_end_shown(client):
    merchant_user(username="ming")
    for _ in range(2):
        assert "Too many" not in sign_in(client, "ming", "guess").content.decode()
    locked = sign_in(client, "ming", "guess").content.decode()
    # The lock lasts until the counter's fixed window ends, at most 15 minutes from now (12:00).
    shown = re.search(r"locked for (\d+) more minutes?, until 12:(\d\d)", locked)
    assert shown and 1 <= int(shown.group(1)) <= 15 and int(shown.group(2)) <= 15
    still = sign_in(client, "ming", PASSWORD, address="198.51.100.7")
    assert still.status_code == 200 and "Too many" in still.content.decode()


@override_settings(PORTAL_SIGN_IN_RATES=RATES)
def test_the_lock_lifts_when_its_window_ends(client, time_machine):
    merchant_user(username="ming")
    for _ in range(3):
        sign_in(client, "ming", "guess")
    time_machine.shift(16 * 60)
    assert sign_in(client, "ming", PASSWORD).status_code == 302


@override_settings(PORTAL_SIGN_IN_RATES=RATES)
def test_one_network_guessing_many_accounts_is_locked_too(client):
    for name in ["a1", "a2", "a3", "a4", "a5"]:
        sign_in(client, name, "guess")
    merchant_user(username="ming")
    response = sign_in(client, "ming", PASSWORD)
    assert response.status_code == 200 and "Too many" in response.content.decode()
    assert sign_in(client, "ming", PASSWORD, address="198.51.100.7").status_code == 302


def test_no_address_or_username_reaches_redis_in_clear(client):
    from django_redis import get_redis_connection

    sign_in(client, "ming-secret", "guess", address="203.0.113.77")
    keys = b" ".join(get_redis_connection("default").keys("*"))
    assert b"203.0.113.77" not in keys and b"ming-secret" not in keys
