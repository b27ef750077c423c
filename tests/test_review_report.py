"""Visitors reporting a published review to staff."""

import datetime

import pytest
import time_machine
from django.test import Client

from ratings.models import Review, ReviewReport
from tests.factories_ratings import ReviewFactory

pytestmark = pytest.mark.django_db

T = datetime.datetime(2025, 5, 1, 2, 0, tzinfo=datetime.UTC)


def report_path(review, language="en"):
    prefix = "/en" if language == "en" else ""
    return f"{prefix}/m/{review.merchant.code}/reviews/{review.pk}/report/"


def test_every_published_review_has_a_report_link_on_the_page(client):
    review = ReviewFactory()
    html = client.get(f"/en/m/{review.merchant.code}/").content.decode()
    assert f'href="{report_path(review)}"' in html


def test_a_visitor_reports_a_review_without_having_scanned(client):
    review = ReviewFactory(comment="<i>rude</i>")
    form = client.get(report_path(review))
    assert form.status_code == 200
    assert "&lt;i&gt;rude&lt;/i&gt;" in form.content.decode()
    response = client.post(report_path(review), {"reason": "offensive"})
    assert response.status_code == 303
    assert "Thank you for your report" in client.get(response["Location"]).content.decode()
    report = ReviewReport.objects.get()
    assert (report.review, report.reason) == (review, "offensive")
    assert len(report.ip_hash) == 32 and "127.0.0.1" not in report.ip_hash
    review.refresh_from_db()
    assert review.open_reports == 1
    assert review.is_public  # staff decide; a report alone hides nothing
    assert list(Review.objects.awaiting_moderation()) == [review]


def test_the_same_phone_reports_a_review_once(client):
    review = ReviewFactory()
    client.post(report_path(review), {"reason": "offensive"})
    again = client.post(report_path(review), {"reason": "false"})
    assert again.status_code == 303
    Client().post(report_path(review), {"reason": "false"})
    assert ReviewReport.objects.count() == 2
    assert Review.objects.get().open_reports == 2


def test_a_report_needs_a_known_reason(client):
    review = ReviewFactory()
    assert client.post(report_path(review), {"reason": "boring"}).status_code == 400
    assert client.post(report_path(review), {}).status_code == 400
    assert not ReviewReport.objects.exists()


@pytest.mark.parametrize("status", [Review.Status.HELD, Review.Status.HIDDEN])
def test_reviews_not_shown_cannot_be_reported(client, status):
    review = ReviewFactory(status=status)
    assert client.get(report_path(review)).status_code == 404
    assert client.post(report_path(review), {"reason": "offensive"}).status_code == 404


@pytest.mark.parametrize("rates", [["2/h", "100/d"], ["100/h", "2/d"]])
def test_reports_are_limited_per_address_exactly_at_the_boundary(settings, rates):
    settings.REVIEW_RATES = {**settings.REVIEW_RATES, "report_ip": rates}
    review = ReviewFactory()

    def attempt():
        phone = Client(REMOTE_ADDR="198.51.100.4")
        return phone.post(report_path(review), {"reason": "false"}).status_code

    with time_machine.travel(T, tick=False):
        assert [attempt(), attempt()] == [303, 303]
        refused = Client(REMOTE_ADDR="198.51.100.4").post(report_path(review), {"reason": "false"})
        assert refused.status_code == 429
        wait = int(refused["Retry-After"])
        assert (
            Client(REMOTE_ADDR="198.51.100.5")
            .post(report_path(review), {"reason": "false"})
            .status_code
            == 303
        )
    with time_machine.travel(T + datetime.timedelta(seconds=wait - 1), tick=False):
        assert attempt() == 429
    with time_machine.travel(T + datetime.timedelta(seconds=wait), tick=False):
        assert attempt() == 303
    assert ReviewReport.objects.count() == 4


def test_the_report_page_is_in_chinese_at_the_chinese_address(client):
    review = ReviewFactory()
    response = client.get(report_path(review, "zh-hans"))
    assert response.status_code == 200
    assert 'lang="zh-Hans"' in response.content.decode()
