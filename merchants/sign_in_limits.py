"""Throttled sign-in for merchant accounts: failures counted per account and per network.

Built on the approach of the staff sign-in throttle (django-ratelimit counters
in the shared Redis, keyed by an HMAC of the username and of the client
network, never the values themselves), with the same interface
(``SignInThrottle``, ``ThrottledSignIn``, ``lock_message``) so the portal can
switch to the shared module by changing one import. Rates are
``PORTAL_SIGN_IN_RATES``; while locked even the right password is refused and
the user is told until when. If the counters cannot be reached, sign-in is
refused (fail closed).
"""

import datetime
import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.formats import time_format
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_ratelimit.core import get_usage
from redis.exceptions import RedisError


@dataclass(frozen=True)
class Lock:
    """Sign-in is refused for ``retry_after`` seconds (0: the counters are unreachable)."""

    retry_after: int

    @property
    def until(self):
        return timezone.localtime() + datetime.timedelta(seconds=self.retry_after)


def client_network(request):
    """The client's address as the review limits read it (IPv6: its /64)."""
    reader = settings.RATELIMIT_IP_META_KEY
    address = import_string(reader)(request) if "." in reader else request.META[reader]
    parsed = ipaddress.ip_address(address)
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return address


def keyed(kind, value):
    return salted_hmac(f"chengxin.sign_in.{kind}", value, algorithm="sha256").hexdigest()[:32]


class SignInThrottle:
    """The failure counters of one sign-in attempt: this account, from this network."""

    def __init__(self, request, username, portal="merchant"):
        self.request = request
        self.portal = portal
        self.values = {
            "account": keyed("account", (username or "").strip().lower()),
            "address": keyed("address", client_network(request)),
        }

    def _usages(self, increment):
        for name, value in self.values.items():
            for rate in settings.PORTAL_SIGN_IN_RATES[name]:
                try:
                    usage = get_usage(
                        self.request,
                        group=f"sign_in.{self.portal}.{name}",
                        key=lambda _group, _request, value=value: value,
                        rate=rate,
                        increment=increment,
                    )
                except RedisError:
                    usage = {"count": 0, "limit": 0, "time_left": -1}
                if usage is not None:
                    yield usage

    @staticmethod
    def _lock(usages):
        waits = []
        for usage in usages:
            if usage["limit"] == 0 and usage["time_left"] == -1:
                return Lock(0)
            if usage["count"] >= usage["limit"]:
                waits.append(usage["time_left"] + 1)
        return Lock(max(waits)) if waits else None

    def locked(self):
        """The lock on this account or network, or None; counts nothing."""
        return self._lock(self._usages(False))

    def failed(self):
        """Count a failed attempt; the lock it brings about, or None."""
        return self._lock(list(self._usages(True)))


def lock_message(lock):
    if not lock.retry_after:
        return _("Signing in is paused for a minute: please try again shortly.")
    minutes = max(1, -(-lock.retry_after // 60))
    return ngettext(
        "Too many failed sign-ins for this account or from this network. Signing in is "
        "locked for %(minutes)d more minute, until %(time)s.",
        "Too many failed sign-ins for this account or from this network. Signing in is "
        "locked for %(minutes)d more minutes, until %(time)s.",
        minutes,
    ) % {"minutes": minutes, "time": time_format(lock.until, "H:i")}


class ThrottledSignIn:
    """Mix into an AuthenticationForm: check the lock before the password, count failures."""

    portal = "merchant"

    def clean(self):
        throttle = SignInThrottle(self.request, self.data.get("username"), self.portal)
        lock = throttle.locked()
        if lock:
            raise ValidationError(lock_message(lock), code="locked")
        try:
            return super().clean()
        except ValidationError:
            lock = throttle.failed()
            if lock:
                raise ValidationError(lock_message(lock), code="locked") from None
            raise
