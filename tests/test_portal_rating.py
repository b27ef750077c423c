"""The portal shows the business its latest published star rating with the breakdown."""

import datetime

import pytest

from ratings import computation
from ratings.models import Round
from tests.factories import LicenceFactory, MerchantFactory
from tests.factories_portal import merchant_user, portal
from tests.factories_ratings import enter, load_sample_scheme

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_a_fixed_day")]
FULL = {
    "premises": 6,
    "purchase_records": 6,
    "pricing": 10,
    "labelling": 10,
    "after_sales": 8,
    "training": 7,
    "complaints": 10,
}


@pytest.fixture
def rated_stall():
    scheme, precinct, association = load_sample_scheme("yide-road-2026")
    stall = MerchantFactory(precinct=precinct, association=association, stall="A001")
    LicenceFactory(merchant=stall, expires_on=datetime.date(2028, 1, 1))
    enter(scheme, stall, **FULL)
    round_ = Round(scheme=scheme)
    round_.save()
    computation.run(round_)
    return stall, round_


def test_an_unpublished_round_is_not_shown_as_the_rating(client, rated_stall):
    stall, _round = rated_stall
    client.force_login(merchant_user(stall))
    page = client.get(portal(f"{stall.code}/", "en")).content.decode()
    assert "Not yet rated" in page


def test_the_published_rating_is_shown_with_its_aspects(client, rated_stall):
    stall, round_ = rated_stall
    round_.publish()
    client.force_login(merchant_user(stall))
    page = client.get(portal(f"{stall.code}/", "en")).content.decode()
    assert "Not yet rated" not in page
    assert "points" in page and "10 of 10" in page


def test_another_merchant_does_not_see_the_rating(client, rated_stall):
    stall, round_ = rated_stall
    round_.publish()
    client.force_login(merchant_user(MerchantFactory()))
    assert client.get(portal(f"{stall.code}/", "en")).status_code == 404
