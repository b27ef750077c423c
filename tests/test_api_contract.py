"""The public API keeps its OpenAPI contract (cms/openapi.json), checked by schemathesis.

Requests are generated from the document and sent to a live server over HTTP;
every answer must be documented, match its schema and never be a 500.
"""

import datetime

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from tests.factories import (
    InspectionFactory,
    LicenceFactory,
    ListEntryFactory,
    MerchantFactory,
    PenaltyFactory,
)
from tests.factories_ratings import ReviewFactory

DOCUMENT = "cms/openapi.json"
EXAMPLE_CODE = "91440101MA5CYDX162"  # the document's example: a merchant with every kind of record

schema = schemathesis.openapi.from_path(DOCUMENT)


@pytest.fixture
def archive(transactional_db):
    merchant = MerchantFactory(code=EXAMPLE_CODE, name_zh="泰和海味行", name_en="Taihe")
    today = datetime.date.today()
    LicenceFactory(merchant=merchant, expires_on=today + datetime.timedelta(days=10))
    InspectionFactory(merchant=merchant, inspected_on=today - datetime.timedelta(days=40))
    PenaltyFactory(merchant=merchant, decided_on=today - datetime.timedelta(days=20))
    ListEntryFactory(merchant=merchant, listed_on=today - datetime.timedelta(days=5), until=None)
    for _ in range(5):
        ReviewFactory(merchant=merchant)
    return merchant


def test_the_document_is_served(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["paths"].keys() == {
        "/api/v1/merchants/{code}",
        "/api/v1/precincts/{slug}/ratings/{year}",
    }


@schema.parametrize()
@settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_live_api_matches_the_document(case, live_server, archive):
    # A code matching the documented pattern may still have a wrong check character,
    # and a format other than json or csv is refused (neither expressible in JSON
    # Schema without hiding the check): their documented 400 is right.
    response = case.call_and_validate(
        base_url=live_server.url,
        excluded_checks=[schemathesis.checks.positive_data_acceptance],
    )
    assert response.status_code < 500
