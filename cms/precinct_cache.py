"""Rendered precinct pages in the shared cache, all dropped when ratings or the archive change.

A precinct page adds up hundreds or thousands of members, so a change to any
of them (an archive write, a published round, an edited page) may change it.
Rather than work out which pages a change touches, every cached precinct page
carries a generation number and a change moves the generation on: the next
request renders afresh, the stale copies expire unread. Pages also expire at
local midnight, like merchant pages, because statuses move with the date.
Searches are not cached (their combinations are unbounded).
"""

import logging

from django.core.cache import cache
from redis.exceptions import RedisError

from . import page_cache

log = logging.getLogger(__name__)

PREFIX = "precinctpage:v1"
GENERATION = f"{PREFIX}:generation"


def _generation():
    generation = cache.get(GENERATION)
    if generation is None:
        generation = 1
        cache.add(GENERATION, generation, timeout=None)
    return generation


def key(page_id, language, page_number, generation):
    return f"{PREFIX}:{generation}:{page_id}:{language}:{page_number}"


def get(page_id, language, page_number):
    """(cached HTML or None, the key to store under); None, None when Redis is down."""
    try:
        cache_key = key(page_id, language, page_number, _generation())
        return cache.get(cache_key), cache_key
    except RedisError:
        log.warning("precinct page cache unavailable; rendering from the database")
        return None, None


def store(cache_key, html):
    timeout = page_cache.seconds_until_midnight()
    if not cache_key or not timeout:
        return
    try:
        cache.set(cache_key, html, timeout=timeout)
    except RedisError:
        log.warning("precinct page cache unavailable; page not stored")


def forget_all():
    """Move the generation on: every cached precinct page is stale from now."""
    try:
        try:
            cache.incr(GENERATION)
        except ValueError:  # no generation yet: nothing cached under one either
            cache.add(GENERATION, 1, timeout=None)
    except RedisError:
        log.error("precinct page cache unavailable; pages may be stale until midnight")
