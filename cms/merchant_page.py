"""The merchant scan page, composed from the archive and the apps that add to it.

Read top to bottom, this is the whole page: the archive and its verdict line
(``merchants``), the latest published star rating and its breakdown, the
reviews section and review form (``ratings``) and the placard banner
(``print_templates``, told the current rating by this module). What is the
same for every visitor is rendered once per merchant and language into the
cached HTML; what depends on the visitor (the *slots*) is filled into that
HTML on every request, so it must stay cheap.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from merchants import glossary
from merchants.models import Objection
from print_templates.scans import banner_html
from ratings.merchant_page import review_form_slot, reviews_section
from ratings.models import Result
from ratings.plaques import level_words

from . import languages
from .models import PrecinctPage, ScanPageText

SLOT_MARK = "<!--slot:%s-->"


def placard_banner(request, merchant_code):
    """The scanned placard's notice; an outdated or withdrawn plaque is told the rating now."""
    return banner_html(
        request,
        merchant_code,
        current_level=lambda: level_words(Result.objects.latest_published_for(merchant_code)),
    )


#: The per-visitor parts, ``function(request, merchant_code) -> html``:
#: the genuine/outdated/revoked placard notice (from the scan cookie) and the
#: review form (with the visitor's CSRF token) or how to leave a review.
SLOTS = {"banner": placard_banner, "review_form": review_form_slot}


def exposure_board_url(precinct_page):
    return f"{precinct_page.url}exposure/" if precinct_page else ""


def render(request, merchant, day):
    """The page as every visitor sees it on ``day``, with a mark where each slot goes.

    Returned as UTF-8 bytes, the form the page cache keeps and the response sends.
    """
    language = translation.get_language()
    other_language, other_language_url = languages.toggle(request)
    # Records with an open objection stay public, marked "under objection".
    archive = Objection.objects.mark_disputed(merchant.public_archive(day))
    precinct_page = (
        PrecinctPage.objects.live()
        .filter(precinct=merchant.precinct, locale__language_code=language)
        .first()
    )
    rating = Result.objects.latest_published_for(merchant)
    if rating:
        # A rating or score under objection stays shown, marked (no query without one).
        rating.mark_disputed(archive.disputed)
    context = {
        "merchant": merchant,
        "archive": archive,
        "verdict": archive.verdict(),
        "rating": rating,
        "today": day,
        # Read once for the whole page, from the shared cache (no query when warm).
        "glossary": glossary.current(),
        "text": ScanPageText.objects.for_language(language),
        "precinct_page": precinct_page,
        "exposure_board_url": exposure_board_url(precinct_page),
        "other_language": other_language,
        "other_language_url": other_language_url,
        # Cached and shared by every visitor: never from this request's Host.
        "canonical_url": settings.PUBLIC_BASE_URL + request.path,
        "slots": {name: mark_safe(SLOT_MARK % name) for name in SLOTS},  # noqa: S308
    }
    context["sections"] = {
        "verdict": render_to_string("cms/verdict.html", context, request),
        "how_rated": render_to_string("cms/how_rated.html", context, request),
        "reviews": mark_safe(reviews_section(request, merchant)),  # noqa: S308
    }
    return render_to_string("cms/merchant_page.html", context, request).encode()


#: The marks as they appear in a cached page's UTF-8 bytes.
SLOT_MARKS = {name: (SLOT_MARK % name).encode() for name in SLOTS}


def fill_slots(request, merchant_code, page):
    """Put this visitor's parts into a page from the cache (UTF-8 bytes in and out)."""
    for name, slot in SLOTS.items():
        mark = SLOT_MARKS[name]
        if mark in page:
            page = page.replace(mark, slot(request, merchant_code).encode(), 1)
    return page
