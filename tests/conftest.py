"""Shared fixtures: the three users every protected view is tested with, and the rating roles.

``owner`` is staff with full rights over the archive, ``member`` is staff with
view rights only, and ``outsider`` is signed in but no staff at all. For the
star rating, ``association_officer`` is staff of the Yide Road chamber and
``regulator`` a district regulator; owner, member and outsider have no rating role.
"""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache, caches
from django.core.servers.basehttp import WSGIServer
from django.utils import translation
from wagtail.models import Locale, Page, Site

from cms.models import HomePage
from tests.factories import UserFactory

# The live server's listen backlog, 10 by default, overflows when a test fires 50
# posts at once on a loaded machine; gunicorn's is 2048. Give it room to queue them.
WSGIServer.request_queue_size = 128


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty Redis cache, no rate-limit counters, no per-process copies."""
    cache.clear()
    caches["ratelimit"].clear()
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


@pytest.fixture(autouse=True)
def _english_shell(monkeypatch):
    """Commands speak the shell's language; the suite runs them in an English shell."""
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


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


def _rating_staff(username, **role):
    from ratings.models import RatingRole

    user = UserFactory(username=username, is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    RatingRole.objects.create(user=user, **role)
    return user


@pytest.fixture
def association_officer(db):
    """Staff of the Yide Road chamber: scores its own members while a round is open."""
    from tests.factories import AssociationFactory

    chamber = AssociationFactory(slug="yide-road-chamber")
    return _rating_staff("officer", kind="association_staff", association=chamber)


@pytest.fixture
def regulator(db):
    """A district regulator: sees every scheme, runs, publishes and revises rounds."""
    return _rating_staff("regulator", kind="regulator")


@pytest.fixture(autouse=True)
def _attachments_in_a_temporary_folder(settings, tmp_path):
    """Objection and repair attachments are written under the test's own folder."""
    settings.PORTAL_ATTACHMENT_ROOT = tmp_path / "attachments"


@pytest.fixture
def site_tree():
    """What migrations made (locales, root and home page, default site).

    An earlier transactional test's flush removes it; precinct pages need it.
    """
    zh, _ = Locale.objects.get_or_create(language_code="zh-hans")
    Locale.objects.get_or_create(language_code="en")
    if not HomePage.objects.filter(locale=zh).exists():
        root = Page.get_first_root_node() or Page.add_root(
            instance=Page(title="Root", slug="root", locale=zh)
        )
        home = root.add_child(instance=HomePage(title="诚信 · 信用公示", slug="home", locale=zh))
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": "localhost", "root_page": home, "site_name": "诚信 Chengxin"},
        )
