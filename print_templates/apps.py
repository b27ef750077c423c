from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrintTemplatesConfig(AppConfig):
    name = "print_templates"
    verbose_name = _("Placards and labels")

    def ready(self):
        from cms import page_parts

        from . import checks, scans  # noqa: F401  (checks registers the system checks)

        # The merchant page's per-visitor notice: genuine, outdated or revoked placard.
        page_parts.slot("banner")(scans.banner_html)
