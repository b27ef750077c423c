"""The verdict line: the worst public fact of the archive, first on every merchant page."""

import datetime

import pytest

from merchants.models import Inspection, Licence, ListEntry
from tests.factories import (
    ClinicFactory,
    InspectionFactory,
    LicenceFactory,
    ListEntryFactory,
    MerchantFactory,
    PenaltyFactory,
)
from tests.test_merchant_page import TODAY, page, text_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_a_fixed_day")]
VALID_UNTIL = datetime.date(2028, 1, 1)


def verdict_of(merchant):
    return merchant.public_archive(TODAY).verdict()


def shop(**licence):
    merchant = MerchantFactory()
    LicenceFactory(merchant=merchant, **{"expires_on": VALID_UNTIL, **licence})
    return merchant


def test_a_clinic_whose_practising_licence_expired_may_not_treat_patients(client):
    clinic = ClinicFactory()
    LicenceFactory(
        merchant=clinic, kind=Licence.Kind.MEDICAL_PRACTICE, expires_on=datetime.date(2026, 4, 13)
    )
    LicenceFactory(merchant=clinic, expires_on=VALID_UNTIL)  # its business licence is fine

    verdict = verdict_of(clinic)

    assert verdict.kind == "licence_expired" and verdict.tone == "bad"
    assert verdict.text == (
        "Medical institution practising licence expired on 2026-04-13: "
        "this clinic may not treat patients."
    )
    html = page(client, clinic, "en").content.decode()
    assert html.index(verdict.text) < html.index('id="merchant-name"')  # above everything
    assert "12320" in text_of(page(client, clinic, "en"))  # the health hotline


def test_a_suspended_licence():
    verdict = verdict_of(shop(state=Licence.State.SUSPENDED))
    assert verdict.kind == "licence_suspended"
    assert verdict.text == (
        "Business licence suspended: this business may not trade until it is restored."
    )


def test_a_revoked_licence():
    verdict = verdict_of(shop(state=Licence.State.REVOKED))
    assert verdict.kind == "licence_revoked"
    assert verdict.text == "Business licence revoked: this business may not trade."


def test_no_licence_on_record():
    assert verdict_of(MerchantFactory()).kind == "no_licence"


def test_a_failed_last_inspection():
    merchant = shop()
    InspectionFactory(
        merchant=merchant, inspected_on=datetime.date(2026, 10, 1), result=Inspection.Result.FAIL
    )
    verdict = verdict_of(merchant)
    assert verdict.kind == "failed_inspection"
    assert verdict.text == "Failed its last inspection on 2026-10-01 (越秀区市场监督管理局)."


def test_a_public_penalty():
    merchant = shop()
    PenaltyFactory(merchant=merchant, decided_on=datetime.date(2026, 6, 1))
    verdict = verdict_of(merchant)
    assert verdict.kind == "public_penalty" and verdict.tone == "warn"
    assert verdict.text == "1 public penalty, the latest decided on 2026-06-01: 未明码标价"


@pytest.mark.parametrize(
    ("list_name", "kind", "words"),
    [
        (ListEntry.List.EXPOSURE_BOARD, "exposure_board", "On the exposure board since 2026-05-01"),
        (
            ListEntry.List.SERIOUS_DISHONESTY,
            "black_list",
            "On the serious dishonesty black list since 2026-05-01",
        ),
    ],
)
def test_a_black_list_entry(client, list_name, kind, words):
    merchant = shop()
    PenaltyFactory(merchant=merchant, decided_on=datetime.date(2026, 6, 1))
    ListEntryFactory(
        merchant=merchant,
        list_name=list_name,
        listed_on=datetime.date(2026, 5, 1),
        until=None,
        reason="售假",
    )
    verdict = verdict_of(merchant)
    assert verdict.kind == kind  # worse than the penalty
    assert verdict.text.startswith(words)


def test_a_red_list_entry_is_no_black_mark():
    merchant = shop()
    ListEntryFactory(merchant=merchant, listed_on=datetime.date(2026, 1, 1), until=None)
    assert merchant.public_archive(TODAY).list_entries  # in force, and red
    assert verdict_of(merchant).kind == "clean"


def test_a_clean_record(client):
    merchant = shop()
    InspectionFactory(merchant=merchant, inspected_on=datetime.date(2026, 10, 21))

    verdict = verdict_of(merchant)

    assert verdict.kind == "clean" and verdict.tone == "good"
    assert verdict.text == "Licensed, inspected 33 days ago, no public penalties."
    assert verdict.text in text_of(page(client, merchant, "en"))
    assert "有效许可，33 天前接受检查，无公开行政处罚。" in text_of(page(client, merchant))


def test_worst_first_an_expired_licence_outweighs_everything_else():
    merchant = shop(expires_on=datetime.date(2026, 11, 1))
    InspectionFactory(merchant=merchant, result=Inspection.Result.FAIL)
    PenaltyFactory(merchant=merchant, decided_on=datetime.date(2026, 6, 1))
    ListEntryFactory(
        merchant=merchant,
        list_name=ListEntry.List.EXPOSURE_BOARD,
        listed_on=datetime.date(2026, 5, 1),
        until=None,
    )
    assert verdict_of(merchant).kind == "licence_expired"


def test_the_verdict_costs_no_query(django_assert_num_queries):
    merchant = shop()
    archive = merchant.public_archive(TODAY)
    with django_assert_num_queries(0):
        archive.verdict()


def test_a_renewed_licence_is_no_longer_expired(client):
    """The demo's stalls: the old food licence expired the day before its renewal began."""
    merchant = shop()  # its business licence, valid
    food = {"kind": Licence.Kind.FOOD_BUSINESS}
    LicenceFactory(
        merchant=merchant,
        **food,
        issued_on=datetime.date(2020, 12, 9),
        expires_on=datetime.date(2025, 12, 8),
    )
    LicenceFactory(
        merchant=merchant,
        **food,
        issued_on=datetime.date(2025, 12, 9),
        expires_on=datetime.date(2030, 12, 8),
    )

    assert verdict_of(merchant).kind == "clean"
    flags = type(merchant).objects.filter(pk=merchant.pk).with_public_flags(TODAY).get()
    assert not flags.licence_problem
    assert "expired" in text_of(page(client, merchant, "en"))  # still listed, as history


def test_the_latest_licence_of_a_kind_stands_even_when_it_is_the_expired_one():
    merchant = shop(issued_on=datetime.date(2015, 1, 1), expires_on=VALID_UNTIL)
    LicenceFactory(
        merchant=merchant, issued_on=datetime.date(2021, 1, 1), expires_on=datetime.date(2026, 1, 1)
    )

    assert verdict_of(merchant).kind == "licence_expired"
    flags = type(merchant).objects.filter(pk=merchant.pk).with_public_flags(TODAY).get()
    assert flags.licence_problem
