"""Optional phone verification of reviewers, behind the scenes.

China's 2022 provisions on online comment services ask for real-name
registration in the back end while comments appear without names. A district
that must comply switches on ``REVIEW_PHONE_VERIFICATION``: the review form
then asks for a mainland mobile number, a six-digit code is sent to it through
the configured SMS backend (``REVIEW_SMS_BACKEND``), and the review is taken
once the code comes back.

What is kept: only a keyed hash of the number on the review (HMAC-SHA256 with
``REVIEW_PHONE_KEY``), so staff can tell that two reviews came from one number
and, given a number by an authority, can check whether it wrote a review; the
number itself is never stored or logged. The pending code lives only in the
rate-limit cache, hashed, for ``REVIEW_PHONE_CODE_SECONDS``.

Sending a code costs money and reaches a stranger's phone, so it is limited
per number and per network (``REVIEW_RATES["phone"]``, ``["phone_ip"]``), and
wrong codes per number (``["phone_code"]``).
"""

import hashlib
import hmac
import logging
import re
import secrets
import sys

from django.conf import settings
from django.core.cache import caches
from django.utils.crypto import constant_time_compare
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from . import limits

log = logging.getLogger(__name__)

CODE_DIGITS = 6
_MOBILE = re.compile(r"1[3-9]\d{9}")
_SEPARATORS = re.compile(r"[\s\-()（）]")


def normalise(raw):
    """The 11-digit mainland mobile number in ``raw`` (spaces, dashes, +86 allowed), or None."""
    digits = _SEPARATORS.sub("", raw or "")
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            digits = digits[len(prefix) :]
    return digits if _MOBILE.fullmatch(digits) else None


def _key():
    configured = settings.REVIEW_PHONE_KEY
    if configured:
        return configured.encode()
    return hashlib.sha256(b"chengxin.ratings.phone" + settings.SECRET_KEY.encode()).digest()


def number_hash(number):
    """The keyed hash stored on a review: 64 hex characters, nothing without the key."""
    return hmac.new(_key(), number.encode(), hashlib.sha256).hexdigest()


def masked(number):
    return f"{number[:3]}****{number[-4:]}"


class ConsoleBackend:
    """Writes the message to standard output: for the demo and the tests, never production."""

    def send(self, number, message):
        sys.stdout.write(f"SMS to {number}: {message}\n")
        sys.stdout.flush()


def backend():
    return import_string(settings.REVIEW_SMS_BACKEND)()


def _code_key(hashed, device):
    return f"phone-code:{hashed}:{limits.limit_key('phone_device', device)}"


def send_code(request, number, device, ip):
    """Send a fresh code to ``number`` for this device; the limit exceeded, or None.

    Raises ``limits.CountersUnavailable`` when the counters cannot be reached.
    """
    hashed = number_hash(number)
    exceeded = limits.hit(request, "phone", hashed) or limits.hit(request, "phone_ip", ip)
    if exceeded:
        return exceeded
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    cache = caches[settings.RATELIMIT_USE_CACHE]
    cache.set(
        _code_key(hashed, device),
        number_hash(code),
        timeout=settings.REVIEW_PHONE_CODE_SECONDS,
    )
    message = _("Your Chengxin review code is %(code)s. It is valid for %(minutes)d minutes.") % {
        "code": code,
        "minutes": settings.REVIEW_PHONE_CODE_SECONDS // 60,
    }
    backend().send(number, message)
    return None


def check_code(request, number, device, code):
    """Whether ``code`` is the one sent to ``number`` for this device; a right code is used up.

    Returns (ok, exceeded): wrong codes count against the number, so guessing
    six digits is cut off long before it could succeed.
    """
    hashed = number_hash(number)
    cache = caches[settings.RATELIMIT_USE_CACHE]
    key = _code_key(hashed, device)
    expected = cache.get(key)
    if expected is not None and constant_time_compare(expected, number_hash(code or "")):
        cache.delete(key)
        return True, None
    exceeded = limits.hit(request, "phone_code", hashed)
    if exceeded:
        cache.delete(key)  # too many guesses: this code is void, even if guessed next
    return False, exceeded
