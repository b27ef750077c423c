"""What reviews add to the merchant page and to the public API (which ``cms`` composes).

- the ``reviews`` section (count, average, aspect averages, recent published
  reviews, privacy notice) is rendered once per merchant and language and
  cached with the page; any change in what is published drops the page;
- the ``review_form`` slot is filled on every request: "you reviewed this
  business on DATE" for a device that did (from the ``reviewed`` cookie), the
  form with its CSRF token for a visitor with a recent scan, else how to leave
  a review. Without a scan cookie for this merchant it costs no query. Both are rendered once per
  process for each merchant, kind and language (kept in the per-process
  ``local`` cache), with the visitor's CSRF token put in per request:
  rendering the form's radio widgets is what this slot would otherwise spend
  its time on;
- ``review_summary`` is the API's review count and average.
"""

from django.conf import settings
from django.core.cache import caches
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from . import aspects, presence, reviewed
from .forms import ReviewForm
from .models import Review, ReviewText


def shown_reviews(merchant):
    """What a page shows of the merchant's reviews: the summary, its aspect averages with
    their labels, and the newest ``REVIEW_SHOWN`` published reviews with their replies.
    Two queries; the scan page and the merchant's portal both show this."""
    reviews = Review.objects.filter(merchant=merchant)
    summary = reviews.summary(aspects.for_merchant(merchant))
    shown = list(
        reviews.published()
        .select_related("reply")
        .order_by("-created_at", "-pk")[: settings.REVIEW_SHOWN]
    )
    for review in shown:
        review.merchant = merchant
    return {
        "summary": summary,
        "aspect_averages": [
            (aspects.LABELS[name], average) for name, average in summary.aspect_averages
        ],
        "reviews": shown,
    }


def reviews_section(request, merchant):
    context = {
        "merchant": merchant,
        **shown_reviews(merchant),
        "minimum": settings.REVIEW_MIN_FOR_AVERAGE,
        "text": ReviewText.objects.for_language(translation.get_language()),
        "scan_hours": settings.PLACARD_SCAN_MAX_AGE // 3600,
        "days": settings.REVIEW_ONE_PER_DEVICE_DAYS,
        "hash_days": settings.REVIEW_HASH_RETENTION_DAYS,
    }
    return render_to_string("ratings/section.html", context, request)


#: Placeholder for the visitor's CSRF token in a rendered form kept for reuse.
TOKEN_MARK = "csrf-token-for-this-visitor"  # noqa: S105 (a placeholder, not a secret)
#: The rendered form depends only on templates and settings: keep it for the process's life.
RENDERED_SECONDS = None


def _render_once(key, render):
    local = caches["local"]
    html = local.get(key)
    if html is None:
        html = render()
        local.set(key, html, RENDERED_SECONDS)
    return html


def review_form_slot(request, merchant_code):
    language = translation.get_language()
    reviewed_at = reviewed.reviewed_at(request, merchant_code)
    if reviewed_at is not None:
        # This device reviewed the merchant lately (from its cookie: no query).
        return render_to_string(
            "ratings/reviewed_slot.html",
            {"reviewed": reviewed_at, "again": reviewed.again_from(reviewed_at)},
        )
    scan = presence.scan_for(request, merchant_code)
    if scan is None:
        return _render_once(
            f"reviews:how:{language}",
            lambda: render_to_string(
                "ratings/how_to_review.html",
                {"scan_hours": settings.PLACARD_SCAN_MAX_AGE // 3600},
            ),
        )
    merchant = scan.placard.merchant
    html = _render_once(
        f"reviews:form:{merchant_code}:{merchant.kind}:{language}",
        lambda: render_to_string(
            "ratings/form_slot.html",
            {
                "form": ReviewForm(merchant),
                "action": reverse("ratings:review", args=[merchant_code]),
                "csrf_token": TOKEN_MARK,
            },
        ),
    )
    return html.replace(TOKEN_MARK, get_token(request), 1)


def review_summary(merchant):
    """``{"count": n, "average": x or null}``: the reviews part of the public API."""
    summary = Review.objects.filter(merchant=merchant).summary(())
    return {"count": summary.count, "average": summary.average}
