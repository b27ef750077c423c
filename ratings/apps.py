from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "ratings"
    verbose_name = _("Reviews and star ratings")

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
