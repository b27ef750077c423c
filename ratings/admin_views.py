"""Review moderation in the Wagtail admin: the queue, and publishing or hiding with a reason.

Reviews are written by visitors, never by staff, so there is no add, edit or
delete. Staff with the "view" permission see every review, held and reported
ones included; staff with "moderate_review" decide. Each decision goes
through ``Review.moderate``, which writes the audit entry.
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets import BooleanRadioSelect

from merchants.admin.audit_trail import AuditReader, local_time
from merchants.audit import AuditEntry

from .models import Review, ReviewReply


class ReviewFilterSet(WagtailFilterSet):
    awaiting = django_filters.BooleanFilter(
        label=gettext_lazy("Awaiting a decision"),
        method="filter_awaiting",
        widget=BooleanRadioSelect,
    )
    status = django_filters.ChoiceFilter(
        choices=Review.Status.choices, widget=forms.RadioSelect, empty_label=gettext_lazy("All")
    )
    reported = django_filters.BooleanFilter(
        label=gettext_lazy("Reported, awaiting a decision"),
        method="filter_reported",
        widget=BooleanRadioSelect,
    )
    hold_reason = django_filters.ChoiceFilter(
        label=capfirst(Review._meta.get_field("hold_reason").verbose_name),
        choices=Review.HoldReason.choices[1:],
        widget=forms.RadioSelect,
        empty_label=gettext_lazy("All"),
    )

    class Meta:
        model = Review
        fields = ["awaiting", "status", "reported", "hold_reason", "overall"]

    def filter_awaiting(self, queryset, name, value):
        if value is None:
            return queryset
        waiting = Review.objects.awaiting_moderation().values("pk")
        return queryset.filter(pk__in=waiting) if value else queryset.exclude(pk__in=waiting)

    def filter_reported(self, queryset, name, value):
        if value is None:
            return queryset
        reported = Q(status=Review.Status.PUBLISHED, open_reports__gt=0)
        return queryset.filter(reported) if value else queryset.exclude(reported)


def comment_excerpt(review):
    text = review.comment.replace("\n", " ")
    return text if len(text) <= 80 else text[:79] + "…"


class ReviewIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("merchant")


class ReviewInspectView(generic.InspectView):
    """Everything staff may see of a review; the keyed hashes are not shown at all."""


class ModerationForm(forms.Form):
    # The same two values serve reviews and replies.
    status = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            (Review.Status.PUBLISHED, gettext_lazy("Publish (or keep published)")),
            (Review.Status.HIDDEN, gettext_lazy("Hide from the public")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Kept in the audit trail with your name."),
    )


class ModerateView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """One review with its reports and audit trail, and the publish-or-hide decision."""

    model = Review
    permission_required = "change"
    form_class = ModerationForm
    template_name = "ratings/admin/moderate.html"
    page_title = gettext_lazy("Moderate review")
    header_icon = "comment"
    index_url_name = None
    moderate_url_name = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        queryset = Review.objects.select_related("merchant", "placard", "moderated_by")
        self.object = get_object_or_404(queryset, pk=kwargs["pk"])

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse(self.index_url_name),
                "label": capfirst(Review._meta.verbose_name_plural),
            },
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def form_valid(self, form):
        try:
            with transaction.atomic():
                # Lock the row so two staff deciding at once do not both write.
                review = Review.objects.select_for_update().get(pk=self.object.pk)
                review.merchant = self.object.merchant
                review.moderate(
                    form.cleaned_data["status"], form.cleaned_data["reason"], self.request.user
                )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            gettext("Review %(review)s is now %(status)s.")
            % {"review": review, "status": review.get_status_display()},
        )
        return redirect(self.index_url_name)

    def form_invalid(self, form):
        messages.validation_error(self.request, gettext("The decision was not saved."), form)
        return super().form_invalid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["review"] = self.object
        context["action_url"] = reverse(self.moderate_url_name, args=[self.object.pk])
        context["reports"] = self.object.reports.all()
        entries = list(
            AuditEntry.objects.for_object(self.object).select_related("actor", "content_type")
        )
        reader = AuditReader(entries, self.request.user)
        context["audit_entries"] = [
            (entry, reader.changes(entry), local_time(entry.at)) for entry in entries
        ]
        return context


# ----------------------------------------------------------------------------
# Business replies: held ones wait here; staff publish or hide them.


class ReplyModerateView(ModerateView):
    """A business's reply under its review, its versions, and the publish-or-hide decision."""

    model = ReviewReply
    template_name = "ratings/admin/moderate_reply.html"
    page_title = gettext_lazy("Moderate business reply")

    def setup(self, request, *args, **kwargs):
        super(ModerateView, self).setup(request, *args, **kwargs)
        queryset = ReviewReply.objects.select_related("review__merchant", "written_by")
        self.object = get_object_or_404(queryset, pk=kwargs["pk"])

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse(self.index_url_name),
                "label": capfirst(ReviewReply._meta.verbose_name_plural),
            },
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def form_valid(self, form):
        try:
            self.object.moderate(
                form.cleaned_data["status"], form.cleaned_data["reason"], self.request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            gettext("%(reply)s is now %(status)s.")
            % {"reply": self.object, "status": self.object.get_status_display()},
        )
        return redirect(self.index_url_name)

    def get_context_data(self, **kwargs):
        context = super(ModerateView, self).get_context_data(**kwargs)
        context.update(
            reply=self.object,
            review=self.object.review,
            action_url=reverse(self.moderate_url_name, args=[self.object.pk]),
            history=self.object.history(),
        )
        return context


def reply_excerpt(reply):
    text = reply.text.replace("\n", " ")
    return text if len(text) <= 80 else text[:79] + "…"
