"""Factories for reviews: every review comes from a scan of one of its merchant's placards."""

import datetime

import factory
from django.utils import timezone

from ratings.models import Review
from tests.factories import MerchantFactory
from tests.factories_print import issue


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    merchant = factory.SubFactory(MerchantFactory)
    placard = factory.LazyAttribute(lambda review: issue(review.merchant))
    created_at = factory.LazyFunction(timezone.now)
    scanned_at = factory.LazyAttribute(
        lambda review: review.created_at - datetime.timedelta(minutes=10)
    )
    language = "zh-hans"
    overall = 4
    service_attitude = 5
    comment = "老板很热情，价格清楚。"


def scan(client, merchant=None, placard=None, **extra):
    """Open the placard's QR link with ``client``, as a visitor at the counter does."""
    placard = placard or issue(merchant)
    response = client.get(f"/q/{placard.token}", **extra)
    assert response.status_code == 302, response.status_code
    return placard


def review_path(merchant, language="zh-hans"):
    prefix = "/en" if language == "en" else ""
    return f"{prefix}/m/{merchant.code}/review/"


def form_data(**changes):
    """A valid shop review: overall stars, two of three aspects and a comment."""
    data = {
        "overall": "4",
        "product_quality": "5",
        "service_attitude": "3",
        "comment": "茶叶新鲜，明码标价。",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}
