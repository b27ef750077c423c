"""Language selection for paths outside the language-prefixed public pages.

Django's LocaleMiddleware, once ``i18n_patterns(prefix_default_language=False)``
is in use, gives every unprefixed path the default language. That is right for
the public pages (``/m/…`` is Chinese, ``/en/m/…`` English) but wrong for the
JSON API, the placard scan link and the staff admin, which have no prefix and
should answer in the language the visitor's browser asks for.
"""

from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation

NEGOTIATED_PREFIXES = ("/api/", "/q/", "/Q/", "/admin/")


class LocaleMiddleware(DjangoLocaleMiddleware):
    def process_request(self, request):
        if not request.path_info.startswith(NEGOTIATED_PREFIXES):
            return super().process_request(request)
        translation.activate(translation.get_language_from_request(request, check_path=False))
        request.LANGUAGE_CODE = translation.get_language()
        return None

    def process_response(self, request, response):
        """No Vary: Accept-Language where the view says its body is the same in every language."""
        if getattr(response, "language_independent", False):
            return response
        return super().process_response(request, response)
