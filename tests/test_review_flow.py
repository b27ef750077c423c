"""After a review: what the visitor is told, what the merchant page then shows, and refusals."""

import datetime
import re

import pytest
import time_machine
from django.test import Client, RequestFactory
from django.utils import translation

from ratings.merchant_page import review_form_slot
from ratings.models import Review
from tests.factories import MerchantFactory
from tests.factories_ratings import form_data, review_path, scan

pytestmark = pytest.mark.django_db

T = datetime.datetime(2025, 5, 1, 2, 0, tzinfo=datetime.UTC)  # 10:00 in Guangzhou


def at(moment):
    return time_machine.travel(moment, tick=False)


def merchant_page(client, merchant, language="en"):
    prefix = "/en" if language == "en" else ""
    return client.get(f"{prefix}/m/{merchant.code}/").content.decode()


def test_after_a_review_the_page_says_when_instead_of_offering_the_form(client):
    merchant = MerchantFactory()
    with at(T):
        scan(client, merchant)
        assert 'name="overall"' in merchant_page(client, merchant)
        assert client.post(review_path(merchant, "en"), form_data()).status_code == 303
        html = merchant_page(client, merchant)
    assert 'name="overall"' not in html
    assert "so you may review it" not in html
    assert "You reviewed this business on <time" in html
    assert ">2025-05-01</time> from this phone." in html
    assert "You may review it again from <time" in html and ">2025-05-31</time>" in html
    # Another phone still sees the form after scanning.
    other = Client()
    with at(T):
        scan(other, merchant)
        assert 'name="overall"' in merchant_page(other, merchant)


def test_the_reviewed_note_is_in_the_visitors_language(client):
    merchant = MerchantFactory()
    with at(T):
        scan(client, merchant)
        client.post(review_path(merchant), form_data())
        html = merchant_page(client, merchant, "zh-hans")
    assert "您已于" in html
    assert "You reviewed" not in html


def test_the_reviewed_note_costs_no_query(client, django_assert_num_queries):
    merchant = MerchantFactory()
    with at(T):
        scan(client, merchant)
        client.post(review_path(merchant, "en"), form_data())
        request = RequestFactory().get(f"/en/m/{merchant.code}/")
        request.COOKIES.update({name: morsel.value for name, morsel in client.cookies.items()})
        with django_assert_num_queries(0), translation.override("en"):
            assert "You reviewed this business" in review_form_slot(request, merchant.code)


def test_the_note_ends_with_the_thirty_days(client):
    merchant = MerchantFactory()
    with at(T):
        scan(client, merchant)
        client.post(review_path(merchant, "en"), form_data())
    with at(T + datetime.timedelta(days=30, seconds=1)):
        scan(client, merchant)
        html = merchant_page(client, merchant)
    assert "You reviewed this business" not in html
    assert 'name="overall"' in html


def test_a_second_review_inside_the_window_says_when_and_when_again(client):
    merchant = MerchantFactory()
    with at(T):
        scan(client, merchant)
        client.post(review_path(merchant, "en"), form_data())
    with at(T + datetime.timedelta(days=12)):
        scan(client, merchant)
        refused = client.post(review_path(merchant, "en"), form_data())
    html = refused.content.decode()
    assert refused.status_code == 429
    assert "<h1>You have already reviewed this business</h1>" in html
    assert "try again shortly" not in html.lower()
    assert "You have already reviewed this business from this phone, on <time" in html
    assert ">2025-05-01</time>" in html
    assert "You may review it again from <time" in html and ">2025-05-31 10:00</time>" in html


def test_the_review_page_itself_says_so_instead_of_a_form(client):
    merchant = MerchantFactory()
    with at(T):
        scan(client, merchant)
        client.post(review_path(merchant, "en"), form_data())
        response = client.get(review_path(merchant, "en"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="overall"' not in html
    assert "You have already reviewed this business from this phone, on <time" in html


def test_a_second_review_from_a_phone_that_lost_the_cookie_is_told_the_date_too(client):
    merchant = MerchantFactory()
    with at(T):
        scan(client, merchant)
        client.post(review_path(merchant), form_data())
    client.cookies.pop("chengxin_reviewed")
    with at(T + datetime.timedelta(days=3)):
        scan(client, merchant)
        refused = client.post(review_path(merchant), form_data())
        html = refused.content.decode()
        assert "您已于" in html and ">2025-05-01</time>" in html, html
        # The refusal gives the cookie back, so the page says so again.
        assert "您已于" in merchant_page(client, merchant, "zh-hans")


def test_a_short_window_refusal_keeps_what_was_typed(client, settings):
    settings.REVIEW_RATES = {**settings.REVIEW_RATES, "ip": ["1/10m", "1000/d"]}
    first, second = MerchantFactory(), MerchantFactory()
    with at(T):
        scan(client, first)
        client.post(review_path(first, "en"), form_data())
        scan(client, second)
        refused = client.post(
            review_path(second, "en"), form_data(overall="2", comment="Prices were not marked.")
        )
    html = refused.content.decode()
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Please wait before sending again" in html
    assert "What you wrote is kept below" in html
    assert ">\nPrices were not marked.</textarea>" in html
    assert re.search(r'value="2" id="id_overall_1"[^>]* checked', html)
    assert 'name="csrfmiddlewaretoken"' in html
    assert Review.objects.filter(merchant=second).count() == 0


def test_the_thank_you_page_says_what_happens_next_and_has_the_toggle(client):
    merchant = MerchantFactory()
    with at(T):
        scan(client, merchant)
        location = client.post(review_path(merchant, "en"), form_data())["Location"]
        html = client.get(location).content.decode()
    assert "Your review is published." in html
    assert "It is on the business's page now" in html
    assert ">2025-05-31</time>" in html
    assert f'<a class="lang" href="/m/{merchant.code}/review/thanks/"' in html


def test_a_held_review_is_explained_in_chinese_with_the_toggle(client):
    merchant = MerchantFactory()
    html = client.get(f"/m/{merchant.code}/review/thanks/?held=1").content.decode()
    assert "等工作人员核查" in html
    assert f'<a class="lang" href="/en/m/{merchant.code}/review/thanks/?held=1"' in html


@pytest.mark.parametrize("path", ["review/", "review/thanks/"])
def test_every_review_page_carries_the_language_toggle(client, path):
    merchant = MerchantFactory()
    html = client.get(f"/en/m/{merchant.code}/{path}").content.decode()
    assert f'href="/m/{merchant.code}/{path}" lang="zh-Hans"' in html


def test_the_reviewed_page_is_never_kept_by_a_shared_cache(client):
    merchant = MerchantFactory()
    with at(T):
        scan(client, merchant)
        client.post(review_path(merchant, "en"), form_data())
        client.cookies.pop("chengxin_scan")
        response = client.get(f"/en/m/{merchant.code}/")
    assert "You reviewed this business" in response.content.decode()
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
