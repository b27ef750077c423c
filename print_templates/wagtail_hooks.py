"""Staff admin for placards: listing with scan counts, printing, revoking, counterfeits."""

import datetime

import django_filters
from django import forms
from django.db.models import Count, Q, Sum
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, NumberColumn
from wagtail.admin.viewsets.model import ModelViewSetGroup

from merchants import dates
from merchants.admin.dashboard import Task, TaskPanel
from merchants.admin.permissions import restrict, user_may
from merchants.admin.viewsets import NoDeleteViewSet

from . import admin_views, layouts
from .forms import PrintJobForm
from .models import CounterfeitScan, Placard, PrintJob

# Rows the system writes: staff may only do these, superusers too. Placards are
# issued by printing and changed only by revocation.
restrict(Placard, ["view", "revoke"])
restrict(PrintJob, ["view", "add"])
restrict(CounterfeitScan, ["view"])


class PlacardFilterSet(WagtailFilterSet):
    template = django_filters.ChoiceFilter(label=_("Template"), choices=layouts.choices)
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=Placard.State.choices, method="filter_state"
    )
    lookup = django_filters.CharFilter(label=_("Serial or credit code"), method="filter_lookup")

    class Meta:
        model = Placard
        fields = []

    def filter_state(self, queryset, name, value):
        if value == Placard.State.REVOKED:
            return queryset.filter(revoked_at__isnull=False)
        if value == Placard.State.OUTDATED:
            return queryset.filter(revoked_at__isnull=True, superseded_at__isnull=False)
        return queryset.current()

    def filter_lookup(self, queryset, name, value):
        value = value.strip().upper()
        by_serial = queryset.by_serial(value) if len(value) <= 8 else queryset.none()
        return by_serial | queryset.filter(merchant__code=value)


def _template_title(obj):
    """The template's name in the staff member's language, not its slug (``label-sheet``)."""
    return obj.template_title


class PlacardViewSet(NoDeleteViewSet):
    register_all_permissions = True
    model = Placard
    name = "placard"
    url_prefix = "placards"
    icon = "doc-full"
    menu_label = _("Placards")
    form_fields = []  # never edited here: the policy refuses add, change and delete
    index_view_class = admin_views.PlacardIndexView
    filterset_class = PlacardFilterSet
    list_per_page = 50
    list_display = [
        Column("serial", label=_("Serial")),
        Column("merchant", label=_("Merchant")),
        Column("template", label=_("Template"), accessor=_template_title),
        DateColumn("issued_at", label=_("Issued"), sort_key="issued_at"),
        Column("state", label=_("State"), accessor="get_state_display"),
        NumberColumn("scan_total", label=_("Scans"), sort_key="scan_total"),
        NumberColumn("scan_recent", label=_("Scans, last 7 days"), sort_key="scan_recent"),
    ]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("revoke/<int:pk>/", admin_views.RevokeView.as_view(), name="revoke"),
            path("preview/<int:pk>.png", admin_views.preview, name="preview"),
            path("pdf/<int:pk>/", admin_views.ReprintView.as_view(), name="pdf"),
        ]


def _job_merchants(job):
    if job.precinct_id:
        return job.precinct.name_zh
    codes = job.merchant_codes
    return ", ".join(codes[:3]) + (" …" if len(codes) > 3 else "")


def _job_download(job):
    if job.status == PrintJob.Status.DONE and job.file:
        url = reverse("printjob:download", args=[job.pk])
        return format_html('<a href="{}" download>{}</a>', url, _("Download PDF"))
    if job.status == PrintJob.Status.FAILED:
        return job.error
    return f"{job.done} / {job.total}"


class PrintJobFilterSet(WagtailFilterSet):
    UNFINISHED = "unfinished"

    progress = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(UNFINISHED, _("waiting or printing")), *PrintJob.Status.choices],
        widget=forms.RadioSelect,
        empty_label=_("All"),
        method="filter_progress",
    )
    requested_at = django_filters.DateFromToRangeFilter(
        label=_("Requested"), widget=DateRangePickerWidget
    )

    class Meta:
        model = PrintJob
        fields = ["progress", "template", "requested_at"]

    def filter_progress(self, queryset, name, value):
        if value == self.UNFINISHED:
            return queryset.unfinished()
        return queryset.filter(status=value) if value else queryset


class PrintJobViewSet(NoDeleteViewSet):
    register_all_permissions = True
    model = PrintJob
    name = "printjob"
    url_prefix = "print-jobs"
    icon = "download"
    menu_label = _("Print placards")
    index_view_class = admin_views.PrintJobIndexView
    add_view_class = admin_views.PrintJobCreateView
    filterset_class = PrintJobFilterSet
    list_display = [
        "__str__",
        Column("template", label=_("Template"), accessor=_template_title),
        Column("merchants", label=_("Merchants"), accessor=_job_merchants),
        Column("requested_by", label=_("Requested by")),
        Column("status", label=_("Status"), accessor="get_status_display"),
        Column("download", label=_("PDF"), accessor=_job_download),
    ]

    def get_form_class(self, for_update=False):
        return PrintJobForm

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("download/<int:pk>/", admin_views.download, name="download"),
        ]


def _claimed_merchant(scan):
    placard = scan.claimed_placard
    return placard.merchant if placard else _("(no such placard)")


class CounterfeitScanFilterSet(WagtailFilterSet):
    day = django_filters.DateFromToRangeFilter(label=_("Day"), widget=DateRangePickerWidget)

    class Meta:
        model = CounterfeitScan
        fields = ["day"]


class CounterfeitScanViewSet(NoDeleteViewSet):
    register_all_permissions = True
    model = CounterfeitScan
    name = "counterfeitscan"
    url_prefix = "counterfeit-scans"
    icon = "warning"
    menu_label = _("Counterfeit scans")
    form_fields = []
    filterset_class = CounterfeitScanFilterSet
    list_per_page = 50
    list_display = [
        "day",
        Column("claimed_serial", label=_("Claimed serial")),
        Column("merchant", label=_("Copies the placard of"), accessor=_claimed_merchant),
        NumberColumn("count", label=_("Scans"), sort_key="count"),
    ]


class PlacardGroup(ModelViewSetGroup):
    # Not "Placards": that is the first item inside it, and no two menus share a name.
    menu_label = _("Placard printing")
    menu_icon = "doc-full"
    menu_order = 300
    items = (PlacardViewSet, PrintJobViewSet, CounterfeitScanViewSet)


@hooks.register("register_admin_viewset")
def register_placard_admin():
    return PlacardGroup()


@hooks.register("construct_homepage_panels")
def add_placard_panel(request, panels):
    """Counterfeit scans this week and print jobs still running or failed (two queries)."""
    user = request.user
    week_start = dates.today() - datetime.timedelta(days=6)
    tasks = []
    if user_may(user, CounterfeitScan, "view"):
        scans = CounterfeitScan.objects.filter(day__gte=week_start).aggregate(
            total=Sum("count", default=0)
        )["total"]
        tasks.append(
            Task.linked(
                _("Counterfeit scans in the last 7 days"),
                scans,
                "counterfeitscan:index",
                day_from=week_start.isoformat(),
            )
        )
    if user_may(user, PrintJob, "view"):
        jobs = PrintJob.objects.aggregate(
            unfinished=Count("pk", filter=Q(status__in=PrintJob.UNFINISHED)),
            failed=Count(
                "pk",
                filter=Q(status=PrintJob.Status.FAILED, requested_at__date__gte=week_start),
            ),
        )
        tasks += [
            Task.linked(
                _("Print jobs waiting or printing"),
                jobs["unfinished"],
                "printjob:index",
                progress=PrintJobFilterSet.UNFINISHED,
            ),
            Task.linked(
                _("Print jobs failed in the last 7 days"),
                jobs["failed"],
                "printjob:index",
                progress=PrintJob.Status.FAILED,
                requested_at_from=week_start.isoformat(),
            ),
        ]
    if tasks:
        panels.append(TaskPanel("placard-tasks", _("Placards: to do"), tasks, order=30))


@hooks.register("merchant_admin_links")
def merchant_placards(merchant, user):
    """On a merchant's admin page: its placards on display, linked to the placard list."""
    if not user_may(user, Placard, "view"):
        return []
    return [
        Task.linked(
            _("Placards on display"),
            Placard.objects.current().filter(merchant=merchant).count(),
            "placard:index",
            lookup=merchant.code,
        )
    ]
