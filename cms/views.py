"""The merchant scan page: served from the archive, cached per merchant and language.

It bypasses Wagtail's page tree on purpose: tree routing costs a query per path
segment, and this is the page every placard scan lands on.
"""

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import translate_url
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_safe

from merchants import credit_code, dates
from merchants.models import Merchant

from . import page_cache, page_parts
from .models import PrecinctPage, ScanPageText


def language_from_path(request):
    prefix = request.path.split("/", 2)[1]
    return prefix if prefix in dict(settings.LANGUAGES) else None


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


def error_page(request, status, code, reason=None):
    html = render_to_string(
        "cms/merchant_not_found.html", {"code": code, "reason": reason, "status": status}, request
    )
    return HttpResponse(html, status=status)


def render_merchant(request, merchant, day):
    language = translation.get_language()
    archive = merchant.public_archive(day)
    other_language = "en" if language == "zh-hans" else "zh-hans"
    other_url = translate_url(request.path, other_language)
    context = {
        "merchant": merchant,
        "archive": archive,
        "today": day,
        "text": ScanPageText.objects.for_language(language),
        "precinct_page": PrecinctPage.objects.live()
        .filter(precinct=merchant.precinct, locale__language_code=language)
        .first(),
        "other_language": other_language,
        "other_language_url": f"{other_url}?lang={other_language}",
        "canonical_url": request.build_absolute_uri(request.path),
        "sections": page_parts.render_sections(request, merchant),
        "slots": page_parts.slot_marks(),
    }
    return render_to_string("cms/merchant_page.html", context, request)


@require_safe
def merchant_page(request, code):
    chosen = choose_language(request)
    if chosen:
        return chosen
    normalised = credit_code.normalise(code)
    reason = credit_code.problem(normalised)
    if reason:
        return error_page(request, 400, code, reason)
    if normalised != code:
        return HttpResponseRedirect(request.path.replace(code, normalised))
    unprefixed = language_from_path(request) is None
    if unprefixed:
        preferred = preferred_language(request)
        if preferred != "zh-hans":
            response = HttpResponseRedirect(translate_url(request.path, preferred))
            patch_vary_headers(response, ["Accept-Language", "Cookie"])
            return response

    language = translation.get_language()
    html = page_cache.get(code, language)
    if html is None:
        merchant = Merchant.objects.select_related("precinct", "association").filter(code=code)
        merchant = merchant.first()
        if merchant is None:
            return error_page(request, 404, code)
        day = dates.today()
        html = render_merchant(request, merchant, day)
        page_cache.store(code, language, html, day)
    response = HttpResponse(page_parts.fill_slots(request, code, html))
    patch_cache_control(response, private=True, max_age=60)
    # The unprefixed (Chinese) address answers by the browser's language too.
    patch_vary_headers(response, ["Accept-Language", "Cookie"] if unprefixed else ["Cookie"])
    return response
