"""The frame of every public page but the scan page: the language toggle and the breadcrumb."""

from django import template
from django.urls import translate_url
from wagtail.models import Locale

register = template.Library()

_OTHER = {"zh-hans": ("en", "English"), "en": ("zh-hans", "中文")}


@register.simple_tag(takes_context=True)
def language_toggle(context):
    """(language code, label, URL) of the other language's version of this page."""
    request = context["request"]
    current = context.get("LANGUAGE_CODE") or "zh-hans"
    code, label = _OTHER.get(current, _OTHER["zh-hans"])
    page = context.get("page")
    url = None
    if page is not None and hasattr(page, "get_translation_or_none"):
        locale = Locale.objects.filter(language_code=code).first()
        other = page.get_translation_or_none(locale) if locale else None
        if other is not None and other.live:
            url = other.get_url(request)
    if url is None:
        url = translate_url(request.path, code)
    suffix = f"?{request.GET.urlencode()}" if request.GET and page is not None else ""
    return {
        "code": code,
        "label": label,
        "url": f"{url}{suffix}",
        "lang": "en" if code == "en" else "zh-Hans",
    }


@register.simple_tag(takes_context=True)
def breadcrumb(context):
    """[(url, title)] from the home page down to this page's parent (one query)."""
    page = context.get("page")
    if page is None:
        return []
    request = context["request"]
    # Plain pages: a title and a URL need no page type's own fields (no query per type).
    ancestors = page.get_ancestors().live().filter(depth__gt=1)
    return [(ancestor.get_url(request), ancestor.title) for ancestor in ancestors]
