"""Public pages a shared cache (nginx, a CDN) may keep, and for how long.

Most scans come from visitors who have not scanned this placard: a link, the
directory, a second look. What they get does not depend on who they are, so
their merchant page, precinct pages and API answers say ``Cache-Control:
public, s-maxage=N`` and set no cookie; a shared cache then serves the crowd
without reaching Django. A visitor with a scan cookie (the placard banner and
the review form are theirs), a reviewed cookie ("you reviewed this business
on DATE" is theirs) or a session (staff, whose pages carry Wagtail's
user bar) gets the private page as before.

N ends before a kept copy could be wrong: at most ``SHARED_CACHE_SECONDS`` (an
archive change reaches shared-cache visitors within that bound, since caches
are not purged) and never past local midnight, when "inspected N days ago" and
licence statuses move.
"""

from django.conf import settings
from django.utils.cache import patch_cache_control

from print_templates import scans
from ratings import reviewed

from . import page_cache


def shareable(request):
    """True when nothing in the request makes the answer this visitor's own."""
    return request.method in ("GET", "HEAD") and not any(
        name in request.COOKIES
        for name in (scans.COOKIE, reviewed.COOKIE, settings.SESSION_COOKIE_NAME)
    )


def shared_seconds(day=None):
    return min(settings.SHARED_CACHE_SECONDS, page_cache.seconds_until_midnight(day))


def mark(request, response, browser_seconds=0, day=None, per_visitor=True):
    """Make ``response`` storable by shared caches when the request allows, else private.

    ``per_visitor=False`` for answers no cookie can change (the API).
    """
    seconds = shared_seconds(day)
    visitors_own = per_visitor and not shareable(request)
    if response.cookies or not seconds or visitors_own:
        patch_cache_control(response, private=True, max_age=min(60, seconds) if seconds else 0)
        return response
    patch_cache_control(
        response, public=True, max_age=min(browser_seconds, seconds), s_maxage=seconds
    )
    return response


def language_independent(response):
    """The body is the same in every language: no Vary on Accept-Language, no Content-Language.

    Read by ``chengxin.locale.LocaleMiddleware``, which otherwise adds both to
    every address without a language prefix.
    """
    response.language_independent = True
    return response
