"""Content-Security-Policy for the public pages.

The public pages load nothing from elsewhere and run no script, so the policy
(``CONTENT_SECURITY_POLICY``) is narrow: only our own origin, no plugins, no
framing, forms post only to us.
The page styles are inline ``<style>`` blocks (one request fewer on a phone
on a market's mobile network), hence ``'unsafe-inline'`` for styles only.
The staff admin (Wagtail) is left to its own headers: it relies on inline
scripts and is reached only by signed-in staff.
"""

from django.conf import settings

EXEMPT_PREFIXES = ("/admin/", "/documents/")


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path_info.startswith(EXEMPT_PREFIXES) and settings.CONTENT_SECURITY_POLICY:
            response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response
