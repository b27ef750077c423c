"""Review rules on the model: averages, the Bayesian ranking, hashing and deletion."""

import datetime

import pytest
import time_machine
from django.db import IntegrityError

from merchants.audit import DeletionRefused
from print_templates.scans import Scan
from ratings.models import Review, ReviewModeration, ReviewSalt
from tests.factories import MerchantFactory
from tests.factories_print import issue
from tests.factories_ratings import ReviewFactory

pytestmark = pytest.mark.django_db


def reviews(merchant, *stars, **fields):
    placard = issue(merchant)
    return [ReviewFactory(merchant=merchant, placard=placard, overall=n, **fields) for n in stars]


def test_under_five_reviews_there_is_a_count_but_no_average():
    merchant = MerchantFactory()
    reviews(merchant, 5, 5, 4, 1)
    summary = Review.objects.filter(merchant=merchant).summary()
    assert summary.count == 4
    assert summary.average is None
    assert summary.aspect_averages == []
    reviews(merchant, 3)
    summary = Review.objects.filter(merchant=merchant).summary()
    assert summary.average == 3.6
    assert summary.aspect_averages == [("service_attitude", 5.0)]


def test_held_and_hidden_reviews_do_not_count():
    merchant = MerchantFactory()
    reviews(merchant, 5, 5, 5, 5, 5)
    reviews(merchant, 1, 1, status=Review.Status.HELD)
    reviews(merchant, 1, status=Review.Status.HIDDEN)
    summary = Review.objects.filter(merchant=merchant).summary()
    assert (summary.count, summary.average) == (5, 5.0)


def test_the_ranking_shrinks_few_reviews_towards_the_prior(settings):
    settings.REVIEW_PRIOR_MEAN, settings.REVIEW_PRIOR_WEIGHT = 3.0, 5
    few, many, middling = MerchantFactory(), MerchantFactory(), MerchantFactory()
    reviews(few, 5, 5)
    reviews(many, *([5] * 18 + [4] * 2))
    reviews(middling, 3, 3, 4)
    ranking = list(Review.objects.ranking())
    assert [row["merchant"] for row in ranking] == [many.pk, few.pk, middling.pk]
    assert ranking[1]["shrunk"] == pytest.approx((5 * 3.0 + 10) / 7)
    assert ranking[0]["shrunk"] == pytest.approx((5 * 3.0 + 98) / 25)
    assert ranking[1]["review_mean"] == 5.0
    summary = Review.objects.filter(merchant=few).summary()
    assert summary.shrunk == pytest.approx(ranking[1]["shrunk"])


def test_no_address_or_device_id_is_stored_only_keyed_hashes():
    merchant = MerchantFactory()
    placard = issue(merchant)
    review = Review.objects.receive(
        merchant,
        Scan(placard=placard, at=placard.issued_at),
        ip="198.51.100.23",
        device="device-id-abc",
        overall=4,
        comment="好",
    )
    stored = " ".join(
        str(value) for value in Review.objects.filter(pk=review.pk).values().get().values()
    )
    assert "198.51.100.23" not in stored
    assert "device-id-abc" not in stored
    assert len(review.ip_hash) == len(review.device_hash) == 32
    salt = ReviewSalt.objects.get()
    assert review.ip_hash == salt.digest("ip", "198.51.100.23")


def test_the_salt_changes_every_month_and_is_random():
    with time_machine.travel(datetime.datetime(2025, 5, 31, 15, 59, tzinfo=datetime.UTC)):
        may = ReviewSalt.objects.current()
    with time_machine.travel(datetime.datetime(2025, 5, 31, 16, 1, tzinfo=datetime.UTC)):
        june = ReviewSalt.objects.current()  # 00:01 on 1 June in Guangzhou
    assert (may.period, june.period) == (datetime.date(2025, 5, 1), datetime.date(2025, 6, 1))
    assert may.digest("ip", "198.51.100.23") != june.digest("ip", "198.51.100.23")
    assert may.secret != june.secret and len(may.secret) == 64
    assert ReviewSalt.objects.current(datetime.datetime(2025, 5, 2, tzinfo=datetime.UTC)) == may


def test_a_review_is_never_deleted():
    review = ReviewFactory()
    with pytest.raises(DeletionRefused):
        review.delete()
    with pytest.raises(DeletionRefused):
        Review.objects.all().delete()
    assert Review.objects.count() == 1


def test_the_database_refuses_stars_out_of_range():
    with pytest.raises(IntegrityError):
        ReviewFactory(overall=6)


def test_banned_words_match_across_case_width_and_spaces():
    moderation = ReviewModeration.load()
    moderation.banned_words = "骗子\nSCAM\n\n  "
    moderation.save()
    assert moderation.banned_word_in("这家是骗 子") == "骗子"
    assert moderation.banned_word_in("total ｓｃａｍ here") == "scam"
    assert moderation.banned_word_in("很好的店") is None
    assert moderation.banned_word_in("") is None
