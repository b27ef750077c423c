from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from chengxin.health import healthz, livez
from cms.sitemaps import PublicPagesSitemap
from merchants.sign_in import StaffPasswordResetView

# A database outage is a 503 "try again", not a 500 (chengxin.outages).
handler500 = "chengxin.outages.server_error"

urlpatterns = [
    # Wagtail's own page, with the request limits of merchants.sign_in.
    path(
        "admin/password_reset/",
        StaffPasswordResetView.as_view(),
        name="wagtailadmin_password_reset",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": PublicPagesSitemap}}, name="sitemap"),
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include("cms.api_urls")),
    path("livez", livez, name="livez"),
    path("", include("print_templates.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Public pages: zh-Hans at the root, English under /en/.
urlpatterns += i18n_patterns(
    path("", include("cms.urls")),
    path("", include("ratings.urls")),
    path("", include("portal.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
