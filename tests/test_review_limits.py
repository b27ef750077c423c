"""Rate limits on reviews, each enforced exactly at its boundary (real Redis, frozen time).

django-ratelimit windows are fixed and jittered per key, so every test reads
the wait from Retry-After and checks both sides of it: one second before, the
visitor is still refused; at it, the visitor is let in.
"""

import datetime

import pytest
import time_machine
from django.test import Client
from django_ratelimit.core import _get_window

from ratings.models import Review
from ratings.visitors import limit_key
from tests.factories import MerchantFactory
from tests.factories_print import issue
from tests.factories_ratings import form_data, review_path, scan

pytestmark = pytest.mark.django_db

T = datetime.datetime(2025, 5, 1, 2, 0, 0, tzinfo=datetime.UTC)  # 10:00 in Guangzhou
PHONE = "203.0.113.7"


@pytest.fixture(autouse=True)
def _rates(settings):
    """Small limits so each boundary is reached in a few requests; generous elsewhere."""
    settings.REVIEW_RATES = {
        "ip": ["100/10m", "1000/d"],
        "device": ["100/h", "1000/d"],
        "merchant_burst": ["100/10m", "1000/h"],
        "report_ip": ["100/h", "1000/d"],
    }


def at(moment):
    return time_machine.travel(moment, tick=False)


def review(client, merchant, language="en", **extra):
    """Scan the merchant's placard with ``client`` and post a review right away."""
    placard = merchant.placards.order_by("-pk").first() or issue(merchant)
    scan(client, placard=placard)
    return client.post(review_path(merchant, language), form_data(), **extra)


def retry_after(response):
    assert response.status_code == 429
    seconds = int(response["Retry-After"])
    assert seconds > 0
    return seconds


def assert_boundary(make_attempt, refused_at, wait):
    """Still refused one second before the wait is over, accepted when it is."""
    with at(refused_at + datetime.timedelta(seconds=wait - 1)):
        assert make_attempt().status_code == 429
    with at(refused_at + datetime.timedelta(seconds=wait)):
        assert make_attempt().status_code == 303


@pytest.mark.parametrize("rates", [["3/10m", "1000/d"], ["1000/10m", "3/d"]])
def test_the_address_limit_holds_exactly_at_each_rate(settings, rates):
    settings.REVIEW_RATES["ip"] = rates
    merchant = MerchantFactory()
    with at(T):
        for _ in range(3):
            assert review(Client(REMOTE_ADDR=PHONE), merchant).status_code == 303
        refused = review(Client(REMOTE_ADDR=PHONE), merchant)
        wait = retry_after(refused)
        assert review(Client(REMOTE_ADDR="198.51.100.20"), merchant).status_code == 303
    assert wait <= (600 if rates[0] == "3/10m" else 86400)
    assert_boundary(lambda: review(Client(REMOTE_ADDR=PHONE), merchant), T, wait)
    assert Review.objects.count() == 5


@pytest.mark.parametrize("rates", [["2/h", "1000/d"], ["1000/h", "2/d"]])
def test_the_device_limit_holds_exactly_at_each_rate(settings, rates):
    settings.REVIEW_RATES["device"] = rates
    merchants = MerchantFactory.create_batch(5)
    phone = Client()
    with at(T):
        assert review(phone, merchants[0], REMOTE_ADDR="198.51.100.1").status_code == 303
        assert review(phone, merchants[1], REMOTE_ADDR="198.51.100.2").status_code == 303
        wait = retry_after(review(phone, merchants[2], REMOTE_ADDR="198.51.100.3"))
        # Another phone on the same network is not affected.
        assert review(Client(), merchants[2], REMOTE_ADDR="198.51.100.3").status_code == 303
    assert wait <= (3600 if rates[0] == "2/h" else 86400)
    assert_boundary(lambda: review(phone, merchants[3]), T, wait)


def test_one_review_per_device_and_merchant_in_30_days(client):
    merchant = MerchantFactory()
    with at(T):
        assert review(client, merchant).status_code == 303
    later = T + datetime.timedelta(days=12)
    with at(later):
        refused = review(client, merchant)
        assert "You have already reviewed this business from this phone" in refused.content.decode()
        wait = retry_after(refused)
        # Another merchant is fine.
        assert review(client, MerchantFactory()).status_code == 303
    assert later + datetime.timedelta(seconds=wait) == T + datetime.timedelta(days=30)
    assert_boundary(lambda: review(client, merchant), later, wait)
    assert Review.objects.filter(merchant=merchant).count() == 2


def test_the_rule_survives_a_month_change_of_the_hash_salt(client):
    merchant = MerchantFactory()
    end_of_month = datetime.datetime(2025, 5, 31, 15, 0, tzinfo=datetime.UTC)  # 23:00 local
    with at(end_of_month):
        assert review(client, merchant).status_code == 303
    with at(end_of_month + datetime.timedelta(hours=2)):  # 01:00 on 1 June: a new salt
        assert review(client, merchant).status_code == 429
    assert Review.objects.count() == 1


def test_the_rule_survives_losing_the_redis_counters(client):
    from django.core.cache import cache

    merchant = MerchantFactory()
    with at(T):
        review(client, merchant)
    cache.clear()
    with at(T + datetime.timedelta(days=1)):
        assert review(client, merchant).status_code == 429


def test_a_burst_for_one_merchant_is_held_not_refused(settings):
    settings.REVIEW_RATES["merchant_burst"] = ["2/10m", "1000/h"]
    merchant = MerchantFactory()
    with at(T):
        first = [review(Client(), merchant, REMOTE_ADDR=f"198.51.100.{n}") for n in range(2)]
        held = review(Client(), merchant, REMOTE_ADDR="198.51.100.9")
    assert [r["Location"] for r in first] == [f"/en/m/{merchant.code}/review/thanks/"] * 2
    assert held.status_code == 303
    assert held["Location"].endswith("/review/thanks/?held=1")
    statuses = list(Review.objects.order_by("pk").values_list("status", "hold_reason"))
    assert statuses == [("published", ""), ("published", ""), ("held", "burst")]
    thanks = Client().get(held["Location"])
    assert "It will be shown once staff have checked it." in thanks.content.decode()


@pytest.mark.parametrize(
    ("rates", "period"), [(["2/10m", "1000/h"], 600), (["1000/10m", "2/h"], 3600)]
)
def test_the_burst_limit_holds_exactly_until_its_window_ends(settings, rates, period):
    settings.REVIEW_RATES["merchant_burst"] = rates
    merchant = MerchantFactory()
    visitors = iter(range(100))

    def held():
        response = review(Client(), merchant, REMOTE_ADDR=f"198.51.100.{next(visitors)}")
        assert response.status_code == 303
        return response["Location"].endswith("?held=1")

    with at(T):
        assert [held(), held(), held()] == [False, False, True]
        # A hold has no Retry-After; the window end is where django-ratelimit puts it.
        end = _get_window(limit_key("merchant_burst", str(merchant.pk)), period)
    end = datetime.datetime.fromtimestamp(end, datetime.UTC)
    assert T <= end < T + datetime.timedelta(seconds=period)
    with at(end):
        assert held()
    with at(end + datetime.timedelta(seconds=1)):
        assert not held()


def test_the_limited_page_says_when_to_come_back_in_the_visitors_language(settings):
    settings.REVIEW_RATES["ip"] = ["1/10m", "1000/d"]
    merchant = MerchantFactory()
    with at(T):
        review(Client(REMOTE_ADDR=PHONE), merchant)
        english = review(Client(REMOTE_ADDR=PHONE), merchant, "en")
        chinese = review(Client(REMOTE_ADDR=PHONE), merchant, "zh-hans")
    for response, lang in ((english, 'lang="en"'), (chinese, 'lang="zh-Hans"')):
        assert response.status_code == 429
        html = response.content.decode()
        assert lang in html
        until = (T + datetime.timedelta(seconds=int(response["Retry-After"]))).astimezone(
            datetime.timezone(datetime.timedelta(hours=8))
        )
        assert until.strftime("%Y-%m-%d %H:%M") in html
    assert "You may try again from" in english.content.decode()


def test_x_forwarded_for_is_ignored_without_trusted_proxies(settings):
    settings.REVIEW_RATES["ip"] = ["1/10m", "1000/d"]
    merchant = MerchantFactory()
    with at(T):
        assert review(Client(REMOTE_ADDR=PHONE), merchant).status_code == 303
        spoofed = review(Client(REMOTE_ADDR=PHONE), merchant, HTTP_X_FORWARDED_FOR="192.0.2.55")
    assert spoofed.status_code == 429


def test_behind_one_proxy_the_address_it_saw_is_counted(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.REVIEW_RATES["ip"] = ["1/10m", "1000/d"]
    proxy = "10.0.0.2"
    merchant = MerchantFactory()

    def via_proxy(forwarded):
        client = Client(REMOTE_ADDR=proxy)
        return review(client, merchant, HTTP_X_FORWARDED_FOR=forwarded)

    with at(T):
        assert via_proxy("198.51.100.1").status_code == 303
        assert via_proxy("198.51.100.2").status_code == 303
        # A client writing its own header cannot step out of its limit.
        assert via_proxy("192.0.2.99, 198.51.100.1").status_code == 429
        assert via_proxy("192.0.2.98, 198.51.100.1").status_code == 429


def test_ipv6_clients_are_counted_per_64_network(settings):
    settings.REVIEW_RATES["ip"] = ["1/10m", "1000/d"]
    merchant = MerchantFactory()
    with at(T):
        assert review(Client(REMOTE_ADDR="2001:db8:1:2::10"), merchant).status_code == 303
        assert review(Client(REMOTE_ADDR="2001:db8:1:2::99"), merchant).status_code == 429
        assert review(Client(REMOTE_ADDR="2001:db8:1:3::10"), merchant).status_code == 303
