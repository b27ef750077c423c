"""The ``local`` cache alias: each worker's own copies, read without a lock or an unpickle."""

import datetime
import time

import pytest
from django.core.cache import caches

from chengxin.process_cache import ProcessCache


@pytest.fixture
def local():
    cache = caches["local"]
    cache.clear()
    return cache


@pytest.fixture
def clock(time_machine):
    """The wall clock, stopped, moved by hand as ``clock.now += seconds``."""
    time_machine.move_to(datetime.datetime(2026, 11, 23, 4, tzinfo=datetime.UTC), tick=False)

    class Clock:
        @property
        def now(self):
            return time.time()

        @now.setter
        def now(self, value):
            time_machine.shift(value - time.time())

    return Clock()


def test_the_local_alias_uses_the_process_cache(local):
    assert isinstance(local, ProcessCache)


def test_a_page_comes_back_as_the_same_object(local):
    page = "<p>诚信</p>".encode() * 1000
    local.set("page", page, 5)
    assert local.get("page") is page


def test_a_copy_expires_after_its_seconds(local, clock):
    local.set("page", b"<p>old</p>", 5)
    clock.now += 4.9
    assert local.get("page") == b"<p>old</p>"
    clock.now += 0.2
    assert local.get("page") is None
    assert local.get("page", "gone") == "gone"


def test_no_timeout_keeps_a_value_for_the_process_life(local, clock):
    local.set("form", "<form></form>", None)
    clock.now += 10**9
    assert local.get("form") == "<form></form>"


def test_a_mutable_value_cannot_be_changed_through_a_copy(local):
    """Like LocMemCache, objects are kept pickled: one request cannot edit another's copy."""
    local.set("placard", {"serial": "A1B2C3", "merchant": ["shop"]}, 5)
    first = local.get("placard")
    first["merchant"].append("changed")
    assert local.get("placard") == {"serial": "A1B2C3", "merchant": ["shop"]}


def test_a_kept_none_is_told_apart_from_absent(local):
    """A placard that does not exist is remembered as None, not read again."""
    missing = object()
    local.set("placard:9", None, 5)
    assert local.get("placard:9", missing) is None
    assert local.get("placard:10", missing) is missing


def test_delete_many_and_clear(local):
    local.set_many({"a": "1", "b": "2", "c": "3"}, 5)
    local.delete_many(["a", "b"])
    assert local.get_many(["a", "b", "c"]) == {"c": "3"}
    local.clear()
    assert len(local) == 0


def test_a_full_cache_drops_its_oldest_entries_first(settings):
    settings.CACHES = {
        **settings.CACHES,
        "local": {**settings.CACHES["local"], "OPTIONS": {"MAX_ENTRIES": 6}},
    }
    local = caches["local"]
    local.clear()
    for number in range(7):
        local.set(f"page:{number}", f"page {number}", 5)
    assert len(local) <= 6
    assert local.get("page:0") is None
    assert local.get("page:6") == "page 6"


def test_add_and_touch(local, clock):
    assert local.add("k", "first", 5)
    assert not local.add("k", "second", 5)
    clock.now += 4
    assert local.touch("k", 5)
    clock.now += 4
    assert local.get("k") == "first"
    clock.now += 2
    assert not local.touch("k", 5)


def test_a_rewritten_entry_counts_as_young_when_the_cache_is_full(settings):
    """A page refreshed a moment ago is not dropped as the oldest."""
    settings.CACHES = {
        **settings.CACHES,
        "local": {**settings.CACHES["local"], "OPTIONS": {"MAX_ENTRIES": 3}},
    }
    local = caches["local"]
    local.clear()
    for name in ("a", "b", "c"):
        local.set(name, name, 5)
    local.set("a", "a again", 5)
    local.set("d", "d", 5)
    assert local.get("a") == "a again"
    assert local.get("b") is None


def test_cull_frequency_zero_empties_the_cache(settings):
    settings.CACHES = {
        **settings.CACHES,
        "local": {
            **settings.CACHES["local"],
            "OPTIONS": {"MAX_ENTRIES": 3, "CULL_FREQUENCY": 0},
        },
    }
    local = caches["local"]
    local.clear()
    for name in ("a", "b", "c", "d"):
        local.set(name, name, 5)
    assert local.get_many(["a", "b", "c", "d"]) == {"d": "d"}


def test_incr_keeps_the_expiry_and_refuses_a_missing_key(local, clock):
    local.set("count", 1, 5)
    assert local.incr("count") == 2
    assert local.decr("count", 5) == -3
    clock.now += 6
    assert local.get("count") is None
    with pytest.raises(ValueError):
        local.incr("count")
