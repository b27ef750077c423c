"""Staff views in the Wagtail admin: print, revoke, preview and download."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.auth import permission_denied
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from merchants.admin.permissions import user_may
from merchants.audit import AuditEntry, acting_as

from . import pdf, tasks
from .forms import RevokeForm
from .models import Placard, PrintJob


class PlacardIndexView(generic.IndexView):
    def get_base_queryset(self):
        return (
            super().get_base_queryset().select_related("merchant", "revoked_by").with_scan_totals()
        )

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons.append(
            MenuItem(
                _("Preview"),
                url=reverse("placard:preview", args=[instance.pk]),
                icon_name="image",
                priority=40,
            )
        )
        buttons.append(
            MenuItem(_("PDF"), url=reverse("placard:pdf", args=[instance.pk]), icon_name="doc-full")
        )
        if instance.revoked_at is None and user_may(self.request.user, Placard, "revoke"):
            buttons.append(
                MenuItem(
                    _("Revoke"),
                    url=reverse("placard:revoke", args=[instance.pk]),
                    icon_name="cross",
                    priority=50,
                )
            )
        return buttons


class PlacardActionView(WagtailAdminTemplateMixin, FormView):
    """One staff action on one placard: checked, titled and placed under the placard list."""

    #: (model, action) the user must be allowed, asked of the admin's permission policy.
    permission = (Placard, "view")
    title = ""

    def dispatch(self, request, pk):
        if not user_may(request.user, *self.permission):
            return permission_denied(request)
        self.placard = get_object_or_404(
            Placard.objects.select_related("merchant__precinct__parent"), pk=pk
        )
        return self.refusal(request) or super().dispatch(request, pk)

    def refusal(self, request):
        """A response that stops the action for this placard before any form runs, or None."""
        return None

    def get_page_title(self):
        return self.title % {"serial": self.placard.serial}

    def get_page_subtitle(self):
        return str(self.placard)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("placard:index"), "label": Placard._meta.verbose_name_plural},
            {"url": "", "label": self.get_page_title()},
        ]


class RevokeView(PlacardActionView):
    """Staff action: revoke a placard, with the reason kept in the audit trail."""

    form_class = RevokeForm
    template_name = "wagtailadmin/generic/form.html"
    header_icon = "cross"
    permission = (Placard, "revoke")
    title = gettext_lazy("Revoke placard %(serial)s")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action_url"] = reverse("placard:revoke", args=[self.placard.pk])
        context["submit_button_label"] = _("Revoke")
        return context

    def form_valid(self, form):
        try:
            with acting_as(self.request.user, "admin"):
                self.placard.revoke(form.cleaned_data["reason"], self.request.user)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Placard %(serial)s revoked.") % {"serial": self.placard.serial}
        )
        return redirect("placard:index")


def preview(request, pk):
    """A PNG of one placard's page, drawn from the same PDF that is printed."""
    if not user_may(request.user, Placard, "view"):
        return permission_denied(request)
    placard = get_object_or_404(Placard.objects.select_related("merchant__precinct__parent"), pk=pk)
    return HttpResponse(pdf.preview_png(placard), content_type="image/png")


class ReprintView(PlacardActionView):
    """Reprint one placard as it was issued (same serial, same code).

    A printable copy of a credential: only staff who may print, never for a
    revoked placard, and the reprint is in the audit trail. Recording it is a
    change, so GET only shows what will happen and the PDF comes from a POST:
    a link on another site cannot make entries in a staff member's name.
    """

    form_class = forms.Form
    template_name = "print_templates/admin/reprint.html"
    header_icon = "doc-full"
    permission = (PrintJob, "add")
    title = gettext_lazy("Reprint placard %(serial)s")

    def refusal(self, request):
        if self.placard.revoked_at is not None:
            messages.error(request, _("A revoked placard cannot be reprinted."))
            return redirect(reverse("placard:index"))
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action_url"] = reverse("placard:pdf", args=[self.placard.pk])
        context["index_url"] = reverse("placard:index")
        return context

    def form_valid(self, form):
        AuditEntry.objects.record(
            self.placard, AuditEntry.Action.PRINT, reason=str(_("Reprinted from the admin."))
        )
        response = HttpResponse(
            pdf.render([self.placard], self.placard.template), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'inline; filename="placard-{self.placard.serial}.pdf"'
        return response


class PrintJobIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("precinct", "requested_by")


class PrintJobCreateView(generic.CreateView):
    """Queue a print job after showing what it will do; the task framework runs it.

    The first valid submission only previews: how many merchants, placards and
    sheets, and which placards on display the new ones will make outdated. The
    clerk confirms with the same form; a changed form is previewed again.
    """

    template_name = "print_templates/admin/print_job_form.html"
    submit_button_label = gettext_lazy("Preview")

    def get_initial(self):
        """Prefilled from the merchant list's "Print placards" action (its precinct filter)."""
        initial = super().get_initial()
        precinct = self.request.GET.get("precinct", "")
        if precinct.isdecimal():
            initial["precinct"] = int(precinct)
        return initial

    def form_valid(self, form):
        if form.is_confirmed():
            return super().form_valid(form)
        data = self.request.POST.copy()
        data["confirm"] = form.fingerprint()
        plan = form.instance.plan()
        form = self.get_form_class()(data=data, instance=self.model())
        form.is_valid()
        self.form = form
        return self.render_to_response(self.get_context_data(form=form, plan=plan))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = kwargs.get("plan")
        context["plan"] = plan
        if plan is not None:
            context["submit_button_label"] = gettext("Confirm and print")
            # Previewing is not editing: nothing is lost by leaving the page.
            context["has_unsaved_changes"] = False
            context["outdated_url"] = reverse("placard:index")
        return context

    def save_instance(self):
        job = self.form.save(commit=False)
        job.requested_by = self.request.user
        job.save()
        transaction.on_commit(lambda: tasks.print_job.enqueue(job.pk))
        return job

    def get_success_message(self, instance):
        return _("Printing %(job)s. The PDF appears in the list when it is ready.") % {
            "job": instance
        }

    def get_success_buttons(self):
        """The list where the PDF appears: print jobs are never edited, so no "edit" button."""
        return [messages.button(reverse(self.index_url_name), _("Print jobs"))]

    def get_success_url(self):
        return reverse(self.index_url_name)


def download(request, pk):
    """The finished batch PDF, for staff allowed to see print jobs only."""
    if not user_may(request.user, PrintJob, "view"):
        return permission_denied(request)
    job = get_object_or_404(PrintJob, pk=pk, status=PrintJob.Status.DONE)
    if not job.file:
        raise Http404("This job was printed to a file outside the site.")
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=f"placards-{job.template}-{job.pk}.pdf",
        content_type="application/pdf",
    )
