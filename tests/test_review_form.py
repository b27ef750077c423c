"""Leaving a review on the merchant page: the form, its checks and what the page then shows."""

import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.utils import translation

from ratings.models import Review
from tests.factories import ClinicFactory, MerchantFactory
from tests.factories_ratings import form_data, review_path, scan

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2025, 5, 1, 4, tzinfo=datetime.UTC)  # 12:00 in Guangzhou


def page(client, merchant, language="zh-hans"):
    prefix = "/en" if language == "en" else ""
    response = client.get(f"{prefix}/m/{merchant.code}/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_visitor_who_did_not_scan_reads_how_to_leave_a_review(client):
    merchant = MerchantFactory()
    html = page(client, merchant, "en")
    assert "How to leave a review" in html
    assert "scan the credit placard on site" in html
    assert 'name="overall"' not in html


def test_a_visitor_who_scanned_gets_the_form_with_a_csrf_token(client):
    merchant = MerchantFactory()
    scan(client, merchant)
    html = page(client, merchant, "en")
    assert 'name="csrfmiddlewaretoken"' in html
    assert f'action="/en/m/{merchant.code}/review/"' in html
    for value in range(1, 6):
        assert f'type="radio" name="overall" value="{value}"' in html
    assert "<legend>Product quality" in html
    assert "<legend>Honest, clearly marked prices" in html
    assert "Explanation of treatment" not in html


def test_a_clinic_is_rated_on_clinic_aspects(client):
    clinic = ClinicFactory()
    scan(client, clinic)
    html = page(client, clinic, "en")
    assert "<legend>Explanation of treatment and fees" in html
    assert "<legend>Environment and hygiene" in html
    assert "Product quality" not in html
    response = client.post(
        review_path(clinic), {"overall": "5", "explanation": "4", "hygiene": "5"}
    )
    assert response.status_code == 303
    review = Review.objects.get()
    assert (review.explanation, review.hygiene, review.product_quality) == (4, 5, None)


def test_a_review_is_published_and_the_page_shows_it_scanned_on_site(client):
    merchant = MerchantFactory()
    placard = scan(client, merchant)
    assert "No reviews yet." in page(Client(), merchant, "en")  # cached without the review
    response = client.post(review_path(merchant, "en"), form_data())
    assert response.status_code == 303
    assert response["Location"] == f"/en/m/{merchant.code}/review/thanks/"
    thanks = client.get(response["Location"])
    assert "Your review is published." in thanks.content.decode()
    review = Review.objects.get()
    assert (review.overall, review.product_quality, review.service_attitude) == (4, 5, 3)
    assert review.honest_pricing is None
    assert review.placard == placard
    assert review.language == "en"
    assert review.status == Review.Status.PUBLISHED
    html = page(Client(), merchant, "en")
    assert "茶叶新鲜，明码标价。" in html
    assert "scanned on site" in html
    assert "4 of 5 stars" in html


def test_the_form_works_in_chinese(client):
    merchant = MerchantFactory()
    scan(client, merchant)
    html = page(client, merchant)
    assert f'action="/m/{merchant.code}/review/"' in html
    response = client.post(review_path(merchant), form_data())
    assert response["Location"] == f"/m/{merchant.code}/review/thanks/"
    assert Review.objects.get().language == "zh-hans"


def test_overall_stars_are_required_and_kept_in_range(client):
    merchant = MerchantFactory()
    scan(client, merchant)
    missing = client.post(review_path(merchant, "en"), form_data(overall=None))
    assert missing.status_code == 400
    assert "This field is required." in missing.content.decode()
    for wrong in ("0", "6", "4.5", "five"):
        response = client.post(review_path(merchant, "en"), form_data(overall=wrong))
        assert response.status_code == 400
    assert not Review.objects.exists()


def test_a_refused_form_keeps_what_was_typed(client):
    merchant = MerchantFactory()
    scan(client, merchant)
    response = client.post(review_path(merchant, "en"), form_data(overall=None, comment="好茶"))
    html = response.content.decode()
    assert ">\n好茶</textarea>" in html
    assert 'value="5" id="id_product_quality_4" checked' in html


def test_html_and_script_in_a_comment_stay_inert(client):
    merchant = MerchantFactory()
    scan(client, merchant)
    comment = '<script>alert("x")</script><img src=x onerror=alert(1)> & <b>bold</b>'
    client.post(review_path(merchant, "en"), form_data(comment=comment))
    assert Review.objects.get().comment == comment
    html = page(Client(), merchant, "en")
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_chinese_emoji_and_line_breaks_are_kept(client):
    merchant = MerchantFactory()
    scan(client, merchant)
    comment = "服务很好👍🏻\r\n下次再来🍵"
    client.post(review_path(merchant, "en"), form_data(comment=comment))
    assert Review.objects.get().comment == "服务很好👍🏻\n下次再来🍵"
    assert "服务很好👍🏻<br>下次再来🍵" in page(Client(), merchant, "en")


def test_a_comment_of_500_characters_is_taken_and_501_refused(client):
    merchant = MerchantFactory()
    scan(client, merchant)
    too_long = client.post(review_path(merchant, "en"), form_data(comment="好" * 501))
    assert too_long.status_code == 400
    assert "at most 500 characters" in too_long.content.decode()
    assert not Review.objects.exists()
    emoji = "🍵" * 500  # astral characters: 500 of them, however a browser counts them
    response = client.post(review_path(merchant, "en"), form_data(comment=emoji))
    assert response.status_code == 303
    assert Review.objects.get().comment == emoji


def test_control_and_format_characters_are_dropped_and_nul_refused(client):
    merchant = MerchantFactory()
    scan(client, merchant)
    nul = client.post(review_path(merchant, "en"), form_data(comment="a\x00b"))
    assert nul.status_code == 400
    client.post(review_path(merchant, "en"), form_data(comment="a\x07b\u200bc"))
    assert Review.objects.get().comment == "abc"  # the zero-width space goes too


def test_csrf_is_required():
    client = Client(enforce_csrf_checks=True)
    merchant = MerchantFactory()
    scan(client, merchant)
    refused = client.post(review_path(merchant, "en"), form_data())
    assert refused.status_code == 403
    assert not Review.objects.exists()
    html = page(client, merchant, "en")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    accepted = client.post(review_path(merchant, "en"), form_data(csrfmiddlewaretoken=token))
    assert accepted.status_code == 303
    assert Review.objects.count() == 1


def test_a_visitor_without_a_scan_is_refused_and_told_how(client):
    merchant = MerchantFactory()
    response = client.post(review_path(merchant, "en"), form_data())
    assert response.status_code == 403
    assert "scan the credit placard on site" in response.content.decode()
    assert not Review.objects.exists()


def test_a_scan_of_another_merchant_does_not_count(client):
    merchant, other = MerchantFactory(), MerchantFactory()
    scan(client, other)
    assert client.post(review_path(merchant, "en"), form_data()).status_code == 403
    assert 'name="overall"' not in page(client, merchant, "en")


def test_a_scan_vouches_for_two_hours_and_no_longer(client):
    merchant = MerchantFactory()
    with time_machine.travel(NOON, tick=False):
        scan(client, merchant)
    with time_machine.travel(NOON + datetime.timedelta(hours=2, seconds=1), tick=False):
        assert 'name="overall"' not in page(client, merchant, "en")
        late = client.post(review_path(merchant, "en"), form_data())
        assert late.status_code == 403
    with time_machine.travel(NOON + datetime.timedelta(hours=1, minutes=59), tick=False):
        assert client.post(review_path(merchant, "en"), form_data()).status_code == 303
    assert Review.objects.count() == 1


def test_a_forged_or_altered_scan_cookie_is_worthless(client):
    merchant = MerchantFactory()
    placard = scan(client, merchant)
    genuine = client.cookies["chengxin_scan"].value
    payload, _, signature = genuine.rpartition(":")
    client.cookies["chengxin_scan"] = f"{payload}:{'A' * len(signature)}"
    assert client.post(review_path(merchant, "en"), form_data()).status_code == 403
    forged = Client()
    response = forged.get(f"/q/{placard.serial}{'0' * 8}")
    assert response.status_code == 404
    assert forged.post(review_path(merchant, "en"), form_data()).status_code == 403
    assert not Review.objects.exists()


def test_a_revoked_placard_no_longer_lets_anyone_review(client, owner):
    merchant = MerchantFactory()
    placard = scan(client, merchant)
    placard.revoke("stolen from the shop", owner)
    assert client.post(review_path(merchant, "en"), form_data()).status_code == 403
    assert not Review.objects.exists()


def test_the_review_page_works_on_its_own_for_a_visitor_who_scanned(client):
    merchant = MerchantFactory()
    assert client.get(review_path(merchant, "en")).status_code == 403
    scan(client, merchant)
    response = client.get(review_path(merchant, "en"))
    assert response.status_code == 200
    assert 'name="overall"' in response.content.decode()


def test_an_unknown_merchant_is_not_found(client):
    response = client.post("/en/m/91440104MA59XXXXXX/review/", form_data())
    assert response.status_code == 404


def test_the_form_slot_costs_no_query_without_a_scan_and_one_with_one(
    client, django_assert_num_queries
):
    from django.test import RequestFactory

    from ratings.merchant_page import review_form_slot

    merchant = MerchantFactory()
    request = RequestFactory().get(f"/m/{merchant.code}/")
    with django_assert_num_queries(0), translation.override("en"):
        assert "How to leave a review" in review_form_slot(request, merchant.code)
    scan(client, merchant)
    request.COOKIES.update({name: morsel.value for name, morsel in client.cookies.items()})
    with django_assert_num_queries(1):  # the scanned placard, with its merchant
        html = review_form_slot(request, merchant.code)
    assert 'name="overall"' in html
    with django_assert_num_queries(0):  # the banner asks again in the same request
        assert 'name="overall"' in review_form_slot(request, merchant.code)


def test_each_visitor_gets_their_own_csrf_token_in_the_reused_form(client):
    from django.test import RequestFactory

    from ratings.merchant_page import TOKEN_MARK, review_form_slot

    merchant = MerchantFactory()
    scan(client, merchant)
    cookies = {name: morsel.value for name, morsel in client.cookies.items()}
    tokens = set()
    for _ in range(2):
        request = RequestFactory().get(f"/m/{merchant.code}/")
        request.COOKIES.update(cookies)
        html = review_form_slot(request, merchant.code)
        assert TOKEN_MARK not in html
        tokens.add(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1))
    assert len(tokens) == 2
