from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "ratings"
    verbose_name = _("Reviews and star ratings")

    def ready(self):
        from . import checks, merchant_page  # noqa: F401  (system checks, page-cache receiver)

        merchant_page.register()
