"""Who is posting a review, as far as the rate limits need to know: address and device.

The client address is read behind ``TRUSTED_PROXY_COUNT`` reverse proxies of
our own: each appends the address it received the request from to
X-Forwarded-For, so the client is the Nth entry from the right. Anything
further left was written by the client and is never believed; with no proxies
the header is ignored and REMOTE_ADDR is the client.

The device is a random id in a long-lived cookie signed by the site, so a
visitor cannot choose it (only drop it, which the address limits cover).
Neither value is stored: rate-limit counters are keyed by an HMAC of it, and
reviews keep an HMAC under the month's salt (``ReviewSalt``).
"""

import ipaddress
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.utils.crypto import salted_hmac

DEVICE_COOKIE = "chengxin_device"
DEVICE_SALT = "chengxin.ratings.device"


def _address(text):
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def client_ip(request):
    """The client's address as a string; also django-ratelimit's ``RATELIMIT_IP_META_KEY``."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        header = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in header.split(",") if hop.strip()]
        # Fewer hops than proxies: the request did not come through them all, so
        # none of the header can be trusted.
        if len(hops) >= proxies:
            address = _address(hops[-proxies])
            if address is not None:
                return str(address)
    address = _address(remote)
    return str(address) if address is not None else remote


def network(ip):
    """The address rate limits count by: IPv6 clients share a /64 (one subscriber line)."""
    address = _address(ip)
    if address is None:
        return ip
    if address.version == 6:
        prefix = settings.REVIEW_IPV6_PREFIX
        return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False).network_address)
    return str(address)


def limit_key(kind, value):
    """A keyed hash for a Redis counter: meaningless without SECRET_KEY, gone when it expires."""
    mac = salted_hmac(f"chengxin.ratings.limit.{kind}", value, algorithm="sha256")
    return mac.hexdigest()[:32]


@dataclass(frozen=True)
class Visitor:
    ip: str
    device: str
    new_device: bool = False

    @classmethod
    def from_request(cls, request):
        """The visitor behind ``request``; a fresh device id when it has no valid cookie."""
        device = request.get_signed_cookie(DEVICE_COOKIE, default=None, salt=DEVICE_SALT)
        new = not device
        if new:
            device = secrets.token_urlsafe(18)
        return cls(ip=network(client_ip(request)), device=device, new_device=new)

    def remember(self, request, response):
        """Give a new device its cookie (HttpOnly, signed, for ``REVIEW_DEVICE_COOKIE_DAYS``)."""
        if not self.new_device:
            return
        response.set_signed_cookie(
            DEVICE_COOKIE,
            self.device,
            salt=DEVICE_SALT,
            max_age=settings.REVIEW_DEVICE_COOKIE_DAYS * 24 * 3600,
            secure=request.is_secure(),
            httponly=True,
            samesite="Lax",
        )
