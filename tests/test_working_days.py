"""The working-day clock: weekends, the configured holidays and the make-up working days."""

import datetime

from django.test import override_settings

from merchants import working_days

FRIDAY = datetime.date(2026, 11, 20)


def test_a_weekend_does_not_count():
    assert working_days.add_working_days(FRIDAY, 1) == datetime.date(2026, 11, 23)
    assert working_days.add_working_days(FRIDAY, 5) == datetime.date(2026, 11, 27)


def test_fifteen_working_days_are_three_weeks_without_holidays():
    assert working_days.decision_due(FRIDAY) == datetime.date(2026, 12, 11)


def test_the_configured_holidays_are_skipped_and_the_make_up_saturday_counts():
    # Filed on Wednesday 30 September 2026: 1, 2, 5–7 October are holidays,
    # 3–4 October a weekend, Saturday 10 October a working day.
    filed = datetime.date(2026, 9, 30)
    assert working_days.add_working_days(filed, 1) == datetime.date(2026, 10, 8)
    assert working_days.add_working_days(filed, 3) == datetime.date(2026, 10, 10)
    assert working_days.add_working_days(filed, 4) == datetime.date(2026, 10, 12)


@override_settings(CREDIT_HOLIDAYS=[], CREDIT_WORKING_WEEKENDS=[])
def test_without_a_holiday_list_national_day_is_an_ordinary_week():
    assert working_days.add_working_days(datetime.date(2026, 9, 30), 1) == datetime.date(
        2026, 10, 1
    )


@override_settings(OBJECTION_DECISION_WORKING_DAYS=3)
def test_the_number_of_working_days_is_a_setting():
    assert working_days.decision_due(FRIDAY) == datetime.date(2026, 11, 25)


def test_days_left_count_down_to_zero_on_the_due_day_and_below_when_late():
    due = datetime.date(2026, 11, 27)
    assert working_days.working_days_left(due, FRIDAY) == 5
    assert working_days.working_days_left(due, due) == 0
    assert working_days.working_days_left(due, datetime.date(2026, 11, 30)) == -1
