"""Leaving and reporting a review: plain form posts that work without JavaScript.

The views coordinate; the rules live elsewhere: presence in ``presence``,
counters in ``limits``, holding and storing in ``Review.objects.receive``.
Every refusal is a page in the visitor's language with its own status:
403 without a recent scan, 429 with Retry-After when a limit is reached,
503 when the counters (Redis) cannot be reached, in which case nothing is
stored.
"""

import datetime
import math

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse, translate_url
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from merchants.models import Merchant

from . import limits, phones, presence, reviewed
from .forms import ReportForm, ReviewForm
from .models import Review, ReviewReport
from .visitors import Visitor

#: How long a visitor is asked to wait when the counters cannot be reached.
UNAVAILABLE_RETRY_AFTER = 60


def _merchant(code):
    merchant = Merchant.objects.select_related("precinct").lookup(code).merchant
    if merchant is None:
        raise Http404
    return merchant


def _see_other(url):
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _other_language(request):
    """The language toggle: the same page (a GET of it) in the other language."""
    other = "en" if translation.get_language() == "zh-hans" else "zh-hans"
    path = request.path if request.method == "POST" else request.get_full_path()
    return {"other_language": other, "other_language_url": translate_url(path, other)}


def _page(request, merchant, template, context=None, status=200):
    context = {
        "merchant": merchant,
        "merchant_url": reverse("cms:merchant", args=[merchant.code]),
        **_other_language(request),
        **(context or {}),
    }
    return render(request, template, context, status=status)


def refused(request, merchant, reason, status, retry_after=None, form=None, reviewed_at=None):
    """The page for a review or report that cannot be taken, with its status and Retry-After.

    A short-window refusal of a review (``limited``) shows the form again as the
    visitor filled it, so nothing typed is lost; they send it again later.
    """
    until = None
    if retry_after is not None:
        until = timezone.localtime() + datetime.timedelta(seconds=retry_after)
    if reviewed_at is not None:
        until = reviewed.again_from(reviewed_at)
    template = "ratings/refused.html"
    if form is not None and reason == "limited":
        template = "ratings/review_page.html"
    response = _page(
        request,
        merchant,
        template,
        {
            "reason": reason,
            "until": until,
            "reviewed_at": reviewed_at,
            "form": form,
            "scan_hours": settings.PLACARD_SCAN_MAX_AGE // 3600,
            "days": settings.REVIEW_ONE_PER_DEVICE_DAYS,
        },
        status=status,
    )
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    if reviewed_at is not None:
        reviewed.remember(request, response, merchant.code, reviewed_at)
    return response


def _already_reviewed(request, merchant, visitor, now):
    """The refusal for a device that reviewed this merchant within the period, or None."""
    if visitor.new_device:
        return None
    period = datetime.timedelta(days=settings.REVIEW_ONE_PER_DEVICE_DAYS)
    previous = (
        Review.objects.filter(merchant=merchant)
        .from_device(visitor.device, now - period, now)
        .order_by("-created_at")
        .only("created_at")
        .first()
    )
    if previous is None:
        return None
    wait = math.ceil((previous.created_at + period - now).total_seconds())
    return refused(
        request, merchant, "already_reviewed", 429, max(1, wait), reviewed_at=previous.created_at
    )


def _verify_phone(request, merchant, form, visitor):
    """None once the code sent to the visitor's phone has come back; else the page to show.

    Without a code in the form, a code is sent and the form comes back asking
    for it, everything typed still in place.
    """
    number, code = form.cleaned_data["phone"], form.cleaned_data["code"]
    context = {"form": form, "code_sent_to": phones.masked(number)}
    try:
        if not code:
            exceeded = phones.send_code(request, number, visitor.device, visitor.ip)
            if exceeded:
                return refused(request, merchant, "limited", 429, exceeded.retry_after, form=form)
            return _page(request, merchant, "ratings/review_page.html", context)
        right, exceeded = phones.check_code(request, number, visitor.device, code)
    except limits.CountersUnavailable:
        return refused(request, merchant, "unavailable", 503, UNAVAILABLE_RETRY_AFTER)
    if right:
        return None
    if exceeded:
        return refused(request, merchant, "limited", 429, exceeded.retry_after, form=form)
    form.add_error("code", _("That is not the code we sent, or it has expired."))
    return _page(request, merchant, "ratings/review_page.html", context, status=400)


def _receive(request, merchant, scan, form, visitor):
    now = timezone.now()
    refusal = _already_reviewed(request, merchant, visitor, now)
    if refusal:
        return refusal
    device_merchant = f"{visitor.device}:{merchant.pk}"
    try:
        exceeded = [
            limits.hit(request, "ip", visitor.ip),
            limits.hit(request, "device", visitor.device),
        ]
        worst = max(filter(None, exceeded), key=lambda e: e.retry_after, default=None)
        if worst:
            return refused(request, merchant, "limited", 429, worst.retry_after, form=form)
        # Counted only once every other limit passed: a refused attempt must
        # not cost the device its one review of this merchant.
        if limits.hit(request, "device_merchant", device_merchant):
            wait = settings.REVIEW_ONE_PER_DEVICE_DAYS * 24 * 3600
            return refused(
                request,
                merchant,
                "already_reviewed",
                429,
                wait,
                reviewed_at=reviewed.reviewed_at(request, merchant.code),
            )
        burst = limits.hit(request, "merchant_burst", str(merchant.pk)) is not None
    except limits.CountersUnavailable:
        return refused(request, merchant, "unavailable", 503, UNAVAILABLE_RETRY_AFTER)
    try:
        review = Review.objects.receive(
            merchant,
            scan,
            ip=visitor.ip,
            device=visitor.device,
            burst=burst,
            crowded=presence.is_crowded(scan, merchant),
            phone_hash=phones.number_hash(form.cleaned_data["phone"])
            if "phone" in form.fields
            else "",
            now=now,
            **form.review_fields(),
        )
    except Exception:
        limits.give_back(request, "device_merchant", device_merchant)
        raise
    url = reverse("ratings:thanks", args=[merchant.code])
    response = _see_other(url + ("?held=1" if not review.is_public else ""))
    reviewed.remember(request, response, merchant.code, now)
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def review(request, code):
    """GET: the review form on a page of its own; POST: take the review."""
    merchant = _merchant(code)
    scan = presence.scan_for(request, merchant)
    if scan is None:
        return refused(request, merchant, "not_scanned", 403)
    if request.method != "POST":
        reviewed_at = reviewed.reviewed_at(request, merchant.code)
        if reviewed_at is not None:
            # This phone reviewed it lately: say when, rather than offer a form it cannot send.
            return refused(request, merchant, "already_reviewed", 200, reviewed_at=reviewed_at)
        return _page(request, merchant, "ratings/review_page.html", {"form": ReviewForm(merchant)})
    form = ReviewForm(merchant, request.POST)
    if not form.is_valid():
        return _page(request, merchant, "ratings/review_page.html", {"form": form}, status=400)
    visitor = Visitor.from_request(request)
    response = None
    if settings.REVIEW_PHONE_VERIFICATION:
        response = _verify_phone(request, merchant, form, visitor)
    if response is None:
        response = _receive(request, merchant, scan, form, visitor)
    visitor.remember(request, response)
    return response


@require_safe
def thanks(request, code):
    merchant = _merchant(code)
    reviewed_at = reviewed.reviewed_at(request, merchant.code)
    again = reviewed.again_from(reviewed_at) if reviewed_at else None
    return _page(
        request,
        merchant,
        "ratings/thanks.html",
        {"held": "held" in request.GET, "again": again},
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def report(request, code, pk):
    """Report a published review to staff; no scan needed, one report per device and review."""
    merchant = _merchant(code)
    review = get_object_or_404(Review.objects.published(), pk=pk, merchant=merchant)
    form = ReportForm(request.POST if request.method == "POST" else None)
    if not form.is_valid():
        status = 400 if request.method == "POST" else 200
        return _page(
            request, merchant, "ratings/report_page.html", {"form": form, "review": review}, status
        )
    visitor = Visitor.from_request(request)
    try:
        exceeded = limits.hit(request, "report_ip", visitor.ip)
    except limits.CountersUnavailable:
        return refused(request, merchant, "unavailable", 503, UNAVAILABLE_RETRY_AFTER)
    if exceeded:
        response = refused(request, merchant, "limited", 429, exceeded.retry_after)
    else:
        ReviewReport.file(review, form.cleaned_data["reason"], visitor.ip, visitor.device)
        response = _see_other(reverse("ratings:reported", args=[merchant.code, review.pk]))
    visitor.remember(request, response)
    return response


@require_safe
def reported(request, code, pk):
    merchant = _merchant(code)
    return _page(request, merchant, "ratings/reported.html")
