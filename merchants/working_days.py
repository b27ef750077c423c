"""The working-day clock staff decide objections and credit repair by.

A working day is Monday to Friday, except the public holidays listed in
``CREDIT_HOLIDAYS``, plus the weekend days worked in exchange for a holiday
(调休) listed in ``CREDIT_WORKING_WEEKENDS``. The State Council publishes both
lists each December; operators copy them into the settings.
"""

import datetime

from django.conf import settings

from . import dates


def _dates(values):
    return {datetime.date.fromisoformat(value) for value in values}


def is_working_day(day):
    if day in _dates(settings.CREDIT_WORKING_WEEKENDS):
        return True
    return day.weekday() < 5 and day not in _dates(settings.CREDIT_HOLIDAYS)


def add_working_days(start, count):
    """The ``count``-th working day after ``start`` (``start`` itself is not counted)."""
    holidays = _dates(settings.CREDIT_HOLIDAYS)
    worked = _dates(settings.CREDIT_WORKING_WEEKENDS)
    day, left = start, count
    while left > 0:
        day += datetime.timedelta(days=1)
        if day in worked or (day.weekday() < 5 and day not in holidays):
            left -= 1
    return day


def working_days_between(start, end):
    """Working days after ``start`` up to and including ``end``; negative if ``end`` is earlier."""
    if end < start:
        return -working_days_between(end, start)
    days, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        days += is_working_day(day)
    return days


def decision_due(filed_on):
    """The last day staff may decide a request filed on ``filed_on``."""
    return add_working_days(filed_on, settings.OBJECTION_DECISION_WORKING_DAYS)


def working_days_left(due_on, day=None):
    """Working days from ``day`` (today) to ``due_on``: 0 on the day itself, negative when late."""
    return working_days_between(day or dates.today(), due_on)
