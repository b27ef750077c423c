"""The audit trail in the staff admin: written by every admin change, read only."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType

from merchants.admin.permissions import user_may
from merchants.audit import AuditEntry, acting_as
from merchants.models import Licence, ListEntry, Merchant, Penalty
from tests.admin_pages import results
from tests.factories import (
    LicenceFactory,
    ListEntryFactory,
    MerchantFactory,
    PenaltyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

AUDIT = "/admin/archive/audit/"
MERCHANTS = "/admin/archive/merchants/"
LICENCES = "/admin/archive/licences/"
HOME = "/admin/"


@pytest.fixture(autouse=True)
def _english(english_browser):
    """These staff read the admin in English: their browser asks for it."""


def licence_form(licence, **changes):
    data = {
        "merchant": licence.merchant_id,
        "kind": licence.kind,
        "number": licence.number,
        "issuer": licence.issuer,
        "issued_on": licence.issued_on.isoformat(),
        "expires_on": licence.expires_on.isoformat() if licence.expires_on else "",
        "state": licence.state,
    }
    data.update(changes)
    return data


def before_after(html, label):
    """The before and after cells of the row for ``label`` in an entry's before/after table."""
    match = re.search(
        rf'<th scope="row">{re.escape(label)}</th>\s*<td>(.*?)</td>\s*<td>(.*?)</td>', html, re.S
    )
    assert match, f"no row for {label}"
    return tuple(re.sub(r"<[^>]+>", "", cell).strip() for cell in match.groups())


# --- every admin change leaves an entry --------------------------------------


def test_creating_through_the_admin_records_who(client, owner):
    merchant = MerchantFactory()
    client.force_login(owner)
    response = client.post(
        LICENCES + "new/",
        licence_form(LicenceFactory.build(merchant=merchant, number="JY-NEW-1")),
    )
    assert response.status_code == 302
    licence = Licence.objects.get(number="JY-NEW-1")
    entry = licence.audit_entries().get()
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.actor == owner
    assert entry.source == "admin"
    assert entry.before is None
    assert entry.after["number"] == "JY-NEW-1"


def test_editing_through_the_admin_records_before_and_after(client, owner):
    licence = LicenceFactory(expires_on=datetime.date(2027, 1, 1))
    client.force_login(owner)
    client.post(
        LICENCES + f"edit/{licence.pk}/",
        licence_form(licence, expires_on="2026-06-30", state="suspended"),
    )
    entry = licence.audit_entries().get(action=AuditEntry.Action.CHANGE)
    assert entry.actor == owner
    assert entry.source == "admin"
    assert entry.before == {"expires_on": "2027-01-01", "state": "active"}
    assert entry.after == {"expires_on": "2026-06-30", "state": "suspended"}


def test_saving_an_unchanged_form_writes_no_entry(client, owner):
    licence = LicenceFactory()
    client.force_login(owner)
    client.post(LICENCES + f"edit/{licence.pk}/", licence_form(licence))
    assert licence.audit_entries().count() == 1


def test_a_refused_edit_writes_no_entry(client, member):
    licence = LicenceFactory()
    client.force_login(member)
    client.post(LICENCES + f"edit/{licence.pk}/", licence_form(licence, state="revoked"))
    assert licence.audit_entries().count() == 1


# --- one record's audit trail ------------------------------------------------


def test_record_history_shows_changes_with_who_and_field_names(client, owner, member):
    merchant = MerchantFactory(name_zh="原名")
    with acting_as(owner, "admin"):
        merchant = Merchant.objects.get(pk=merchant.pk)
        merchant.name_zh = "新名"
        merchant.save()
    other = MerchantFactory(name_zh="别家")
    client.force_login(member)
    response = client.get(MERCHANTS + f"history/{merchant.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Audit trail" in html
    assert "Name (Chinese)" in html
    assert before_after(html, "Name (Chinese)") == ("原名", "新名")
    assert "owner" in html
    assert "changed" in html
    assert "created" in html
    assert other.code not in html


def test_record_history_filters_by_action(client, owner):
    penalty = PenaltyFactory(decided_on=datetime.date(2025, 6, 1))
    with acting_as(owner, "admin"):
        penalty.withdraw(Penalty.WithdrawalKind.ERROR, "录入错误", day=datetime.date(2025, 7, 1))
    client.force_login(owner)
    response = client.get(
        f"/admin/archive/penalties/history-results/{penalty.pk}/", {"action": "withdraw"}
    )
    html = response.content.decode()
    assert "录入错误" in html
    assert "Decision number" not in html  # the creation entry is filtered out


def test_anonymous_and_outsider_cannot_read_a_history(client, outsider):
    merchant = MerchantFactory()
    url = MERCHANTS + f"history/{merchant.pk}/"
    assert client.get(url)["Location"].startswith("/admin/login/")
    client.force_login(outsider)
    assert client.get(url)["Location"].startswith("/admin/login/")


# --- the audit trail listing -------------------------------------------------


def test_member_reads_the_audit_trail(client, member):
    MerchantFactory(name_zh="海味干货行")
    client.force_login(member)
    page = client.get(AUDIT)
    assert page.status_code == 200
    html = results(client, AUDIT)
    assert "海味干货行" in html
    assert "Merchant" in html  # record type
    assert "created" in html


def test_anonymous_and_outsider_cannot_read_the_audit_trail(client, outsider):
    assert client.get(AUDIT)["Location"].startswith("/admin/login/")
    client.force_login(outsider)
    assert client.get(AUDIT)["Location"].startswith("/admin/login/")


def test_staff_without_audit_rights_are_refused(client):
    clerk = UserFactory(is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(clerk)
    response = client.get(AUDIT)
    assert response.status_code == 302
    assert response["Location"] == HOME


@pytest.mark.parametrize("path", ["new/", "edit/{pk}/", "delete/{pk}/", "copy/{pk}/"])
def test_the_audit_trail_cannot_be_written_by_hand(client, owner, path):
    entry = MerchantFactory().audit_entries().get()
    client.force_login(owner)
    assert client.get(AUDIT + path.format(pk=entry.pk)).status_code == 404
    assert client.post(AUDIT + path.format(pk=entry.pk), {"reason": "x"}).status_code == 404
    assert AuditEntry.objects.filter(pk=entry.pk, reason="").exists()


def test_the_audit_listing_offers_no_add_or_edit(client, owner):
    entry = MerchantFactory().audit_entries().get()
    client.force_login(owner)
    html = client.get(AUDIT).content.decode()
    assert f"{AUDIT}new/" not in html
    assert f"{AUDIT}edit/" not in html
    assert f"{AUDIT}inspect/{entry.pk}/" in html


def test_read_only_policy_refuses_writes_even_to_a_superuser():
    boss = UserFactory(is_superuser=True, is_staff=True)
    assert user_may(boss, AuditEntry, "view")
    for action in ("add", "change", "delete"):
        assert not user_may(boss, AuditEntry, action)


@pytest.fixture
def trail(owner):
    with acting_as(None, "import"):
        imported = MerchantFactory(name_zh="导入商户")
    with acting_as(owner, "admin"):
        penalty = PenaltyFactory(decided_on=datetime.date(2025, 6, 1))
        penalty.withdraw(
            Penalty.WithdrawalKind.OBJECTION, "异议成立", day=datetime.date(2025, 7, 1)
        )
    return imported, penalty


def test_audit_trail_filters_by_action(client, member, trail):
    client.force_login(member)
    html = results(client, AUDIT, {"action": "withdraw"})
    assert "异议成立" in html
    assert "导入商户" not in html


def test_audit_trail_filters_by_source(client, member, trail):
    client.force_login(member)
    html = results(client, AUDIT, {"source": "import"})
    assert "导入商户" in html
    assert "异议成立" not in html


def test_audit_trail_filters_by_record_type(client, member, trail):
    _imported, penalty = trail
    client.force_login(member)
    penalty_type = ContentType.objects.get_for_model(Penalty)
    html = results(client, AUDIT, {"content_type": penalty_type.pk})
    assert penalty.decision_number in html
    assert "导入商户" not in html


def test_audit_trail_filters_by_record(client, member, trail):
    imported, penalty = trail
    client.force_login(member)
    merchant_type = ContentType.objects.get_for_model(Merchant)
    html = results(client, AUDIT, {"content_type": merchant_type.pk, "object_id": imported.pk})
    assert "导入商户" in html
    assert penalty.merchant.name_zh not in html


def test_audit_trail_searches_the_record_name(client, member, trail):
    client.force_login(member)
    html = results(client, AUDIT, {"q": "导入"})
    assert "导入商户" in html
    assert "异议成立" not in html


def test_audit_entry_page_links_the_owner_to_the_record(client, owner, member, trail):
    _imported, penalty = trail
    entry = penalty.audit_entries().get(action=AuditEntry.Action.WITHDRAW)
    client.force_login(owner)
    html = client.get(AUDIT + f"inspect/{entry.pk}/").content.decode()
    assert "异议成立" in html
    assert f"/admin/archive/penalties/edit/{penalty.pk}/" in html
    client.force_login(member)
    response = client.get(AUDIT + f"inspect/{entry.pk}/")
    assert response.status_code == 200
    assert f"/admin/archive/penalties/edit/{penalty.pk}/" not in response.content.decode()


# --- the trail reads as staff speak -------------------------------------------


@pytest.fixture
def reassigned_entry(owner, time_machine):
    """A list entry moved to another merchant and withdrawn by credit repair, in the admin."""
    time_machine.move_to(datetime.datetime(2026, 3, 2, 1, 30, tzinfo=datetime.UTC), tick=False)
    first = MerchantFactory(name_zh="甲商行")
    second = MerchantFactory(name_zh="乙商行")
    entry = ListEntryFactory(merchant=first, list_name="exposure_board", until=None)
    with acting_as(owner, "admin"):
        entry = ListEntry.objects.get(pk=entry.pk)
        entry.merchant = second
        entry.save()
        entry.withdraw("repair", "整改完成", day=datetime.date(2026, 3, 2))
    return entry, first, second


def test_a_change_reads_as_names_labels_and_local_time(client, member, reassigned_entry):
    entry, first, second = reassigned_entry
    client.force_login(member)
    html = client.get(f"/admin/archive/list-entries/history/{entry.pk}/").content.decode()
    assert before_after(html, "Merchant") == (str(first), str(second))
    # Linked to where the member may open the merchant: its inspect page.
    assert f'href="{MERCHANTS}inspect/{second.pk}/"' in html
    assert before_after(html, "Kind of withdrawal") == ("—", "credit repair")
    assert "exposure_board" not in html and "repair<" not in html
    # 01:30 UTC is 09:30 in Guangzhou.
    assert "2026-03-02 09:30" in html
    assert "staff admin" in html
    assert "{" not in re.sub(r"<script.*?</script>", "", html, flags=re.S).split("<main")[1]


def test_owners_get_edit_links_and_the_creation_shows_values_only(client, owner, reassigned_entry):
    entry, first, _second = reassigned_entry
    client.force_login(owner)
    html = client.get(f"/admin/archive/list-entries/history/{entry.pk}/").content.decode()
    assert f'href="{MERCHANTS}edit/{first.pk}/"' in html
    assert "public warning list" in html  # the list name in words, not exposure_board


def test_one_entry_shows_the_record_by_name_and_a_table(client, member, reassigned_entry):
    entry, first, second = reassigned_entry
    change = entry.audit_entries().get(action="change")
    client.force_login(member)
    html = client.get(AUDIT + f"inspect/{change.pk}/").content.decode()
    assert before_after(html, "Merchant") == (str(first), str(second))
    assert f'href="/admin/archive/list-entries/inspect/{entry.pk}/"' in html
    assert "2026-03-02 09:30" in html
    assert "+00:00" not in html
    assert "merchant_id" not in html


def test_the_whole_trail_names_records_and_sources_in_chinese(client, member, reassigned_entry):
    entry, _first, second = reassigned_entry
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    client.force_login(member)
    html = results(client, AUDIT, {"object_id": str(entry.pk), "content_type": ""})
    assert "信用修复" in html  # withdrawn by credit repair
    assert "曝光台" in html
    assert "工作人员后台" in html  # through the staff admin
    assert second.name_zh in html


def test_penalty_types_read_as_words(client, member):
    penalty = PenaltyFactory(penalty_types=["warning", "fine"])
    client.force_login(member)
    html = client.get(f"/admin/archive/penalties/history/{penalty.pk}/").content.decode()
    assert "warning、fine" in html.replace("Warning", "warning").replace("Fine", "fine")
    assert "[&#x27;warning&#x27;" not in html


def test_a_page_of_the_trail_costs_the_same_queries_however_many_records_it_names(client, member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories_print import issue

    def queries():
        client.get(AUDIT)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(AUDIT).status_code == 200
        return len(captured)

    client.force_login(member)
    PenaltyFactory()
    LicenceFactory()
    issue()
    few = queries()  # one query per kind of record named, not per record
    for _ in range(6):
        PenaltyFactory()
        LicenceFactory()
        issue()
    assert queries() == few
