"""Filters for the archive listings in the staff admin (django-filter through Wagtail)."""

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import (
    ContentTypeFilter,
    DateRangePickerWidget,
    WagtailFilterSet,
)
from wagtail.admin.widgets import BooleanRadioSelect

from ..audit import AuditEntry
from ..models import Association, Inspection, Licence, ListEntry, Merchant, Penalty, Precinct


def _choice_filter(choices, **kwargs):
    """A choice filter drawn as radio buttons with "All", like Wagtail's own."""
    return django_filters.ChoiceFilter(
        choices=choices, widget=forms.RadioSelect, empty_label=_("All"), **kwargs
    )


class PrecinctFilter(django_filters.ModelChoiceFilter):
    """A precinct and everything within it: Yide Road lists the stalls of all its markets."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Precinct.objects.order_by("name_zh"))
        kwargs.setdefault("label", capfirst(_("precinct")))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__in": value.with_descendants()})


class WithdrawnFilter(django_filters.BooleanFilter):
    """Yes: withdrawn records only; no: current records only."""

    def __init__(self, **kwargs):
        super().__init__(
            field_name="withdrawn_on",
            lookup_expr="isnull",
            exclude=True,
            label=capfirst(_("withdrawn")),
            widget=BooleanRadioSelect,
            **kwargs,
        )


class PrecinctFilterSet(WagtailFilterSet):
    parent = PrecinctFilter(label=capfirst(_("within")))

    class Meta:
        model = Precinct
        fields = ["kind", "parent"]


class AssociationFilterSet(WagtailFilterSet):
    precinct = PrecinctFilter()

    class Meta:
        model = Association
        fields = ["precinct"]


class MerchantFilterSet(WagtailFilterSet):
    """Filters on the public status too; the listing annotates it (``with_public_status``)."""

    NO_LICENCE = "none"

    precinct = PrecinctFilter()
    association = django_filters.ModelChoiceFilter(
        label=capfirst(_("trade association")), queryset=Association.objects.order_by("name_zh")
    )
    licence_status = _choice_filter(
        [*Licence.Status.choices, (NO_LICENCE, _("no licence on record"))],
        label=capfirst(_("licence")),
        method="filter_licence_status",
    )
    public_penalties = django_filters.BooleanFilter(
        label=capfirst(_("with public penalties")),
        method="filter_public_penalties",
        widget=BooleanRadioSelect,
    )
    black_listed = django_filters.BooleanFilter(
        label=capfirst(_("on a black list")), widget=BooleanRadioSelect
    )

    class Meta:
        model = Merchant
        fields = [
            "precinct",
            "kind",
            "category",
            "association",
            "licence_status",
            "public_penalties",
            "black_listed",
        ]

    def filter_licence_status(self, queryset, name, value):
        if value == self.NO_LICENCE:
            return queryset.filter(licence_status__isnull=True)
        return queryset.filter(licence_status=value) if value else queryset

    def filter_public_penalties(self, queryset, name, value):
        if value is None:
            return queryset
        return (
            queryset.filter(public_penalties__gt=0)
            if value
            else queryset.filter(public_penalties=0)
        )


class CreditRecordFilterSet(WagtailFilterSet):
    precinct = PrecinctFilter(field_name="merchant__precinct")
    withdrawn = WithdrawnFilter()
    # A code, not a select: there are 110,000 merchants. The merchant page links here.
    merchant = django_filters.CharFilter(
        field_name="merchant__code", label=capfirst(_("merchant credit code"))
    )


class LicenceFilterSet(CreditRecordFilterSet):
    public_status = _choice_filter(Licence.Status.choices, label=capfirst(_("status")))

    class Meta:
        model = Licence
        fields = ["public_status", "kind", "state", "precinct", "withdrawn", "merchant"]


class InspectionFilterSet(CreditRecordFilterSet):
    inspected_on = django_filters.DateFromToRangeFilter(
        label=capfirst(_("inspected on")), widget=DateRangePickerWidget
    )

    class Meta:
        model = Inspection
        fields = ["result", "kind", "inspected_on", "precinct", "withdrawn", "merchant"]


class PenaltyFilterSet(CreditRecordFilterSet):
    PUBLIC, HIDDEN, REPAIRABLE = "public", "hidden", "repairable"

    publicity = _choice_filter(
        [
            (PUBLIC, _("public")),
            (REPAIRABLE, _("public, credit repair possible")),
            (HIDDEN, _("hidden")),
        ],
        label=capfirst(_("shown to the public")),
        method="filter_publicity",
    )

    class Meta:
        model = Penalty
        fields = ["publicity", "severity", "precinct", "withdrawn", "merchant"]

    def filter_publicity(self, queryset, name, value):
        if value == self.PUBLIC:
            return queryset.public()
        if value == self.REPAIRABLE:
            return queryset.repairable()
        if value == self.HIDDEN:
            return queryset.exclude(pk__in=Penalty.objects.public().values("pk"))
        return queryset


class ListEntryFilterSet(CreditRecordFilterSet):
    class Meta:
        model = ListEntry
        fields = ["list_name", "precinct", "withdrawn", "merchant"]


class AuditEntryFilterSet(WagtailFilterSet):
    content_type = ContentTypeFilter(
        label=capfirst(_("record type")),
        queryset=ContentType.objects.filter(app_label="merchants")
        .exclude(model="auditentry")
        .order_by("model"),
    )
    source = _choice_filter(list(AuditEntry.SOURCES.items()), label=capfirst(_("through")))
    object_id = django_filters.CharFilter(label=capfirst(_("record ID")))
    at = django_filters.DateFromToRangeFilter(
        label=capfirst(_("when")), widget=DateRangePickerWidget
    )

    class Meta:
        model = AuditEntry
        fields = ["action", "content_type", "source", "object_id", "at"]


class AuditHistoryFilterSet(WagtailFilterSet):
    """The filters on one record's own audit trail."""

    class Meta:
        model = AuditEntry
        fields = ["action"]
