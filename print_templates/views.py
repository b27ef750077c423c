"""The public scan URL printed in every placard's QR code."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from merchants import dates

from . import scans, tokens
from .models import CounterfeitScan, Placard, PlacardScan


@never_cache
@require_GET
def scan(request, token):
    """GET /q/<token>: count the scan, remember it, and show the merchant.

    A token whose signature does not verify (hand-made or altered) gets a
    warning page with HTTP 404 and is counted, with no personal data, per day.
    """
    serial = tokens.verify(token)
    placard = None
    if serial is not None:
        placard = Placard.objects.by_serial(serial).select_related("merchant").first()
    if placard is None:
        CounterfeitScan.record(token, dates.today())
        return render(
            request,
            "print_templates/counterfeit.html",
            {"domain": tokens.domain()},
            status=404,
        )
    PlacardScan.bump(dates.today(), placard=placard)
    scans.note_network(request, placard)
    response = redirect(reverse("cms:merchant", args=[placard.merchant.code]))
    scans.remember(request, response, placard)
    return response
