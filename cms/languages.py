"""Which language a public page answers in, outside its URL prefix.

Chinese pages have no prefix and English ones live under ``/en/``. A visitor
who arrives at an unprefixed address (the printed placard, the site's root) is
sent to the English page when their browser asks for English, unless they
chose Chinese with the toggle, which is remembered in the language cookie.
The merchant page and the home page follow the same rule.
"""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import translate_url
from django.utils import translation
from django.utils.cache import patch_vary_headers


def preferred_language(request):
    """The visitor's explicit choice (cookie), else their browser's, else zh-Hans."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen in dict(settings.LANGUAGES):
        return chosen
    return translation.get_language_from_request(request)


def choose_language(request):
    """Honour ``?lang=``: remember the choice and send the visitor to the clean URL."""
    language = request.GET.get("lang")
    if language not in dict(settings.LANGUAGES):
        return None
    response = HttpResponseRedirect(translate_url(request.path, language))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


def is_unprefixed(request):
    return translation.get_language_from_path(request.path_info) is None


def follow_browser(request):
    """A redirect to the visitor's language for an unprefixed address, or None to serve it."""
    if not is_unprefixed(request):
        return None
    preferred = preferred_language(request)
    if preferred == settings.LANGUAGE_CODE:
        return None
    response = HttpResponseRedirect(translate_url(request.path, preferred))
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


def toggle(request):
    """The other language and the link that switches to it (and remembers the choice)."""
    other = "en" if translation.get_language() == "zh-hans" else "zh-hans"
    return other, f"{translate_url(request.path, other)}?lang={other}"
