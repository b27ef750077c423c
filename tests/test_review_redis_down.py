"""With Redis unreachable pages still render from the database, and reviews are refused cleanly.

The cache points at a closed port, so every Redis call fails to connect, as it
does when the Redis server is down. django-ratelimit fails either way: with an
exception, or (when django-redis ignores errors) with a counter it cannot read;
both must end in 503 with nothing stored.
"""

import pytest

from merchants.audit import AuditEntry
from ratings.models import Review, ReviewReport, ReviewSalt
from tests.factories import MerchantFactory
from tests.factories_ratings import ReviewFactory, form_data, review_path, scan

pytestmark = pytest.mark.django_db

CLOSED_PORT = "redis://127.0.0.1:6390/0"


@pytest.fixture(params=[False, True], ids=["raising", "ignoring"])
def redis_down(request, settings):
    """Redis unreachable, with the cache raising its errors or (IGNORE_EXCEPTIONS) hiding them."""
    closed = {}
    for alias in ("default", "ratelimit"):
        config = settings.CACHES[alias]
        closed[alias] = {
            **config,
            "LOCATION": CLOSED_PORT,
            "OPTIONS": {**config["OPTIONS"], "IGNORE_EXCEPTIONS": request.param},
        }
    settings.CACHES = {**settings.CACHES, **closed}


def test_the_whole_page_path_works_from_the_database(client, redis_down):
    merchant = MerchantFactory()
    ReviewFactory(merchant=merchant, comment="茶好")
    scanned = client.get(f"/q/{merchant.placards.get().token}")
    assert scanned.status_code == 302
    for path in (f"/m/{merchant.code}/", f"/en/m/{merchant.code}/"):
        response = client.get(path)
        assert response.status_code == 200
        html = response.content.decode()
        assert "茶好" in html
        assert 'name="overall"' in html
    assert client.get(f"/api/v1/merchants/{merchant.code}").json()["reviews"]["count"] == 1
    assert client.get(review_path(merchant, "en")).status_code == 200


def test_a_review_is_refused_with_503_and_nothing_is_stored(client, redis_down):
    merchant = MerchantFactory()
    scan(client, merchant)
    audit_before = AuditEntry.objects.count()
    response = client.post(review_path(merchant, "en"), form_data())
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    html = response.content.decode()
    assert "Please try again later" in html
    assert "Nothing was saved." in html
    assert not Review.objects.exists()
    assert not ReviewSalt.objects.exists()
    assert AuditEntry.objects.count() == audit_before


def test_the_refusal_is_in_chinese_on_the_chinese_page(client, redis_down):
    merchant = MerchantFactory()
    scan(client, merchant)
    response = client.post(review_path(merchant), form_data())
    assert response.status_code == 503
    assert 'lang="zh-Hans"' in response.content.decode()


def test_a_report_is_refused_with_503_and_nothing_is_stored(client, redis_down):
    review = ReviewFactory()
    path = f"/en/m/{review.merchant.code}/reviews/{review.pk}/report/"
    assert client.get(path).status_code == 200
    response = client.post(path, {"reason": "offensive"})
    assert response.status_code == 503
    assert not ReviewReport.objects.exists()
    assert Review.objects.get().open_reports == 0


def test_reviews_are_taken_again_once_redis_is_back(client, settings):
    merchant = MerchantFactory()
    scan(client, merchant)
    working = settings.CACHES
    settings.CACHES = {
        **working,
        "default": {**working["default"], "LOCATION": CLOSED_PORT},
        "ratelimit": {**working["ratelimit"], "LOCATION": CLOSED_PORT},
    }
    assert client.post(review_path(merchant, "en"), form_data()).status_code == 503
    settings.CACHES = working
    assert client.post(review_path(merchant, "en"), form_data()).status_code == 303
    assert Review.objects.count() == 1
