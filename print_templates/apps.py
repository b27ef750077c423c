from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrintTemplatesConfig(AppConfig):
    name = "print_templates"
    verbose_name = _("Placards and labels")
