"""The star rating on the merchant page and "how was this rated": published rounds only."""

import datetime

import pytest

from merchants.models import Inspection
from ratings import computation
from ratings.models import Round
from tests.factories import InspectionFactory, make_code
from tests.factories_ratings import (
    YIDE_SCORES,
    enter,
    load_sample_scheme,
    open_revision,
    publish,
    veto,
    yide_member,
)
from tests.test_merchant_page import text_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_a_fixed_day")]


@pytest.fixture
def yide():
    return load_sample_scheme("yide-road-2026")


def test_a_computed_round_is_not_shown_until_it_is_published(client, yide):
    scheme, precinct, association = yide
    merchant = yide_member(scheme, precinct, association, "5")
    round_ = Round(scheme=scheme)
    round_.save()
    computation.run(round_)

    text = text_of(client.get(f"/en/m/{merchant.code}/"))
    assert "Not rated yet" in text and "5 stars" not in text
    assert "How it was rated" not in text
    assert "No star rating or grade" in text_of(client.get(f"/en/m/{merchant.code}/rating/"))

    round_.refresh_from_db()
    round_.publish()

    html = client.get(f"/en/m/{merchant.code}/").content.decode()
    text = text_of(client.get(f"/en/m/{merchant.code}/"))
    assert 'aria-label="5 of 5 stars"' in html
    assert "5 stars" in text
    assert "Yide Road integrity star rating 2026 · published 2026-11-23" in text
    assert f'href="/en/m/{merchant.code}/rating/"' in html
    assert html.index("5 of 5 stars") < html.index('id="merchant-name"')


def test_the_breakdown_shows_aspects_points_maximum_reviews_and_when(client, yide):
    scheme, precinct, association = yide
    merchant = yide_member(scheme, precinct, association, "4")
    publish(scheme)

    text = text_of(client.get(f"/en/m/{merchant.code}/"))

    assert "How it was rated" in text
    assert "Yide Road integrity star rating 2026 (2026), published 2026-11-23." in text
    assert "Basic standing 20 of 20" in text
    assert "Complaints and penalties 15 of 25" in text
    assert "Total 80 of 100" in text
    assert "The consumer part used 0 published reviews." in text

    detail = text_of(client.get(f"/en/m/{merchant.code}/rating/"))
    assert "Complaints resolved 0 of 10" in detail
    assert "rating of service (consumer reviews)" in detail
    assert "revision 1" in detail

    chinese = text_of(client.get(f"/m/{merchant.code}/"))
    assert "四星" in chinese and "企业基本情况" in chinese


def test_a_cap_is_explained(client, yide):
    scheme, precinct, association = yide
    merchant = yide_member(scheme, precinct, association, "5")
    InspectionFactory(
        merchant=merchant, inspected_on=datetime.date(2026, 6, 1), result=Inspection.Result.FAIL
    )
    publish(scheme)

    text = text_of(client.get(f"/en/m/{merchant.code}/"))
    assert "Capped at 3 stars: inspections failed in the year." in text


def test_a_vetoed_member_shows_no_stars_and_the_reason(client, yide):
    scheme, precinct, association = yide
    merchant = yide_member(scheme, precinct, association, "5")
    veto(scheme, merchant)
    publish(scheme)

    text = text_of(client.get(f"/en/m/{merchant.code}/"))

    assert "No stars: one-vote veto" in text
    assert "Vetoed: vetoes entered by the association." in text
    assert "5 stars" not in text


def test_only_the_latest_published_revision_counts(client, yide):
    scheme, precinct, association = yide
    merchant = yide_member(scheme, precinct, association, "5")
    publish(scheme)
    open_revision(scheme)
    enter(scheme, merchant, **YIDE_SCORES["3"])
    # The open revision is computed but not published: the page keeps 5 stars.
    revision = scheme.latest_round()
    computation.run(revision)
    assert 'aria-label="5 of 5 stars"' in client.get(f"/en/m/{merchant.code}/").content.decode()

    revision.refresh_from_db()
    revision.publish()

    html = client.get(f"/en/m/{merchant.code}/").content.decode()
    assert 'aria-label="3 of 5 stars"' in html


def test_a_member_without_scores_is_told_why_it_is_not_rated(client, yide):
    scheme, precinct, association = yide
    merchant = yide_member(scheme, precinct, association)
    publish(scheme)
    text = text_of(client.get(f"/en/m/{merchant.code}/"))
    assert "no scores were entered for this business, so it was not rated" in text


@pytest.mark.parametrize(("code", "status"), [("91440104MA59XXXXX0", 400), ("X", 400)])
def test_the_rating_page_explains_a_bad_code(client, code, status):
    assert client.get(f"/en/m/{code}/rating/").status_code == status


def test_the_rating_page_of_an_unknown_merchant_is_not_found(client):
    assert client.get(f"/en/m/{make_code()}/rating/").status_code == 404
