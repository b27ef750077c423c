"""Who is changing the archive right now, for the audit trail.

Middleware sets the actor for a web request; commands set it around their
work. Models read it when they write an audit entry, so every save is
attributed without each view having to remember.
"""

import contextlib
import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    user: object = None
    source: str = "system"


_current = contextvars.ContextVar("audit_actor", default=None)


def current_actor():
    return _current.get() or Actor()


@contextlib.contextmanager
def acting_as(user=None, source="system"):
    token = _current.set(Actor(user=user, source=source))
    try:
        yield
    finally:
        _current.reset(token)


class AuditActorMiddleware:
    """Attribute archive changes made during a request to its signed-in user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user if request.user.is_authenticated else None
        with acting_as(user, "admin" if request.path.startswith("/admin/") else "web"):
            return self.get_response(request)
