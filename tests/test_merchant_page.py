"""The public merchant scan page at /m/<code>/ and /en/m/<code>/."""

import datetime
import json
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms import page_cache
from merchants import glossary
from merchants.models import Licence
from tests.factories import (
    ClinicFactory,
    InspectionFactory,
    LicenceFactory,
    ListEntryFactory,
    MerchantFactory,
    PenaltyFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_a_fixed_day")]

TODAY = datetime.date(2026, 11, 23)


def page(client, merchant, language="zh-hans", **headers):
    prefix = "/en" if language == "en" else ""
    return client.get(f"{prefix}/m/{merchant.code}/", headers=headers)


def text_of(response):
    html = response.content.decode()
    body = re.sub(r"<style>.*?</style>|<script.*?</script>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def test_a_shop_in_good_standing(client):
    shop = MerchantFactory(name_zh="泰和茶行", name_en="Taihe Tea House", stall="B12")
    LicenceFactory(merchant=shop, expires_on=datetime.date(2028, 1, 1))
    InspectionFactory(merchant=shop, inspected_on=datetime.date(2025, 10, 7))

    response = page(client, shop, "en")

    assert response.status_code == 200
    text = text_of(response)
    assert "Taihe Tea House" in text
    assert "泰和茶行" in text
    assert shop.code in text
    assert "Stall B12" in text
    assert "valid" in text
    assert "412 days ago" in text
    assert "No public penalties" in text
    assert "Not rated yet" in text
    assert "12345" in text and "12315" in text


def test_a_shop_with_problems_shows_each_of_them(client):
    shop = MerchantFactory()
    LicenceFactory(merchant=shop, expires_on=datetime.date(2026, 11, 1))
    InspectionFactory(merchant=shop, inspected_on=datetime.date(2026, 11, 20), result="fail")
    PenaltyFactory(
        merchant=shop,
        violation="销售过期食品",
        decided_on=datetime.date(2026, 3, 1),
        severity="serious",
        authority="越秀区市场监督管理局",
    )
    ListEntryFactory(merchant=shop, list_name="abnormal_operation", until=None)

    text = text_of(page(client, shop, "en"))

    assert "expired" in text
    assert "failed" in text
    assert "3 days ago" in text
    assert "1 public penalty" in text
    assert "销售过期食品" in text
    assert "shown until 2029-02-28" in text  # the last public day, as in the API
    assert "serious" in text
    assert "abnormal operation" in text
    assert "Black list" in text


@pytest.mark.parametrize(
    ("state", "expires_on", "word"),
    [
        (Licence.State.ACTIVE, datetime.date(2026, 12, 10), "expiring soon"),
        (Licence.State.SUSPENDED, datetime.date(2028, 1, 1), "suspended"),
        (Licence.State.REVOKED, datetime.date(2028, 1, 1), "revoked"),
    ],
)
def test_licence_status_is_a_word_not_only_a_colour(client, state, expires_on, word):
    shop = MerchantFactory()
    LicenceFactory(merchant=shop, state=state, expires_on=expires_on)
    assert word in text_of(page(client, shop, "en"))


def test_a_clinic_shows_its_practising_licence_and_specialties(client):
    clinic = ClinicFactory(specialties="口腔科；医学影像科")
    LicenceFactory(merchant=clinic, kind="business", number="BIZ-1")
    LicenceFactory(merchant=clinic, kind="medical_practice", number="PDY-77")

    response = page(client, clinic, "en")

    text = text_of(response)
    assert "Practising licence" in text
    assert "PDY-77" in text
    assert "Registered specialties: dentistry, medical imaging" in text
    assert "口腔科、医学影像科" in text_of(page(client, clinic))
    data = json.loads(re.search(r'ld\+json">(.*?)</script>', response.content.decode()).group(1))
    assert data["@type"] == "MedicalClinic"
    assert data["identifier"]["value"] == clinic.code


def test_nothing_non_public_is_shown(client):
    shop = MerchantFactory()
    PenaltyFactory(merchant=shop, violation="OLD-ONE", decided_on=datetime.date(2024, 1, 1))
    PenaltyFactory(
        merchant=shop,
        violation="WARNING-ONLY",
        decided_on=datetime.date(2026, 6, 1),
        penalty_types=["warning"],
        fine_amount=None,
    )
    repaired = PenaltyFactory(
        merchant=shop, violation="REPAIRED", decided_on=datetime.date(2026, 1, 1)
    )
    repaired.withdraw("repair", "SECRET-REASON", day=datetime.date(2026, 5, 1))
    InspectionFactory(merchant=shop, findings="WRONG-SHOP").withdraw("error", "wrong shop")

    html = page(client, shop, "en").content.decode()

    for secret in ("OLD-ONE", "WARNING-ONLY", "REPAIRED", "SECRET-REASON", "WRONG-SHOP"):
        assert secret not in html


def test_user_text_is_escaped(client):
    shop = MerchantFactory(name_en="<script>alert(1)</script>")
    InspectionFactory(merchant=shop, findings="<img src=x onerror=alert(1)>")
    html = page(client, shop, "en").content.decode()
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert "&lt;img src=x" in html


def test_chinese_is_the_default_and_english_is_one_tap_away(client):
    shop = MerchantFactory(name_zh="泰和茶行", name_en="Taihe Tea House")

    zh = page(client, shop)
    en = page(client, shop, "en")

    assert '<html lang="zh-Hans">' in zh.content.decode()
    assert "信用代码" in text_of(zh)
    assert f'href="/en/m/{shop.code}/?lang=en"' in zh.content.decode()
    assert '<html lang="en">' in en.content.decode()
    assert f'href="/m/{shop.code}/?lang=zh-hans"' in en.content.decode()
    assert '<p class="alt-name" lang="en">Taihe Tea House</p>' in zh.content.decode()


def test_browser_language_picks_english(client):
    shop = MerchantFactory()
    response = page(client, shop, **{"accept-language": "en-GB,en;q=0.9"})
    assert response.status_code == 302
    assert response["Location"] == f"/en/m/{shop.code}/"
    assert "Accept-Language" in response["Vary"]


def test_the_toggle_remembers_the_choice_on_the_same_merchant(client):
    shop = MerchantFactory()
    response = client.get(f"/m/{shop.code}/?lang=zh-hans", headers={"accept-language": "en"})
    assert response.status_code == 302
    assert response["Location"] == f"/m/{shop.code}/"
    followed = client.get(response["Location"], headers={"accept-language": "en"})
    assert followed.status_code == 200
    assert '<html lang="zh-Hans">' in followed.content.decode()


def test_a_lower_case_code_redirects_to_the_canonical_url(client):
    shop = MerchantFactory(code="91350100M000100Y43")
    response = client.get(f"/en/m/{shop.code.lower()}/")
    assert response.status_code == 302
    assert response["Location"] == f"/en/m/{shop.code}/"


def test_a_malformed_code_says_what_is_wrong_in_the_visitors_language(client):
    english = client.get("/en/m/91350100M000100Y44/")
    chinese = client.get("/m/91350100M000100Y44/")
    assert english.status_code == 400
    assert "check character" in text_of(english)
    assert chinese.status_code == 400
    assert "校验" in text_of(chinese)


def test_an_unknown_code_is_404_with_advice(client):
    response = client.get("/en/m/91350100M000100Y43/")
    assert response.status_code == 404
    assert "12345" in text_of(response)


def uncached_queries(client, merchant):
    page_cache.forget([merchant.code])
    glossary.current()  # kept in the shared cache across pages; its one query is below
    with CaptureQueriesContext(connection) as queries:
        assert page(client, merchant, "en").status_code == 200
    return len(queries)


def test_uncached_page_query_count_is_fixed_whatever_the_records(client):
    small, large = MerchantFactory(), MerchantFactory()
    LicenceFactory(merchant=small)
    for index in range(15):
        LicenceFactory(merchant=large, number=f"L-{index}")
        InspectionFactory(merchant=large)
        PenaltyFactory(merchant=large, decided_on=datetime.date(2026, 6, 1))
        start = datetime.date(2026, 1, 1) + datetime.timedelta(index)
        ListEntryFactory(merchant=large, listed_on=start)
    # merchant, four record sets, open objections, editor text, precinct page,
    # latest published rating, review summary, published reviews (with replies),
    # review page text
    assert uncached_queries(client, small) == uncached_queries(client, large) <= 12


def test_the_glossary_costs_one_query_once_not_one_per_record(client):
    shop = MerchantFactory()
    for index in range(10):
        InspectionFactory(merchant=shop, authority=f"某某局{index}")
    warm = uncached_queries(client, shop)
    cache.delete(glossary.KEY)
    page_cache.forget([shop.code])
    with CaptureQueriesContext(connection) as queries:
        page(client, shop, "en")
    assert len(queries) == warm + 1


def test_a_cached_page_needs_no_database(client, django_assert_num_queries):
    shop = MerchantFactory()
    page(client, shop, "en")
    with django_assert_num_queries(0):
        assert page(client, shop, "en").status_code == 200


def test_the_cache_is_dropped_when_a_record_changes(client):
    shop = MerchantFactory()
    penalty = PenaltyFactory(
        merchant=shop, violation="未明码标价", decided_on=datetime.date(2026, 1, 1)
    )
    assert "未明码标价" in text_of(page(client, shop, "en"))

    penalty.withdraw("repair", "已整改", day=datetime.date(2026, 5, 1))
    assert "未明码标价" not in text_of(page(client, shop, "en"))

    LicenceFactory(merchant=shop, number="NEW-LICENCE")
    assert "NEW-LICENCE" in text_of(page(client, shop, "en"))

    shop.name_en = "Renamed Shop"
    shop.save()
    assert "Renamed Shop" in text_of(page(client, shop, "en"))


def test_the_page_is_light(client):
    shop = MerchantFactory()
    for index in range(10):
        InspectionFactory(merchant=shop)
        LicenceFactory(merchant=shop, number=f"L-{index}")
    response = page(client, shop, "en")
    assert len(response.content) < 50 * 1024
    assert "<script src" not in response.content.decode()


def test_the_chinese_address_varies_on_the_browser_language(client):
    shop = MerchantFactory()
    assert "Accept-Language" in page(client, shop)["Vary"]
    assert "Accept-Language" not in page(client, shop, "en")["Vary"]
