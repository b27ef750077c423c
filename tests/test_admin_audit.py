"""The audit trail in the staff admin: written by every admin change, read only."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType

from merchants.admin.permissions import user_may
from merchants.audit import AuditEntry, acting_as
from merchants.models import Licence, Merchant, Penalty
from tests.admin_pages import results
from tests.factories import LicenceFactory, MerchantFactory, PenaltyFactory, UserFactory

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
    assert "原名 → 新名" in html
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
