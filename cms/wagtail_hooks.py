"""What cms adds to the staff admin: a link from a merchant's admin page to its public page."""

from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks

from merchants.admin.dashboard import Task


@hooks.register("merchant_admin_links")
def public_page(merchant, user):
    """The page a visitor sees on scanning the merchant's placard (no count)."""
    return [Task(_("Public page"), None, reverse("cms:merchant", args=[merchant.code]))]
