"""Withdrawing a credit record through the staff admin (instead of deleting it)."""

import datetime

import pytest

from merchants.audit import AuditEntry
from merchants.models import Inspection, Licence, ListEntry, Penalty
from tests.factories import (
    InspectionFactory,
    LicenceFactory,
    ListEntryFactory,
    PenaltyFactory,
)

pytestmark = pytest.mark.django_db

HOME = "/admin/"
LISTINGS = {
    Licence: ("/admin/archive/licences/", LicenceFactory),
    Inspection: ("/admin/archive/inspections/", InspectionFactory),
    Penalty: ("/admin/archive/penalties/", PenaltyFactory),
    ListEntry: ("/admin/archive/list-entries/", ListEntryFactory),
}
PENALTIES = "/admin/archive/penalties/"


@pytest.fixture(autouse=True)
def _english_on_a_fixed_day(english_browser, time_machine):
    """These staff read the admin in English (their browser asks for it), on a fixed day."""
    time_machine.move_to(datetime.datetime(2025, 7, 1, 10, tzinfo=datetime.UTC), tick=False)


def withdraw_url(record):
    return LISTINGS[type(record)][0] + f"withdraw/{record.pk}/"


def fresh(record):
    return type(record).objects.get(pk=record.pk)


@pytest.mark.parametrize("model", list(LISTINGS), ids=lambda model: model.__name__)
def test_owner_withdraws_a_record(client, owner, model):
    record = LISTINGS[model][1]()
    client.force_login(owner)
    assert client.get(withdraw_url(record)).status_code == 200
    response = client.post(withdraw_url(record), {"kind": "error", "reason": "录入错误，商户不符"})
    assert response.status_code == 302
    assert response["Location"] == LISTINGS[model][0] + f"edit/{record.pk}/"
    record = fresh(record)
    assert record.withdrawn_on == datetime.date(2025, 7, 1)
    assert record.withdrawal_kind == "error"
    assert record.withdrawal_reason == "录入错误，商户不符"
    assert record not in model.objects.public()


def test_withdrawal_leaves_an_audit_entry_by_the_owner(client, owner):
    penalty = PenaltyFactory()
    client.force_login(owner)
    client.post(withdraw_url(penalty), {"kind": "objection", "reason": "异议成立"})
    entry = penalty.audit_entries().get(action=AuditEntry.Action.WITHDRAW)
    assert entry.actor == owner
    assert entry.source == "admin"
    assert entry.reason == "异议成立"
    assert entry.before == {"withdrawn_on": None, "withdrawal_kind": "", "withdrawal_reason": ""}
    assert entry.after == {
        "withdrawn_on": "2025-07-01",
        "withdrawal_kind": "objection",
        "withdrawal_reason": "异议成立",
    }


def test_credit_repair_before_the_minimum_period_is_refused_on_the_form(client, owner):
    penalty = PenaltyFactory(decided_on=datetime.date(2025, 6, 1))
    client.force_login(owner)
    response = client.post(withdraw_url(penalty), {"kind": "repair", "reason": "已整改"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Credit repair is possible from 2025-09-01 for a general penalty." in html
    assert not fresh(penalty).is_withdrawn
    assert not penalty.audit_entries().filter(action=AuditEntry.Action.WITHDRAW).exists()


def test_credit_repair_after_the_minimum_period_is_accepted(client, owner, time_machine):
    penalty = PenaltyFactory(decided_on=datetime.date(2025, 6, 1))
    time_machine.move_to(datetime.datetime(2025, 9, 1, 10, tzinfo=datetime.UTC), tick=False)
    client.force_login(owner)
    client.post(withdraw_url(penalty), {"kind": "repair", "reason": "已整改并公示期满"})
    assert fresh(penalty).withdrawal_kind == "repair"


def test_an_objection_may_withdraw_a_new_penalty(client, owner):
    penalty = PenaltyFactory(decided_on=datetime.date(2025, 6, 1))
    client.force_login(owner)
    client.post(withdraw_url(penalty), {"kind": "objection", "reason": "异议成立"})
    assert fresh(penalty).is_withdrawn


@pytest.mark.parametrize(
    "data", [{"kind": "error", "reason": "   "}, {"kind": "deleted", "reason": "理由"}, {}]
)
def test_incomplete_forms_are_shown_again(client, owner, data):
    licence = LicenceFactory()
    client.force_login(owner)
    response = client.post(withdraw_url(licence), data)
    assert response.status_code == 200
    assert "The record could not be withdrawn." in response.content.decode()
    assert not fresh(licence).is_withdrawn


def test_a_withdrawn_record_cannot_be_withdrawn_again(client, owner):
    licence = LicenceFactory()
    licence.withdraw("error", "录入错误", day=datetime.date(2025, 6, 20))
    client.force_login(owner)
    page = client.get(withdraw_url(licence)).content.decode()
    assert "Already withdrawn on June 20, 2025 (entered in error)." in page
    assert 'name="reason"' not in page
    response = client.post(withdraw_url(licence), {"kind": "objection", "reason": "再次撤销"})
    assert response.status_code == 200
    assert fresh(licence).withdrawal_reason == "录入错误"
    assert licence.audit_entries().filter(action=AuditEntry.Action.WITHDRAW).count() == 1


def test_member_cannot_withdraw(client, member):
    penalty = PenaltyFactory()
    client.force_login(member)
    for response in (
        client.get(withdraw_url(penalty)),
        client.post(withdraw_url(penalty), {"kind": "error", "reason": "x"}),
    ):
        assert response.status_code == 302
        assert response["Location"] == HOME
    assert not fresh(penalty).is_withdrawn


def test_outsider_cannot_withdraw(client, outsider):
    penalty = PenaltyFactory()
    client.force_login(outsider)
    response = client.post(withdraw_url(penalty), {"kind": "error", "reason": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert not fresh(penalty).is_withdrawn


def test_anonymous_is_sent_to_login(client):
    penalty = PenaltyFactory()
    response = client.post(withdraw_url(penalty), {"kind": "error", "reason": "x"})
    assert response["Location"].startswith("/admin/login/")
    assert not fresh(penalty).is_withdrawn


def test_unknown_record_is_not_found(client, owner):
    client.force_login(owner)
    assert client.get(PENALTIES + "withdraw/999999/").status_code == 404


def test_edit_page_and_list_row_offer_withdraw_to_the_owner(client, owner):
    penalty = PenaltyFactory()
    client.force_login(owner)
    assert withdraw_url(penalty) in client.get(PENALTIES + f"edit/{penalty.pk}/").content.decode()
    assert withdraw_url(penalty) in client.get(PENALTIES).content.decode()


def test_member_is_not_offered_withdraw(client, member):
    penalty = PenaltyFactory()
    client.force_login(member)
    assert withdraw_url(penalty) not in client.get(PENALTIES).content.decode()
    inspect = client.get(PENALTIES + f"inspect/{penalty.pk}/").content.decode()
    assert withdraw_url(penalty) not in inspect


def test_withdrawn_record_shows_why_and_offers_no_second_withdrawal(client, owner):
    penalty = PenaltyFactory()
    penalty.withdraw("objection", "异议成立，处罚决定已撤销", day=datetime.date(2025, 6, 20))
    client.force_login(owner)
    html = client.get(PENALTIES + f"edit/{penalty.pk}/").content.decode()
    assert "Withdrawn on June 20, 2025 (objection upheld)." in html
    assert "异议成立，处罚决定已撤销" in html
    assert withdraw_url(penalty) not in html
    assert withdraw_url(penalty) not in client.get(PENALTIES).content.decode()


def test_the_form_shows_the_record_its_merchant_and_when_repair_opens(client, owner):
    penalty = PenaltyFactory(
        decided_on=datetime.date(2025, 6, 1), merchant__name_zh="德昌干果行", severity="serious"
    )
    client.force_login(owner)
    html = client.get(withdraw_url(penalty)).content.decode()
    assert "Kind of withdrawal" in html
    assert "Withdrawn by" not in html
    assert "德昌干果行" in html
    assert f'href="/admin/archive/merchants/edit/{penalty.merchant_id}/"' in html
    assert penalty.decision_number in html
    # Serious penalties may be repaired 12 months after the decision; today is 2025-07-01.
    assert "credit repair (possible from 2026-06-01)" in html
    assert "Credit repair is not possible before 2026-06-01" in html
    assert "2025-07-01" in html  # the withdrawal takes today's date


def test_the_form_says_nothing_of_repair_once_it_is_possible(client, owner):
    penalty = PenaltyFactory(decided_on=datetime.date(2025, 1, 2))
    client.force_login(owner)
    html = client.get(withdraw_url(penalty)).content.decode()
    assert "credit repair (possible from 2025-04-02)" in html
    assert "Credit repair is not possible before" not in html


def test_other_records_show_their_merchant_without_repair_dates(client, owner):
    licence = LicenceFactory(merchant__name_zh="北京路诚信茶行")
    client.force_login(owner)
    html = client.get(withdraw_url(licence)).content.decode()
    assert "北京路诚信茶行" in html
    assert "possible from" not in html
