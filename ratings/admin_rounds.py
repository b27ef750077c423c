"""Staff views of rating rounds: run in the background with progress, compare, publish, revise.

Association staff may look at their schemes' rounds; only regulators run,
publish and revise them.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.auth import permission_denied

from merchants.admin.permissions import user_may
from merchants.audit import acting_as
from print_templates.models import PrintJob

from . import plaques, tasks
from .admin_schemes import RatingAdminMixin
from .forms import PlaqueMerchantsForm, ReasonForm
from .rounds import Round


class RoundsView(RatingAdminMixin, TemplateView):
    """A scheme's rounds, newest revision first; "run" for regulators."""

    template_name = "ratings/admin/rounds.html"

    def dispatch(self, request, pk):
        self.pk = pk
        return super().dispatch(request, pk)

    def get(self, request, pk):
        self.scheme = self.visible_scheme(pk)
        return self.render_to_response(self.get_context_data())

    def post(self, request, pk):
        """Run the open round (a new one if there is none)."""
        self.scheme = self.visible_scheme(pk)
        if not self.access.may_run_rounds:
            return permission_denied(request)
        with transaction.atomic():
            latest = self.scheme.rounds.select_for_update().order_by("-revision").first()
            if latest is not None and latest.is_frozen:
                messages.error(request, _("The round is published; open a revision to correct it."))
                return redirect("ratings_admin:rounds", pk=self.scheme.pk)
            if latest is not None and latest.is_running:
                messages.warning(request, _("This round is already running."))
                return redirect("ratings_admin:round", pk=latest.pk)
            if latest is None:
                latest = Round(scheme=self.scheme, requested_by=request.user)
                with acting_as(request.user, "admin"):
                    latest.save()
            user_id = request.user.pk
            round_id = latest.pk
            transaction.on_commit(lambda: tasks.run_round.enqueue(round_id, user_id))
        messages.success(request, _("The round is running; this page shows its progress."))
        return redirect("ratings_admin:round", pk=round_id)

    def get_page_title(self):
        return _("Rounds: %(scheme)s") % {"scheme": self.scheme}

    def get_context_data(self, **kwargs):
        rounds = list(self.scheme.rounds.select_related("published_by", "requested_by"))
        latest = rounds[0] if rounds else None
        return super().get_context_data(
            scheme=self.scheme,
            rounds=rounds,
            may_run=self.access.may_run_rounds and (latest is None or not latest.is_frozen),
            **kwargs,
        )


class RoundView(RatingAdminMixin, TemplateView):
    """One round: progress while it runs; then the levels, the change since the last
    published round, and publish (or open a revision) for regulators."""

    template_name = "ratings/admin/round.html"

    def dispatch(self, request, pk):
        self.pk = pk
        return super().dispatch(request, pk)

    def load(self):
        self.round = get_object_or_404(
            Round.objects.select_related("scheme__precinct", "revises"), pk=self.pk
        )
        self.scheme = self.visible_scheme(self.round.scheme_id)

    def get(self, request, pk):
        self.load()
        return self.render_to_response(self.get_context_data(form=ReasonForm()))

    def post(self, request, pk):
        self.load()
        if not self.access.may_run_rounds:
            return permission_denied(request)
        action = request.POST.get("action")
        try:
            with acting_as(request.user, "admin"):
                if action == "publish":
                    self.round.publish(request.user)
                    messages.success(request, _("%(round)s is published.") % {"round": self.round})
                    return redirect("ratings_admin:round", pk=self.round.pk)
                if action == "revise":
                    form = ReasonForm(request.POST)
                    if not form.is_valid():
                        return self.render_to_response(self.get_context_data(form=form))
                    revision = self.round.revise(form.cleaned_data["reason"], request.user)
                    messages.success(
                        request,
                        _("Revision %(n)d is open: correct the scores, then run and publish it.")
                        % {"n": revision.revision},
                    )
                    return redirect("ratings_admin:round", pk=revision.pk)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("ratings_admin:round", pk=self.round.pk)
        messages.error(request, _("Unknown action."))
        return redirect("ratings_admin:round", pk=self.round.pk)

    def get_page_title(self):
        return _("%(scheme)s · revision %(n)d") % {"scheme": self.scheme, "n": self.round.revision}

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("ratings_admin:schemes"), "label": _("Star ratings")},
            {
                "url": reverse("ratings_admin:rounds", args=[self.scheme.pk]),
                "label": str(self.scheme),
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        round_ = self.round
        done = round_.status in (Round.Status.COMPUTED, *Round.FROZEN)
        comparison = round_.compare() if done else None
        return super().get_context_data(
            round=round_,
            scheme=self.scheme,
            comparison=comparison,
            may_publish=self.access.may_run_rounds and round_.may_publish,
            may_revise=self.access.may_run_rounds and round_.status == Round.Status.PUBLISHED,
            may_print_plaques=round_.status == Round.Status.PUBLISHED
            and plaques.awards_plaques(round_)
            and user_may(self.request.user, PrintJob, "add"),
            refresh=round_.is_running,
            **kwargs,
        )


class PrintPlaquesView(RatingAdminMixin, TemplateView):
    """ "Print plaques for this round": fresh plaques for its 4- and 5-star members.

    GET shows what will be printed and asks for confirmation; only POST
    prints, through ``plaques.reprint`` (as ``print_plaques`` does): one print
    job per precinct, each plaque superseding the member's earlier one and
    audited as the user's. For staff who may see the scheme and print.
    Given credit codes, only those merchants, and each one refused says why.
    """

    template_name = "ratings/admin/print_plaques.html"

    def dispatch(self, request, pk):
        self.pk = pk
        return super().dispatch(request, pk)

    def load(self):
        self.round = get_object_or_404(Round.objects.select_related("scheme"), pk=self.pk)
        self.scheme = self.visible_scheme(self.round.scheme_id)

    def refused(self):
        """A reason to print nothing at all, or ""."""
        if not user_may(self.request.user, PrintJob, "add"):
            return "permission"
        if self.round.status != Round.Status.PUBLISHED:
            return _("Plaques are printed from the published round only.")
        if not plaques.awards_plaques(self.round):
            return _("This scheme awards no stars, so it prints no plaques.")
        return ""

    def get(self, request, pk):
        self.load()
        reason = self.refused()
        if reason == "permission":
            return permission_denied(request)
        return self.render_to_response(self.get_context_data(form=PlaqueMerchantsForm()))

    def post(self, request, pk):
        self.load()
        reason = self.refused()
        if reason == "permission":
            return permission_denied(request)
        if reason:
            messages.error(request, reason)
            return redirect("ratings_admin:round", pk=self.round.pk)
        form = PlaqueMerchantsForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        merchants = form.cleaned_data["merchants"]
        if merchants:
            refused = plaques.refusals(self.round, [merchant.pk for merchant in merchants])
            if refused:
                rows = [
                    (merchant, refused[merchant.pk])
                    for merchant in merchants
                    if merchant.pk in refused
                ]
                return self.render_to_response(self.get_context_data(form=form, refused=rows))
        try:
            with acting_as(request.user, "admin"), transaction.atomic():
                jobs = plaques.reprint(
                    self.round,
                    [merchant.pk for merchant in merchants] if merchants else None,
                    request.user,
                )
        except ValidationError as refusal:
            # The round or a result changed since the form was shown (a revision published).
            messages.error(request, " ".join(refusal.messages))
            return redirect("ratings_admin:round", pk=self.round.pk)
        total = sum(job.total for job in jobs)
        if not total:
            messages.warning(
                request, _("No member has 4 or 5 stars in this round: nothing was printed.")
            )
            return redirect("ratings_admin:round", pk=self.round.pk)
        messages.success(
            request,
            ngettext(
                "%(count)d plaque sent to print in %(jobs)d print job.",
                "%(count)d plaques sent to print in %(jobs)d print jobs.",
                total,
            )
            % {"count": total, "jobs": len(jobs)},
            buttons=[messages.button(reverse("printjob:index"), _("See the print jobs"))],
        )
        return redirect("ratings_admin:round", pk=self.round.pk)

    def get_page_title(self):
        return _("Print plaques: %(scheme)s") % {"scheme": self.scheme}

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("ratings_admin:schemes"), "label": _("Star ratings")},
            {
                "url": reverse("ratings_admin:round", args=[self.round.pk]),
                "label": str(self.scheme),
            },
            {"url": "", "label": _("Print plaques")},
        ]

    def get_context_data(self, **kwargs):
        eligible = plaques.eligible_counts(self.round)
        return super().get_context_data(
            round=self.round,
            scheme=self.scheme,
            refusal=self.refused(),
            members=sum(eligible.values()),
            jobs=len(eligible),
            **kwargs,
        )
