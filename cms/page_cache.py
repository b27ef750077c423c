"""Rendered merchant pages in the shared cache, dropped whenever the archive changes.

A page is cached per merchant and language until local midnight at the latest,
because "inspected N days ago" and licence status move with the date. Any
archive write for a merchant (``merchants.signals.archive_changed``) deletes
its pages; an edit of the editorial text drops them all.

Each worker process also keeps a page it fetched from Redis for a few seconds
(``SCAN_PAGE_LOCAL_SECONDS``, in the per-process ``local`` cache), so a burst
of scans of one placard costs no network round trip. The process that writes
a change drops its own copy at once; other workers may serve the old page for
at most those few seconds.

Pages are kept as UTF-8 bytes, so a cache hit goes out without re-encoding.
"""

import datetime
import logging
import time

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from redis.exceptions import RedisError

from merchants.models import Merchant
from merchants.signals import archive_changed

log = logging.getLogger(__name__)

# v2: pages kept as bytes; a release still on v1 (text) never reads them.
PREFIX = "scanpage:v2"


def key(code, language):
    return f"{PREFIX}:{code}:{language}"


def languages():
    return [code for code, _name in settings.LANGUAGES]


def seconds_until_midnight(day=None):
    """Seconds until the local midnight that ends ``day`` (today by default); 0 if past."""
    if day is None:
        return _today.seconds_left()
    now = timezone.localtime()
    midnight = datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time.min, tzinfo=now.tzinfo
    )
    return max(0, int((midnight - now).total_seconds()))


class _Today:
    """Today's bounds in the site's time zone as epoch seconds, worked out once a day.

    Every cached page asks, and nothing here activates another time zone per request.
    """

    start = end = 0.0
    zone = None

    def seconds_left(self):
        now = time.time()
        zone = timezone.get_default_timezone()
        if not (self.start <= now < self.end) or zone is not self.zone:
            local = timezone.localtime(timezone=zone)
            start = datetime.datetime.combine(local.date(), datetime.time.min, tzinfo=zone)
            end = datetime.datetime.combine(
                local.date() + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
            )
            self.start, self.end, self.zone = start.timestamp(), end.timestamp(), zone
        return max(0, int(self.end - now))


_today = _Today()


def _keep_locally(cache_key, page):
    seconds = settings.SCAN_PAGE_LOCAL_SECONDS
    if seconds:
        caches["local"].set(cache_key, page, seconds)


def get(code, language):
    """The page's UTF-8 bytes, or None when it must be rendered."""
    cache_key = key(code, language)
    kept = caches["local"].get(cache_key)
    if kept is not None:
        return kept
    try:
        page = cache.get(cache_key)
    except RedisError:
        log.warning("page cache unavailable; rendering from the database")
        return None
    if page is None:
        return None
    _keep_locally(cache_key, page)
    return page


def store(code, language, page, day=None):
    """Keep a page (UTF-8 bytes) rendered for ``day`` until that day ends; never once it has."""
    timeout = seconds_until_midnight(day)
    if not timeout:
        return
    cache_key = key(code, language)
    try:
        cache.set(cache_key, page, timeout=timeout)
    except RedisError:
        log.warning("page cache unavailable; page not stored")
        return
    _keep_locally(cache_key, page)


def forget(codes):
    keys = [key(code, language) for code in codes for language in languages()]
    caches["local"].delete_many(keys)
    try:
        cache.delete_many(keys)
    except RedisError:
        log.error("page cache unavailable; %d cached pages may be stale until midnight", len(keys))


def forget_all_now_and_after_commit():
    """For an edit of text every page shows: drop now, and again once it is committed."""
    forget_all()
    transaction.on_commit(forget_all)


def forget_all():
    """Drop every cached merchant page (after an edit of the shared editorial text)."""
    # Rare (an editor saved shared text): this worker's other copies may go too.
    caches["local"].clear()
    delete_pattern = getattr(cache, "delete_pattern", None)
    if delete_pattern is not None:
        try:
            delete_pattern(f"{PREFIX}:*")
        except RedisError:
            log.error("page cache unavailable; cached pages may be stale until midnight")
        return
    cache.clear()  # the in-process demo cache has no pattern delete


@receiver(archive_changed)
def _forget_changed_merchants(sender, merchant_ids, former_codes=(), **kwargs):
    forget(former_codes)
    ids = list(merchant_ids)
    for start in range(0, len(ids), 1000):
        batch = ids[start : start + 1000]
        forget(Merchant.objects.filter(pk__in=batch).values_list("code", flat=True))
