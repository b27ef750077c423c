"""Template helpers for the scan page: status words with icons, JSON-LD."""

import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()

# Icon and tone per status: the word always goes with them, never colour alone.
_LICENCE = {
    "valid": ("✓", "good"),
    "expiring": ("!", "warn"),
    "expired": ("✕", "bad"),
    "suspended": ("‖", "bad"),
    "revoked": ("✕", "bad"),
}
_INSPECTION = {"pass": ("✓", "good"), "rectify": ("!", "warn"), "fail": ("✕", "bad")}


def _badge(icon, tone, word):
    return format_html(
        '<span class="badge {}"><span aria-hidden="true">{}</span> {}</span>', tone, icon, word
    )


@register.simple_tag
def licence_badge(licence, day):
    status = licence.status_on(day)
    icon, tone = _LICENCE[status]
    return _badge(icon, tone, type(licence).Status(status).label)


@register.simple_tag
def inspection_badge(inspection):
    icon, tone = _INSPECTION[inspection.result]
    return _badge(icon, tone, inspection.get_result_display())


@register.simple_tag
def days_ago(inspection, day):
    days = inspection.days_ago(day)
    if days == 0:
        return _("today")
    return ngettext("%(days)d day ago", "%(days)d days ago", days) % {"days": days}


@register.simple_tag(takes_context=True)
def json_ld(context):
    """schema.org description of the business, with the credit code as identifier."""
    merchant = context["merchant"]
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalClinic" if merchant.is_clinic else "LocalBusiness",
        "name": merchant.name_zh,
        "alternateName": merchant.name_en or None,
        "identifier": {
            "@type": "PropertyValue",
            "propertyID": "统一社会信用代码",
            "value": merchant.code,
        },
        "address": merchant.address or None,
        "url": context["canonical_url"],
    }
    if merchant.is_clinic and merchant.specialty_list():
        data["medicalSpecialty"] = merchant.specialty_list()
    text = json.dumps({k: v for k, v in data.items() if v is not None}, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308


@register.filter
def localised_name(obj, language):
    """The English name in English when there is one, else the Chinese name."""
    if language == "en" and getattr(obj, "name_en", ""):
        return obj.name_en
    return obj.name_zh


@register.filter
def other_name(obj, language):
    if language == "en":
        return obj.name_zh if obj.name_en else ""
    return obj.name_en


@register.simple_tag
def star_row(stars, out_of=5):
    """Filled and empty stars for the eye, "N of 5 stars" for a screen reader."""
    stars = int(stars or 0)
    label = ngettext("%(stars)d of %(most)d star", "%(stars)d of %(most)d stars", out_of) % {
        "stars": stars,
        "most": out_of,
    }
    return format_html(
        '<span class="stars" role="img" aria-label="{}">{}<span class="off">{}</span></span>',
        label,
        "★" * stars,
        "★" * (out_of - stars),
    )
