import datetime

import pytest

from merchants import glossary
from merchants.models import GlossaryTerm
from tests.factories import (
    ClinicFactory,
    InspectionFactory,
    LicenceFactory,
    ListEntryFactory,
    MerchantFactory,
    PenaltyFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_a_fixed_day")]

TODAY = datetime.date(2026, 11, 23)


def url(code):
    return f"/api/v1/merchants/{code}"


def test_public_archive_contents(client):
    merchant = MerchantFactory(name_zh="泰和海味行", name_en="Taihe Seafood")
    LicenceFactory(merchant=merchant, number="L-1", expires_on=TODAY + datetime.timedelta(10))
    InspectionFactory(merchant=merchant, inspected_on=datetime.date(2025, 10, 7), result="rectify")
    PenaltyFactory(
        merchant=merchant, decision_number="P-shown", decided_on=datetime.date(2026, 2, 1)
    )
    ListEntryFactory(merchant=merchant, listed_on=datetime.date(2026, 1, 1), until=None)

    response = client.get(url(merchant.code))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == merchant.code
    assert (body["name_zh"], body["name_en"]) == ("泰和海味行", "Taihe Seafood")
    assert body["kind"] == "shop"
    assert body["precinct"]["slug"] == merchant.precinct.slug
    assert body["licences"] == [
        {
            "kind": "business",
            "number": "L-1",
            "issuer": "越秀区市场监督管理局",
            "issuer_en": "Yuexiu District Market Regulation Bureau",
            "issued_on": "2022-01-01",
            "expires_on": "2026-12-03",
            "status": "expiring",
        }
    ]
    assert body["inspections"][0]["result"] == "rectify"
    assert body["inspections"][0]["days_ago"] == 412
    assert [p["decision_number"] for p in body["penalties"]] == ["P-shown"]
    assert body["penalties"][0]["shown_until"] == "2027-01-31"
    assert body["list_entries"][0]["colour"] == "red"
    assert "泰和海味行" in response.content.decode()  # readable, not \u-escaped


def test_nothing_non_public_leaks(client):
    merchant = MerchantFactory()
    PenaltyFactory(merchant=merchant, decision_number="P-old", decided_on=datetime.date(2024, 1, 1))
    PenaltyFactory(
        merchant=merchant,
        decision_number="P-warning",
        decided_on=datetime.date(2026, 6, 1),
        penalty_types=["warning"],
        fine_amount=None,
    )
    repaired = PenaltyFactory(
        merchant=merchant, decision_number="P-repaired", decided_on=datetime.date(2026, 1, 1)
    )
    repaired.withdraw("repair", "已修复 SECRET-REASON", day=datetime.date(2026, 5, 1))
    withdrawn_licence = LicenceFactory(merchant=merchant, number="L-withdrawn")
    withdrawn_licence.withdraw("error", "duplicate entry")
    ListEntryFactory(
        merchant=merchant, listed_on=datetime.date(2024, 1, 1), until=datetime.date(2025, 1, 1)
    )
    InspectionFactory(merchant=merchant).withdraw("error", "wrong shop")

    response = client.get(url(merchant.code))

    body = response.json()
    assert body["penalties"] == []
    assert body["licences"] == []
    assert body["list_entries"] == []
    assert body["inspections"] == []
    text = response.content.decode()
    for secret in (
        "P-old",
        "P-warning",
        "P-repaired",
        "SECRET-REASON",
        "L-withdrawn",
        "wrong shop",
    ):
        assert secret not in text


def test_other_merchants_records_are_not_included(client):
    merchant = MerchantFactory()
    PenaltyFactory(decision_number="P-neighbour", decided_on=datetime.date(2026, 6, 1))
    assert client.get(url(merchant.code)).json()["penalties"] == []


def test_lower_case_code_is_accepted(client):
    merchant = MerchantFactory(code="91350100M000100Y43")
    assert client.get(url("91350100m000100y43")).json()["code"] == merchant.code


def test_unknown_code_is_404_with_a_reason(client):
    response = client.get(url("91350100M000100Y43"))
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


@pytest.mark.parametrize(
    ("code", "fragment"),
    [("123", "18"), ("91350100M000100Y44", "check"), ("91350100M000I00Y43", "I")],
)
def test_malformed_code_is_400_with_the_reason(client, code, fragment):
    response = client.get(url(code), headers={"accept-language": "en"})
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "malformed_code"
    assert fragment in body["detail"]


def test_head_answers_like_get_without_a_body(client):
    """Link checkers and caches probe with HEAD, as docs/api.md promises."""
    merchant = MerchantFactory()
    response = client.head(url(merchant.code))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.content == b""
    assert client.head(url("91350100M000100Y43")).status_code == 404


def test_post_is_refused(client):
    merchant = MerchantFactory()
    assert client.post(url(merchant.code)).status_code == 405


def test_query_count_does_not_grow_with_records(client, django_assert_max_num_queries):
    merchant = MerchantFactory()
    for index in range(20):
        InspectionFactory(merchant=merchant)
        LicenceFactory(merchant=merchant, number=f"L-{index}")
    glossary.current()  # in the shared cache across requests; one query when it is not
    # merchant, four record sets, review summary, latest published rating
    with django_assert_max_num_queries(7):
        client.get(url(merchant.code))


def test_english_fields_beside_the_chinese(client):
    GlossaryTerm.objects.seed()
    clinic = ClinicFactory(
        specialties="口腔科；某某科",
        address="越秀区中山五路 9 号",
        address_en="9 Zhongshan 5th Road",
    )
    InspectionFactory(
        merchant=clinic,
        authority="广州市越秀区卫生健康局",
        findings="未发现问题",
        summary_en="Fine.",
    )
    LicenceFactory(merchant=clinic, issuer="某某局")
    ListEntryFactory(merchant=clinic, until=None, summary_en="Grade A taxpayer for 2024")

    body = client.get(url(clinic.code)).json()

    assert body["address_en"] == "9 Zhongshan 5th Road"
    assert body["specialties"] == ["口腔科", "某某科"]
    assert body["specialties_en"] == ["dentistry", None]
    assert body["inspections"][0]["authority_en"] == "Yuexiu District Health Bureau, Guangzhou"
    assert body["inspections"][0]["summary_en"] == "Fine."
    assert body["licences"][0]["issuer_en"] is None
    assert body["list_entries"][0]["summary_en"] == "Grade A taxpayer for 2024"
    assert body["list_entries"][0]["authority_en"] == "Yuexiu District Tax Bureau, Guangzhou"


def test_errors_follow_the_browser_language(client):
    chinese = client.get(url("91350100M000100Y44"), headers={"accept-language": "zh-CN"})
    english = client.get(url("91350100M000100Y44"), headers={"accept-language": "en-US"})
    assert "校验" in chinese.json()["detail"]
    assert "check character" in english.json()["detail"]
    assert "Accept-Language" in english["Vary"]
