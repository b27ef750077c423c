"""Read replicas: public read paths read from a streaming replica, everything else from the primary.

A replica lags its primary by a moment, so only requests that cannot notice
are sent there: safe (GET/HEAD) requests to the views named in
``DATABASE_REPLICA_READ_VIEWS`` (the merchant page on a cache miss, the
precinct and other public Wagtail pages, the public API). Everything else reads
the primary, and so does

- any read inside a transaction (``atomic``), which must see its own writes;
- every request of a visitor who wrote something in the last
  ``DATABASE_REPLICA_STICKY_SECONDS`` (a short cookie set on the response to
  any unsafe request), so a visitor always reads their own write.

Writes always go to the primary, including saves of objects read from a replica.
"""

import random
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

STICKY_COOKIE = "chengxin_primary"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

_public_read = ContextVar("chengxin_public_read", default=False)


def read_alias():
    """The database alias a read made now should use."""
    replicas = settings.DATABASE_REPLICAS
    if not replicas or not _public_read.get():
        return DEFAULT_DB_ALIAS
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    return replicas[0] if len(replicas) == 1 else random.choice(replicas)  # noqa: S311


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        return read_alias()

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def is_public_read(request, view_name):
    return (
        request.method in SAFE_METHODS
        and view_name in settings.DATABASE_REPLICA_READ_VIEWS
        and STICKY_COOKIE not in request.COOKIES
    )


class ReplicaReadsMiddleware:
    """Marks public read requests for the router; pins a writer to the primary for a while."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _public_read.set(False)
        try:
            response = self.get_response(request)
        finally:
            _public_read.reset(token)
        if settings.DATABASE_REPLICAS and request.method not in SAFE_METHODS:
            response.set_cookie(
                STICKY_COOKIE,
                "1",
                max_age=settings.DATABASE_REPLICA_STICKY_SECONDS,
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and is_public_read(request, match.view_name):
            _public_read.set(True)
