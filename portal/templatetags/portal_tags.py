"""Small template helpers of the portal: the other language's address."""

from django import template
from django.urls import translate_url
from django.utils import translation

register = template.Library()


@register.simple_tag(takes_context=True)
def other_language(context):
    """(code, label, url) of the language the visitor is not reading."""
    request = context["request"]
    other = "en" if translation.get_language() == "zh-hans" else "zh-hans"
    label = "English" if other == "en" else "中文"
    return {"code": other, "label": label, "url": translate_url(request.get_full_path(), other)}
