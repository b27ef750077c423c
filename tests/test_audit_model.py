import pytest

from merchants.audit import AuditEntry, DeletionRefused, acting_as
from merchants.models import Penalty
from tests.factories import MerchantFactory, PenaltyFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_creating_a_record_writes_a_create_entry_with_the_actor():
    clerk = UserFactory()
    with acting_as(clerk, "admin"):
        merchant = MerchantFactory()
    entry = merchant.audit_entries().get()
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.actor == clerk
    assert entry.source == "admin"
    assert entry.before is None
    assert entry.after["code"] == merchant.code


def test_a_change_records_before_and_after_of_changed_fields_only():
    merchant = MerchantFactory(name_en="Old Name")
    merchant = type(merchant).objects.get(pk=merchant.pk)
    merchant.name_en = "New Name"
    merchant.save()
    entry = merchant.audit_entries().filter(action=AuditEntry.Action.CHANGE).get()
    assert entry.before == {"name_en": "Old Name"}
    assert entry.after == {"name_en": "New Name"}


def test_saving_without_a_change_writes_nothing():
    merchant = MerchantFactory()
    merchant.save()
    assert merchant.audit_entries().count() == 1


def test_credit_records_cannot_be_deleted():
    penalty = PenaltyFactory()
    with pytest.raises(DeletionRefused):
        penalty.delete()
    with pytest.raises(DeletionRefused):
        Penalty.objects.filter(pk=penalty.pk).delete()
    assert Penalty.objects.filter(pk=penalty.pk).exists()


def test_the_audit_trail_itself_cannot_be_deleted():
    merchant = MerchantFactory()
    with pytest.raises(DeletionRefused):
        merchant.audit_entries().get().delete()


def test_audit_entries_cannot_be_bulk_deleted():
    merchant = MerchantFactory()
    with pytest.raises(DeletionRefused):
        merchant.audit_entries().delete()


def test_records_loaded_with_only_some_fields_can_be_read_and_saved():
    merchant = MerchantFactory(name_en="Old Name")
    partial = type(merchant).objects.only("code", "name_en").get(pk=merchant.pk)
    assert partial.name_zh == merchant.name_zh  # loads the deferred field without recursion
    partial.name_en = "New Name"
    partial.save()
    entry = merchant.audit_entries().filter(action=AuditEntry.Action.CHANGE).get()
    assert entry.before == {"name_en": "Old Name"}
    assert entry.after == {"name_en": "New Name"}
