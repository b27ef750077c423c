"""The sitemap: home and precinct pages in every language, not only the default one."""

from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from .models import HomePage, PrecinctPage


class PublicPagesSitemap(Sitemap):
    def items(self):
        return (
            Page.objects.live()
            .public()
            .type(HomePage, PrecinctPage)
            .order_by("locale_id", "path")
            .specific()
        )
