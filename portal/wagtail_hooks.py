"""The business timeline in the staff admin: the same events the merchant sees, with who acted."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from merchants.admin.permissions import user_may
from merchants.models import Merchant

from . import timeline


def business_timeline(request):
    """Staff who may view merchants give a credit code and read that business's timeline."""
    if not user_may(request.user, Merchant, "view"):
        raise PermissionDenied
    given = request.GET.get("code", "")
    lookup = Merchant.objects.lookup(given) if given else None
    merchant = lookup.merchant if lookup else None
    problem = None
    if lookup and lookup.problem:
        problem = lookup.problem
    elif lookup and merchant is None:
        problem = _("No merchant has this credit code.")
    return render(
        request,
        "portal/admin/timeline.html",
        {
            "given": given,
            "problem": problem,
            "merchant": merchant,
            "events": timeline.for_merchant(merchant) if merchant else [],
            "page_title": _("Business timeline"),
            "header_icon": "history",
        },
    )


@hooks.register("register_admin_urls")
def register_timeline_url():
    return [path("business-timeline/", business_timeline, name="business_timeline")]


class TimelineMenuItem(MenuItem):
    def is_shown(self, request):
        return user_may(request.user, Merchant, "view")


@hooks.register("register_admin_menu_item")
def register_timeline_menu_item():
    return TimelineMenuItem(
        _("Business timeline"), reverse("business_timeline"), icon_name="history", order=158
    )
