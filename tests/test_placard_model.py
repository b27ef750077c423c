"""Issuing, superseding and revoking placards; counting scans per day."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from merchants.audit import AuditEntry
from print_templates.models import CounterfeitScan, Placard, PlacardScan
from tests.factories import MerchantFactory, UserFactory
from tests.factories_print import issue

pytestmark = pytest.mark.django_db


def test_a_new_placard_is_current_and_audited():
    placard = issue()
    placard.refresh_from_db()
    assert placard.state == Placard.State.CURRENT
    assert Placard.objects.by_serial(placard.serial).get() == placard
    assert placard.audit_entries().filter(action=AuditEntry.Action.CREATE).count() == 1


def test_issuing_again_supersedes_only_the_same_template():
    merchant = MerchantFactory()
    with time_machine.travel(datetime.datetime(2025, 3, 1, 10, tzinfo=datetime.UTC)):
        sticker = issue(merchant, "window-sticker")
        label = issue(merchant, "label-sheet")
    with time_machine.travel(datetime.datetime(2025, 9, 1, 10, tzinfo=datetime.UTC)):
        newer = issue(merchant, "window-sticker")
    sticker.refresh_from_db()
    label.refresh_from_db()
    assert sticker.state == Placard.State.OUTDATED
    assert sticker.successor() == newer
    assert newer.issued_on == datetime.date(2025, 9, 1)
    assert label.state == Placard.State.CURRENT
    assert sticker.audit_entries().filter(action=AuditEntry.Action.CHANGE).exists()


def test_two_unsuperseded_placards_of_one_template_are_refused():
    placard = issue()
    with pytest.raises(IntegrityError):
        Placard.objects.create(merchant=placard.merchant, template=placard.template)


def test_revoking_needs_a_reason_and_is_kept_in_the_audit_trail():
    placard = Placard.objects.get(pk=issue().pk)
    staff = UserFactory(is_staff=True)
    with pytest.raises(ValidationError):
        placard.revoke("  ", staff)
    placard.revoke("Shop closed; placard reported on another shop's door.", staff)
    placard.refresh_from_db()
    assert placard.state == Placard.State.REVOKED
    assert not placard.is_genuine
    entry = placard.audit_entries().get(action=AuditEntry.Action.WITHDRAW)
    assert "another shop" in entry.reason
    with pytest.raises(ValidationError):
        placard.revoke("again", staff)


def test_scans_are_counted_per_placard_per_day():
    placard, other = issue(), issue()
    with time_machine.travel(datetime.datetime(2025, 5, 1, 9, tzinfo=datetime.UTC)):
        PlacardScan.bump(placard=placard)
        PlacardScan.bump(placard=placard)
        PlacardScan.bump(placard=other)
    with time_machine.travel(datetime.datetime(2025, 5, 2, 9, tzinfo=datetime.UTC)):
        PlacardScan.bump(placard=placard)
    counts = dict(placard.scans.values_list("day", "count"))
    assert counts == {datetime.date(2025, 5, 1): 2, datetime.date(2025, 5, 2): 1}
    totals = Placard.objects.with_scan_totals(since=datetime.date(2025, 5, 2)).get(pk=placard.pk)
    assert (totals.scan_total, totals.scan_recent) == (3, 1)


def test_counterfeit_scans_keep_the_claimed_serial_only_of_real_placards():
    placard = issue()
    CounterfeitScan.record(placard.serial + "AAAAAAAA", datetime.date(2025, 5, 1))
    CounterfeitScan.record("ZZZZZZAAAAAAAA", datetime.date(2025, 5, 1))
    CounterfeitScan.record("ZZZZZYAAAAAAAA", datetime.date(2025, 5, 1))
    rows = dict(CounterfeitScan.objects.values_list("claimed_serial", "count"))
    assert rows == {placard.serial: 1, "": 2}
