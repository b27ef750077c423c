"""Staff decisions on objections and credit-repair applications, and portal invitations.

Only staff of the record's authority decide (``may_be_decided_by``: a group
named as the authority, with the decide permission; or a superuser); the
listing shows everyone with the view permission only what their authorities
decide, with the working-day clock. A decision withdraws the record through
``CreditRecord.withdraw`` and mails the merchant.
"""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy, ngettext
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.ui.components import Component
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from .. import mail
from ..accounts import Invitation
from ..audit import AuditEntry
from ..models import Attachment, Merchant, Objection, RepairApplication
from .permissions import user_may


def clock(request):
    """Working days left until the decision is due, in words; or the decision date."""
    if not request.is_open:
        return gettext("decided %(date)s") % {"date": request.decided_on}
    left = request.working_days_left()
    if left < 0:
        return ngettext("%(count)d working day late", "%(count)d working days late", -left) % {
            "count": -left
        }
    return ngettext("%(count)d working day left", "%(count)d working days left", left) % {
        "count": left
    }


class RequestIndexView(generic.IndexView):
    """Open requests first, by due date; staff see their own authorities' requests."""

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .for_user(self.request.user)
            .select_related("merchant")
            .order_by("-status", "due_on", "pk")
        )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=gettext_lazy("Decision"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=gettext_lazy("Reasons"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Sent to the merchant and kept in the audit trail with your name."),
    )
    correction = forms.DecimalField(
        label=gettext_lazy("Corrected points"),
        required=False,
        max_digits=8,
        decimal_places=2,
        help_text=gettext_lazy(
            "When you uphold: the score as it should be. If the rating is published, a "
            "revision of the round is opened and run; a regulator publishes it."
        ),
    )

    def __init__(self, *args, choices=(), correction=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = choices
        if not correction:
            del self.fields["correction"]


class DecideView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """One objection or repair application: what was asked, the files, the decision."""

    model = None
    permission_required = "change"
    form_class = DecisionForm
    template_name = "merchants/admin/decide.html"
    header_icon = "tasks"
    index_url_name = None
    decide_url_name = None
    attachment_url_name = None
    #: decision value -> (label, method name, keyword arguments)
    decisions = {}

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(
            self.model.objects.select_related("merchant"), pk=kwargs["pk"]
        )

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.object.may_be_decided_by(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return str(self.object)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["choices"] = [
            (value, label) for value, (label, _m, _k) in self.get_decisions().items()
        ]
        return kwargs

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse(self.index_url_name),
                "label": capfirst(self.model._meta.verbose_name_plural),
            },
            {"url": "", "label": str(self.object)},
        ]

    def get_decisions(self):
        return self.decisions

    def form_valid(self, form):
        _label, method, kwargs = self.get_decisions()[form.cleaned_data["decision"]]
        if method == "uphold" and "correction" in form.cleaned_data:
            kwargs = {**kwargs, "correction": form.cleaned_data["correction"]}
        try:
            getattr(self.object, method)(form.cleaned_data["reason"], self.request.user, **kwargs)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            gettext("Decision on '%(object)s' saved and sent to the merchant.")
            % {"object": self.object},
        )
        return redirect(self.index_url_name)

    def form_invalid(self, form):
        messages.validation_error(self.request, gettext("The decision was not saved."), form)
        return super().form_invalid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            request_=self.object,
            clock=clock(self.object),
            action_url=reverse(self.decide_url_name, args=[self.object.pk]),
            attachments=[
                (attachment, reverse(self.attachment_url_name, args=[attachment.pk]))
                for attachment in self.object.attachments.all()
            ],
            audit_entries=AuditEntry.objects.for_object(self.object).select_related("actor"),
            is_open=self.object.is_open,
        )
        return context


class ObjectionDecideView(DecideView):
    """Archive records are withdrawn or said corrected; a score is corrected to the points
    given; a rating gets a revision of its round (what each means: ``Objection.uphold``)."""

    model = Objection
    reject = {"reject": (gettext_lazy("Reject the objection"), "reject", {})}
    by_kind = {
        "indicator_score": {
            "correct": (
                gettext_lazy("Uphold: correct the score to the points below"),
                "uphold",
                {},
            ),
            **reject,
        },
        "rating": {
            "revise": (
                gettext_lazy(
                    "Uphold: open a revision of the round to correct the scores or vetoes"
                ),
                "uphold",
                {},
            ),
            **reject,
        },
    }
    decisions = {
        "withdraw": (
            gettext_lazy("Uphold: withdraw the record"),
            "uphold",
            {"outcome": "withdrawn"},
        ),
        "corrected": (
            gettext_lazy("Uphold: the record has been corrected in the archive"),
            "uphold",
            {"outcome": "corrected"},
        ),
        **reject,
    }

    def get_decisions(self):
        return self.by_kind.get(self.object.target_kind, self.decisions)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["correction"] = self.object.target_kind == "indicator_score"
        return kwargs


class RepairDecideView(DecideView):
    model = RepairApplication
    decisions = {
        "approve": (gettext_lazy("Approve: withdraw the penalty (credit repair)"), "approve", {}),
        "refuse": (gettext_lazy("Refuse"), "refuse", {}),
    }


def attachment_view(model):
    """Download an attachment of ``model``'s requests, for staff who may decide it."""

    def view(request, pk):
        field = model._meta.model_name
        attachment = Attachment.objects.filter(pk=pk, **{f"{field}__isnull": False}).first()
        if attachment is None:
            raise Http404
        if not attachment.request.may_be_decided_by(request.user):
            raise PermissionDenied
        response = FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response

    return view


class InvitationForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Unified social credit code"), max_length=40)
    email = forms.EmailField(
        label=gettext_lazy("E-mail"),
        required=False,
        help_text=gettext_lazy("Leave empty to print the link and hand it over instead."),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language"), choices=Invitation._meta.get_field("language").choices
    )

    def clean_code(self):
        lookup = Merchant.objects.lookup(self.cleaned_data["code"])
        if lookup.problem:
            raise ValidationError(lookup.problem)
        if lookup.merchant is None:
            raise ValidationError(gettext("No merchant has this credit code."))
        self.merchant = lookup.merchant
        return lookup.code


class InviteView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Invite a business by credit code; the link is shown once (for printing) and mailed."""

    model = Invitation
    permission_required = "add"
    form_class = InvitationForm
    template_name = "merchants/admin/invite.html"
    page_title = gettext_lazy("Invite a business to the portal")
    header_icon = "mail"
    index_url_name = None
    add_url_name = None

    def get_page_title(self):
        return gettext("Invite a business to the portal")

    def get_form_class(self):
        # The viewset hands its add view a model form; this view takes a credit code instead.
        return InvitationForm

    def get_template_names(self):
        return ["merchants/admin/invite.html"]

    def form_valid(self, form):
        from ..tasks import mail_invitation

        invitation, token = Invitation.objects.issue(
            form.merchant,
            form.cleaned_data["email"],
            form.cleaned_data["language"],
            self.request.user,
        )
        if invitation.email:
            mail_invitation.enqueue(invitation.pk, token)
        # The link opens the portal in the language the business was invited in.
        link = mail.portal_url("portal:invitation", invitation.language, [token])
        return self.render_to_response(
            self.get_context_data(form=form, invitation=invitation, link=link)
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action_url"] = reverse(self.add_url_name)
        return context


class OpenRequestsPanel(Component):
    """The dashboard's clock: open objections and repair applications, soonest due first."""

    name = "open_merchant_requests"
    order = 90
    template_name = "merchants/admin/open_requests_panel.html"
    shown = 10

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        rows = []
        for model, url_name in (
            (Objection, "objections:edit"),
            (RepairApplication, "repairs:edit"),
        ):
            if not user_may(self.user, model, "view"):
                continue
            for request in (
                model.objects.open().for_user(self.user).select_related("merchant")[: self.shown]
            ):
                rows.append((request, clock(request), reverse(url_name, args=[request.pk])))
        rows.sort(key=lambda row: row[0].due_on)
        return {"rows": rows[: self.shown]}
