"""Wagtail's own admin strings that its zh-Hans catalogue leaves in English.

Listed here so that ``makemessages`` puts them in our catalogue, which Django
consults before Wagtail's (``LOCALE_PATHS``); the admin then reads in Chinese
throughout. Nothing imports this module: it only carries the strings. Add a
string when a screenshot of the Chinese admin shows it in English.
"""

from django.utils.translation import gettext_noop

WAGTAIL_STRINGS = (
    gettext_noop("Search all pages…"),
    gettext_noop("Go to the first error"),
    gettext_noop("New: %(model_name)s"),
    gettext_noop("Actions (footer)"),
    gettext_noop("Save your changes before leaving"),
)
