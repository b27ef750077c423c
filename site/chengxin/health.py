"""Probes for the load balancer and the operator.

``/livez`` answers as long as the process can serve a request and touches no
service: a failing database must not make an orchestrator restart every app
server at once. ``/healthz`` asks PostgreSQL (every configured alias, the
replica included) and Redis, and names the one that is down with a 503, so the
balancer takes a server out of rotation and the operator knows where to look.
"""

import logging

from django.conf import settings
from django.db import DatabaseError, connections
from django.http import HttpResponse
from django.views.decorators.cache import never_cache

log = logging.getLogger(__name__)


@never_cache
def livez(request):
    return HttpResponse("ok", content_type="text/plain")


def database_problem(alias):
    """None when ``alias`` answers a query, else a short description of the failure."""
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("select 1")
    except DatabaseError as error:
        return f"{type(error).__name__}: {str(error).strip().splitlines()[0]}"
    return None


def redis_problem():
    """None when the shared Redis answers PING (or no Redis is configured), else why not."""
    if not settings.CACHES["default"]["BACKEND"].startswith("django_redis"):
        return None
    from django_redis import get_redis_connection
    from redis.exceptions import RedisError

    try:
        get_redis_connection("default").ping()
    except RedisError as error:
        return f"{type(error).__name__}: {str(error).strip()}"
    return None


@never_cache
def healthz(request):
    checks = {f"postgresql ({alias})": database_problem(alias) for alias in connections}
    checks["redis"] = redis_problem()
    down = {name: problem for name, problem in checks.items() if problem}
    lines = [f"{name}: {problem or 'ok'}" for name, problem in checks.items()]
    if down:
        log.error("health check failed: %s", "; ".join(f"{n}: {p}" for n, p in down.items()))
        lines.insert(0, "down: " + ", ".join(down))
    else:
        lines.insert(0, "ok")
    return HttpResponse(
        "\n".join(lines) + "\n", status=503 if down else 200, content_type="text/plain"
    )
