import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from merchants.audit import AuditEntry
from merchants.models import Penalty
from tests.factories import PenaltyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Reasons are read by staff in their language; these tests read the English."""
    with translation.override("en"):
        yield


DECIDED = datetime.date(2025, 3, 10)


def public_on(penalty, day):
    in_sql = Penalty.objects.public(day).filter(pk=penalty.pk).exists()
    assert in_sql == penalty.is_public_on(day), "queryset and model disagree"
    return in_sql


def test_a_general_penalty_is_shown_for_one_year():
    penalty = PenaltyFactory(decided_on=DECIDED, severity=Penalty.Severity.GENERAL)
    assert not public_on(penalty, DECIDED - datetime.timedelta(days=1))
    assert public_on(penalty, DECIDED)
    assert public_on(penalty, datetime.date(2026, 3, 9))
    assert not public_on(penalty, datetime.date(2026, 3, 10))
    assert penalty.publicity_ends_on == datetime.date(2026, 3, 10)
    assert "2026-03-10" in str(penalty.hidden_reason(datetime.date(2026, 3, 10)))


def test_a_serious_penalty_is_shown_for_three_years():
    penalty = PenaltyFactory(decided_on=DECIDED, severity=Penalty.Severity.SERIOUS)
    assert public_on(penalty, datetime.date(2028, 3, 9))
    assert not public_on(penalty, datetime.date(2028, 3, 10))


def test_leap_day_decisions_end_on_the_last_day_of_february():
    penalty = PenaltyFactory(decided_on=datetime.date(2024, 2, 29))
    assert penalty.publicity_ends_on == datetime.date(2025, 2, 28)
    assert public_on(penalty, datetime.date(2025, 2, 27))
    assert not public_on(penalty, datetime.date(2025, 2, 28))


def test_a_warning_alone_is_not_shown_but_a_warning_with_a_fine_is():
    warning = PenaltyFactory(decided_on=DECIDED, penalty_types=["warning"], fine_amount=None)
    both = PenaltyFactory(decided_on=DECIDED, penalty_types=["warning", "fine"])
    assert not public_on(warning, DECIDED)
    assert "warning" in str(warning.hidden_reason(DECIDED)).lower()
    assert public_on(both, DECIDED)


def test_periods_are_settings(settings):
    settings.CREDIT_PENALTY_PUBLICITY_MONTHS = {"general": 6, "serious": 24}
    penalty = PenaltyFactory(decided_on=DECIDED)
    assert not public_on(penalty, datetime.date(2025, 9, 10))
    assert public_on(penalty, datetime.date(2025, 9, 9))


@pytest.mark.parametrize(
    ("severity", "earliest"),
    [("general", datetime.date(2025, 6, 10)), ("serious", datetime.date(2026, 3, 10))],
)
def test_credit_repair_waits_for_the_minimum_period(severity, earliest):
    penalty = PenaltyFactory(decided_on=DECIDED, severity=severity)
    with pytest.raises(ValidationError, match=earliest.isoformat()):
        penalty.withdraw("repair", "已整改", day=earliest - datetime.timedelta(days=1))
    penalty.withdraw("repair", "已整改并完成信用修复", day=earliest)
    assert penalty.withdrawn_on == earliest
    assert not public_on(penalty, earliest)


def test_withdrawal_keeps_the_record_with_date_reason_and_audit_entry():
    penalty = PenaltyFactory(decided_on=DECIDED)
    penalty.withdraw("objection", "异议成立：当事人非本店", day=datetime.date(2025, 4, 1))
    penalty.refresh_from_db()
    assert penalty.withdrawal_reason == "异议成立：当事人非本店"
    reason = str(penalty.hidden_reason(datetime.date(2025, 4, 2)))
    assert "2025-04-01" in reason
    assert "异议成立" in reason
    entry = penalty.audit_entries().get(action=AuditEntry.Action.WITHDRAW)
    assert entry.before == {"withdrawn_on": None, "withdrawal_kind": "", "withdrawal_reason": ""}
    assert entry.after["withdrawn_on"] == "2025-04-01"


def test_an_objection_may_withdraw_at_once_but_not_twice():
    penalty = PenaltyFactory(decided_on=DECIDED)
    penalty.withdraw("objection", "异议成立", day=DECIDED)
    with pytest.raises(ValidationError, match="Already withdrawn"):
        penalty.withdraw("error", "again", day=DECIDED)


def test_a_withdrawal_needs_a_reason():
    penalty = PenaltyFactory(decided_on=DECIDED)
    with pytest.raises(ValidationError):
        penalty.withdraw("error", "   ", day=DECIDED)
    penalty.refresh_from_db()
    assert penalty.withdrawn_on is None


def test_a_fine_needs_an_amount():
    penalty = PenaltyFactory.build(penalty_types=["fine"], fine_amount=None)
    with pytest.raises(ValidationError):
        penalty.clean()


def test_a_warning_typed_twice_is_a_warning_alone_and_not_shown():
    twice = PenaltyFactory(
        decided_on=DECIDED, penalty_types=["warning", "warning"], fine_amount=None
    )
    twice.refresh_from_db()
    assert twice.penalty_types == ["warning"]
    assert not public_on(twice, DECIDED)
    assert twice.get_penalty_types_display() == "warning"


def test_types_are_stored_once_each_in_type_order():
    penalty = PenaltyFactory(penalty_types=["fine", "warning", "fine"])
    penalty.refresh_from_db()
    assert penalty.penalty_types == ["warning", "fine"]


def test_the_migration_corrects_stored_repeats_with_an_audit_entry():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("merchants.migrations.0007_penalty_types_distinct")
    twice = PenaltyFactory(decided_on=DECIDED, fine_amount=None)
    Penalty.objects.filter(pk=twice.pk).update(penalty_types=["warning", "warning"])
    published = Penalty.objects.public(DECIDED).filter(pk=twice.pk)
    assert published.exists()  # what a stored repeat did before

    migration.forwards(apps, None)
    assert not published.exists()
    entry = AuditEntry.objects.for_object(twice).get(source="migration")
    assert entry.before == {"penalty_types": ["warning", "warning"]}
    assert entry.after == {"penalty_types": ["warning"]}
