"""The credit archive in the Wagtail staff admin (信用档案 menu).

Every archive model gets a listing with filters and ORM search, add, edit and a
read-only inspect view; credit records also get a withdraw view. There is no
delete and no copy anywhere, and each record's "history" is its audit trail.
"""

from django.conf import settings
from django.db.models import Count, Q
from django.templatetags.static import static
from django.urls import path
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.viewsets.model import ModelViewSetGroup

from .admin import decisions
from .admin import filters as admin_filters
from .admin import users as admin_users
from .admin import views as admin_views
from .admin.dashboard import Task, TaskPanel
from .admin.permissions import ARCHIVE_ACTIONS, restrict, user_may
from .admin.viewsets import NoDeleteViewSet
from .audit import AuditEntry
from .forms import MERCHANT_SEARCH_FIELDS, MerchantChooserFilterForm, PenaltyAdminForm
from .models import (
    Association,
    GlossaryTerm,
    Inspection,
    Invitation,
    Licence,
    ListEntry,
    Merchant,
    Objection,
    Penalty,
    Precinct,
    RepairApplication,
)

# Policies first: Wagtail refuses a policy registered after a fallback was made.
for archive_model in (
    Precinct,
    Association,
    Merchant,
    Licence,
    Inspection,
    Penalty,
    ListEntry,
    GlossaryTerm,
):
    restrict(archive_model, ARCHIVE_ACTIONS)
# The audit trail is written by the models, never by hand.
restrict(AuditEntry, ["view"])
# Merchants file objections and repair applications; staff only decide them.
restrict(Objection, ["view", "change"], codenames={"change": "decide"})
restrict(RepairApplication, ["view", "change"], codenames={"change": "decide"})
restrict(Invitation, ["view", "add"])

RECORD_SEARCH_FIELDS = ("merchant__code", "merchant__name_zh", "merchant__name_en")


class ArchiveViewSet(NoDeleteViewSet):
    """Listing, add, edit and inspect; history is the audit trail."""

    list_select_related = ()
    #: Extra rows on the inspect page: name -> (label, function of the record).
    inspect_derived_fields = {}

    inspect_view_enabled = True
    list_per_page = 50
    index_view_class = admin_views.ArchiveIndexView
    inspect_view_class = admin_views.ArchiveInspectView
    history_view_class = admin_views.AuditHistoryView

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(list_select_related=self.list_select_related, **kwargs)

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(derived_fields=self.inspect_derived_fields, **kwargs)


class PrecinctViewSet(ArchiveViewSet):
    model = Precinct
    name = "archive_precincts"
    url_prefix = "archive/precincts"
    icon = "site"
    menu_order = 100
    list_display = ["name_zh", "name_en", "slug", "kind", "parent"]
    list_select_related = ("parent",)
    filterset_class = admin_filters.PrecinctFilterSet
    search_fields = ["name_zh", "name_en", "slug"]
    panels = [
        FieldRowPanel([FieldPanel("name_zh"), FieldPanel("name_en")]),
        FieldPanel("slug"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("parent")]),
        FieldPanel("address"),
    ]


class AssociationViewSet(ArchiveViewSet):
    model = Association
    name = "archive_associations"
    url_prefix = "archive/associations"
    icon = "group"
    menu_order = 200
    list_display = ["name_zh", "name_en", "slug", "precinct"]
    list_select_related = ("precinct",)
    filterset_class = admin_filters.AssociationFilterSet
    search_fields = ["name_zh", "name_en", "slug"]
    panels = [
        FieldRowPanel([FieldPanel("name_zh"), FieldPanel("name_en")]),
        FieldPanel("slug"),
        FieldPanel("precinct"),
    ]


class MerchantViewSet(ArchiveViewSet):
    model = Merchant
    index_view_class = admin_views.MerchantIndexView
    edit_view_class = admin_views.MerchantEditView
    inspect_view_class = admin_views.MerchantInspectView
    name = "archive_merchants"
    url_prefix = "archive/merchants"
    icon = "user"
    menu_order = 300
    list_display = [
        "name_zh",
        "code",
        "stall",
        "precinct",
        "kind",
        Column(
            "licence_status",
            label=capfirst(_("licence")),
            accessor=admin_views.merchant_licence_status,
            sort_key="licence_status",
        ),
        Column(
            "public_penalties",
            label=capfirst(_("public penalties")),
            sort_key="public_penalties",
        ),
        Column(
            "black_listed",
            label=capfirst(_("on a black list")),
            accessor=admin_views.merchant_black_listed,
        ),
    ]
    # The association is not listed but exported; one join serves both.
    list_select_related = ("precinct", "association")
    list_export = [
        "code",
        "name_zh",
        "name_en",
        "kind",
        "category",
        "stall",
        "address",
        "address_en",
        "precinct",
        "association",
    ]
    filterset_class = admin_filters.MerchantFilterSet
    search_fields = list(MERCHANT_SEARCH_FIELDS)
    panels = [
        FieldPanel("code"),
        FieldRowPanel([FieldPanel("name_zh"), FieldPanel("name_en")]),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("category")]),
        FieldRowPanel([FieldPanel("precinct"), FieldPanel("stall")]),
        FieldRowPanel([FieldPanel("address"), FieldPanel("address_en")]),
        FieldPanel("association"),
    ]


class MerchantChooserViewSet(ChooserViewSet):
    """Pick a merchant by code, name or stall: a plain select of 110,000 would not do."""

    model = Merchant
    name = "archive_merchant_chooser"
    url_prefix = "archive/merchant-chooser"
    icon = "user"
    choose_one_text = _("Choose a merchant")
    choose_another_text = _("Choose another merchant")
    edit_item_text = _("Edit")
    per_page = 20
    choose_view_class = admin_views.MerchantChooseView
    choose_results_view_class = admin_views.MerchantChooseResultsView

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(filter_form_class=MerchantChooserFilterForm, **kwargs)

    def get_object_list(self):
        return Merchant.objects.select_related("precinct")


class CreditRecordViewSet(ArchiveViewSet):
    """A licence, inspection, penalty or list entry: withdrawn through its own form."""

    index_view_class = admin_views.CreditRecordIndexView
    edit_view_class = admin_views.CreditRecordEditView
    withdraw_view_class = admin_views.WithdrawView
    list_select_related = ("merchant",)
    search_fields = list(RECORD_SEARCH_FIELDS)

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            withdraw_url_name=self.get_url_name("withdraw"), **kwargs
        )

    @property
    def withdraw_view(self):
        return self.construct_view(self.withdraw_view_class)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(f"withdraw/<{self.pk_path_converter}:pk>/", self.withdraw_view, name="withdraw"),
        ]


class LicenceViewSet(CreditRecordViewSet):
    model = Licence
    name = "archive_licences"
    url_prefix = "archive/licences"
    icon = "doc-full"
    menu_order = 400
    index_view_class = admin_views.LicenceIndexView
    list_display = [
        "number",
        "merchant",
        "kind",
        "issued_on",
        "expires_on",
        Column(
            "public_status",
            label=capfirst(_("status")),
            accessor=admin_views.licence_status_label,
            sort_key="public_status",
        ),
        DateColumn("withdrawn_on", label=capfirst(_("withdrawn on"))),
    ]
    list_export = ["number", "merchant", "kind", "issuer", "issued_on", "expires_on", "state"]
    inspect_derived_fields = {"status": (_("status"), admin_views.licence_status_today)}
    filterset_class = admin_filters.LicenceFilterSet
    search_fields = ["number", *RECORD_SEARCH_FIELDS]
    panels = [
        FieldPanel("merchant"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("number")]),
        FieldPanel("issuer"),
        FieldRowPanel([FieldPanel("issued_on"), FieldPanel("expires_on")]),
        FieldPanel("state"),
    ]


class InspectionViewSet(CreditRecordViewSet):
    model = Inspection
    name = "archive_inspections"
    url_prefix = "archive/inspections"
    icon = "clipboard-list"
    menu_order = 500
    list_display = [
        "inspected_on",
        "merchant",
        "authority",
        "kind",
        "result",
        DateColumn("withdrawn_on", label=capfirst(_("withdrawn on"))),
    ]
    filterset_class = admin_filters.InspectionFilterSet
    search_fields = ["authority", *RECORD_SEARCH_FIELDS]
    panels = [
        FieldPanel("merchant"),
        FieldRowPanel([FieldPanel("inspected_on"), FieldPanel("authority")]),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("result")]),
        FieldPanel("findings"),
        FieldPanel("summary_en"),
    ]


class PenaltyViewSet(CreditRecordViewSet):
    model = Penalty
    name = "archive_penalties"
    url_prefix = "archive/penalties"
    icon = "warning"
    menu_order = 600
    list_display = [
        "decision_number",
        "merchant",
        "decided_on",
        "severity",
        Column(
            "publicity",
            label=capfirst(_("shown to the public")),
            accessor=admin_views.penalty_publicity,
        ),
    ]
    list_export = [
        "decision_number",
        "merchant",
        "decided_on",
        "authority",
        "violation",
        "penalty_types",
        "outcome",
        "fine_amount",
        "severity",
        "withdrawn_on",
        "withdrawal_kind",
        "withdrawal_reason",
    ]
    filterset_class = admin_filters.PenaltyFilterSet
    inspect_derived_fields = {
        "publicity": (_("shown to the public"), admin_views.penalty_publicity),
        "publicity_ends_on": (_("publicity ends on"), lambda penalty: penalty.publicity_ends_on),
        "repairable_from": (
            _("credit repair possible from"),
            lambda penalty: penalty.repairable_from,
        ),
    }
    search_fields = ["decision_number", *RECORD_SEARCH_FIELDS]
    edit_handler = ObjectList(
        [
            FieldPanel("merchant"),
            FieldRowPanel([FieldPanel("decision_number"), FieldPanel("decided_on")]),
            FieldPanel("authority"),
            FieldPanel("violation"),
            FieldPanel("penalty_types"),
            FieldRowPanel([FieldPanel("fine_amount"), FieldPanel("severity")]),
            FieldPanel("outcome"),
            FieldPanel("summary_en"),
        ],
        base_form_class=PenaltyAdminForm,
    )


class ListEntryViewSet(CreditRecordViewSet):
    model = ListEntry
    name = "archive_list_entries"
    url_prefix = "archive/list-entries"
    icon = "list-ul"
    menu_order = 700
    list_display = [
        "list_name",
        "merchant",
        "listed_on",
        "until",
        "authority",
        DateColumn("withdrawn_on", label=capfirst(_("withdrawn on"))),
    ]
    filterset_class = admin_filters.ListEntryFilterSet
    panels = [
        FieldPanel("merchant"),
        FieldPanel("list_name"),
        FieldPanel("reason"),
        FieldPanel("summary_en"),
        FieldPanel("authority"),
        FieldRowPanel([FieldPanel("listed_on"), FieldPanel("until")]),
    ]


class GlossaryViewSet(ArchiveViewSet):
    """The English of archive values (authorities, specialties, kinds): words staff keep."""

    model = GlossaryTerm
    name = "archive_glossary"
    url_prefix = "archive/glossary"
    icon = "globe"
    menu_order = 800
    list_display = [
        "source",
        Column("built_in", label=capfirst(_("built-in wording")), accessor="built_in_wording"),
        "english",
        "vocabulary",
    ]
    list_filter = ["vocabulary"]
    search_fields = ["source", "english"]
    panels = [
        FieldPanel("vocabulary"),
        FieldRowPanel([FieldPanel("source"), FieldPanel("english")]),
        FieldPanel("note"),
    ]


class AuditEntryViewSet(ArchiveViewSet):
    """The audit trail, read only: written by the models on every save."""

    model = AuditEntry
    name = "archive_audit"
    url_prefix = "archive/audit"
    icon = "history"
    menu_order = 900
    removed_views = ("add", "edit", "delete", "usage", "history", "history_results")
    index_view_class = admin_views.AuditIndexView
    inspect_view_class = admin_views.AuditEntryInspectView
    list_display = [
        "object_repr",
        admin_views.AuditRecordColumn(
            "record", label=capfirst(_("current name")), accessor="object_repr"
        ),
        Column(
            "record_type", label=capfirst(_("record type")), accessor=admin_views.audit_record_type
        ),
        *admin_views.audit_columns(),
    ]
    list_select_related = ("actor", "content_type")
    filterset_class = admin_filters.AuditEntryFilterSet
    search_fields = ["object_repr", "reason"]
    inspect_view_fields = [
        "at",
        "action",
        "actor",
        "source",
        "content_type",
        "object_repr",
        "changes",
        "reason",
    ]
    # Creation and editing are refused; this keeps Wagtail from asking for a form.
    form_fields = []


class CreditArchiveGroup(ModelViewSetGroup):
    menu_label = _("Credit archive")
    menu_icon = "folder-open-inverse"
    menu_order = 150
    items = (
        PrecinctViewSet,
        AssociationViewSet,
        MerchantViewSet,
        LicenceViewSet,
        InspectionViewSet,
        PenaltyViewSet,
        ListEntryViewSet,
        GlossaryViewSet,
        AuditEntryViewSet,
    )


class RequestViewSet(NoDeleteViewSet):
    """Objections or repair applications: a listing with the clock; "edit" is the decision."""

    decide_view_class = None
    title_label = None  # the first column's heading, which links to the decision
    icon = "tasks"
    list_per_page = 50
    removed_views = ("add", "delete", "usage", "history", "history_results")
    index_view_class = decisions.RequestIndexView
    search_fields = ["merchant__code", "merchant__name_zh", "authority"]
    # Requests are filed in the portal and decided here; no model form is built.
    form_fields = []

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        view_kwargs["decide_url_name"] = self.get_url_name("edit")
        view_kwargs["attachment_url_name"] = self.get_url_name("attachment")
        return view_kwargs

    @property
    def list_display(self):
        return [
            TitleColumn(
                "request", label=self.title_label, accessor=str, url_name=f"{self.name}:edit"
            ),
            Column("merchant", label=_label(self.model, "merchant")),
            DateColumn("filed_on", label=_label(self.model, "filed_on")),
            DateColumn("due_on", label=_label(self.model, "due_on")),
            Column("clock", label=_("Clock"), accessor=decisions.clock),
            Column("status", label=_label(self.model, "status"), accessor="get_status_display"),
        ]

    @property
    def edit_view(self):
        return self.construct_view(self.decide_view_class)

    def get_urlpatterns(self):
        patterns = [p for p in super().get_urlpatterns() if p.name != "edit"]
        return [
            *patterns,
            path("decide/<int:pk>/", self.edit_view, name="edit"),
            path("attachment/<int:pk>/", decisions.attachment_view(self.model), name="attachment"),
        ]


def _label(model, name):
    return capfirst(model._meta.get_field(name).verbose_name)


class ObjectionViewSet(RequestViewSet):
    model = Objection
    name = "objections"
    url_prefix = "archive/objections"
    menu_order = 120
    decide_view_class = decisions.ObjectionDecideView
    title_label = _("Objection")
    list_filter = ["status", "target_kind"]


class RepairApplicationViewSet(RequestViewSet):
    model = RepairApplication
    name = "repairs"
    url_prefix = "archive/repairs"
    menu_order = 130
    decide_view_class = decisions.RepairDecideView
    title_label = _("Application")
    list_filter = ["status"]


class InvitationViewSet(NoDeleteViewSet):
    """Invitations to the portal: created here, accepted by following the link."""

    model = Invitation
    name = "invitations"
    url_prefix = "archive/invitations"
    icon = "mail"
    menu_order = 140
    add_view_class = decisions.InviteView
    removed_views = ("edit", "delete", "usage", "history", "history_results")
    form_fields = []
    list_display = [
        Column("merchant", label=_label(Invitation, "merchant")),
        "email",
        DateColumn("created_at", label=_label(Invitation, "created_at")),
        DateColumn("expires_at", label=_label(Invitation, "expires_at")),
        DateColumn("accepted_at", label=_label(Invitation, "accepted_at")),
    ]
    search_fields = ["merchant__code", "merchant__name_zh", "email"]


class MerchantRightsGroup(ModelViewSetGroup):
    menu_label = _("Merchant requests")
    menu_icon = "tasks"
    menu_order = 155
    items = (ObjectionViewSet, RepairApplicationViewSet, InvitationViewSet)


@hooks.register("construct_homepage_panels")
def add_open_requests_panel(request, panels):
    panels.append(decisions.OpenRequestsPanel(request.user))


@hooks.register("register_admin_viewset")
def register_credit_archive():
    return [CreditArchiveGroup(), MerchantRightsGroup(), MerchantChooserViewSet()]


# Accounts the records name are deactivated, not deleted (merchants/admin/users.py).
hooks.register("before_delete_user", admin_users.refuse_deleting_named_user)
hooks.register("before_bulk_action", admin_users.refuse_deleting_named_users)


@hooks.register("insert_global_admin_js")
def _picker_script():
    """Starts date and time pickers without inline script (Content-Security-Policy)."""
    return format_html('<script src="{}"></script>', static("merchants/admin/pickers.js"))


@hooks.register("construct_homepage_panels")
def add_archive_panel(request, panels):
    """Licences running out and penalties now open to credit repair, for archive staff.

    Four queries whatever the size of the archive; objections and repair
    applications count only those the staff member may decide.
    """
    user = request.user
    tasks = []
    if user_may(user, Licence, "view"):
        Status = Licence.Status
        counts = (
            Licence.objects.current()
            .with_status()
            .aggregate(
                expiring=Count("pk", filter=Q(public_status=Status.EXPIRING)),
                expired=Count("pk", filter=Q(public_status=Status.EXPIRED)),
            )
        )
        days = settings.CREDIT_LICENCE_EXPIRING_DAYS
        tasks += [
            Task.linked(
                _("Licences expiring within %(days)d days") % {"days": days},
                counts["expiring"],
                "archive_licences:index",
                public_status=Status.EXPIRING,
                withdrawn="false",
            ),
            Task.linked(
                _("Expired licences still on record"),
                counts["expired"],
                "archive_licences:index",
                public_status=Status.EXPIRED,
                withdrawn="false",
            ),
        ]
    if user_may(user, Penalty, "view"):
        tasks.append(
            Task.linked(
                _("Public penalties now open to credit repair"),
                Penalty.objects.repairable().count(),
                "archive_penalties:index",
                publicity=admin_filters.PenaltyFilterSet.REPAIRABLE,
            )
        )
    for model, url_name, label in (
        (Objection, "objections:index", _("Objections awaiting a decision")),
        (RepairApplication, "repairs:index", _("Credit repair applications awaiting a decision")),
    ):
        if user_may(user, model, "view"):
            tasks.append(
                Task.linked(
                    label,
                    model.objects.open().for_user(user).count(),
                    url_name,
                    status="open",
                )
            )
    if tasks:
        panels.append(TaskPanel("archive-tasks", _("Credit archive: to do"), tasks, order=10))


#: Wagtail menus our staff have no use for: "Reports" (locked pages, workflows,
#: page ageing) is translated 举报, the word staff use for a reported review,
#: and "Help" leads to Wagtail's editor guide on the internet. Their pages
#: still answer by URL for whoever has the rights.
HIDDEN_MENUS = frozenset({"reports", "help"})


@hooks.register("construct_main_menu")
def hide_unused_menus(request, menu_items):
    menu_items[:] = [item for item in menu_items if item.name not in HIDDEN_MENUS]


@hooks.register("construct_homepage_summary_items", order=1000)
def drop_page_and_image_counts(request, summary_items):
    """ "36 pages / 0 images" says nothing about what needs doing; the panels below do."""
    summary_items.clear()
