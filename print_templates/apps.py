from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrintTemplatesConfig(AppConfig):
    name = "print_templates"
    verbose_name = _("Placards and labels")

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
