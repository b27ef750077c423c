"""What reviews add to the merchant page and to the public API.

Registered from ``RatingsConfig.ready()`` through ``cms.page_parts`` and
``merchants.public.api_extensions``, so neither app imports this one:

- the ``reviews`` section (count, average, aspect averages, recent published
  reviews, privacy notice) is rendered once per merchant and language and
  cached with the page; any change in what is published drops the page;
- the ``review_form`` slot is filled on every request: the form with its CSRF
  token for a visitor with a recent scan, else how to leave a review. Without
  a scan cookie for this merchant it costs no query. Both are rendered once per
  process for each merchant, kind and language, with the visitor's CSRF token
  put in per request: rendering the form's radio widgets is what this slot
  would otherwise spend its time on.
"""

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from cms import page_cache, page_parts

from . import aspects, presence
from .forms import ReviewForm
from .models import Review, ReviewText


def reviews_section(request, merchant):
    reviews = Review.objects.filter(merchant=merchant)
    summary = reviews.summary(aspects.for_merchant(merchant))
    shown = list(reviews.published().order_by("-created_at", "-pk")[: settings.REVIEW_SHOWN])
    for review in shown:
        review.merchant = merchant
    context = {
        "merchant": merchant,
        "summary": summary,
        "aspect_averages": [
            (aspects.LABELS[name], average) for name, average in summary.aspect_averages
        ],
        "reviews": shown,
        "minimum": settings.REVIEW_MIN_FOR_AVERAGE,
        "text": ReviewText.objects.for_language(translation.get_language()),
        "scan_hours": settings.PLACARD_SCAN_MAX_AGE // 3600,
        "days": settings.REVIEW_ONE_PER_DEVICE_DAYS,
        "hash_days": settings.REVIEW_HASH_RETENTION_DAYS,
    }
    return render_to_string("ratings/section.html", context, request)


#: Placeholder for the visitor's CSRF token in a rendered form kept for reuse.
TOKEN_MARK = "csrf-token-for-this-visitor"  # noqa: S105 (a placeholder, not a secret)
RENDERED_LIMIT = 1000
_rendered = {}


def _render_once(key, render):
    html = _rendered.get(key)
    if html is None:
        if len(_rendered) >= RENDERED_LIMIT:
            _rendered.clear()
        html = _rendered[key] = render()
    return html


def forget_rendered():
    _rendered.clear()


def review_form_slot(request, merchant_code):
    language = translation.get_language()
    scan = presence.scan_for(request, merchant_code)
    if scan is None:
        return _render_once(
            ("how", language),
            lambda: render_to_string(
                "ratings/how_to_review.html",
                {"scan_hours": settings.PLACARD_SCAN_MAX_AGE // 3600},
            ),
        )
    merchant = scan.placard.merchant
    html = _render_once(
        ("form", merchant_code, merchant.kind, language),
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


def api_reviews(merchant):
    """``{"reviews": {"count": n, "average": x or null}}`` for GET /api/v1/merchants/<code>."""
    summary = Review.objects.filter(merchant=merchant).summary(())
    return {"reviews": {"count": summary.count, "average": summary.average}}


def register():
    from merchants.public import api_extensions

    page_parts.section("reviews")(reviews_section)
    page_parts.slot("review_form")(review_form_slot)
    if api_reviews not in api_extensions:
        api_extensions.append(api_reviews)


@receiver(post_save, sender=ReviewText)
def _text_changed(sender, **kwargs):
    page_cache.forget_all_now_and_after_commit()
