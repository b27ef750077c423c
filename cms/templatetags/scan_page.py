"""Template helpers for the scan page: status words with icons, JSON-LD."""

import decimal
import json
import re

from django import template
from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from merchants.models import GlossaryTerm
from merchants.templatetags.archive_dates import day as day_html

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
    if _is_english_page() and _CJK.search(str(value)):
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


# Words in the page's language ------------------------------------------------

_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")


def _is_english_page():
    return translation.get_language() == "en"


def _marked_original(text):
    """Chinese text on an English page: marked, so a reader (and a screen reader) knows."""
    return format_html(
        '<small class="orig-tag">{}</small> <span class="original" lang="zh-Hans">{}</span>',
        _("original Chinese"),
        text,
    )


@register.simple_tag(takes_context=True)
def term(context, vocabulary, value):
    """An archive value of a vocabulary (authority, kind, list…) in the page's language.

    Kinds and results have built-in wording in both languages; on English pages
    the glossary's English wins. Authorities and specialties are Chinese names:
    their English comes from the glossary, else they are shown marked as Chinese.
    """
    if not value:
        return ""
    coded = GlossaryTerm.CODED.get(vocabulary)
    english = context["glossary"].english(vocabulary, value) if _is_english_page() else ""
    if english:
        return english
    if coded is not None:
        try:
            return coded(value).label
        except ValueError:
            return value
    if _is_english_page() and _CJK.search(str(value)):
        return _marked_original(value)
    return value


@register.simple_tag(takes_context=True)
def terms(context, vocabulary, values, separator=None):
    """Several values of one vocabulary, joined in the page's language."""
    separator = separator or (", " if _is_english_page() else "、")
    return mark_safe(  # noqa: S308 (each part is escaped by term())
        separator.join(conditional_escape(term(context, vocabulary, value)) for value in values)
    )


@register.simple_tag
def original(text, english=""):
    """Free text kept in Chinese (findings, a violation, a reason).

    On English pages the English summary comes first when there is one, and
    the Chinese follows, marked as the original.
    """
    if not text:
        return english if _is_english_page() else ""
    if not _is_english_page() or not _CJK.search(text):
        return text
    if english:
        return format_html("{}<br>{}", english, _marked_original(text))
    return _marked_original(text)


@register.simple_tag
def address(merchant):
    """The English address first on English pages; the Chinese one always (taxis need it)."""
    chinese = ""
    if merchant.address:
        chinese = format_html('<span class="address" lang="zh-Hans">{}</span>', merchant.address)
    if _is_english_page() and merchant.address_en:
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


_CJK_RUN = re.compile(
    r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+(?:[\s\d\-]*[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+)*"
)


@register.filter
def chinese_marked(text):
    """A sentence in the page's language that quotes Chinese free text (a reason, a name).

    On English pages each Chinese run is marked as the original, as ``original``
    marks a whole field; elsewhere the text is shown as it is (escaped).
    """
    text = str(text or "")
    if not _is_english_page() or not _CJK.search(text):
        return text
    parts, last = [], 0
    for match in _CJK_RUN.finditer(text):
        parts.append(conditional_escape(text[last : match.start()]))
        parts.append(_marked_original(match.group(0)))
        last = match.end()
    parts.append(conditional_escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 (every part is escaped above)
