"""Parts every public page shares: the language toggle."""

from django import template
from django.utils.html import format_html

from cms import languages

register = template.Library()


@register.simple_tag(takes_context=True)
def language_toggle(context):
    """A link to this page in the other language; the choice is remembered."""
    request = context.get("request")
    if request is None:
        return ""
    other, url = languages.toggle(request)
    label, lang = ("English", "en") if other == "en" else ("中文", "zh-Hans")
    return format_html(
        '<a class="lang" href="{}" lang="{}" hreflang="{}">{}</a>', url, lang, lang, label
    )
