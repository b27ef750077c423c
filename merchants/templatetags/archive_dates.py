"""Dates on public pages, in a <time> that never breaks at its hyphens ("2029-/08-11").

In ``merchants``, the lowest app, so every app's templates can load it:
``{% load archive_dates %}`` then ``{{ licence.expires_on|day }}``.
"""

import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html

register = template.Library()


@register.filter
def day(value):
    """A date, or the local date of a moment, as ``<time datetime="…">YYYY-MM-DD</time>``."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return format_html('<time datetime="{}">{}</time>', value.isoformat(), value.isoformat())


@register.filter
def local_minute(value):
    """A moment to the minute in local time, e.g. when a visitor may try again."""
    if not value:
        return ""
    text = timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return format_html('<time datetime="{}">{}</time>', value.isoformat(), text)
