"""Shared caches may keep what visitors without a scan cookie or session see, until it could change.

Merchant page, precinct pages and API: ``public, s-maxage`` bounded by
SHARED_CACHE_SECONDS and local midnight, no Set-Cookie, Vary only on what
changes the body. A visitor who has scanned the placard keeps a private page.
"""

import datetime

import pytest
from django.core.management import call_command
from django.utils.cache import get_max_age

from tests.factories import MerchantFactory, PrecinctFactory
from tests.factories_ratings import scan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_a_fixed_day")]


def directives(response):
    return {part.strip() for part in response["Cache-Control"].split(",")}


def vary(response):
    return {part.strip() for part in response.get("Vary", "").split(",") if part.strip()}


def test_merchant_page_without_a_scan_is_public(client):
    shop = MerchantFactory()
    response = client.get(f"/en/m/{shop.code}/")
    assert response.status_code == 200
    assert directives(response) == {"public", "max-age=0", "s-maxage=60"}
    assert not response.cookies
    assert vary(response) == {"Cookie"}


def test_chinese_address_also_varies_on_the_browser_language(client):
    """/m/<code>/ sends browsers asking for English to /en/: the language changes the answer."""
    shop = MerchantFactory()
    response = client.get(f"/m/{shop.code}/")
    assert "public" in directives(response)
    assert vary(response) == {"Accept-Language", "Cookie"}


def test_after_a_scan_the_page_is_the_visitors_own(client):
    shop = MerchantFactory()
    scan(client, shop)
    response = client.get(f"/en/m/{shop.code}/")
    assert response.status_code == 200
    assert directives(response) == {"private", "max-age=60"}
    assert "genuine" in response.content.decode().lower()


def test_shared_copy_ends_at_local_midnight(client, time_machine):
    # 23:59:20 in Guangzhou: the page says "N days ago", which moves at midnight.
    time_machine.move_to(
        datetime.datetime(2026, 11, 23, 15, 59, 20, tzinfo=datetime.UTC), tick=False
    )
    shop = MerchantFactory()
    response = client.get(f"/en/m/{shop.code}/")
    assert "s-maxage=40" in directives(response)


def test_shared_lifetime_is_a_setting(client, settings):
    settings.SHARED_CACHE_SECONDS = 15
    shop = MerchantFactory()
    assert "s-maxage=15" in directives(client.get(f"/en/m/{shop.code}/"))


@pytest.fixture
def street():
    precinct = PrecinctFactory(slug="beijing-road", name_zh="北京路", name_en="Beijing Road")
    call_command("sync_precinct_pages")
    MerchantFactory(precinct=precinct, name_en="Taihe Tea House")
    return precinct


@pytest.mark.parametrize("path", ["/beijing-road/", "/en/beijing-road/"])
def test_precinct_pages_are_public_and_same_for_every_browser_language(client, street, path):
    response = client.get(path)
    assert response.status_code == 200
    assert directives(response) == {"public", "max-age=0", "s-maxage=60"}
    assert not response.cookies
    assert "Accept-Language" not in vary(response)


def test_signed_in_staff_get_private_precinct_pages(client, street, owner):
    client.force_login(owner)
    response = client.get("/en/beijing-road/")
    assert response.status_code == 200
    assert "private" in directives(response)
    assert "public" not in directives(response)


def test_api_answer_is_public_for_everyone_and_in_no_language(client):
    shop = MerchantFactory()
    scan(client, shop)  # a scan cookie does not change the API
    response = client.get(f"/api/v1/merchants/{shop.code}", headers={"accept-language": "en"})
    assert response.status_code == 200
    assert directives(response) == {"public", "max-age=60", "s-maxage=60"}
    assert get_max_age(response) == 60
    assert not response.cookies
    assert vary(response) == set()


def test_api_error_detail_varies_on_the_browser_language(client):
    response = client.get("/api/v1/merchants/not-a-code", headers={"accept-language": "en"})
    assert response.status_code == 400
    assert "public" in directives(response)
    assert "Accept-Language" in vary(response)
