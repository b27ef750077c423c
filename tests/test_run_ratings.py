"""``run_ratings SCHEME [--dry-run] [--publish]``."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from ratings.models import Result, Round
from tests.factories import LicenceFactory, MerchantFactory
from tests.factories_ratings import enter, load_sample_scheme

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheme(on_a_fixed_day):
    scheme, precinct, association = load_sample_scheme("yide-road-2026")
    merchant = MerchantFactory(precinct=precinct, association=association)
    LicenceFactory(merchant=merchant, expires_on=datetime.date(2028, 1, 1))
    enter(scheme, merchant, premises=6, pricing=10, complaints=10)
    MerchantFactory(precinct=precinct, association=association)  # not scored
    return scheme


def test_dry_run_prints_the_levels_and_keeps_nothing(scheme, capsys):
    call_command("run_ratings", scheme.slug, "--dry-run")

    out = capsys.readouterr().out
    assert "2 members" in out
    assert "1 star: 1 (+1)" in out  # 26 entered + 8 + 8 + 7 archive + 10 reviews = 59
    assert "Dry run" in out
    assert not Round.objects.exists()
    assert not Result.objects.exists()


def test_run_then_publish(scheme, capsys):
    call_command("run_ratings", scheme.slug)
    assert Round.objects.get().status == Round.Status.COMPUTED

    call_command("run_ratings", scheme.slug, "--publish")

    round_ = Round.objects.get()
    assert round_.status == Round.Status.PUBLISHED
    assert round_.results.filter(status="not_rated").count() == 1
    assert "Published" in capsys.readouterr().out


def test_a_published_round_is_not_run_again(scheme):
    call_command("run_ratings", scheme.slug, "--publish")

    with pytest.raises(CommandError, match="open a revision"):
        call_command("run_ratings", scheme.slug)


def test_unknown_scheme(db):
    with pytest.raises(CommandError, match="no scheme “nope”"):
        call_command("run_ratings", "nope")
