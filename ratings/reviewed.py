"""Which merchants this device reviewed, and when: a signed cookie, so the page can say so.

After a review is accepted the merchant page replaces the form with "you
reviewed this business on DATE" for that device. The page's review slot is
filled on every request, so the answer comes from a cookie the review response
sets, never from a query. The cookie holds credit codes and dates only; it is
signed, so a visitor can drop it (and see the form again, which the database
check then refuses) but not forge one. The rule itself (one review per device
and merchant in ``REVIEW_ONE_PER_DEVICE_DAYS``) stays in the views and limits.
"""

import datetime

from django.conf import settings
from django.core import signing
from django.utils import timezone

COOKIE = "chengxin_reviewed"
SALT = "chengxin.ratings.reviewed"
KEPT = 20  # merchants remembered per device, most recent first


def _period():
    return datetime.timedelta(days=settings.REVIEW_ONE_PER_DEVICE_DAYS)


def _entries(request):
    """[(credit code, unix time)] of reviews still inside the period, newest first."""
    raw = request.COOKIES.get(COOKIE)
    if not raw:
        return []
    memo = request.__dict__.setdefault("_reviewed_cookie", {})
    if raw not in memo:
        try:
            memo[raw] = signing.loads(raw, salt=SALT, max_age=_period())
        except (signing.BadSignature, ValueError):
            memo[raw] = []
    oldest = (timezone.now() - _period()).timestamp()
    try:
        return [(str(code), int(at)) for code, at in memo[raw] if int(at) >= oldest]
    except (TypeError, ValueError):
        return []


def reviewed_at(request, merchant_code):
    """When this device reviewed the merchant within the period, or None."""
    for code, at in _entries(request):
        if code == merchant_code:
            return datetime.datetime.fromtimestamp(at, datetime.UTC)
    return None


def again_from(reviewed):
    """The first moment the device may review the same merchant again."""
    return reviewed + _period()


def remember(request, response, merchant_code, at):
    """Record on ``response`` that this device reviewed ``merchant_code`` at ``at``."""
    stamp = int(at.timestamp())
    kept = [entry for entry in _entries(request) if entry[0] != merchant_code]
    entries = [(merchant_code, stamp), *kept][:KEPT]
    response.set_cookie(
        COOKIE,
        signing.dumps(entries, salt=SALT, compress=True),
        max_age=int(_period().total_seconds()),
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
