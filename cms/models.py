"""Wagtail page types and the editorial text around the credit archive.

Pages carry words, never credit facts: the merchant scan page reads the archive
directly (``cms.views.merchant_page``), and the text editors write around it
lives in ``ScanPageText``, one per language.
"""

from django.core.paginator import Paginator
from django.db import models
from django.db.models import Q
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page, TranslatableMixin
from wagtail.snippets.models import register_snippet

from merchants.editor_text import EditorTextQuerySet
from merchants.models import Merchant, Precinct

from . import languages, shared_cache

DIRECTORY_PAGE_SIZE = 50


class HomePage(Page):
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.PrecinctPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def serve(self, request, *args, **kwargs):
        """Like the merchant page: the browser's language at "/", a toggle to switch."""
        redirect = languages.choose_language(request) or languages.follow_browser(request)
        if redirect:
            return redirect
        response = super().serve(request, *args, **kwargs)
        if languages.is_unprefixed(request):
            patch_vary_headers(response, ["Accept-Language", "Cookie"])
        return response

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["precinct_pages"] = (
            PrecinctPage.objects.child_of(self).live().select_related("precinct")
        )
        return context


class PrecinctPage(Page):
    """A street, market or district: editor-written intro and notices, and its directory."""

    precinct = models.ForeignKey(
        Precinct, verbose_name=_("precinct"), on_delete=models.PROTECT, related_name="pages"
    )
    intro = RichTextField(_("introduction"), blank=True)
    notices = RichTextField(_("notices"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("precinct"),
        FieldPanel("intro"),
        FieldPanel("notices"),
    ]
    parent_page_types = ["cms.HomePage", "cms.PrecinctPage"]
    subpage_types = ["cms.PrecinctPage"]

    class Meta:
        verbose_name = _("precinct page")

    def directory(self, query=""):
        """Merchants in this precinct and those nested in it, matching a name, code or stall."""
        merchants = Merchant.objects.filter(
            precinct__in=self.precinct.with_descendants()
        ).select_related("precinct")
        query = query.strip()
        if query:
            merchants = merchants.filter(
                Q(name_zh__icontains=query)
                | Q(name_en__icontains=query)
                | Q(stall__icontains=query)
                | Q(code__iexact=query)
            )
        return merchants.order_by("precinct__slug", "stall", "name_zh")

    def serve(self, request, *args, **kwargs):
        """Storable by shared caches for visitors without a session (cms.shared_cache)."""
        response = super().serve(request, *args, **kwargs)
        shared_cache.mark(request, response)
        # The unprefixed address is always the Chinese page, whatever the browser asks.
        return shared_cache.language_independent(response)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # PostgreSQL refuses NUL in text; nobody searches for one on purpose.
        query = request.GET.get("q", "")[:100].replace("\x00", "")
        paginator = Paginator(self.directory(query), DIRECTORY_PAGE_SIZE)
        context["query"] = query
        context["merchants"] = paginator.get_page(request.GET.get("page"))
        context["sub_precincts"] = PrecinctPage.objects.child_of(self).live()
        return context


@register_snippet
class ScanPageText(TranslatableMixin, models.Model):
    """The words around every merchant page, written by editors in each language."""

    status_legend = RichTextField(
        _("legend of statuses"),
        blank=True,
        help_text=_("What valid, expiring, expired, suspended and revoked mean."),
    )
    penalty_help = RichTextField(
        _("what a penalty means"),
        blank=True,
        help_text=_("Shown under the penalties: what is published and for how long."),
    )
    list_help = RichTextField(_("what a list entry means"), blank=True)
    complaint_help = RichTextField(
        _("how to complain"),
        blank=True,
        help_text=_("Shown at the bottom, with the 12345 and 12315 hotlines."),
    )
    data_source = RichTextField(_("data source note"), blank=True)
    disclaimer = RichTextField(_("disclaimer"), blank=True)

    panels = [
        FieldPanel("status_legend"),
        FieldPanel("penalty_help"),
        FieldPanel("list_help"),
        FieldPanel("complaint_help"),
        FieldPanel("data_source"),
        FieldPanel("disclaimer"),
    ]

    objects = EditorTextQuerySet.as_manager()

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("scan page text")
        verbose_name_plural = _("scan page text")

    def __str__(self):
        return str(
            _("Scan page text (%(language)s)") % {"language": self.locale.get_display_name()}
        )
