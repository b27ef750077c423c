"""Staff admin for credit records: licences, inspections, penalties and list entries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from merchants.models import Inspection, Licence, ListEntry, Penalty, Precinct
from tests.admin_pages import penalty_form, results
from tests.factories import (
    InspectionFactory,
    LicenceFactory,
    ListEntryFactory,
    MerchantFactory,
    PenaltyFactory,
    PrecinctFactory,
)

pytestmark = pytest.mark.django_db

LICENCES = "/admin/archive/licences/"
INSPECTIONS = "/admin/archive/inspections/"
PENALTIES = "/admin/archive/penalties/"
LIST_ENTRIES = "/admin/archive/list-entries/"
HOME = "/admin/"
TODAY = datetime.date(2026, 3, 1)

RECORD_LISTINGS = {
    LICENCES: LicenceFactory,
    INSPECTIONS: InspectionFactory,
    PENALTIES: PenaltyFactory,
    LIST_ENTRIES: ListEntryFactory,
}


@pytest.fixture(autouse=True)
def _english_on_a_fixed_day(english_browser, time_machine):
    """These staff read the admin in English (their browser asks for it), on a fixed day."""
    time_machine.move_to(datetime.datetime(2026, 3, 1, 10, tzinfo=datetime.UTC), tick=False)


# --- who may come in ---------------------------------------------------------


@pytest.mark.parametrize("listing", list(RECORD_LISTINGS))
def test_anonymous_is_sent_to_login(client, listing):
    record = RECORD_LISTINGS[listing]()
    for path in ("", f"edit/{record.pk}/", f"inspect/{record.pk}/"):
        response = client.get(listing + path)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("listing", list(RECORD_LISTINGS))
def test_outsider_is_refused(client, outsider, listing):
    record = RECORD_LISTINGS[listing]()
    client.force_login(outsider)
    for path in ("", f"edit/{record.pk}/", f"inspect/{record.pk}/"):
        response = client.get(listing + path)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("listing", list(RECORD_LISTINGS))
def test_member_lists_and_inspects_but_cannot_edit(client, member, listing):
    record = RECORD_LISTINGS[listing]()
    client.force_login(member)
    assert client.get(listing).status_code == 200
    assert record.merchant.name_zh in results(client, listing)
    assert client.get(listing + f"inspect/{record.pk}/").status_code == 200
    for path in ("new/", f"edit/{record.pk}/"):
        response = client.get(listing + path)
        assert response.status_code == 302
        assert response["Location"] == HOME


@pytest.mark.parametrize("listing", list(RECORD_LISTINGS))
def test_owner_opens_every_page(client, owner, listing):
    record = RECORD_LISTINGS[listing]()
    client.force_login(owner)
    for path in ("", "new/", f"edit/{record.pk}/", f"inspect/{record.pk}/"):
        assert client.get(listing + path).status_code == 200
    for view in ("delete", "copy"):
        assert client.get(listing + f"{view}/{record.pk}/").status_code == 404


def test_member_cannot_change_a_penalty(client, member):
    penalty = PenaltyFactory(violation="未明码标价")
    client.force_login(member)
    response = client.post(
        PENALTIES + f"edit/{penalty.pk}/", penalty_form(penalty, violation="改写")
    )
    assert response["Location"] == HOME
    assert Penalty.objects.get(pk=penalty.pk).violation == "未明码标价"


# --- licences ----------------------------------------------------------------


@pytest.fixture
def licences():
    return {
        "valid": LicenceFactory(number="L-VALID", expires_on=datetime.date(2027, 1, 1)),
        "expiring": LicenceFactory(number="L-SOON", expires_on=datetime.date(2026, 3, 20)),
        "expired": LicenceFactory(number="L-OLD", expires_on=datetime.date(2026, 1, 1)),
        "revoked": LicenceFactory(number="L-REVOKED", state=Licence.State.REVOKED),
    }


def test_licence_list_shows_the_status_as_of_today(client, member, licences):
    client.force_login(member)
    html = results(client, LICENCES)
    for word in ("valid", "expiring soon", "expired", "revoked"):
        assert f"\n    {word}\n" in html


@pytest.mark.parametrize(
    ("status", "shown"),
    [("valid", "L-VALID"), ("expiring", "L-SOON"), ("expired", "L-OLD"), ("revoked", "L-REVOKED")],
)
def test_licences_filter_by_derived_status(client, owner, licences, status, shown):
    client.force_login(owner)
    html = results(client, LICENCES, {"public_status": status})
    numbers = {"L-VALID", "L-SOON", "L-OLD", "L-REVOKED"}
    assert shown in html
    for other in numbers - {shown}:
        assert other not in html


def test_licence_status_follows_the_calendar(client, owner, licences, time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 25, 10, tzinfo=datetime.UTC), tick=False)
    client.force_login(owner)
    html = results(client, LICENCES, {"public_status": "expired"})
    assert "L-SOON" in html


def test_licences_filter_by_kind(client, owner):
    LicenceFactory(number="L-FOOD", kind=Licence.Kind.FOOD_BUSINESS)
    LicenceFactory(number="L-BIZ", kind=Licence.Kind.BUSINESS)
    client.force_login(owner)
    html = results(client, LICENCES, {"kind": "food_business"})
    assert "L-FOOD" in html
    assert "L-BIZ" not in html


def test_licence_inspect_page_shows_status_in_words(client, member, licences):
    client.force_login(member)
    html = client.get(LICENCES + f"inspect/{licences['expiring'].pk}/").content.decode()
    assert "expiring soon" in html


@pytest.mark.parametrize("query", ["{code}", "{name}", "L-SOON"], ids=str)
def test_licences_search_by_merchant_code_name_or_number(client, owner, licences, query):
    wanted = licences["expiring"]
    client.force_login(owner)
    query = query.format(code=wanted.merchant.code, name=wanted.merchant.name_zh)
    html = results(client, LICENCES, {"q": query})
    assert "L-SOON" in html
    assert "L-VALID" not in html


def test_licence_list_query_count_does_not_grow_with_rows(client, owner):
    LicenceFactory()
    client.force_login(owner)
    client.get(LICENCES)  # warm caches
    with CaptureQueriesContext(connection) as few:
        client.get(LICENCES)
    for _ in range(30):
        LicenceFactory()
    with CaptureQueriesContext(connection) as many:
        response = client.get(LICENCES)
    assert len(response.context["object_list"]) == 31
    assert len(many) == len(few)


def test_records_filter_by_precinct_including_nested_markets(client, owner):
    area = PrecinctFactory(slug="yide-road", kind=Precinct.Kind.AREA)
    market = PrecinctFactory(slug="yide-market", kind=Precinct.Kind.MARKET, parent=area)
    LicenceFactory(number="L-MARKET", merchant=MerchantFactory(precinct=market))
    LicenceFactory(number="L-ELSEWHERE")
    client.force_login(owner)
    html = results(client, LICENCES, {"precinct": area.pk})
    assert "L-MARKET" in html
    assert "L-ELSEWHERE" not in html


# --- penalties ---------------------------------------------------------------


@pytest.fixture
def penalties():
    withdrawn = PenaltyFactory(decision_number="P-WITHDRAWN", decided_on=datetime.date(2025, 6, 1))
    withdrawn.withdraw(Penalty.WithdrawalKind.ERROR, "录入错误", day=datetime.date(2025, 7, 1))
    return {
        "public": PenaltyFactory(decision_number="P-PUBLIC", decided_on=datetime.date(2025, 6, 1)),
        "warning": PenaltyFactory(
            decision_number="P-WARNING", penalty_types=["warning"], fine_amount=None
        ),
        "ended": PenaltyFactory(decision_number="P-ENDED", decided_on=datetime.date(2024, 1, 1)),
        "serious": PenaltyFactory(
            decision_number="P-SERIOUS",
            decided_on=datetime.date(2024, 1, 1),
            severity=Penalty.Severity.SERIOUS,
        ),
        "withdrawn": withdrawn,
    }


def test_penalty_list_says_public_or_why_hidden(client, member, penalties):
    client.force_login(member)
    html = results(client, PENALTIES)
    assert "\n    public\n" in html
    assert "A warning alone is not published." in html
    assert "Publicity period ended on 2025-01-01." in html
    assert "Withdrawn on 2025-07-01 (entered in error): 录入错误" in html


@pytest.mark.parametrize(
    ("value", "shown"),
    [("public", {"P-PUBLIC", "P-SERIOUS"}), ("hidden", {"P-WARNING", "P-ENDED", "P-WITHDRAWN"})],
)
def test_penalties_filter_by_publicity(client, owner, penalties, value, shown):
    client.force_login(owner)
    html = results(client, PENALTIES, {"publicity": value})
    everything = {penalty.decision_number for penalty in penalties.values()}
    for number in shown:
        assert number in html
    for number in everything - shown:
        assert number not in html


def test_penalties_filter_by_severity_and_withdrawal(client, owner, penalties):
    client.force_login(owner)
    html = results(client, PENALTIES, {"severity": "serious"})
    assert "P-SERIOUS" in html
    assert "P-PUBLIC" not in html
    html = results(client, PENALTIES, {"withdrawn": "true"})
    assert "P-WITHDRAWN" in html
    assert "P-PUBLIC" not in html
    html = results(client, PENALTIES, {"withdrawn": "false"})
    assert "P-WITHDRAWN" not in html
    assert "P-PUBLIC" in html


def test_penalties_search_by_decision_number(client, owner, penalties):
    client.force_login(owner)
    html = results(client, PENALTIES, {"q": "P-ENDED"})
    assert "P-ENDED" in html
    assert "P-PUBLIC" not in html


def test_penalty_inspect_page_explains_publicity(client, member, penalties):
    client.force_login(member)
    html = client.get(PENALTIES + f"inspect/{penalties['public'].pk}/").content.decode()
    assert "Shown to the public" in html
    assert "June 1, 2026" in html  # publicity ends a year after the decision
    assert "Sept. 1, 2025" in html  # credit repair possible three months after it


def test_penalty_types_are_checkboxes(client, owner):
    penalty = PenaltyFactory(penalty_types=["fine", "confiscation"])
    client.force_login(owner)
    html = client.get(PENALTIES + f"edit/{penalty.pk}/").content.decode()
    for value in Penalty.Type.values:
        assert f'type="checkbox" name="penalty_types" value="{value}"' in html
    assert 'value="fine" id="id_penalty_types_1" checked' in html
    assert 'value="confiscation" id="id_penalty_types_2" checked' in html
    assert 'value="warning" id="id_penalty_types_0" checked' not in html


def test_owner_changes_penalty_types(client, owner):
    penalty = PenaltyFactory(penalty_types=["fine"])
    client.force_login(owner)
    response = client.post(
        PENALTIES + f"edit/{penalty.pk}/",
        penalty_form(penalty, penalty_types=["fine", "suspension"]),
    )
    assert response.status_code == 302
    assert Penalty.objects.get(pk=penalty.pk).penalty_types == ["fine", "suspension"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"penalty_types": []}, "Choose at least one penalty type."),
        ({"penalty_types": ["fine"], "fine_amount": ""}, "A fine needs its amount."),
        ({"penalty_types": ["bribe"]}, "Select a valid choice."),
    ],
)
def test_penalty_rules_show_on_the_form(client, owner, changes, message):
    penalty = PenaltyFactory(penalty_types=["fine"])
    client.force_login(owner)
    response = client.post(PENALTIES + f"edit/{penalty.pk}/", penalty_form(penalty, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Penalty.objects.get(pk=penalty.pk).penalty_types == ["fine"]


def test_owner_adds_a_penalty(client, owner):
    merchant = MerchantFactory()
    client.force_login(owner)
    data = penalty_form(
        PenaltyFactory.build(merchant=merchant, decision_number="穗越市监罚〔2026〕1号"),
        penalty_types=["warning"],
        fine_amount="",
    )
    response = client.post(PENALTIES + "new/", data)
    assert response.status_code == 302
    penalty = Penalty.objects.get(decision_number="穗越市监罚〔2026〕1号")
    assert penalty.merchant == merchant
    assert penalty.penalty_types == ["warning"]


def test_withdrawal_fields_cannot_be_edited_on_the_form(client, owner):
    penalty = PenaltyFactory()
    client.force_login(owner)
    html = client.get(PENALTIES + f"edit/{penalty.pk}/").content.decode()
    for field in ("withdrawn_on", "withdrawal_kind", "withdrawal_reason"):
        assert f'name="{field}"' not in html
    client.post(
        PENALTIES + f"edit/{penalty.pk}/",
        penalty_form(
            penalty,
            withdrawn_on="2025-07-01",
            withdrawal_kind="error",
            withdrawal_reason="绕过撤销表单",
        ),
    )
    penalty = Penalty.objects.get(pk=penalty.pk)
    assert not penalty.is_withdrawn
    assert penalty.withdrawal_reason == ""


# --- inspections and list entries -------------------------------------------


def test_inspections_filter_by_result_and_kind(client, member):
    InspectionFactory(authority="甲局", result=Inspection.Result.FAIL, kind="complaint")
    InspectionFactory(authority="乙局", result=Inspection.Result.PASS, kind="random")
    client.force_login(member)
    html = results(client, INSPECTIONS, {"result": "fail"})
    assert "甲局" in html
    assert "乙局" not in html
    html = results(client, INSPECTIONS, {"kind": "random"})
    assert "乙局" in html
    assert "甲局" not in html


def test_inspections_search_by_merchant_name(client, owner):
    InspectionFactory(merchant=MerchantFactory(name_zh="海味干货行"), authority="甲局")
    InspectionFactory(authority="乙局")
    client.force_login(owner)
    html = results(client, INSPECTIONS, {"q": "海味干货"})
    assert "甲局" in html
    assert "乙局" not in html


def test_list_entries_filter_by_list(client, member):
    ListEntryFactory(merchant=MerchantFactory(name_zh="纳税大户"), list_name="a_taxpayer")
    ListEntryFactory(merchant=MerchantFactory(name_zh="失信商户"), list_name="serious_dishonesty")
    client.force_login(member)
    html = results(client, LIST_ENTRIES, {"list_name": "serious_dishonesty"})
    assert "失信商户" in html
    assert "纳税大户" not in html


def test_owner_edits_a_list_entry(client, owner):
    entry = ListEntryFactory(until=datetime.date(2026, 3, 31))
    client.force_login(owner)
    response = client.post(
        LIST_ENTRIES + f"edit/{entry.pk}/",
        {
            "merchant": entry.merchant_id,
            "list_name": entry.list_name,
            "reason": entry.reason,
            "authority": entry.authority,
            "listed_on": "2025-04-01",
            "until": "2025-03-01",
        },
    )
    assert response.status_code == 200
    assert "The end date is before the start date." in response.content.decode()
    assert ListEntry.objects.get(pk=entry.pk).until == datetime.date(2026, 3, 31)
