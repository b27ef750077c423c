"""purge_review_hashes: old visitor hashes are blanked and old salts deleted; reviews stay."""

import datetime

import pytest
import time_machine
from django.core.management import call_command

from ratings.models import Review, ReviewReport, ReviewSalt
from tests.factories_ratings import ReviewFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2025, 8, 15, 4, tzinfo=datetime.UTC)


def hashed_review(days_ago):
    moment = NOW - datetime.timedelta(days=days_ago)
    review = ReviewFactory(created_at=moment)
    review.stamp("198.51.100.1", "device-1", moment)
    review.save()
    ReviewReport.file(review, "false", "198.51.100.2", "device-2", now=moment)
    return review


def purge(*args):
    with time_machine.travel(NOW, tick=False):
        call_command("purge_review_hashes", *args)


def test_hashes_past_retention_are_blanked_and_reviews_kept(settings):
    settings.REVIEW_HASH_RETENTION_DAYS = 60
    old, young = hashed_review(days_ago=61), hashed_review(days_ago=59)
    purge()
    old.refresh_from_db()
    young.refresh_from_db()
    assert (old.ip_hash, old.device_hash, old.hash_period) == ("", "", None)
    assert young.ip_hash and young.device_hash and young.hash_period
    assert Review.objects.count() == 2
    assert ReviewReport.objects.get(review=old).device_hash == ""
    assert ReviewReport.objects.get(review=young).device_hash != ""


def test_a_salt_goes_once_its_whole_month_is_past_retention(settings):
    settings.REVIEW_HASH_RETENTION_DAYS = 60  # cutoff: 16 June 2025
    for month in (5, 6, 7):
        ReviewSalt.objects.for_period(datetime.date(2025, month, 1))
    purge()
    assert list(ReviewSalt.objects.values_list("period__month", flat=True)) == [7, 6]


def test_a_purged_device_can_no_longer_be_recognised(settings):
    settings.REVIEW_HASH_RETENTION_DAYS = 60
    review = hashed_review(days_ago=61)
    since = NOW - datetime.timedelta(days=90)
    assert Review.objects.from_device("device-1", since, NOW).get() == review
    purge()
    assert not Review.objects.from_device("device-1", since, NOW).exists()


def test_a_dry_run_changes_nothing(capsys, settings):
    settings.REVIEW_HASH_RETENTION_DAYS = 60
    review = hashed_review(days_ago=100)
    purge("--dry-run")
    assert "Would purge hashes of 1 reviews and 1 reports" in capsys.readouterr().out
    review.refresh_from_db()
    assert review.ip_hash
