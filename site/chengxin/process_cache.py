"""A cache backend for each worker's own short-lived copies: the ``local`` alias.

Django's LocMemCache pickles every value and takes a lock on every read, so a
cache hit of a 13 KB page costs an unpickle and a lock round. The copies kept
here (rendered pages, banners and forms, a scanned placard) are read on every
scan, so this backend keeps text as it is and reads without a lock:

- ``str``, ``bytes``, numbers and ``None`` are immutable and kept by
  reference; anything else is pickled on the way in and out, as LocMemCache
  does, so no caller can change another request's copy.
- Reads take no lock (a dict lookup is atomic); writes and culls do, for the
  threaded development server.
- Keys are our own, so they are not checked for memcached compatibility.
- When ``MAX_ENTRIES`` is reached the oldest-written third of the entries is
  dropped (``CULL_FREQUENCY``; 0 empties the store, as in Django).
"""

import pickle
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache

IMMUTABLE = (str, bytes, int, float, bool, type(None))

_stores = {}
_stores_lock = threading.Lock()


class ProcessCache(BaseCache):
    pickle_protocol = pickle.HIGHEST_PROTOCOL

    def __init__(self, name, params):
        super().__init__(params)
        with _stores_lock:
            # One store per LOCATION and process, shared by every handle on the alias.
            self._data, self._lock = _stores.setdefault(name, ({}, threading.Lock()))

    def _expiry(self, timeout):
        """Wall-clock expiry, as Django's other backends keep it (``None``: never)."""
        return self.get_backend_timeout(timeout)

    def _pack(self, value):
        return (False, value) if isinstance(value, IMMUTABLE) else (True, pickle.dumps(value))

    def get(self, key, default=None, version=None):
        entry = self._data.get(self.make_key(key, version))
        if entry is None:
            return default
        expires, pickled, value = entry
        if expires is not None and expires <= time.time():
            return default
        return pickle.loads(value) if pickled else value  # noqa: S301 (our own values)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_key(key, version)
        with self._lock:
            self._store(key, value, timeout)

    def _store(self, key, value, timeout):
        """Write under the lock; a rewritten key moves to the young end of the order."""
        pickled, packed = self._pack(value)
        self._data.pop(key, None)
        if len(self._data) >= self._max_entries:
            self._cull()
        self._data[key] = (self._expiry(timeout), pickled, packed)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_key(key, version)
        with self._lock:
            entry = self._data.get(key)
            if entry is not None and (entry[0] is None or entry[0] > time.time()):
                return False
            self._store(key, value, timeout)
            return True

    def incr(self, key, delta=1, version=None):
        """Atomic in this process, and keeps the entry's expiry (as LocMemCache does)."""
        key = self.make_key(key, version)
        with self._lock:
            entry = self._data.get(key)
            if entry is None or (entry[0] is not None and entry[0] <= time.time()):
                raise ValueError(f"Key '{key}' not found")
            expires, pickled, value = entry
            value = (pickle.loads(value) if pickled else value) + delta  # noqa: S301
            self._data[key] = (expires, *self._pack(value))
            return value

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_key(key, version)
        with self._lock:
            entry = self._data.get(key)
            if entry is None or (entry[0] is not None and entry[0] <= time.time()):
                return False
            self._data[key] = (self._expiry(timeout), *entry[1:])
            return True

    def has_key(self, key, version=None):
        return self.get(key, _ABSENT, version) is not _ABSENT

    def delete(self, key, version=None):
        with self._lock:
            return self._data.pop(self.make_key(key, version), None) is not None

    def clear(self):
        with self._lock:
            self._data.clear()

    def __len__(self):
        return len(self._data)

    def _cull(self):
        """Drop expired entries, then the oldest third if still full (dicts keep order)."""
        now = time.time()
        for key in [k for k, (expires, *_) in self._data.items() if expires and expires <= now]:
            del self._data[key]
        if len(self._data) >= self._max_entries:
            if self._cull_frequency == 0:  # Django's meaning: empty the cache
                self._data.clear()
                return
            for key in list(self._data)[: max(1, len(self._data) // self._cull_frequency)]:
                del self._data[key]


_ABSENT = object()
