"""Sign-in throttling: failed attempts are counted per account and per network, in Redis.

Staff sign in to the Wagtail admin through ``StaffLoginForm``; the merchant
portal is to use ``ThrottledSignIn`` with its own form. Failures are counted
with django-ratelimit in the rate-limit cache (``RATELIMIT_USE_CACHE``, its own
Redis database), so a lock holds across workers and survives a restart of the
application. The rates are settings (``SIGN_IN_RATES``); every rate of a list
applies, and a lock lifts when the window that set it ends.

While an account or network is locked, even the right password is refused,
with the time the lock lifts: otherwise guessing would simply go on. Neither
the address nor the username reaches Redis or the log in clear: counters are
keyed by an HMAC of the value (as the review limits are), and the log names
the network by a short keyed hash.

If the counters cannot be reached, sign-in is refused (fail closed): an
attacker must not be able to switch the limit off by flooding Redis.

Requests to reset a staff password (Wagtail's "forgotten password" form, which
mails a link) go through the same counters: every request counts, per e-mail
address and per network (``PASSWORD_RESET_RATES``), whether or not an account
has the address, and a refusal reads the same either way, so the form tells
nobody which addresses exist. ``StaffPasswordResetView`` serves the admin's
reset URL in place of Wagtail's own, to hand the form the request.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_ratelimit.core import get_usage
from redis.exceptions import RedisError
from wagtail.admin.forms.auth import LoginForm, PasswordResetForm
from wagtail.admin.views.account import PasswordResetView

from . import networks

log = logging.getLogger("chengxin.sign_in")


@dataclass(frozen=True)
class Lock:
    """Sign-in is refused for ``retry_after`` seconds (0: the counters are unreachable)."""

    retry_after: int

    @property
    def until(self):
        return timezone.localtime() + datetime.timedelta(seconds=self.retry_after)


def keyed(kind, value):
    return networks.keyed(f"sign_in.{kind}", value)


#: Each sign-in page's limits: staff (the Wagtail admin) and merchants (the portal);
#: and requests to reset a staff password.
RATE_SETTINGS = {
    "staff": "SIGN_IN_RATES",
    "merchant": "PORTAL_SIGN_IN_RATES",
    "password_reset": "PASSWORD_RESET_RATES",
}


class SignInThrottle:
    """The failure counters of one sign-in attempt: this account, from this network."""

    def __init__(self, request, username, portal="staff"):
        self.request = request
        self.portal = portal
        self.username = (username or "").strip().lower()
        self.network = networks.client_network(request)
        self.values = {
            "account": keyed("account", self.username),
            "address": keyed("address", self.network),
        }

    def _usages(self, increment):
        for name, value in self.values.items():
            for rate in getattr(settings, RATE_SETTINGS[self.portal])[name]:
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

    def _lock(self, usages, full):
        waits = []
        for usage in usages:
            if usage["limit"] == 0 and usage["time_left"] == -1:
                return Lock(0)  # django-ratelimit's sign that the counter is unreachable
            if full(usage):
                waits.append(usage["time_left"] + 1)
        return Lock(max(waits)) if waits else None

    def locked(self):
        """The lock on this account or network, or None; counts nothing."""
        return self._lock(self._usages(False), lambda usage: usage["count"] >= usage["limit"])

    def count_and_check(self):
        """Count one attempt that must be limited (a reset request), then the lock if the
        count passed the limit: one atomic increment per counter, so simultaneous
        requests cannot all slip in under it."""
        return self._lock(list(self._usages(True)), lambda usage: usage["count"] > usage["limit"])

    def failed(self):
        """Count a failed attempt and log it; the lock it brings about, or None."""
        lock = self._lock(list(self._usages(True)), lambda u: u["count"] >= u["limit"])
        exists = get_user_model().objects.filter(username__iexact=self.username).exists()
        log.warning(
            "failed %s sign-in for %s from network %s%s",
            self.portal,
            repr(self.username) if exists else "an unknown account",
            keyed("log", self.network)[:12],
            "; now locked" if lock else "",
        )
        return lock


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

    portal = "staff"

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


class StaffLoginForm(ThrottledSignIn, LoginForm):
    """The Wagtail admin's sign-in form (``WAGTAILADMIN_USER_LOGIN_FORM``), throttled."""


def reset_lock_message(lock):
    if not lock.retry_after:
        return _("Password reset is paused for a minute: please try again shortly.")
    minutes = max(1, -(-lock.retry_after // 60))
    return ngettext(
        "Too many password reset requests for this e-mail address or from this network. "
        "Try again in %(minutes)d minute, after %(time)s.",
        "Too many password reset requests for this e-mail address or from this network. "
        "Try again in %(minutes)d minutes, after %(time)s.",
        minutes,
    ) % {"minutes": minutes, "time": time_format(lock.until, "H:i")}


class StaffPasswordResetForm(PasswordResetForm):
    """Wagtail's password reset request, refused past ``PASSWORD_RESET_RATES``.

    Checked after the address is known to be well formed; counted before any
    mail goes, whether or not an account has the address.
    """

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self):
        cleaned_data = super().clean()
        email = cleaned_data.get("email")
        if email:
            throttle = SignInThrottle(self.request, email, "password_reset")
            lock = throttle.count_and_check()
            if lock:
                log.warning(
                    "password reset refused for network %s: too many requests",
                    keyed("log", throttle.network)[:12],
                )
                raise ValidationError(reset_lock_message(lock), code="locked")
        return cleaned_data


class StaffPasswordResetView(PasswordResetView):
    """Wagtail's password reset page with the throttled form (mounted in ``chengxin.urls``)."""

    def get_form_class(self):
        return StaffPasswordResetForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}
