"""Rate limits on reviews and reports: django-ratelimit counters in Redis.

A limit is a setting holding one or more rates (``["10/10m", "60/d"]``); every
rate is counted. django-ratelimit counts in fixed windows, so up to twice a
rate can pass around a window boundary; a short rate stacked on a long one
bounds that (docs/reviews.md gives the worst case of each limit).

django-ratelimit does not catch a Redis connection error, and failing open
would switch the limits off exactly when they cannot be checked. Any Redis
error here raises ``CountersUnavailable`` instead, which the views answer
with 503 before anything is stored.
"""

import contextlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django_ratelimit import ALL
from django_ratelimit.core import _get_window, _make_cache_key, _split_rate, get_usage
from redis.exceptions import RedisError

from .visitors import limit_key


class CountersUnavailable(Exception):
    """The rate-limit counters could not be read or written."""


@dataclass(frozen=True)
class Exceeded:
    name: str
    rate: str
    retry_after: int  # seconds until the window that refused has passed


def rates(name):
    """The rates of limit ``name``; one per device and merchant follows its own setting."""
    if name == "device_merchant":
        return [f"1/{settings.REVIEW_ONE_PER_DEVICE_DAYS}d"]
    return settings.REVIEW_RATES[name]


def _usage(request, group, value, rate):
    try:
        usage = get_usage(
            request, group=group, key=lambda _group, _request: value, rate=rate, increment=True
        )
    except RedisError as error:
        raise CountersUnavailable from error
    if usage is not None and usage["time_left"] == -1 and usage["limit"] == 0:
        # django-ratelimit's sign that the counter could be neither read nor written.
        raise CountersUnavailable
    return usage


def hit(request, name, value):
    """Count one attempt against every rate of limit ``name``; the worst one exceeded, or None.

    ``value`` (an address, a device id) is hashed before it reaches Redis.
    The Retry-After is the longest wait among the rates exceeded: a window
    covers the seconds (end - period, end], so the next one starts a second
    after django-ratelimit's ``time_left`` runs out.
    """
    key = limit_key(name, value)
    worst = None
    for rate in rates(name):
        usage = _usage(request, f"ratings.{name}", key, rate)
        if usage is not None and usage["should_limit"]:
            exceeded = Exceeded(name, rate, max(1, usage["time_left"] + 1))
            if worst is None or exceeded.retry_after > worst.retry_after:
                worst = exceeded
    return worst


def give_back(request, name, value):
    """Undo one ``hit`` of ``name`` (best effort) when the attempt came to nothing after all."""
    key = limit_key(name, value)
    cache = caches[getattr(settings, "RATELIMIT_USE_CACHE", "default")]
    for rate in rates(name):
        # The counter's cache key, made the way get_usage makes it (no public API for this).
        window = _get_window(key, _split_rate(rate)[1])
        cache_key = _make_cache_key(f"ratings.{name}", window, rate, key, ALL)
        with contextlib.suppress(RedisError, ValueError):
            cache.decr(cache_key)
