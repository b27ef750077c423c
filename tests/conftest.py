"""Shared fixtures: the three users every protected view is tested with.

``owner`` is staff with full rights over the archive, ``member`` is staff with
view rights only, and ``outsider`` is signed in but no staff at all.
"""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache, caches
from django.utils import translation

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty Redis cache and no per-process copies."""
    cache.clear()
    caches["local"].clear()
    yield


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Code run outside a request (models, commands) speaks English unless a test chooses.

    Requests still pick their language as in production. The override also
    restores the language at the end, so a language activated by one test's
    request never leaks into the next test.
    """
    with translation.override("en"):
        yield


@pytest.fixture
def on_a_fixed_day(time_machine):
    """Public pages show dates and "N days ago": pin today to 23 November 2026 in Guangzhou."""
    time_machine.move_to(datetime.datetime(2026, 11, 23, 4, tzinfo=datetime.UTC))


@pytest.fixture
def english_browser(client):
    """The test client's browser asks for English (the admin and API follow it)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def owner(db):
    user = UserFactory(username="owner", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="merchants"),
        Permission.objects.get(codename="access_admin"),
    )
    return user


@pytest.fixture
def member(db):
    user = UserFactory(username="member", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="merchants", codename__startswith="view_"
        ),
        Permission.objects.get(codename="access_admin"),
    )
    return user


@pytest.fixture
def outsider(db):
    return UserFactory(username="outsider")
