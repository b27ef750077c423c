"""A database that is restarting or failing over gets a "try again shortly" page, not a 500.

While PostgreSQL restarts, queries in flight fail and new connections are
refused for a few seconds. The visitor gets 503 with Retry-After, in both
languages (the page cannot know which one a failed request would have used),
and the balancer and monitoring see an outage rather than a bug.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views import defaults

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5


def unavailable_text():
    with override("zh-hans"):
        chinese = _("The service is briefly unavailable. Please try again in a few seconds.")
    with override("en"):
        english = _("The service is briefly unavailable. Please try again in a few seconds.")
    return f"{chinese}\n{english}\n"


def server_error(request):
    """``handler500``: 503 with Retry-After when the database is the cause, else Django's 500.

    It sees every uncaught exception, also those raised in middleware
    (sessions, authentication) before any view runs.
    """
    exception = sys.exc_info()[1]
    if not isinstance(exception, OperationalError | InterfaceError):
        return defaults.server_error(request)
    log.error("database unavailable for %s %s: %s", request.method, request.path, exception)
    response = HttpResponse(
        unavailable_text(), status=503, content_type="text/plain; charset=utf-8"
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
