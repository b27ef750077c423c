"""Wagtail admin widgets that start without inline script, for the Content-Security-Policy.

Wagtail's chooser widgets (merchants, pages, images, documents, snippets,
tasks) follow their markup with ``<script>new Chooser(id, options)</script>``;
the date and time pickers with ``<script>initDateChooser(id, options)</script>``.
The policy forbids inline script, so those widgets would not start. Both say
the same thing as data on a hidden mark instead, and
``merchants/static/merchants/admin/pickers.js`` (one external file, loaded on
every admin page) makes the same call. The pickers do it through template
overrides (``templates/wagtailadmin/widgets/*_input.html``); the choosers
through ``use_data_marks()``, called once from ``MerchantsConfig.ready``,
which gives ``BaseChooser`` a ``render`` that writes the mark.
"""

import json

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail.admin.widgets.chooser import BaseChooser


def chooser_mark(constructor, id_, options):
    """The hidden element pickers.js turns into ``new <constructor>(id_, options)``."""
    return format_html(
        '<span hidden data-chengxin-construct="{}" data-picker-for="{}" '
        'data-picker-config="{}"></span>',
        constructor,
        id_,
        json.dumps(options),
    )


def _render(self, name, value, attrs=None, renderer=None):
    try:
        id_ = attrs["id"]
    except (KeyError, TypeError) as error:
        raise TypeError("BaseChooser cannot be rendered without an 'id' attribute") from error
    value_data = self.get_value_data(value)
    html = self.render_html(name, value_data, attrs)
    options = self.get_js_init_options(id_, name, value_data)
    return mark_safe(html + chooser_mark(self.js_constructor, id_, options))  # noqa: S308


def use_data_marks():
    BaseChooser.render = _render
