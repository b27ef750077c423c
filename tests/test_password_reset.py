"""Staff password reset requests: limited per e-mail address and per network, on Redis.

The merchant portal has no password reset form of its own, so the Wagtail
admin's is the one to limit.
"""

import datetime
import logging
import re

import pytest
from django.core import mail
from django.core.cache import caches
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RESET = "/admin/password_reset/"
NOW = datetime.datetime(2026, 11, 23, 2, 0, tzinfo=datetime.UTC)  # 10:00 in Guangzhou
ATTACKER = "203.0.113.9"
REFUSED = "Too many password reset requests for this e-mail address or from this network."


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def staff(db):
    return UserFactory(
        username="clerk", email="clerk@yuexiu.example.gov.cn", is_staff=True, is_superuser=True
    )


def ask(email, address=ATTACKER, language="en"):
    client = Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE=language)
    return client.post(RESET, {"email": email})


def refusal(response):
    """The error the form shows, or "" when the request went through to the "done" page."""
    if response.status_code == 302:
        assert response["Location"] == "/admin/password_reset/done/"
        return ""
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert len(errors) == 1
    return errors[0]


def test_the_page_is_ours_and_still_asks_for_the_address(client):
    response = client.get(RESET, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Reset your password" in response.content.decode()
    assert type(response.context["form"]).__name__ == "StaffPasswordResetForm"


def test_three_requests_for_one_address_then_a_refusal_saying_when(staff):
    for number in range(3):
        assert refusal(ask(staff.email, address=f"198.51.100.{number}")) == ""
    assert len(mail.outbox) == 3
    message = refusal(ask(staff.email, address="192.0.2.1"))
    assert message.startswith(REFUSED)
    assert "Try again in" in message and "after" in message
    assert len(mail.outbox) == 3  # no fourth mail


def test_the_address_is_compared_without_case_or_spaces(staff):
    for spelling in (
        "clerk@yuexiu.example.gov.cn",
        "CLERK@yuexiu.example.gov.cn",
        " Clerk@Yuexiu.example.gov.cn",
    ):
        assert refusal(ask(spelling, address="198.51.100.1")) == ""
    assert refusal(ask(staff.email, address="192.0.2.1")).startswith(REFUSED)


def test_an_address_nobody_has_is_answered_exactly_like_a_staff_members(staff):
    unknown = "nobody@yuexiu.example.gov.cn"
    for number in range(3):
        assert refusal(ask(unknown, address=f"198.51.100.{number}")) == ""
    assert mail.outbox == []
    # The same refusal as for the address a staff member has; only the time it
    # lifts differs, as it does between any two addresses (windows are offset by key).
    for number in range(3):
        ask(staff.email, address=f"198.51.100.{number}")
    for_nobody = refusal(ask(unknown, address="192.0.2.1"))
    for_staff = refusal(ask(staff.email, address="192.0.2.1"))
    assert for_nobody.startswith(REFUSED) and for_staff.startswith(REFUSED)
    assert re.sub(r"\d+", "N", for_nobody) == re.sub(r"\d+", "N", for_staff)
    assert mail.outbox and all(message.to == [staff.email] for message in mail.outbox)


def test_one_network_asking_for_many_addresses_is_refused_and_others_are_not(staff):
    for number in range(10):
        assert refusal(ask(f"guess{number}@example.com")) == ""
    assert refusal(ask(staff.email)).startswith(REFUSED)
    assert mail.outbox == []
    assert refusal(ask(staff.email, address="192.0.2.1")) == ""
    assert len(mail.outbox) == 1


def test_an_ipv6_network_is_one_network_whatever_the_address_within_its_64(staff):
    for number in range(10):
        ask(f"guess{number}@example.com", address=f"2001:db8:1:2::{number + 1:x}")
    assert refusal(ask(staff.email, address="2001:db8:1:2::ffff")).startswith(REFUSED)


def test_the_refusal_lifts_when_its_window_ends(staff, time_machine):
    for number in range(3):
        ask(staff.email, address=f"198.51.100.{number}")
    assert refusal(ask(staff.email)).startswith(REFUSED)
    time_machine.move_to(NOW + datetime.timedelta(minutes=61), tick=False)
    assert refusal(ask(staff.email)) == ""
    assert len(mail.outbox) == 4


def test_the_refusal_is_in_the_staff_members_language(staff):
    for number in range(3):
        ask(staff.email, address=f"198.51.100.{number}")
    message = refusal(ask(staff.email, language="zh-CN"))
    assert "申请重置密码的次数过多" in message
    assert REFUSED not in message


def test_a_malformed_address_is_refused_by_the_form_and_not_counted(staff):
    for _attempt in range(5):
        response = ask("not an address")
        assert response.status_code == 200
        assert "Enter a valid email address." in response.content.decode()
    assert refusal(ask(staff.email)) == ""


def test_refusals_are_logged_without_the_address_and_redis_holds_neither(staff, caplog):
    with caplog.at_level(logging.WARNING, logger="chengxin.sign_in"):
        for number in range(4):
            ask(staff.email, address=f"198.51.100.{number}")
    assert "password reset refused for network" in caplog.text
    assert "198.51.100" not in caplog.text and staff.email not in caplog.text
    redis = caches["ratelimit"].client.get_client()
    keys = b" ".join(redis.keys("*")).decode()
    assert "198.51.100" not in keys and "clerk" not in keys


def test_reset_requests_and_failed_sign_ins_are_counted_apart(staff):
    """Asking for a new password does not lock the account's sign-in, nor the reverse."""
    for number in range(3):
        ask(staff.email, address=f"198.51.100.{number}")
    client = Client(REMOTE_ADDR="192.0.2.1", HTTP_ACCEPT_LANGUAGE="en")
    staff.set_password("right-horse")
    staff.save()
    client.post("/admin/login/", {"username": "clerk", "password": "right-horse"})
    assert client.get("/admin/").status_code == 200
