"""The aspects a visitor rates besides the overall stars, by kind of business.

Shops, restaurants and stalls are rated on what the Beijing Road programme asks
(product quality, service attitude, honest pricing); clinics on what a patient
can judge at reception (service attitude, explanation of treatment and fees,
environment and hygiene). Each aspect is a column on ``Review``.
"""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "product_quality": _("Product quality"),
    "service_attitude": _("Service attitude"),
    "honest_pricing": _("Honest, clearly marked prices"),
    "explanation": _("Explanation of treatment and fees"),
    "hygiene": _("Environment and hygiene"),
}

SHOP = ("product_quality", "service_attitude", "honest_pricing")
CLINIC = ("service_attitude", "explanation", "hygiene")
ALL = tuple(LABELS)


def for_merchant(merchant):
    """The aspect names rated for ``merchant`` (a Merchant or its kind), in display order."""
    kind = getattr(merchant, "kind", merchant)
    return CLINIC if kind == "clinic" else SHOP
