"""GET /api/v1/merchants/<code> carries the review count and average."""

import pytest

from ratings.models import Review
from tests.factories import MerchantFactory
from tests.factories_print import issue
from tests.factories_ratings import ReviewFactory

pytestmark = pytest.mark.django_db


def api(client, merchant):
    response = client.get(f"/api/v1/merchants/{merchant.code}")
    assert response.status_code == 200
    return response.json()["reviews"]


def test_a_merchant_without_reviews(client):
    assert api(client, MerchantFactory()) == {"count": 0, "average": None}


def test_the_average_appears_from_five_published_reviews(client):
    merchant = MerchantFactory()
    placard = issue(merchant)
    for stars in (5, 5, 4, 4):
        ReviewFactory(merchant=merchant, placard=placard, overall=stars)
    ReviewFactory(merchant=merchant, placard=placard, overall=1, status=Review.Status.HIDDEN)
    assert api(client, merchant) == {"count": 4, "average": None}
    ReviewFactory(merchant=merchant, placard=placard, overall=3)
    assert api(client, merchant) == {"count": 5, "average": 4.2}
