"""Calendar arithmetic and the date spellings found in government exports."""

import calendar
import datetime
import re

from django.utils import timezone


def today():
    """Today in the site's time zone: a licence expires at local midnight."""
    return timezone.localdate()


def add_months(day, months):
    """Shift by calendar months, clamping to the month's last day (Feb 29 + 12 = Feb 28)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last))


def latest_start_ended_by(day, months):
    """The latest start date whose ``months``-long period is over on ``day``.

    A period that starts on S runs until add_months(S, months), exclusive. It is
    over on ``day`` when add_months(S, months) <= day; since add_months is
    monotonic in S, those S form the range up to the date returned here.
    """
    candidate = add_months(day, -months)
    while add_months(candidate + datetime.timedelta(days=1), months) <= day:
        candidate += datetime.timedelta(days=1)
    while add_months(candidate, months) > day:
        candidate -= datetime.timedelta(days=1)
    return candidate


_SEPARATED = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def parse_date(value):
    """Read 2019-07-12, 2019/7/12, 2019.7.12, 2019年7月12日 or 20190712.

    Spreadsheet cells that are already dates (or datetimes at midnight) pass
    through. Raises ValueError with a readable message otherwise.
    """
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    # Exports sometimes carry a time part: "2019-07-12 00:00:00".
    text = re.sub(r"[ T]\d{1,2}:\d{2}(:\d{2})?$", "", text)
    match = _SEPARATED.match(text) or _COMPACT.match(text)
    if not match:
        raise ValueError(f"not a date: {value!r}")
    year, month, day = (int(part) for part in match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueError(f"no such date: {value!r}") from None
