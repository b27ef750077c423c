"""The privacy notice under the reviews: built in with the configured periods, or editor-written."""

import pytest
from django.test import Client
from wagtail.models import Locale

from ratings.models import ReviewText
from tests.factories import MerchantFactory

pytestmark = pytest.mark.django_db


def reviews_html(merchant, language="en"):
    prefix = "/en" if language == "en" else ""
    html = Client().get(f"{prefix}/m/{merchant.code}/").content.decode()
    return html[html.index('id="reviews"') :]


def test_the_built_in_notice_says_what_is_kept_and_for_how_long(settings):
    settings.REVIEW_HASH_RETENTION_DAYS = 45
    html = reviews_html(MerchantFactory())
    assert "Reviews and your privacy" in html
    assert "never the address or the cookie itself" in html
    assert "The hashes are erased after 45 days" in html


def test_an_editor_written_notice_replaces_it_in_its_language_at_once():
    merchant = MerchantFactory()
    assert "Our own words" not in reviews_html(merchant)  # the page is now cached
    english = Locale.objects.get_or_create(language_code="en")[0]
    ReviewText.objects.create(locale=english, privacy_notice="<p>Our own words.</p>")
    assert "<p>Our own words.</p>" in reviews_html(merchant)
    assert "never the address or the cookie itself" not in reviews_html(merchant)
    assert "Our own words" not in reviews_html(merchant, "zh-hans")
