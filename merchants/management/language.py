"""The one rule for the language management commands speak: the shell's locale.

Like other command-line tools, a command answers in Chinese when the locale it
runs under is Chinese (``LC_ALL``, else ``LC_MESSAGES``, else ``LANG``, e.g.
``zh_CN.UTF-8``) and in English otherwise, including when none is set (cron,
containers). Every command of ours derives from ``Command`` here, so
``LANG=zh_CN.UTF-8 manage.py import_credit …`` and ``… print_placards …``
answer in the same language.
"""

import os

from django.core.management.base import BaseCommand
from django.utils import translation


def command_language(environ=None):
    """``zh-hans`` or ``en``, from the first locale variable that is set."""
    environ = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            return "zh-hans" if value.lower().startswith("zh") else "en"
    return "en"


class Command(BaseCommand):
    """A management command that speaks the shell's language (see the module docstring)."""

    def execute(self, *args, **options):
        with translation.override(command_language()):
            return super().execute(*args, **options)
