"""The merchant scan page: served from the archive, cached per merchant and language.

It bypasses Wagtail's page tree on purpose: tree routing costs a query per path
segment, and this is the page every placard scan lands on. What the page shows
is composed in ``merchant_page``; this view only picks the language, checks the
code, and serves from or fills the cache.
"""

from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from merchants import dates
from merchants.models import Merchant, Objection
from ratings.models import Result

from . import languages, merchant_page, page_cache, shared_cache


def error_page(request, status, code, reason=None):
    html = render_to_string(
        "cms/merchant_not_found.html", {"code": code, "reason": reason, "status": status}, request
    )
    return HttpResponse(html, status=status)


@require_safe
def merchant(request, code):
    """/m/<code>/: the page a placard scan lands on."""
    chosen = languages.choose_language(request)
    if chosen:
        return chosen
    lookup = Merchant.objects.lookup(code, related=("precinct", "association"))
    if lookup.problem:
        return error_page(request, 400, code, lookup.problem)
    if not lookup.is_canonical:
        return HttpResponseRedirect(reverse("cms:merchant", args=[lookup.code]))
    unprefixed = languages.is_unprefixed(request)
    redirect = languages.follow_browser(request)
    if redirect:
        return redirect

    language = translation.get_language()
    page = page_cache.get(lookup.code, language)
    if page is None:
        if lookup.merchant is None:
            return error_page(request, 404, code)
        day = dates.today()
        page = merchant_page.render(request, lookup.merchant, day)
        page_cache.store(lookup.code, language, page, day)
    response = HttpResponse(merchant_page.fill_slots(request, lookup.code, page))
    # Public for visitors without a scan cookie (cms.shared_cache), else this visitor's own.
    shared_cache.mark(request, response)
    # The unprefixed (Chinese) address answers by the browser's language too.
    patch_vary_headers(response, ["Accept-Language", "Cookie"] if unprefixed else ["Cookie"])
    return response


@require_safe
def merchant_rating(request, code):
    """/m/<code>/rating/: how the latest published rating was reached, indicator by indicator."""
    chosen = languages.choose_language(request)
    if chosen:
        return chosen
    lookup = Merchant.objects.select_related("precinct").lookup(code)
    if lookup.problem:
        return error_page(request, 400, code, lookup.problem)
    if not lookup.is_canonical:
        return HttpResponseRedirect(reverse("cms:merchant_rating", args=[lookup.code]))
    merchant = lookup.merchant
    if merchant is None:
        return error_page(request, 404, code)
    english = translation.get_language() == "en" and merchant.name_en
    name = merchant.name_en if english else merchant.name_zh
    rating = Result.objects.latest_published_for(merchant)
    if rating:
        rating.mark_disputed(Objection.objects.disputed(merchant))
    context = {
        "merchant": merchant,
        "rating": rating,
        "breadcrumbs": [(reverse("cms:merchant", args=[merchant.code]), name)],
    }
    response = render(request, "cms/rating_page.html", context)
    shared_cache.mark(request, response)
    return response
