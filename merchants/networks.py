"""The client's network, as every limit and count in the project reads it, and keyed hashes.

The address comes from ``RATELIMIT_IP_META_KEY`` (the one function that knows
how many reverse proxies of ours to look behind), so reviews, sign-in and scan
counts agree on who the client is. IPv6 clients are counted per /64, one
subscriber line. Nothing here stores an address: callers keep only ``keyed``
hashes, meaningless without SECRET_KEY.
"""

import ipaddress

from django.conf import settings
from django.utils.crypto import salted_hmac
from django.utils.module_loading import import_string

IPV6_PREFIX = 64


def client_network(request):
    """The client's IPv4 address, or the /64 network of its IPv6 address, as a string."""
    address = import_string(settings.RATELIMIT_IP_META_KEY)(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/{IPV6_PREFIX}", strict=False).network_address)
    return str(parsed)


def keyed(purpose, value):
    """A keyed hash of ``value`` for ``purpose``: 32 hex characters, no use without SECRET_KEY."""
    mac = salted_hmac(f"chengxin.{purpose}", value, algorithm="sha256")
    return mac.hexdigest()[:32]
