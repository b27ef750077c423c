"""Parts of the merchant page that other apps provide, without cms importing them.

Two kinds, registered from an app's ``AppConfig.ready()``:

- a *section* is rendered once per merchant and language and cached with the
  page (for example published reviews and their average): ``section(name)``
  decorates ``func(request, merchant) -> html``;
- a *slot* depends on the visitor and is filled on every request, after the
  cached page is fetched (for example the placard banner or the review form,
  which carries a CSRF token): ``slot(name)`` decorates
  ``func(request, merchant_code) -> html``. It must stay cheap: it runs on the
  hot path.

The page template places them with ``{{ sections.NAME }}`` and ``{{ slots.NAME }}``.
"""

from django.utils.safestring import mark_safe

_sections = {}
_slots = {}

SLOT_MARK = "<!--slot:%s-->"


def section(name):
    def register(func):
        _sections[name] = func
        return func

    return register


def slot(name):
    def register(func):
        _slots[name] = func
        return func

    return register


def render_sections(request, merchant):
    return {name: mark_safe(func(request, merchant)) for name, func in _sections.items()}  # noqa: S308


def slot_marks():
    """Placeholders written into the cached page, one per known slot name."""

    class Marks(dict):
        def __missing__(self, name):
            return mark_safe(SLOT_MARK % name)  # noqa: S308

    return Marks()


def fill_slots(request, merchant_code, html):
    for name, func in _slots.items():
        mark = SLOT_MARK % name
        if mark in html:
            html = html.replace(mark, func(request, merchant_code), 1)
    return html
