"""Wagtail page types and the editorial text around the credit archive.

Pages carry words, never credit facts: the merchant scan page reads the archive
directly (``cms.views.merchant_page``), and the text editors write around it
lives in ``ScanPageText``, one per language.
"""

import re

from django.core.paginator import Paginator
from django.db import connection, models
from django.db.models import F, Q, Value
from django.db.models.functions import Collate, Lower, Replace, Upper
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page, TranslatableMixin
from wagtail.snippets.models import register_snippet

from merchants import dates, glossary
from merchants.editor_text import EditorTextQuerySet
from merchants.models import ListEntry, Merchant, Precinct, PrecinctTree
from ratings import statistics
from ratings.models import Result

from . import languages, precinct_cache, shared_cache

DIRECTORY_PAGE_SIZE = 50
#: What a directory row shows (and groups by): not the whole merchant.
DIRECTORY_FIELDS = (
    "code",
    "name_zh",
    "name_en",
    "stall",
    "precinct__name_zh",
    "precinct__name_en",
    "precinct__kind",
    "precinct__parent_id",
)
#: A PostgreSQL ICU collation: Chinese by pinyin, digit runs by value ("A-2" before "A-10").
NATURAL_COLLATION = "chengxin_natural"
_FOLD = re.compile(r"[\s\-_./·]+")


def fold(text):
    """Text as the directory search compares it: no spaces, hyphens or dots; upper case."""
    return _FOLD.sub("", text).upper()


def natural(expression, language):
    """``expression`` in natural order where the database can (PostgreSQL); as stored elsewhere."""
    if connection.vendor == "postgresql":
        return Collate(expression, NATURAL_COLLATION)
    return expression if language != "en" else Lower(expression)


class PublicPage(Page):
    """A public page cached whole (unless searched) until ratings or records change."""

    class Meta:
        abstract = True

    def cached(self, request, view, render):
        """The response of ``render()``, from the shared cache when it holds this view's page."""
        if set(request.GET) - {"page"}:
            return render()
        number = request.GET.get("page", "1")[:12]
        language = translation.get_language()
        html, cache_key = precinct_cache.get(f"{self.pk}:{view}", language, number)
        if html is not None:
            return HttpResponse(html)
        response = render()
        if response.status_code == 200 and hasattr(response, "render"):
            response.render()
            precinct_cache.store(cache_key, response.content.decode())
        return response


class HomePage(PublicPage):
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
        response = self.cached(
            request, "home", lambda: super(HomePage, self).serve(request, *args, **kwargs)
        )
        if languages.is_unprefixed(request):
            patch_vary_headers(response, ["Accept-Language", "Cookie"])
        return response

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        pages = list(PrecinctPage.objects.child_of(self).live())
        context["precinct_pages"] = pages
        # Every precinct below the home page's: the whole city's statistics, its districts ranked.
        tree = PrecinctTree.load()
        ranked = {page.precinct_id for page in pages if page.precinct_id in tree.precincts}
        ids = set()
        for pk in ranked:
            ids |= tree.below(pk)
        rounds = statistics.latest_rounds(ids) if ids else []
        tally = statistics.Tally(rounds, ids)
        context["statistics"] = statistics.for_precincts(ids, rounds, tally) if rounds else []
        context["ranking"] = (
            statistics.ranking(tree, ranked, ids, rounds, dates.today(), tally) if ids else []
        )
        context["districts_only"] = all(
            tree.precincts[pk].kind == Precinct.Kind.DISTRICT for pk in ranked
        )
        return context


class PrecinctPage(RoutablePageMixin, PublicPage):
    """A street, market or district: editor-written intro and notices, statistics, directory.

    Its exposure board (``exposure/``) lists the vetoed and black-listed members.
    """

    precinct = models.ForeignKey(
        Precinct, verbose_name=_("precinct"), on_delete=models.PROTECT, related_name="pages"
    )
    intro = RichTextField(_("introduction"), blank=True)
    notices = RichTextField(_("notices"), blank=True)
    exposure_intro = RichTextField(
        _("exposure board introduction"),
        blank=True,
        help_text=_("Shown above the exposure board: who decides and how a member leaves it."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("precinct"),
        FieldPanel("intro"),
        FieldPanel("notices"),
        FieldPanel("exposure_intro"),
    ]
    parent_page_types = ["cms.HomePage", "cms.PrecinctPage"]
    subpage_types = ["cms.PrecinctPage"]

    class Meta:
        verbose_name = _("precinct page")

    @cached_property
    def precinct_tree(self):
        return PrecinctTree.load()

    @cached_property
    def precinct_ids(self):
        return self.precinct_tree.below(self.precinct_id)

    @cached_property
    def latest_rounds(self):
        return statistics.latest_rounds(self.precinct_ids)

    @cached_property
    def tally(self):
        return statistics.Tally(self.latest_rounds, self.precinct_ids)

    def directory(self, query="", day=None, language="zh-hans"):
        """Members of this precinct and those nested in it, matching a name, code or stall.

        Tolerant: case, spaces and hyphens do not matter ("a1023" finds stall
        A-1-023), and part of a name, stall or credit code is enough. Sorted
        by market, stall number and name in natural order (Chinese names by
        pinyin on PostgreSQL); each row carries its level and status flags.
        """
        merchants = (
            Merchant.objects.filter(precinct__in=self.precinct_ids)
            .select_related("precinct")
            .only(*DIRECTORY_FIELDS)
            .with_public_flags(day)
            .annotate(**Result.objects.latest_published_columns())
        )
        query = query.strip()
        if query:
            folded = fold(query)
            found = Q(name_zh__icontains=query) | Q(name_en__icontains=query)
            if folded:
                merchants = merchants.annotate(
                    stall_folded=Upper(
                        Replace(Replace(F("stall"), Value("-"), Value("")), Value(" "), Value(""))
                    ),
                    name_en_folded=Upper(
                        Replace(Replace(F("name_en"), Value("-"), Value("")), Value(" "), Value(""))
                    ),
                )
                found |= (
                    Q(stall_folded__contains=folded)
                    | Q(code__contains=folded)
                    | Q(name_en_folded__contains=folded)
                )
            merchants = merchants.filter(found)
        name = "name_en" if language == "en" else "name_zh"
        return merchants.order_by(
            natural(F(f"precinct__{name}"), language),
            "precinct_id",
            natural(F("stall"), language),
            natural(F(name), language),
            "code",
        )

    def ranking(self, day=None):
        """For a district or area: its streets and markets by average stars and share penalised."""
        if self.precinct.kind not in (Precinct.Kind.DISTRICT, Precinct.Kind.AREA):
            return []
        tree = self.precinct_tree
        ranked = {
            pk
            for pk in self.precinct_ids
            if tree.precincts[pk].kind in (Precinct.Kind.STREET, Precinct.Kind.MARKET)
        }
        return statistics.ranking(
            tree, ranked, self.precinct_ids, self.latest_rounds, day, self.tally
        )

    def serve(self, request, *args, **kwargs):
        """Storable by shared caches for visitors without a session (cms.shared_cache)."""
        response = super().serve(request, *args, **kwargs)
        shared_cache.mark(request, response)
        # The unprefixed address is always the Chinese page, whatever the browser asks.
        return shared_cache.language_independent(response)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        language = translation.get_language()
        day = dates.today()
        # PostgreSQL refuses NUL in text; nobody searches for one on purpose.
        query = request.GET.get("q", "")[:100].replace("\x00", "")
        paginator = Paginator(self.directory(query, day, language), DIRECTORY_PAGE_SIZE)
        merchants = paginator.get_page(request.GET.get("page"))
        context["query"] = query
        context["merchants"] = merchants
        context["page_numbers"] = list(
            paginator.get_elided_page_range(merchants.number, on_each_side=2, on_ends=1)
        )
        context["sub_precincts"] = PrecinctPage.objects.child_of(self).live()
        context["statistics"] = statistics.for_precincts(
            self.precinct_ids, self.latest_rounds, self.tally
        )
        context["ranking"] = self.ranking(day)
        return context

    @path("")
    def index(self, request):
        return self.cached(request, "index", lambda: self.render(request))

    def exposure_board_response(self, request):
        """诚信曝光台: vetoed members of the published rounds and black-listed members."""
        day = dates.today()
        rounds = self.latest_rounds
        vetoed = list(
            Result.objects.exposure_board(self.precinct_ids)
            .filter(round__in=rounds)
            .select_related("merchant__precinct", "round__scheme__association")
        )
        # A member vetoed in two schemes (the chamber's stars and the district's grade) is
        # one entry with both reasons, at the place of its latest veto.
        by_member = {}
        for result in vetoed:
            by_member.setdefault(result.merchant_id, []).append(result)
        vetoed = list(by_member.values())
        listed = list(
            ListEntry.objects.public(day)
            .filter(
                merchant__precinct__in=self.precinct_ids,
                list_name__in=[
                    name for name in ListEntry.List.values if name not in ListEntry.RED_LISTS
                ],
            )
            .select_related("merchant__precinct")
            .order_by("-listed_on", "merchant__code")
        )
        return self.render(
            request,
            context_overrides={
                "vetoed": vetoed,
                "listed": listed,
                "today": day,
                "glossary": glossary.current(),
            },
            template="cms/exposure_board.html",
        )

    @path("exposure/")
    def exposure_board(self, request):
        return self.cached(request, "exposure", lambda: self.exposure_board_response(request))


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
