"""A photographed placard shared online: scans from many networks hold its new reviews."""

import datetime

import pytest
from django.test import Client

from ratings.models import Review
from tests.factories import MerchantFactory, PrecinctFactory
from tests.factories_print import issue
from tests.factories_ratings import form_data, review_path, scan

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 11, 23, 4, tzinfo=datetime.UTC)  # 12:00 in Guangzhou


@pytest.fixture(autouse=True)
def _noon(time_machine):
    time_machine.move_to(NOON, tick=False)


def scanned_from_networks(placard, count, ipv6=False):
    """``count`` visitors on distinct networks open the placard's link."""
    for number in range(count):
        address = f"2001:db8:{number:x}::1" if ipv6 else f"198.51.{number // 250}.{number % 250}"
        scan(Client(REMOTE_ADDR=address), placard=placard)


def review_from(placard, address="192.0.2.10"):
    visitor = Client(REMOTE_ADDR=address)
    scan(visitor, placard=placard)
    response = visitor.post(review_path(placard.merchant, "en"), form_data())
    assert response.status_code == 303
    return Review.objects.latest("pk"), response


def test_a_placard_scanned_from_50_networks_in_an_hour_has_its_reviews_held():
    placard = issue(MerchantFactory())
    scanned_from_networks(placard, 50)
    review, response = review_from(placard)
    assert review.status == Review.Status.HELD
    assert review.hold_reason == Review.HoldReason.CROWDED
    assert response["Location"].endswith("?held=1")


def test_fifty_ipv6_subscribers_count_as_fifty_networks():
    placard = issue(MerchantFactory())
    scanned_from_networks(placard, 50, ipv6=True)
    review, _response = review_from(placard)
    assert review.hold_reason == Review.HoldReason.CROWDED


def test_one_network_scanning_many_times_is_one_network():
    placard = issue(MerchantFactory())
    for _ in range(50):
        scan(Client(REMOTE_ADDR="2001:db8:5:5::1"), placard=placard)
        scan(Client(REMOTE_ADDR="2001:db8:5:5::2"), placard=placard)  # same /64
    review, _response = review_from(placard)
    assert review.status == Review.Status.PUBLISHED


def test_normal_traffic_is_published():
    placard = issue(MerchantFactory())
    scanned_from_networks(placard, 10)
    review, _response = review_from(placard)
    assert review.status == Review.Status.PUBLISHED


def test_the_hold_lasts_into_the_next_hour_and_then_ends(time_machine):
    placard = issue(MerchantFactory())
    scanned_from_networks(placard, 50)
    time_machine.move_to(NOON + datetime.timedelta(minutes=70), tick=False)
    assert review_from(placard, "192.0.2.20")[0].status == Review.Status.HELD
    time_machine.move_to(NOON + datetime.timedelta(hours=2, minutes=10), tick=False)
    assert review_from(placard, "192.0.2.30")[0].status == Review.Status.PUBLISHED


def test_a_busy_precinct_has_its_own_threshold(settings):
    street = PrecinctFactory(slug="beijing-road")
    settings.REVIEW_HOLD_SCAN_NETWORKS = {"default": 20, "beijing-road": 80}
    placard = issue(MerchantFactory(precinct=street))
    scanned_from_networks(placard, 50)
    assert review_from(placard)[0].status == Review.Status.PUBLISHED


def test_a_market_inside_an_area_takes_the_area_threshold(settings):
    area = PrecinctFactory(slug="yide-road", kind="area")
    market = PrecinctFactory(slug="haiyin-market", kind="market", parent=area)
    settings.REVIEW_HOLD_SCAN_NETWORKS = {"default": 80, "yide-road": 10}
    placard = issue(MerchantFactory(precinct=market))
    scanned_from_networks(placard, 15)
    assert review_from(placard)[0].hold_reason == Review.HoldReason.CROWDED
