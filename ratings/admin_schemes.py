"""Staff views of the star rating: schemes, the per-market scoring grid and the vetoes.

Every view asks ``RatingAccess`` first: association staff see their
association's schemes and members only, regulators see all, everyone else
is refused. Views validate and coordinate; the rules are on the models.
"""

import decimal

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from merchants import dates
from merchants.audit import acting_as
from merchants.models import Merchant, Precinct

from .forms import ReasonForm, SchemeForm, VetoForm
from .roles import RatingAccess
from .schemes import AssociationVeto, Scheme, Score

GRID_PAGE_SIZE = 40


class RatingAdminMixin(WagtailAdminTemplateMixin):
    """Refuse anyone without a rating role (and non-regulators where ``regulators_only``)."""

    regulators_only = False
    header_icon = "pick"

    def dispatch(self, request, *args, **kwargs):
        self.access = RatingAccess.of(request.user)
        if self.access is None or (self.regulators_only and not self.access.is_regulator):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def visible_scheme(self, pk):
        schemes = Scheme.objects.visible_to(self.access).select_related("precinct", "association")
        return get_object_or_404(schemes, pk=pk)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("ratings_admin:schemes"), "label": _("Star ratings")},
            {"url": "", "label": self.get_page_title()},
        ]


class SchemeIndexView(RatingAdminMixin, TemplateView):
    template_name = "ratings/admin/schemes.html"
    page_title = gettext_lazy("Rating schemes")

    def get_context_data(self, **kwargs):
        schemes = list(
            Scheme.objects.visible_to(self.access).select_related("precinct", "association")
        )
        latest = {}
        for scheme in schemes:
            latest[scheme.pk] = scheme.latest_round()
        return super().get_context_data(
            rows=[(scheme, latest[scheme.pk]) for scheme in schemes],
            may_add=self.access.is_regulator,
            **kwargs,
        )


class SchemeEditView(RatingAdminMixin, FormView):
    """A scheme's rules in a table for every rating user; regulators add or change it
    through its definition."""

    template_name = "ratings/admin/scheme_form.html"
    form_class = SchemeForm

    def dispatch(self, request, pk=None):
        self.scheme = None
        return super().dispatch(request, pk=pk)

    def get(self, request, pk=None):
        if pk is not None:
            self.scheme = self.visible_scheme(pk)
        elif not self.access.is_regulator:
            return permission_denied(request)
        return super().get(request)

    def post(self, request, pk=None):
        if not self.access.is_regulator:
            return permission_denied(request)
        if pk is not None:
            self.scheme = self.visible_scheme(pk)
        return super().post(request)

    def get_page_title(self):
        if self.scheme is None:
            return _("Add a rating scheme")
        return str(self.scheme)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            scheme=self.scheme,
            rules=self.scheme.rules if self.scheme else None,
            may_edit=self.access.is_regulator,
            **kwargs,
        )

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["slug"] = self.scheme.slug if self.scheme else None
        return kwargs

    def get_initial(self):
        if self.scheme is None:
            return {}
        import yaml

        text = yaml.safe_dump(self.scheme.definition, allow_unicode=True, sort_keys=False)
        return {"definition": text}

    def form_valid(self, form):
        try:
            with acting_as(self.request.user, "admin"):
                scheme, _created = Scheme.objects.load(form.cleaned_data["definition"])
        except ValidationError as error:
            form.add_error("definition", error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(scheme)s saved (version %(version)d).")
            % {"scheme": scheme, "version": scheme.version},
        )
        return redirect("ratings_admin:schemes")


class GridView(RatingAdminMixin, TemplateView):
    """Members of one market × the indicators the association enters, with evidence notes."""

    template_name = "ratings/admin/grid.html"

    def dispatch(self, request, pk):
        self.pk = pk
        return super().dispatch(request, pk)

    def get_page_title(self):
        return _("Scores: %(scheme)s") % {"scheme": self.scheme}

    def setup_grid(self):
        self.scheme = self.visible_scheme(self.pk)
        self.rules = self.scheme.rules
        self.indicators = self.rules.entered_indicators
        members = self.access.members(self.scheme.members())
        self.markets = list(
            Precinct.objects.filter(pk__in=members.values("precinct")).order_by("slug")
        )
        market_pk = self.request.GET.get("precinct", "")
        self.market = next((m for m in self.markets if str(m.pk) == market_pk), None)
        if self.market is None and self.markets:
            self.market = self.markets[0]
        members = members.filter(precinct=self.market) if self.market else members.none()
        query = self.request.GET.get("q", "").strip()
        if query:
            members = members.filter(
                Q(code__icontains=query) | Q(stall__icontains=query) | Q(name_zh__icontains=query)
            )
        self.query = query
        paginator = Paginator(members.order_by("stall", "code"), GRID_PAGE_SIZE)
        self.page = paginator.get_page(self.request.GET.get("page"))
        self.members = list(self.page.object_list)
        self.scores = {
            (score.merchant_id, score.indicator): score
            for score in Score.objects.filter(scheme=self.scheme, merchant__in=self.members)
        }

    def get(self, request, pk):
        self.setup_grid()
        return self.render_to_response(self.get_context_data())

    def post(self, request, pk):
        self.setup_grid()
        if not self.scheme.scoring_open:
            messages.error(request, _("This scheme's round is published: scores are frozen."))
            return redirect(request.get_full_path())
        changes, errors = self.read_cells(request.POST)
        if errors:
            messages.error(request, _("Nothing was saved: correct the marked scores."))
            return self.render_to_response(
                self.get_context_data(errors=errors, posted=request.POST)
            )
        saved = 0
        with transaction.atomic(), acting_as(request.user, "admin"):
            for merchant, indicator, points, evidence in changes:
                stored = self.scores.get((merchant.pk, indicator.key))
                if Score.objects.record(
                    self.scheme, merchant, indicator.key, points, evidence, stored=stored
                ):
                    saved += 1
        messages.success(request, _("%(count)d scores saved.") % {"count": saved})
        return redirect(request.get_full_path())

    def read_cells(self, data):
        """[(merchant, indicator, points, evidence)] to save, and {cell name: error}."""
        changes, errors = [], {}
        for merchant in self.members:
            for indicator in self.indicators:
                name = f"{merchant.pk}-{indicator.key}"
                raw = (data.get(f"p-{name}") or "").strip()
                evidence = (data.get(f"e-{name}") or "").strip()
                stored = self.scores.get((merchant.pk, indicator.key))
                if not raw:
                    if stored is not None:
                        errors[name] = _("A score cannot be removed; enter 0 instead.")
                    continue
                try:
                    points = decimal.Decimal(raw.replace(",", ".")).quantize(
                        decimal.Decimal("0.01")
                    )
                except decimal.InvalidOperation:
                    errors[name] = _("Not a number.")
                    continue
                problem = indicator.entry_problem(points)
                if problem:
                    errors[name] = problem
                    continue
                if stored is None or stored.points != points or stored.evidence != evidence:
                    changes.append((merchant, indicator, points, evidence))
        return changes, errors

    def get_context_data(self, errors=None, posted=None, **kwargs):
        errors = errors or {}
        rows = []
        for merchant in self.members:
            cells = []
            for indicator in self.indicators:
                name = f"{merchant.pk}-{indicator.key}"
                score = self.scores.get((merchant.pk, indicator.key))
                if posted is not None:
                    points, evidence = posted.get(f"p-{name}", ""), posted.get(f"e-{name}", "")
                else:
                    points = "" if score is None else score.points
                    evidence = "" if score is None else score.evidence
                cells.append(
                    {
                        "name": name,
                        "indicator": indicator,
                        "points": points,
                        "evidence": evidence,
                        "error": errors.get(name),
                    }
                )
            rows.append((merchant, cells))
        return super().get_context_data(
            scheme=self.scheme,
            indicators=self.indicators,
            markets=self.markets,
            market=self.market,
            page=self.page,
            query=self.query,
            rows=rows,
            editable=self.scheme.scoring_open,
            **kwargs,
        )


class VetoesView(RatingAdminMixin, FormView):
    """The association's vetoes in a scheme, and the form to enter one."""

    template_name = "ratings/admin/vetoes.html"
    form_class = VetoForm

    def dispatch(self, request, pk):
        self.pk = pk
        return super().dispatch(request, pk)

    def get(self, request, pk):
        self.scheme = self.visible_scheme(pk)
        return super().get(request)

    def post(self, request, pk):
        self.scheme = self.visible_scheme(pk)
        return super().post(request)

    def get_page_title(self):
        return _("Vetoes: %(scheme)s") % {"scheme": self.scheme}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "kinds": AssociationVeto.Kind.choices}

    def form_valid(self, form):
        data = form.cleaned_data
        lookup = Merchant.objects.lookup(data["code"])
        merchant = lookup.merchant
        if lookup.problem or merchant is None:
            form.add_error("code", lookup.problem or _("No merchant has this credit code."))
            return self.form_invalid(form)
        if not self.access.may_score(self.scheme, merchant) or not (
            self.scheme.members().filter(pk=merchant.pk).exists()
        ):
            form.add_error("code", _("You may not enter a veto for this merchant in this scheme."))
            return self.form_invalid(form)
        veto = AssociationVeto(
            scheme=self.scheme,
            merchant=merchant,
            kind=data["kind"],
            decided_on=data["decided_on"],
            reason=data["reason"].strip(),
            evidence=data["evidence"].strip(),
        )
        try:
            veto.full_clean()
            with acting_as(self.request.user, "admin"):
                veto.save()
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Veto entered for %(merchant)s.") % {"merchant": merchant})
        return redirect("ratings_admin:vetoes", pk=self.scheme.pk)

    def get_context_data(self, **kwargs):
        vetoes = self.scheme.vetoes.select_related("merchant").filter(
            merchant__in=self.access.members(Merchant.objects.all())
        )
        return super().get_context_data(
            scheme=self.scheme, vetoes=vetoes, editable=self.scheme.scoring_open, **kwargs
        )


class WithdrawVetoView(RatingAdminMixin, FormView):
    template_name = "ratings/admin/withdraw_veto.html"
    form_class = ReasonForm

    def dispatch(self, request, pk):
        self.pk = pk
        return super().dispatch(request, pk)

    def load(self):
        self.veto = get_object_or_404(
            AssociationVeto.objects.select_related("scheme", "merchant"), pk=self.pk
        )
        if not self.access.may_score(self.veto.scheme, self.veto.merchant):
            return permission_denied(self.request)
        return None

    def get(self, request, pk):
        return self.load() or super().get(request)

    def post(self, request, pk):
        return self.load() or super().post(request)

    def get_page_title(self):
        return _("Withdraw the veto of %(merchant)s") % {"merchant": self.veto.merchant}

    def form_valid(self, form):
        try:
            with acting_as(self.request.user, "admin"):
                self.veto.withdraw(form.cleaned_data["reason"], dates.today())
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Veto withdrawn."))
        return redirect("ratings_admin:vetoes", pk=self.veto.scheme_id)

    def get_context_data(self, **kwargs):
        return super().get_context_data(veto=self.veto, **kwargs)
