"""Staff admin views for the credit archive, built on Wagtail's generic views.

They add what the archive needs on top of Wagtail: lists that load related rows
in one query, a withdrawal form instead of delete, and each record's own audit
trail in place of Wagtail's log-based history.
"""

from urllib.parse import urlencode

from django.contrib.admin.utils import quote
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.utils import get_user_display_name
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import Button, HeaderButton
from wagtail.coreutils import get_content_type_label

from ..audit import AuditEntry
from ..forms import WithdrawalForm
from ..models import Licence, Merchant
from .exports import FormulaSafeExportMixin
from .filters import AuditHistoryFilterSet

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


def _audit_value(value):
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def _field_labels(model):
    """Verbose names by attname, as the audit snapshot stores ``merchant_id``, not ``merchant``."""
    if model is None:
        return {}
    return {field.attname: capfirst(field.verbose_name) for field in model._meta.concrete_fields}


class AuditChangesColumn(Column):
    """The changed fields of an audit entry, each as before → after."""

    cell_template_name = "merchants/admin/audit_changes_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        before, after = instance.before or {}, instance.after or {}
        labels = _field_labels(instance.content_type.model_class())
        creation = instance.action == AuditEntry.Action.CREATE
        changes = []
        for name in sorted(after.keys() | before.keys()):
            if creation and after.get(name) in (None, ""):
                continue
            changes.append(
                {
                    "field": labels.get(name, name),
                    "before": _audit_value(before.get(name)),
                    "after": _audit_value(after.get(name)),
                }
            )
        context["changes"] = changes
        context["is_creation"] = creation
        return context


def audit_columns():
    def label(name):
        return capfirst(AuditEntry._meta.get_field(name).verbose_name)

    return [
        DateColumn("at", label=label("at")),
        Column("action", label=label("action"), accessor="get_action_display"),
        Column("actor", label=label("actor"), accessor=audit_actor),
        Column("source", label=label("source")),
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


class MerchantIndexView(ArchiveIndexView):
    """The merchant list offers printing placards for what it shows (its precinct filter)."""

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


class AuditEntryInspectView(generic.InspectView):
    """One audit entry, with a link to the record it is about when staff may open it."""

    def get_record_url(self):
        model = self.object.content_type.model_class()
        if model is None:
            return None
        record = model._default_manager.filter(pk=self.object.object_id).first()
        if record is None:
            return None
        return AdminURLFinder(self.request.user).get_edit_url(record)

    @cached_property
    def header_more_buttons(self):
        if url := self.get_record_url():
            return [Button(gettext("Open record"), url=url, icon_name="edit")]
        return []


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
        self.object = get_object_or_404(self.model, pk=kwargs["pk"])

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
        context["action_url"] = reverse(self.withdraw_url_name, args=(quote(self.object.pk),))
        context["edit_url"] = self.get_edit_url()
        if self.history_url_name:
            context["audit_url"] = reverse(self.history_url_name, args=(quote(self.object.pk),))
        return context
