"""The archive's values in the page's language, for every public and portal page.

Authorities and specialties are Chinese names whose English staff keep in the
glossary (``merchants.glossary``); kinds and results have built-in wording in
both languages; free text (findings, violations, reasons) stays Chinese and is
marked "original Chinese" on English pages, so a reader (and a screen reader)
knows what they are looking at. A template gives the glossary as
``glossary`` in its context, or it is read here (from the shared cache).
"""

import re

from django import template
from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from merchants import glossary as archive_glossary
from merchants.models import GlossaryTerm

register = template.Library()


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


def _glossary(context):
    found = context.get("glossary")
    if found is None:
        found = context["glossary"] = archive_glossary.current()
    return found


CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")


def is_english_page():
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
    english = _glossary(context).english(vocabulary, value) if is_english_page() else ""
    if english:
        return english
    if coded is not None:
        try:
            return coded(value).label
        except ValueError:
            return value
    if is_english_page() and CJK.search(str(value)):
        return _marked_original(value)
    return value


@register.simple_tag(takes_context=True)
def terms(context, vocabulary, values, separator=None):
    """Several values of one vocabulary, joined in the page's language."""
    separator = separator or (", " if is_english_page() else "、")
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
        return english if is_english_page() else ""
    if not is_english_page() or not CJK.search(text):
        return text
    if english:
        return format_html("{}<br>{}", english, _marked_original(text))
    return _marked_original(text)


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
    if not is_english_page() or not CJK.search(text):
        return text
    parts, last = [], 0
    for match in _CJK_RUN.finditer(text):
        parts.append(conditional_escape(text[last : match.start()]))
        parts.append(_marked_original(match.group(0)))
        last = match.end()
    parts.append(conditional_escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 (every part is escaped above)
