"""Staff admin views for the credit archive, built on Wagtail's generic views.

They add what the archive needs on top of Wagtail: lists that load related rows
in one query, a withdrawal form instead of delete, and each record's own audit
trail in place of Wagtail's log-based history.
"""

import datetime
from urllib.parse import urlencode

from django.contrib.admin.utils import quote
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy
from django.views.generic import FormView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column
from wagtail.admin.utils import get_user_display_name
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import Button, HeaderButton
from wagtail.coreutils import get_content_type_label

from .. import dates
from ..audit import AuditEntry
from ..forms import WithdrawalForm
from ..models import Inspection, Licence, ListEntry, Merchant, Penalty
from .audit_trail import AuditReader, Value, local_time
from .dashboard import Task
from .exports import FormulaSafeExportMixin
from .filters import AuditHistoryFilterSet
from .permissions import admin_url, user_may

# ----------------------------------------------------------------------------
# Columns


def licence_status_label(licence):
    """The status annotated by ``Licence.objects.with_status``, in words."""
    return Licence.Status(licence.public_status).label


def licence_status_today(licence):
    return Licence.Status(licence.status).label


def penalty_publicity(penalty):
    """``public``, or why the public cannot see the penalty today."""
    return penalty.hidden_reason() or gettext("public")


def audit_actor(entry):
    if entry.actor is None:
        return gettext("system")
    return get_user_display_name(entry.actor)


def audit_record_type(entry):
    return get_content_type_label(entry.content_type)


def audit_time(entry):
    return local_time(entry.at)


def _reader(parent_context, entry):
    """One reader for the whole table, built on its first cell: one set of queries per page."""
    table = parent_context.get("table")
    reader = getattr(table, "audit_reader", None)
    if reader is None:
        request = parent_context.get("request")
        rows = list(table.data) if table is not None else [entry]
        reader = AuditReader(rows, getattr(request, "user", None))
        if table is not None:
            table.audit_reader = reader
    return reader


class AuditRecordColumn(Column):
    """The record an entry is about, by name, linked for staff who may open it."""

    cell_template_name = "merchants/admin/audit_record_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["record"] = _reader(parent_context, instance).record(instance)
        return context


class AuditChangesColumn(Column):
    """The recorded fields of an entry as a small before/after table."""

    cell_template_name = "merchants/admin/audit_changes_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["changes"] = _reader(parent_context, instance).changes(instance)
        context["is_creation"] = instance.action == AuditEntry.Action.CREATE
        return context


def audit_columns():
    def label(name):
        return capfirst(AuditEntry._meta.get_field(name).verbose_name)

    return [
        Column("at", label=label("at"), accessor=audit_time, sort_key="at"),
        Column("action", label=label("action"), accessor="get_action_display"),
        Column("actor", label=label("actor"), accessor=audit_actor),
        Column("source", label=label("source"), accessor="get_source_display"),
        AuditChangesColumn("changes", label=gettext_lazy("Before → after")),
        Column("reason", label=label("reason")),
    ]


# ----------------------------------------------------------------------------
# Listing, editing and inspecting


class ArchiveIndexView(FormulaSafeExportMixin, generic.IndexView):
    """A listing that fetches the related rows it shows in the same query; safe exports."""

    list_select_related = ()

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        if self.list_select_related:
            queryset = queryset.select_related(*self.list_select_related)
        return queryset


def merchant_licence_status(merchant):
    """The annotated worst licence status in words, as the visitor's page would warn of it."""
    if merchant.licence_status is None:
        return gettext("no licence on record")
    return Licence.Status(merchant.licence_status).label


def merchant_black_listed(merchant):
    return gettext("yes") if merchant.black_listed else "—"


class MerchantIndexView(ArchiveIndexView):
    """The merchant list shows each one's public status and offers printing its precinct."""

    def get_base_queryset(self):
        return super().get_base_queryset().with_public_status()

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.request.user.has_perm("print_templates.add_printjob"):
            url = reverse("printjob:add")
            precinct = self.request.GET.get("precinct", "")
            if precinct.isdecimal():
                url = f"{url}?{urlencode({'precinct': precinct})}"
            buttons.append(
                Button(gettext("Print placards"), url=url, icon_name="download", priority=20)
            )
        return buttons


def merchant_links(merchant, user):
    """Counts of the merchant's records, each linking to its list filtered to the merchant.

    The apps above the archive add theirs (placards, reviews) through the
    ``merchant_admin_links`` hook, called as ``fn(merchant, user)`` and
    returning ``Task``s, so the archive never imports them.
    """
    links = []
    for model, url_name in (
        (Licence, "archive_licences:index"),
        (Inspection, "archive_inspections:index"),
        (Penalty, "archive_penalties:index"),
        (ListEntry, "archive_list_entries:index"),
    ):
        if user_may(user, model, "view"):
            links.append(
                Task.linked(
                    capfirst(model._meta.verbose_name_plural),
                    model.objects.filter(merchant=merchant).count(),
                    url_name,
                    merchant=merchant.code,
                )
            )
    for hook in hooks.get_hooks("merchant_admin_links"):
        links.extend(hook(merchant, user))
    return links


class MerchantSummaryMixin:
    """Above a merchant's form or details: what a visitor sees, and links to its records."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["archive"] = archive = self.object.public_archive()
        if archive.key_licence is not None:
            context["licence_status"] = Licence.Status(
                archive.key_licence.status_on(archive.day)
            ).label
        context["merchant_links"] = merchant_links(self.object, self.request.user)
        return context


class CreditRecordIndexView(ArchiveIndexView):
    """Records offer "withdraw" where other listings would offer "delete"."""

    withdraw_url_name = None

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if (
            self.withdraw_url_name
            and not instance.is_withdrawn
            and self.user_has_permission("change")
        ):
            url = reverse(self.withdraw_url_name, args=(quote(instance.pk),))
            buttons.append(Button(gettext("Withdraw"), url=url, icon_name="resubmit", priority=25))
        return buttons


class LicenceIndexView(CreditRecordIndexView):
    """Licences carry their status as of today, so it can be shown, filtered and sorted."""

    def get_base_queryset(self):
        return super().get_base_queryset().with_status()


class CreditRecordEditView(generic.EditView):
    """Editing a record: a notice when withdrawn, and a withdraw button when not."""

    template_name = "merchants/admin/record_edit.html"
    withdraw_url_name = None

    def get_withdraw_url(self):
        if self.withdraw_url_name and not self.object.is_withdrawn:
            return reverse(self.withdraw_url_name, args=(quote(self.object.pk),))
        return None

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if withdraw_url := self.get_withdraw_url():
            buttons.append(
                Button(gettext("Withdraw"), url=withdraw_url, icon_name="resubmit", priority=15)
            )
        return buttons


class ArchiveInspectView(generic.InspectView):
    """Read-only view of a record for staff who may look but not change."""

    history_url_name = None
    #: Rows worked out from the record, e.g. a licence's status today:
    #: name -> (label, function of the record).
    derived_fields = {}

    def get_fields(self):
        return [*super().get_fields(), *self.derived_fields]

    def get_field_label(self, field_name, field):
        if field_name in self.derived_fields:
            return capfirst(self.derived_fields[field_name][0])
        return super().get_field_label(field_name, field)

    def get_field_display_value(self, field_name, field):
        if field_name in self.derived_fields:
            return self.derived_fields[field_name][1](self.object)
        raw = getattr(self.object, field_name, None)
        if isinstance(raw, datetime.datetime):
            return local_time(raw)  # as staff read the time, not the stored UTC
        value = super().get_field_display_value(field_name, field)
        return "—" if value is None else value

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.history_url_name:
            url = reverse(self.history_url_name, args=(quote(self.object.pk),))
            buttons.append(
                Button(gettext("Audit trail"), url=url, icon_name="history", priority=40)
            )
        return buttons


class MerchantEditView(MerchantSummaryMixin, generic.EditView):
    template_name = "merchants/admin/merchant_edit.html"


class MerchantInspectView(MerchantSummaryMixin, ArchiveInspectView):
    template_name = "merchants/admin/merchant_inspect.html"


class AuditEntryInspectView(generic.InspectView):
    """One audit entry as staff read it: the record by name, local time, a before/after table."""

    def get_reader(self):
        return AuditReader([self.object], self.request.user)

    def get_field_label(self, field_name, field):
        if field_name == "changes":
            return gettext("Before → after")
        if field_name == "content_type":
            return capfirst(gettext("record type"))
        return super().get_field_label(field_name, field)

    def get_field_display_value(self, field_name, field):
        entry = self.object
        if field_name == "at":
            return local_time(entry.at)
        if field_name == "source":
            return entry.get_source_display()
        if field_name == "actor":
            return audit_actor(entry)
        if field_name == "content_type":
            return audit_record_type(entry)
        if field_name == "object_repr":
            return render_to_string(
                "merchants/admin/audit_value.html", {"value": self.get_reader().record(entry)}
            )
        if field_name == "changes":
            return render_to_string(
                "merchants/admin/audit_changes_table.html",
                {
                    "changes": self.get_reader().changes(entry),
                    "is_creation": entry.action == AuditEntry.Action.CREATE,
                },
            )
        return super().get_field_display_value(field_name, field)

    def get_record_url(self):
        record = self.get_reader().record(self.object)
        return record.url

    @cached_property
    def header_more_buttons(self):
        if url := self.get_record_url():
            return [Button(gettext("Open record"), url=url, icon_name="edit")]
        return []


class AuditIndexView(ArchiveIndexView):
    """The whole audit trail."""


class AuditHistoryView(HistoryView):
    """One record's audit trail: every create, change and withdrawal, with who and when.

    It replaces Wagtail's history view so that changes from imports and commands
    show up too, and so that staff with view rights only can read it.
    """

    any_permission_required = ["add", "change", "view"]
    filterset_class = AuditHistoryFilterSet
    inspect_url_name = None

    @cached_property
    def columns(self):
        return audit_columns()

    @cached_property
    def verbose_name_plural(self):
        return AuditEntry._meta.verbose_name_plural

    def get_base_queryset(self):
        return AuditEntry.objects.for_object(self.object).select_related("actor", "content_type")

    def get_page_title(self):
        return gettext("Audit trail")

    def get_edit_url(self, instance):
        if self.edit_url_name and self.user_has_permission("change"):
            return reverse(self.edit_url_name, args=(quote(instance.pk),))
        if self.inspect_url_name:
            return reverse(self.inspect_url_name, args=(quote(instance.pk),))
        return None

    @cached_property
    def header_buttons(self):
        url = self.get_edit_url(self.object)
        if not url:
            return []
        label = gettext("Edit") if self.user_has_permission("change") else gettext("Inspect")
        return [HeaderButton(label=label, url=url, icon_name="edit")]


class MerchantChooserColumnsMixin:
    """Stall and precinct beside the name, to tell apart shops of the same name."""

    @property
    def columns(self):
        return [
            *super().columns,
            Column("stall", label=capfirst(Merchant._meta.get_field("stall").verbose_name)),
            Column("precinct", label=capfirst(Merchant._meta.get_field("precinct").verbose_name)),
        ]


class MerchantChooseView(MerchantChooserColumnsMixin, ChooseView):
    pass


class MerchantChooseResultsView(MerchantChooserColumnsMixin, ChooseResultsView):
    pass


# ----------------------------------------------------------------------------
# Withdrawal


class WithdrawView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Withdraw a licence, inspection, penalty or list entry from public display.

    The record keeps its place in the archive; ``CreditRecord.withdraw`` checks
    the rules (reason given, not already withdrawn, repair periods) and any
    refusal is shown on the form.
    """

    model = None
    permission_required = "change"
    form_class = WithdrawalForm
    template_name = "merchants/admin/withdraw.html"
    page_title = gettext_lazy("Withdraw")
    header_icon = "resubmit"
    index_url_name = None
    edit_url_name = None
    history_url_name = None
    withdraw_url_name = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(
            self.model.objects.select_related("merchant"), pk=kwargs["pk"]
        )

    def get_page_subtitle(self):
        return str(self.object)

    def get_edit_url(self):
        return reverse(self.edit_url_name, args=(quote(self.object.pk),))

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse(self.index_url_name),
                "label": capfirst(self.model._meta.verbose_name_plural),
            },
            {"url": self.get_edit_url(), "label": str(self.object)},
            {"url": "", "label": self.get_page_title(), "sublabel": str(self.object)},
        ]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "record": self.object}

    def get_facts(self):
        """What the clerk must see before deciding: the record, its merchant, the dates."""
        record, merchant = self.object, self.object.merchant
        facts = [
            (capfirst(self.model._meta.verbose_name), Value(str(record), self.get_edit_url())),
            (
                capfirst(Merchant._meta.verbose_name),
                Value(str(merchant), admin_url(self.request.user, merchant)),
            ),
        ]
        if isinstance(record, Penalty):
            facts += [
                (capfirst(gettext("decided on")), Value(record.decided_on.isoformat())),
                (capfirst(gettext("severity")), Value(record.get_severity_display())),
                (
                    capfirst(gettext("shown to the public")),
                    Value(penalty_publicity(record)),
                ),
                (
                    capfirst(gettext("credit repair possible from")),
                    Value(record.repairable_from.isoformat()),
                ),
            ]
        facts.append((gettext("Withdrawn as of"), Value(dates.today().isoformat())))
        return facts

    def form_valid(self, form):
        try:
            with transaction.atomic():
                # Lock the row so two staff cannot withdraw the same record twice.
                record = self.model.objects.select_for_update().get(pk=self.object.pk)
                record.withdraw(form.cleaned_data["kind"], form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            gettext("%(model_name)s '%(object)s' withdrawn.")
            % {"model_name": capfirst(self.model._meta.verbose_name), "object": record},
        )
        return redirect(self.get_edit_url())

    def form_invalid(self, form):
        messages.validation_error(self.request, gettext("The record could not be withdrawn."), form)
        return super().form_invalid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        context["facts"] = self.get_facts()
        if isinstance(self.object, Penalty):
            context["repair_not_yet"] = dates.today() < self.object.repairable_from
        context["action_url"] = reverse(self.withdraw_url_name, args=(quote(self.object.pk),))
        context["edit_url"] = self.get_edit_url()
        if self.history_url_name:
            context["audit_url"] = reverse(self.history_url_name, args=(quote(self.object.pk),))
        return context
