"""Catching a reverse proxy the settings do not know about.

With ``TRUSTED_PROXY_COUNT=0`` the app believes REMOTE_ADDR. Behind nginx or a
load balancer that is the proxy's own address, so every visitor would share one
per-address review limit and the first busy minute would lock the whole city
out. Two guards:

- a deployment check (``manage.py check --deploy``): an https public address
  with no proxy counted means TLS is terminated by something in front, since
  gunicorn here speaks plain HTTP;
- at run time: a request carrying X-Forwarded-For from a private (RFC 1918,
  RFC 4193) or loopback
  address while no proxy is counted is refused when it would write (503 with
  the reason), logged once per process, and reads go on.
"""

import ipaddress
import logging

from django.conf import settings
from django.core import checks
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import override

log = logging.getLogger(__name__)

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# Where a proxy of ours sits: the private ranges of RFC 1918 and RFC 4193 (not
# the documentation ranges, which ipaddress also calls private).
PROXY_NETWORKS = [
    ipaddress.ip_network(network)
    for network in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")
]


def misconfigured_text():
    """The refusal in both languages: a misconfigured server cannot know the visitor's."""
    lines = []
    for language in ("zh-hans", "en"):
        with override(language):
            lines.append(
                _(
                    "This server sits behind a reverse proxy but TRUSTED_PROXY_COUNT is 0, so "
                    "every visitor would share one address. Submissions are refused until it "
                    "is set."
                )
            )
    return "\n".join(lines) + "\n"


@checks.register(checks.Tags.security, deploy=True)
def check_proxy_count(app_configs, **kwargs):
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "") or ""
    if settings.TRUSTED_PROXY_COUNT == 0 and base.startswith("https://"):
        return [
            checks.Warning(
                "PUBLIC_BASE_URL is https but TRUSTED_PROXY_COUNT is 0.",
                hint=(
                    "gunicorn serves plain HTTP, so something in front terminates TLS: set "
                    "TRUSTED_PROXY_COUNT to the number of proxies (1 for the shipped nginx), "
                    "or every visitor shares one per-address review limit."
                ),
                id="chengxin.W001",
            )
        ]
    return []


def proxied_without_count(request):
    """True when a proxy of ours evidently forwarded this request but none is counted."""
    if settings.TRUSTED_PROXY_COUNT or "HTTP_X_FORWARDED_FOR" not in request.META:
        return False
    try:
        peer = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return peer.is_loopback or any(peer in network for network in PROXY_NETWORKS)


class ProxyCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.warned = False

    def __call__(self, request):
        if proxied_without_count(request):
            if not self.warned:
                self.warned = True
                log.error("X-Forwarded-For from %s but TRUSTED_PROXY_COUNT=0", "a private peer")
            if request.method not in SAFE_METHODS:
                return HttpResponse(
                    misconfigured_text(), status=503, content_type="text/plain; charset=utf-8"
                )
        return self.get_response(request)
