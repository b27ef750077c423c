"""Merchants in the admin: the public status in the list and on the page, and linked records."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission

from tests.admin_pages import results
from tests.factories import (
    LicenceFactory,
    ListEntryFactory,
    MerchantFactory,
    PenaltyFactory,
)
from tests.factories_print import issue
from tests.factories_ratings import ReviewFactory

pytestmark = pytest.mark.django_db

MERCHANTS = "/admin/archive/merchants/"


@pytest.fixture(autouse=True)
def _english_on_a_fixed_day(english_browser, on_a_fixed_day):
    """Staff read the admin in English on 23 November 2026."""


@pytest.fixture
def shops():
    """A shop in good standing (its expired licence renewed), one with an expired food
    licence, a penalty and a black-list entry, and one with no licence at all."""
    good = MerchantFactory(name_zh="良心茶行")
    LicenceFactory(merchant=good, expires_on=datetime.date(2025, 1, 1))
    LicenceFactory(
        merchant=good, issued_on=datetime.date(2025, 1, 1), expires_on=datetime.date(2028, 1, 1)
    )
    bad = MerchantFactory(name_zh="问题干货行")
    LicenceFactory(merchant=bad, kind="food_business", expires_on=datetime.date(2026, 1, 1))
    LicenceFactory(merchant=bad, expires_on=datetime.date(2028, 1, 1))
    PenaltyFactory(merchant=bad, decided_on=datetime.date(2026, 6, 1))
    PenaltyFactory(merchant=bad, decided_on=datetime.date(2020, 6, 1))  # publicity over
    ListEntryFactory(
        merchant=bad, list_name="exposure_board", listed_on=datetime.date(2026, 9, 1), until=None
    )
    bare = MerchantFactory(name_zh="无证小店")
    return good, bad, bare


def row_of(html, merchant):
    """The listing row of ``merchant``, tags removed."""
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    row = next(row for row in rows if merchant.code in row)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row))


def test_the_list_shows_each_merchants_public_status(client, member, shops):
    good, bad, bare = shops
    client.force_login(member)
    html = results(client, MERCHANTS)
    assert "valid" in row_of(html, good) and " 0 " in row_of(html, good)
    assert "expired" in row_of(html, bad)
    assert " 1 " in row_of(html, bad)  # one public penalty, not two
    assert "yes" in row_of(html, bad)
    assert "no licence on record" in row_of(html, bare)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"licence_status": "expired"}, {"问题干货行"}),
        ({"licence_status": "valid"}, {"良心茶行"}),
        ({"licence_status": "none"}, {"无证小店"}),
        ({"public_penalties": "true"}, {"问题干货行"}),
        ({"public_penalties": "false"}, {"良心茶行", "无证小店"}),
        ({"black_listed": "true"}, {"问题干货行"}),
    ],
)
def test_the_list_filters_on_the_public_status(client, member, shops, params, expected):
    client.force_login(member)
    html = results(client, MERCHANTS, params)
    shown = {merchant.name_zh for merchant in shops if merchant.code in html}
    assert shown == expected


def test_the_edit_page_shows_what_a_visitor_sees_and_links_every_record(client, owner, shops):
    _good, bad, _bare = shops
    owner.user_permissions.add(
        *Permission.objects.filter(content_type__app_label__in=["print_templates", "ratings"])
    )
    issue(bad, template="label-sheet")
    ReviewFactory(merchant=bad, open_reports=1)
    client.force_login(owner)
    html = client.get(MERCHANTS + f"edit/{bad.pk}/").content.decode()
    assert "What a visitor sees" in html
    assert "1 public penalty" in html
    assert "public warning list" in html
    links = dict(re.findall(r'href="([^"]+)" data-count="(\d+)"', html.replace("&amp;", "&")))
    assert links[f"/admin/archive/licences/?merchant={bad.code}"] == "2"
    assert links[f"/admin/archive/penalties/?merchant={bad.code}"] == "2"
    assert links[f"/admin/archive/list-entries/?merchant={bad.code}"] == "1"
    assert links[f"/admin/archive/inspections/?merchant={bad.code}"] == "0"
    assert links[f"/admin/placards/?lookup={bad.code}"] == "2"  # one from the review's scan
    assert links[f"/admin/reviews/?q={bad.code}"] == "1"
    assert links[f"/admin/reviews/?q={bad.code}&awaiting=true"] == "1"
    assert f'/m/{bad.code}/"' in html  # the public page, in the staff member's language
    penalties = results(client, "/admin/archive/penalties/", {"merchant": bad.code})
    assert penalties.count('<td class="title">') == 2


def test_members_see_the_status_on_the_inspect_page_without_other_apps_links(client, member, shops):
    _good, bad, _bare = shops
    client.force_login(member)
    html = client.get(MERCHANTS + f"inspect/{bad.pk}/").content.decode()
    assert "What a visitor sees" in html
    assert f"/admin/archive/penalties/?merchant={bad.code}" in html
    assert "/admin/placards/" not in html
    assert "/admin/reviews/" not in html


def test_outsiders_see_no_merchant_page(client, outsider, shops):
    _good, bad, _bare = shops
    client.force_login(outsider)
    for url in (MERCHANTS, MERCHANTS + f"edit/{bad.pk}/", MERCHANTS + f"inspect/{bad.pk}/"):
        response = client.get(url)
        assert response.status_code == 302
        assert bad.name_zh not in response.content.decode()
