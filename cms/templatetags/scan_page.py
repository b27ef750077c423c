"""Template helpers for the scan page: status words with icons, JSON-LD."""

import decimal
import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from merchants.templatetags import archive_words
from merchants.templatetags.archive_dates import day as day_html
from merchants.templatetags.archive_words import CJK, is_english_page, term

register = template.Library()
# The archive's words in the page's language (glossary, "original Chinese"), shared with
# every public page: the same functions under the names the scan page has always used.
for _name in ("localised_name", "other_name", "chinese_marked"):
    register.filter(_name, archive_words.register.filters[_name])
for _name in ("term", "terms", "original"):
    register.tag(_name, archive_words.register.tags[_name])

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


@register.simple_tag(takes_context=True)
def inspection_badge(context, inspection):
    icon, tone = _INSPECTION[inspection.result]
    return _badge(icon, tone, term(context, "inspection_result", inspection.result))


@register.simple_tag
def licence_expiry(licence, day):
    """When a licence in force runs out; nothing for a suspended or revoked one.

    A bare "until" beside "suspended" reads as the end of the suspension.
    """
    if not licence.expires_on or not licence.is_in_force:
        return ""
    date = day_html(licence.expires_on)
    if licence.status_on(day) == type(licence).Status.EXPIRED:
        return format_html(_("expired on {date}"), date=date)
    return format_html(_("valid until {date}"), date=date)


@register.simple_tag
def identifier(value):
    """A licence or decision number: never broken; marked when it is Chinese on an English page."""
    if is_english_page() and CJK.search(str(value)):
        return format_html('<span class="code original" lang="zh-Hans">{}</span>', value)
    return format_html('<span class="code">{}</span>', value)


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


@register.simple_tag
def address(merchant):
    """The English address first on English pages; the Chinese one always (taxis need it)."""
    chinese = ""
    if merchant.address:
        chinese = format_html('<span class="address" lang="zh-Hans">{}</span>', merchant.address)
    if is_english_page() and merchant.address_en:
        if chinese:
            return format_html("{} · {}", merchant.address_en, chinese)
        return merchant.address_en
    return chinese


@register.filter
def money(amount):
    """An amount of yuan, once, with thousands separators and the currency, for this page."""
    if amount is None:
        return ""
    value = decimal.Decimal(amount)
    figures = f"{value:,.2f}"
    if figures.endswith(".00"):
        figures = figures[:-3]
    return format_html('<span class="nb">{}</span>', _("CNY %(amount)s") % {"amount": figures})


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
