"""Stars drawn for the eye and spelled out for screen readers."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def stars(count, out_of=5, spoken=True):
    """``★★★★☆`` hidden from assistive technology, with "4 of 5 stars" for it instead.

    ``spoken=False`` when the exact figure is written next to the stars (an
    average of 3.8 drawn as four stars must not be read out as "4 of 5").
    """
    count = round(count)
    drawn = format_html(
        '<span class="stars" aria-hidden="true">{}{}</span>', "★" * count, "☆" * (out_of - count)
    )
    if not spoken:
        return drawn
    said = gettext("%(count)s of %(out_of)s stars") % {"count": count, "out_of": out_of}
    return format_html('{}<span class="sr-only">{}</span>', drawn, said)
