"""The three shipped schemes on hand-computed merchants: levels at and under each threshold,
caps, each kind of veto, "not rated", and the consumer component's shrinkage."""

import datetime
import decimal

import pytest

from ratings import computation
from ratings.models import AssociationVeto, Round
from tests.factories import (
    InspectionFactory,
    LicenceFactory,
    ListEntryFactory,
    MerchantFactory,
    PenaltyFactory,
)
from tests.factories_print import issue
from tests.factories_ratings import ReviewFactory, enter, load_sample_scheme

pytestmark = pytest.mark.django_db
D = decimal.Decimal


@pytest.fixture(autouse=True)
def _late_2026(on_a_fixed_day):
    """The samples rate 2026; today is 23 November 2026."""


def rate(scheme):
    round_ = Round(scheme=scheme)
    round_.save()
    computation.run(round_)
    return {result.merchant_id: result for result in round_.results.all()}


def member_of(scheme, precinct, association, licence=True, **fields):
    merchant = MerchantFactory(precinct=precinct, association=association, **fields)
    if licence:
        LicenceFactory(merchant=merchant, expires_on=datetime.date(2028, 1, 1))
    return merchant


# -- Yide Road: 4 aspects, 12 indicators, vetoes to the exposure board -------------------------

YIDE_FULL = {
    "premises": 6,
    "purchase_records": 6,
    "pricing": 10,
    "labelling": 10,
    "after_sales": 8,
    "training": 7,
    "complaints": 10,
}


def yide_entries(short_by):
    """Full entered points less ``short_by``, taken in order from four indicators."""
    points = {key: D(value) for key, value in YIDE_FULL.items()}
    remaining = D(str(short_by))
    for key in ("complaints", "pricing", "labelling", "training"):
        taken = min(points[key], remaining)
        points[key] -= taken
        remaining -= taken
    return points


@pytest.fixture
def yide():
    return load_sample_scheme("yide-road-2026")


# Full entries, a valid licence, no inspection failure or penalty and no reviews (the
# consumer indicators then give the prior: 3 stars → half of 10, twice) make 90.00.
@pytest.mark.parametrize(
    ("short_by", "points", "level"),
    [
        (0, "90.00", "5"),
        ("0.01", "89.99", "4"),
        (10, "80.00", "4"),
        ("10.01", "79.99", "3"),
        (20, "70.00", "3"),
        ("20.01", "69.99", "2"),
        (30, "60.00", "2"),
        ("30.01", "59.99", "1"),
    ],
)
def test_yide_levels_at_and_just_under_each_threshold(yide, short_by, points, level):
    scheme, precinct, association = yide
    merchant = member_of(scheme, precinct, association)
    enter(scheme, merchant, **yide_entries(short_by))

    result = rate(scheme)[merchant.pk]

    assert result.status == "rated"
    assert result.points == D(points)
    assert result.level == level
    assert result.stars == int(level)
    entries = yide_entries(short_by)
    assert result.aspects == {
        "basic": 20.0,  # 8 (licence) + 6 + 6
        "honest_trading": float(entries["pricing"] + entries["labelling"] + 5),
        "service": float(8 + entries["training"] + 5),  # reviews at the prior: 5
        "complaints_penalties": float(entries["complaints"] + 8 + 7),
    }


def test_yide_public_penalty_caps_at_four_stars_even_with_top_reviews(yide):
    scheme, precinct, association = yide
    merchant = member_of(scheme, precinct, association)
    enter(scheme, merchant, **YIDE_FULL)
    PenaltyFactory(merchant=merchant, decided_on=datetime.date(2026, 6, 1))
    placard = issue(merchant)
    for _n in range(20):
        ReviewFactory(merchant=merchant, placard=placard, product_quality=5, service_attitude=5)

    result = rate(scheme)[merchant.pk]

    # 20 five-star reviews: (5·3 + 20·5)/25 = 4.6 stars → 10·3.6/4 = 9 points each.
    assert result.indicators["product_reviews"] == 9.0
    assert result.indicators["penalties"] == 0.0
    assert result.points == D("91.00")  # 90 − 7 (penalty) + 2 × 4 (reviews above the prior)
    assert result.level == "4"
    assert result.cap == {"measure": "public_penalties", "level": "4"}
    assert "public penalties" in result.cap_reason()


def test_yide_failed_inspection_caps_at_three_stars(yide):
    scheme, precinct, association = yide
    merchant = member_of(scheme, precinct, association)
    enter(scheme, merchant, **YIDE_FULL)
    InspectionFactory(merchant=merchant, inspected_on=datetime.date(2026, 5, 5), result="fail")

    result = rate(scheme)[merchant.pk]

    assert result.points == D("86.00")
    assert result.level == "3"
    assert result.cap["measure"] == "inspections_failed"


def test_yide_association_veto_puts_the_member_on_the_exposure_board(yide):
    scheme, precinct, association = yide
    merchant = member_of(scheme, precinct, association)
    enter(scheme, merchant, **YIDE_FULL)
    AssociationVeto.objects.create(
        scheme=scheme,
        merchant=merchant,
        kind=AssociationVeto.Kind.MEDIA,
        decided_on=datetime.date(2026, 8, 2),
        reason="以次充好被电视台曝光",
        evidence="广州电视台 2026-08-01 报道",
    )

    result = rate(scheme)[merchant.pk]

    assert result.status == "vetoed"
    assert result.level == ""
    assert result.points is None
    assert result.vetoed_on == datetime.date(2026, 8, 2)
    assert result.veto["detail"] == "以次充好被电视台曝光"
    assert "vetoes entered by the association" in result.veto_reason()


def test_yide_serious_penalty_vetoes(yide):
    scheme, precinct, association = yide
    merchant = member_of(scheme, precinct, association)
    enter(scheme, merchant, **YIDE_FULL)
    PenaltyFactory(merchant=merchant, decided_on=datetime.date(2026, 3, 9), severity="serious")

    result = rate(scheme)[merchant.pk]

    assert (result.status, result.vetoed_on) == ("vetoed", datetime.date(2026, 3, 9))
    assert result.veto["measure"] == "serious_penalties"


def test_yide_black_list_entry_vetoes_but_an_ended_one_does_not(yide):
    scheme, precinct, association = yide
    listed = member_of(scheme, precinct, association)
    formerly = member_of(scheme, precinct, association)
    for merchant in (listed, formerly):
        enter(scheme, merchant, **YIDE_FULL)
    ListEntryFactory(
        merchant=listed,
        list_name="serious_dishonesty",
        listed_on=datetime.date(2026, 2, 1),
        until=None,
    )
    ListEntryFactory(
        merchant=formerly,
        list_name="serious_dishonesty",
        listed_on=datetime.date(2024, 2, 1),
        until=datetime.date(2025, 2, 1),
    )

    results = rate(scheme)

    assert results[listed.pk].status == "vetoed"
    assert results[listed.pk].veto["measure"] == "black_list"
    assert results[formerly.pk].level == "5"


def test_yide_member_without_scores_is_not_rated_and_outsiders_are_left_out(yide):
    scheme, precinct, association = yide
    unscored = member_of(scheme, precinct, association)
    not_a_member = member_of(scheme, precinct, None)

    results = rate(scheme)

    assert results[unscored.pk].status == "not_rated"
    assert results[unscored.pk].points is None
    assert results[unscored.pk].level == ""
    assert not_a_member.pk not in results


def test_yide_sub_precinct_members_are_rated(yide):
    scheme, precinct, association = yide
    from tests.factories import PrecinctFactory

    market = PrecinctFactory(slug="yide-road-haiyin", parent=precinct, kind="market")
    stall = member_of(scheme, market, association)
    enter(scheme, stall, **YIDE_FULL)

    assert rate(scheme)[stall.pk].level == "5"


# -- Consumer reviews: shrunk towards the prior ------------------------------------------------


def test_reviews_are_shrunk_and_only_published_ones_of_the_year_count(yide):
    scheme, precinct, association = yide
    merchant = member_of(scheme, precinct, association)
    enter(scheme, merchant, **YIDE_FULL)
    placard = issue(merchant)
    ReviewFactory(merchant=merchant, placard=placard, product_quality=5, service_attitude=None)
    ReviewFactory(merchant=merchant, placard=placard, product_quality=1, status="hidden")
    last_year = datetime.datetime(2025, 12, 30, 12, tzinfo=datetime.UTC)
    ReviewFactory(merchant=merchant, placard=placard, product_quality=1, created_at=last_year)

    result = rate(scheme)[merchant.pk]

    # One 5-star review: (5·3 + 5)/(5 + 1) = 3.333… stars → 10 × 2.333…/4 = 5.83 points.
    assert result.indicators["product_reviews"] == 5.83
    assert result.indicators["service_reviews"] == 5.0  # no rating of service: the prior
    assert result.inputs["reviews"]["product_quality"] == [1, 5]
    assert result.inputs["reviews_used"] == 1


# -- Beijing Road: 100 points plus up to 10 bonus --------------------------------------------

BEIJING_FULL = {
    "licence_display": 7,
    "pricing": 15,
    "quality": 15,
    "measures": 10,
    "pledge": 10,
    "redress": 8,
    "honours": 5,
    "model_shop": 5,
}


@pytest.fixture
def beijing():
    return load_sample_scheme("beijing-road-2026")


def beijing_entries(short_by):
    points = {key: D(value) for key, value in BEIJING_FULL.items()}
    remaining = D(str(short_by))
    for key in ("pricing", "quality", "measures"):
        taken = min(points[key], remaining)
        points[key] -= taken
        remaining -= taken
    return points


# Full marks: 17 + (40 + 7.5 from the review prior) + 20 + 8 + 10 bonus = 102.50.
@pytest.mark.parametrize(
    ("short_by", "points", "level"),
    [
        (0, "102.50", "5"),
        ("7.50", "95.00", "5"),
        ("7.51", "94.99", "4"),
        ("17.50", "85.00", "4"),
        ("17.51", "84.99", "3"),
        ("27.50", "75.00", "3"),
        ("27.51", "74.99", "2"),
        ("40", "62.50", "2"),
    ],
)
def test_beijing_levels_at_and_just_under_each_threshold(beijing, short_by, points, level):
    scheme, precinct, association = beijing
    merchant = member_of(scheme, precinct, association)
    enter(scheme, merchant, **beijing_entries(short_by))

    result = rate(scheme)[merchant.pk]

    assert (result.points, result.level) == (D(points), level)


def test_beijing_just_under_two_stars(beijing):
    scheme, precinct, association = beijing
    merchant = member_of(scheme, precinct, association)
    entries = beijing_entries(40)
    entries["redress"] = D("5.49")  # 62.50 − 2.51
    enter(scheme, merchant, **entries)
    at_sixty = member_of(scheme, precinct, association)
    entries["redress"] = D("5.50")
    enter(scheme, at_sixty, **entries)

    results = rate(scheme)

    assert (results[merchant.pk].points, results[merchant.pk].level) == (D("59.99"), "1")
    assert (results[at_sixty.pk].points, results[at_sixty.pk].level) == (D("60.00"), "2")


def test_beijing_bonus_is_capped_at_ten(beijing):
    scheme, precinct, association = beijing
    merchant = member_of(scheme, precinct, association)
    enter(scheme, merchant, **BEIJING_FULL)
    ListEntryFactory(
        merchant=merchant,
        list_name="model_member",
        listed_on=datetime.date(2026, 1, 10),
        until=datetime.date(2027, 1, 9),
    )

    result = rate(scheme)[merchant.pk]

    assert result.indicators["red_list"] == 5.0
    assert result.aspects["bonus"] == 10.0  # 5 + 5 + 5, capped
    assert result.points == D("102.50")


def test_beijing_any_penalty_in_the_year_blocks_five_stars(beijing):
    scheme, precinct, association = beijing
    merchant = member_of(scheme, precinct, association)
    enter(scheme, merchant, **BEIJING_FULL)
    # A warning alone is never public, and still counts as a penalty in the year.
    PenaltyFactory(
        merchant=merchant,
        decided_on=datetime.date(2026, 4, 1),
        penalty_types=["warning"],
        fine_amount=None,
    )

    result = rate(scheme)[merchant.pk]

    assert result.points == D("102.50")
    assert result.level == "4"
    assert result.cap == {"measure": "penalties", "level": "4"}


# -- Yuexiu district credit grade: 65 points start, 25 items, A/B1/B2/C/D ---------------------

BONUS_ENTERED = (
    ("honours", 5),
    ("certification", 3),
    ("brand", 3),
    ("standards", 3),
    ("charity", 2),
    ("employment", 2),
    ("commitment", 2),
    ("association_member", 2),
    ("innovation", 2),
)


def bonus_of(amount):
    """Entered bonus points adding up to ``amount`` (at most 24)."""
    remaining, points = D(str(amount)), {}
    for key, most in BONUS_ENTERED:
        taken = min(D(most), remaining)
        if taken:
            points[key] = taken
        remaining -= taken
    assert remaining == 0
    return points


@pytest.fixture
def district():
    return load_sample_scheme("yuexiu-credit-grade-2026")


# 65 to start, 3 for valid licences: 68 before entries.
@pytest.mark.parametrize(
    ("entries", "points", "grade"),
    [
        (bonus_of(22), "90.00", "A"),
        (bonus_of("21.99"), "89.99", "B1"),
        (bonus_of(12), "80.00", "B1"),
        (bonus_of("11.99"), "79.99", "B2"),
        (bonus_of(2), "70.00", "B2"),
        (bonus_of("1.99"), "69.99", "C"),
        ({"tax_arrears": -8}, "60.00", "C"),
        ({"tax_arrears": "-8.01"}, "59.99", "D"),
    ],
)
def test_district_grades_at_and_just_under_each_threshold(district, entries, points, grade):
    scheme, precinct, _association = district
    merchant = member_of(scheme, precinct, None)
    enter(scheme, merchant, **entries)

    result = rate(scheme)[merchant.pk]

    assert (result.points, result.level, result.stars) == (D(points), grade, None)


def test_district_rates_enterprises_without_entries_from_the_archive(district):
    scheme, precinct, _association = district
    merchant = member_of(scheme, precinct, None)

    result = rate(scheme)[merchant.pk]

    assert (result.status, result.points, result.level) == ("rated", D("68.00"), "C")


def test_district_public_penalty_caps_at_b1(district):
    scheme, precinct, _association = district
    merchant = member_of(scheme, precinct, None)
    enter(scheme, merchant, **bonus_of(24))
    ListEntryFactory(
        merchant=merchant, listed_on=datetime.date(2026, 4, 1), until=datetime.date(2027, 3, 31)
    )  # A-level taxpayer: red list
    PenaltyFactory(merchant=merchant, decided_on=datetime.date(2026, 7, 1))

    result = rate(scheme)[merchant.pk]

    assert result.points == D("92.00")  # 65 + 3 + 24 + 5 − 5
    assert (result.level, result.cap["level"]) == ("B1", "B1")


def test_district_serious_penalty_caps_at_c(district):
    scheme, precinct, _association = district
    merchant = member_of(scheme, precinct, None)
    enter(scheme, merchant, **bonus_of(24))
    ListEntryFactory(
        merchant=merchant, listed_on=datetime.date(2026, 4, 1), until=datetime.date(2027, 3, 31)
    )
    PenaltyFactory(merchant=merchant, decided_on=datetime.date(2026, 7, 1), severity="serious")

    result = rate(scheme)[merchant.pk]

    assert result.points == D("77.00")  # a serious penalty is public too: −5 and −15
    assert (result.level, result.cap["measure"]) == ("C", "serious_penalties")


def test_district_black_list_vetoes_to_grade_d(district):
    scheme, precinct, _association = district
    merchant = member_of(scheme, precinct, None)
    enter(scheme, merchant, **bonus_of(24))
    ListEntryFactory(
        merchant=merchant,
        list_name="abnormal_operation",
        listed_on=datetime.date(2026, 9, 1),
        until=None,
    )

    result = rate(scheme)[merchant.pk]

    assert (result.status, result.level, result.vetoed_on) == (
        "vetoed",
        "D",
        datetime.date(2026, 9, 1),
    )
