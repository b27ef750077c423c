from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MerchantsConfig(AppConfig):
    name = "merchants"
    verbose_name = _("Credit archive")

    def ready(self):
        from .admin import csp_widgets

        # Admin choosers start from data marks, not inline script (Content-Security-Policy).
        csp_widgets.use_data_marks()
