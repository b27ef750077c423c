"""The admin's main menu: only what our staff use, and no two entries with the same name."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.utils import translation

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def everything(db):
    """A superuser sees every menu there is."""
    return UserFactory(username="boss", is_staff=True, is_superuser=True)


def menu_labels(client, language):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    html = client.get("/admin/").content.decode()
    props = re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S).group(1)
    return re.findall(r'"label": "((?:[^"\\]|\\.)*)"', props)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_no_two_menu_entries_share_a_name(client, everything, language):
    client.force_login(everything)
    labels = [label.encode().decode("unicode_escape") for label in menu_labels(client, language)]
    assert len(labels) > 10
    assert sorted(set(labels)) == sorted(labels), labels


def test_wagtail_reports_and_help_are_hidden(client, everything):
    client.force_login(everything)
    labels = menu_labels(client, "en")
    assert "Reports" not in labels
    assert "Help" not in labels
    with translation.override("zh-hans"):
        assert "举报" not in [
            label.encode().decode("unicode_escape") for label in menu_labels(client, "zh-hans")
        ]


def test_a_print_clerk_sees_the_placard_menu(client):
    clerk = UserFactory(is_staff=True)
    clerk.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(content_type__app_label="print_templates"),
    )
    client.force_login(clerk)
    labels = menu_labels(client, "en")
    assert "Placard printing" in labels
    assert "Reviews" not in labels
