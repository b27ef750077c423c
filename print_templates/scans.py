"""Proof that a visitor arrived by scanning a placard: a signed, expiring cookie.

Opening ``/q/<token>`` remembers which placard was scanned and when in a
cookie signed with Django's signing framework; nothing is stored on the server
and nothing identifies the visitor. Later requests ask ``latest_scan`` (the
merchant page, to say whether the placard was genuine, outdated or revoked)
or ``verified_scan`` (e.g. the reviews issue: "arrived by scanning a genuine
placard of this merchant within the last two hours"); ``banner_html`` is the
notice the merchant page shows in its per-visitor slot.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils import timezone, translation
from redis.exceptions import RedisError

from merchants import networks

from . import layouts
from .models import Placard

log = logging.getLogger(__name__)

COOKIE = "chengxin_scan"
SALT = "chengxin.print_templates.scan"
KEPT = 8  # the most recent scans remembered, one per merchant


@dataclass(frozen=True)
class Scan:
    placard: object
    at: datetime.datetime

    @property
    def state(self):
        return self.placard.state


def _max_age(max_age):
    if max_age is None:
        return datetime.timedelta(seconds=settings.PLACARD_SCAN_MAX_AGE)
    return max_age


def _entries(request, max_age):
    """[(placard id, merchant credit code, unix time)] still young enough, newest first."""
    raw = request.COOKIES.get(COOKIE)
    if not raw:
        return []
    entries = _verified_cookie(request, raw)
    if entries is None:
        return []
    oldest = (timezone.now() - max_age).timestamp()
    return [
        (int(placard_id), str(code), int(at)) for placard_id, code, at in entries if at >= oldest
    ]


def _verified_cookie(request, raw):
    """The cookie's entries if its signature holds, checked once per request."""
    memo = request.__dict__.setdefault("_scan_cookie", {})
    if raw not in memo:
        try:
            # The signature's own age limit is the longest any caller allows;
            # each caller then keeps only the entries young enough for it.
            memo[raw] = signing.loads(raw, salt=SALT, max_age=_max_age(None))
        except signing.BadSignature:
            memo[raw] = None
    return memo[raw]


def remember(request, response, placard):
    """Add a scan of ``placard`` to the visitor's cookie on ``response``."""
    max_age = _max_age(None)
    now = int(timezone.now().timestamp())
    code = placard.merchant.code
    kept = [entry for entry in _entries(request, max_age) if entry[1] != code]
    entries = [(placard.pk, code, now), *kept][:KEPT]
    response.set_cookie(
        COOKIE,
        signing.dumps(entries, salt=SALT, compress=True),
        max_age=int(max_age.total_seconds()),
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )


def latest_scan(request, merchant, max_age=None):
    """The visitor's scan of one of ``merchant``'s placards within ``max_age``, or None.

    ``merchant`` is a Merchant or its credit code. Revoked and outdated placards
    are included: the page says what they are.
    """
    code = getattr(merchant, "code", merchant)
    for placard_id, scanned_code, at in _entries(request, _max_age(max_age)):
        if scanned_code == code:
            placard = _placard(request, placard_id, code)
            if placard is None:
                return None
            return Scan(placard=placard, at=datetime.datetime.fromtimestamp(at, datetime.UTC))
    return None


def _placard(request, placard_id, code):
    """The scanned placard with its merchant, read once per request however often asked."""
    found = request.__dict__.setdefault("_scanned_placards", {})
    if placard_id not in found:
        placard = Placard.objects.recent(placard_id)
        found[placard_id] = (
            placard if placard is not None and placard.merchant.code == code else None
        )
    return found[placard_id]


def verified_scan(request, merchant, max_age=None):
    """The scan of a genuine (not revoked) placard of ``merchant`` within ``max_age``, or None.

    Defaults to ``PLACARD_SCAN_MAX_AGE`` (two hours). The placard's state is read
    now, so revoking a placard also withdraws the scans already made of it.
    """
    scan = latest_scan(request, merchant, max_age)
    if scan is None or not scan.placard.is_genuine:
        return None
    return scan


def banner_html(request, merchant, current_level=None):
    """The notice for the merchant page: genuine, outdated or revoked placard; "" if no scan.

    It is the same for every visitor of one placard in one state and language,
    and rendering it was a fifth of an after-scan page view (docs/benchmarks.md),
    so a worker keeps it as long as it keeps the placard itself
    (``SCAN_PAGE_LOCAL_SECONDS``); a change of state is a new key at once.

    A plaque shows a level this app was told when it was issued. When a
    scanned plaque is outdated or withdrawn, ``current_level()`` (given by the
    caller that knows ratings) says what the merchant's rating is now; it is
    called only then, so the common genuine scan costs nothing more.
    """
    scan = latest_scan(request, merchant)
    if scan is None:
        return ""
    placard = scan.placard
    key = f"placard-banner:{placard.pk}:{scan.state}:{translation.get_language()}"
    local = caches["local"]
    seconds = settings.SCAN_PAGE_LOCAL_SECONDS
    html = local.get(key) if seconds else None
    if html is None:
        successor = placard.successor() if scan.state == placard.State.OUTDATED else None
        layout = layouts.registry().get(placard.template)
        is_plaque = bool(layout and layout.issued_by_caller)
        level_now = ""
        if is_plaque and scan.state != placard.State.CURRENT and current_level is not None:
            level_now = current_level()
        html = render_to_string(
            "print_templates/scan_banner.html",
            {
                "scan": scan,
                "placard": placard,
                "successor": successor,
                "is_plaque": is_plaque,
                "level_now": level_now,
            },
        )
        if seconds:
            local.set(key, html, seconds)
    return html


# --- distinct networks per placard and hour ------------------------------------
#
# A photo of a placard shared online lets anyone anywhere "scan" it. Its sign is
# many distinct networks scanning one placard within an hour: a counter per
# placard and hour, raised the first time each network (by keyed hash) is seen.
# Kept in the rate-limit cache, which is never evicted; lost counts only mean
# a review is not held, so a Redis error is logged and the scan goes on.

NETWORK_WINDOW = 3600


def _hour(offset=0):
    return int(timezone.now().timestamp()) // NETWORK_WINDOW - offset


def _network_key(placard_id, hour):
    return f"scan-networks:{placard_id}:{hour}"


def note_network(request, placard):
    """Count the client's network for this placard and hour, once per network."""
    cache = caches[settings.RATELIMIT_USE_CACHE]
    hour = _hour()
    counter = _network_key(placard.pk, hour)
    seen = f"{counter}:{networks.keyed('scan.network', networks.client_network(request))}"
    expiry = 2 * NETWORK_WINDOW + 60
    try:
        if cache.add(seen, 1, expiry):
            cache.add(counter, 0, expiry)
            cache.incr(counter)
    except (RedisError, ValueError):
        log.warning("scan-network counter unavailable; placard %s not counted", placard.pk)


def networks_per_hour(placard):
    """Distinct networks that scanned ``placard`` this hour or the last, whichever is more."""
    cache = caches[settings.RATELIMIT_USE_CACHE]
    keys = [_network_key(placard.pk, _hour(offset)) for offset in (0, 1)]
    try:
        counts = cache.get_many(keys)
    except RedisError:
        log.warning("scan-network counter unavailable for placard %s", placard.pk)
        return 0
    return max((int(count) for count in counts.values()), default=0)
