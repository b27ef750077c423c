"""The star rating in the public API: only published results, per merchant and per precinct."""

import csv
import datetime
import io

import pytest

from ratings import computation
from ratings.models import AssociationVeto, Round
from tests.factories import LicenceFactory, MerchantFactory
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
def market():
    scheme, precinct, association = load_sample_scheme("yide-road-2026")
    top = MerchantFactory(precinct=precinct, association=association, stall="A001")
    LicenceFactory(merchant=top, expires_on=datetime.date(2028, 1, 1))
    enter(scheme, top, **FULL)
    exposed = MerchantFactory(precinct=precinct, association=association, stall="A002")
    enter(scheme, exposed, **FULL)
    AssociationVeto.objects.create(
        scheme=scheme,
        merchant=exposed,
        kind="quality_safety",
        decided_on=datetime.date(2026, 7, 7),
        reason="售卖变质海味",
        evidence="市场监管所通报",
    )
    round_ = Round(scheme=scheme)
    round_.save()
    computation.run(round_)
    return scheme, precinct, round_, top, exposed


def test_a_computed_but_unpublished_round_is_not_in_the_api(client, market):
    _scheme, precinct, _round, top, _exposed = market

    assert client.get(f"/api/v1/merchants/{top.code}").json()["rating"] is None
    response = client.get(f"/api/v1/precincts/{precinct.slug}/ratings/2026")
    assert response.status_code == 404
    assert response.json()["error"] == "not_published"


def test_merchant_api_shows_the_latest_published_rating_with_its_breakdown(client, market):
    _scheme, _precinct, round_, top, exposed = market
    round_.publish()

    rating = client.get(f"/api/v1/merchants/{top.code}").json()["rating"]

    assert rating["scheme"]["slug"] == "yide-road-2026"
    assert rating["scheme"]["year"] == 2026
    assert (rating["status"], rating["points"]) == ("rated", "90.00")
    assert rating["level"] == {"key": "5", "name_zh": "五星", "name_en": "5 stars", "stars": 5}
    assert [aspect["key"] for aspect in rating["aspects"]] == [
        "basic",
        "honest_trading",
        "service",
        "complaints_penalties",
    ]
    assert rating["aspects"][0]["points"] == 20.0
    assert rating["aspects"][0]["max"] == "20.00"
    assert rating["cap"] is None and rating["veto"] is None
    vetoed = client.get(f"/api/v1/merchants/{exposed.code}").json()["rating"]
    assert vetoed["status"] == "vetoed"
    assert vetoed["veto"]["on"] == "2026-07-07"
    assert "售卖变质海味" in vetoed["veto"]["reason"]


def test_precinct_ratings_as_json(client, market):
    _scheme, precinct, round_, top, exposed = market
    round_.publish()

    body = client.get(f"/api/v1/precincts/{precinct.slug}/ratings/2026").json()

    (published,) = body["rounds"]
    assert published["scheme"]["slug"] == "yide-road-2026"
    assert {level["key"]: level["members"] for level in published["levels"]}["5"] == 1
    assert [row["code"] for row in published["results"]] == [top.code, exposed.code]
    # Reasons follow the browser's language, Chinese by default.
    assert published["results"][1]["veto_reason"] == "一票否决：商会录入的一票否决。 售卖变质海味"
    english = client.get(
        f"/api/v1/precincts/{precinct.slug}/ratings/2026", headers={"accept-language": "en"}
    ).json()
    assert english["rounds"][0]["results"][1]["veto_reason"] == (
        "Vetoed: vetoes entered by the association. 售卖变质海味"
    )


def test_precinct_ratings_as_csv(client, market):
    _scheme, precinct, round_, top, _exposed = market
    round_.publish()

    response = client.get(f"/api/v1/precincts/{precinct.slug}/ratings/2026?format=csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["code"] == top.code
    assert (rows[0]["level"], rows[0]["stars"], rows[0]["points"]) == ("5", "5", "90.00")
    assert rows[1]["status"] == "vetoed"


def test_precinct_ratings_bad_requests(client, market):
    _scheme, precinct, round_, _top, _exposed = market
    round_.publish()

    assert client.get("/api/v1/precincts/nowhere/ratings/2026").status_code == 404
    assert client.get(f"/api/v1/precincts/{precinct.slug}/ratings/2025").status_code == 404
    bad = client.get(f"/api/v1/precincts/{precinct.slug}/ratings/2026?format=xml")
    assert bad.status_code == 400
