"""A precinct's published ratings added up: distribution, averages, top members, movers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ratings import statistics
from tests.factories import PrecinctFactory
from tests.factories_ratings import YIDE_SCORES, enter, load_sample_scheme, publish, yide_member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_a_fixed_day")]


@pytest.fixture
def two_years():
    last, area, association = load_sample_scheme("yide-road-2026", slug="yide-2025", year=2025)
    this, _area, _association = load_sample_scheme("yide-road-2026")
    return last, this, area, association


def test_movers_are_members_whose_level_rose_since_last_year(two_years):
    last, this, area, association = two_years
    riser = yide_member(last, area, association, "3")
    steady = yide_member(last, area, association, "5")
    faller = yide_member(last, area, association, "5")
    publish(last)
    enter(this, riser, **YIDE_SCORES["5"])
    enter(this, steady, **YIDE_SCORES["5"])
    enter(this, faller, **YIDE_SCORES["3"])
    publish(this)

    [stats] = statistics.for_precincts(area.with_descendants())

    assert stats.round.scheme == this  # the latest year only
    assert [(r.merchant, r.level_before.key, r.level) for r in stats.movers] == [(riser, "3", "5")]
    assert [r.merchant for r in stats.top][:2] == sorted([riser, steady], key=lambda m: m.code)


def test_only_published_rounds_count(two_years):
    last, _this, area, association = two_years
    yide_member(last, area, association, "5")
    assert statistics.for_precincts(area.with_descendants()) == []


def test_a_market_counts_only_its_own_members(two_years):
    _last, this, area, association = two_years
    market = PrecinctFactory(slug="haiyin", parent=area)
    yide_member(this, market, association, "5")
    yide_member(this, area, association, "3")
    publish(this)

    [stats] = statistics.for_precincts({market.pk})

    assert stats.rated == 1 and stats.average_stars == 5 and stats.top_share == 100


def test_the_number_of_queries_does_not_grow_with_the_members(two_years):
    _last, this, area, association = two_years
    for _ in range(3):
        yide_member(this, area, association, "4")
    publish(this)
    ids = area.with_descendants()
    with CaptureQueriesContext(connection) as few:
        statistics.for_precincts(ids)
    this.rounds.get(status="published").revise("more members")
    for _ in range(20):
        yide_member(this, area, association, "5")
    publish(this)
    with CaptureQueriesContext(connection) as many:
        statistics.for_precincts(ids)
    assert len(few) == len(many)
