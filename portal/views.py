"""The merchant portal: a business's own archive, replies, objections and repair.

Every view but sign-in and the invitation needs a signed-in user, and every
business is looked up through ``Merchant.objects.of_user``: another merchant's
code, or a record of another merchant, is "not found", never "forbidden", so
nobody learns what exists. Domain rules live in the models; views coordinate.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from merchants.models import (
    Attachment,
    Invitation,
    Merchant,
    MerchantAccount,
    Objection,
    RepairApplication,
)
from merchants.objections import ARCHIVE_KINDS, TARGETS, TargetKind, authority_of, target_model
from ratings.models import Review, ReviewReply

from . import overview
from . import timeline as business_timeline
from .forms import AccountForm, ObjectionForm, RepairForm, ReplyForm, SignInForm


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "portal/sign_in.html"
    redirect_authenticated_user = True
    next_page = reverse_lazy("portal:home")

    def form_valid(self, form):
        response = super().form_valid(form)
        # Mail follows the language the merchant last used the portal in.
        MerchantAccount.objects.filter(user=form.get_user()).update(
            language=translation.get_language()
        )
        return response


class SignOutView(auth_views.LogoutView):
    next_page = reverse_lazy("portal:sign_in")


def _business(request, code):
    merchant = (
        Merchant.objects.of_user(request.user).select_related("precinct").filter(code=code).first()
    )
    if merchant is None:
        raise Http404(_("No business of yours has this credit code."))
    return merchant


@login_required
@require_safe
def home(request):
    businesses = list(Merchant.objects.of_user(request.user).select_related("precinct"))
    if len(businesses) == 1:
        return redirect("portal:business", businesses[0].code)
    return render(request, "portal/home.html", {"businesses": businesses})


def invitation(request, token):
    """Accept an invitation: a new account, or the signed-in account gains the business."""
    found = Invitation.objects.by_token(token)
    problem = _("This invitation link is not valid.") if found is None else found.problem()
    if problem:
        return render(request, "portal/invitation.html", {"problem": problem}, status=410)
    signed_in = request.user.is_authenticated
    form = None if signed_in else AccountForm(request.POST or None, initial={"email": found.email})
    if request.method == "POST" and (signed_in or form.is_valid()):
        try:
            with transaction.atomic():
                user = request.user if signed_in else form.save()
                account = found.accept(user)
                if not signed_in:
                    account.language = translation.get_language()
                    account.save(update_fields=["language"])
        except ValidationError as error:
            return render(request, "portal/invitation.html", {"problem": error.messages[0]}, 410)
        if not signed_in:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            _("Welcome. %(name)s is now in your account.") % {"name": found.merchant.name_zh},
        )
        return redirect("portal:business", found.merchant.code)
    return render(request, "portal/invitation.html", {"invitation": found, "form": form})


@login_required
@require_safe
def business(request, code):
    merchant = _business(request, code)
    return render(request, "portal/business.html", overview.build(merchant))


@login_required
@require_safe
def timeline(request, code):
    merchant = _business(request, code)
    events = business_timeline.for_merchant(merchant)
    return render(request, "portal/timeline.html", {"merchant": merchant, "events": events})


@login_required
def object_to(request, code, kind, pk):
    """Object to one record of this business, with a reason and attachments."""
    merchant = _business(request, code)
    if kind not in TARGETS:
        raise Http404
    record = target_model(kind).objects.filter(pk=pk, merchant=merchant).first()
    if record is None:
        raise Http404
    form = ObjectionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            objection = Objection.file(
                record,
                form.cleaned_data["reason"],
                request.user,
                form.cleaned_data["attachments"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your objection has been filed."))
            return redirect("portal:objection", merchant.code, objection.pk)
    context = {
        "merchant": merchant,
        "record": record,
        "record_name": record.objection_repr() if hasattr(record, "objection_repr") else record,
        "kind": TargetKind(kind).label,
        "about_rating": kind not in ARCHIVE_KINDS,
        # A district-wide scheme has no association: its regulators decide.
        "regulator_decides": kind not in ARCHIVE_KINDS and not authority_of(record),
        "form": form,
        "working_days": settings.OBJECTION_DECISION_WORKING_DAYS,
    }
    return render(request, "portal/objection_form.html", context)


@login_required
def apply_for_repair(request, code, pk):
    merchant = _business(request, code)
    penalty = merchant.penalties.filter(pk=pk).first()
    if penalty is None:
        raise Http404
    problem = RepairApplication.problem_for(penalty)
    form = RepairForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and problem is None and form.is_valid():
        try:
            application = RepairApplication.apply(
                penalty,
                form.cleaned_data["commitment"],
                form.cleaned_data["rectification"],
                request.user,
                form.cleaned_data["attachments"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your application for credit repair has been filed."))
            return redirect("portal:repair_application", merchant.code, application.pk)
    return render(
        request,
        "portal/repair_form.html",
        {"merchant": merchant, "penalty": penalty, "problem": problem, "form": form},
    )


def _own_request(request, code, pk, model):
    """One of this business's objections or repair applications, with its decision."""
    merchant = _business(request, code)
    found = model.objects.filter(merchant=merchant, pk=pk).first()
    if found is None:
        raise Http404
    return render(request, "portal/request.html", {"merchant": merchant, "request_": found})


@login_required
@require_safe
def objection(request, code, pk):
    return _own_request(request, code, pk, Objection)


@login_required
@require_safe
def repair_application(request, code, pk):
    return _own_request(request, code, pk, RepairApplication)


@login_required
@require_safe
def attachment(request, code, pk):
    """An attachment of this business's own request, as a download; never public."""
    merchant = _business(request, code)
    found = (
        Attachment.objects.filter(pk=pk)
        .filter(Q(objection__merchant=merchant) | Q(repairapplication__merchant=merchant))
        .first()
    )
    if found is None:
        raise Http404
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.original_name,
        content_type=found.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def reply(request, code, pk):
    """Post or edit the business's one public reply to a published review."""
    merchant = _business(request, code)
    review = Review.objects.published().filter(merchant=merchant, pk=pk).first()
    if review is None:
        raise Http404
    review.merchant = merchant
    current = ReviewReply.objects.filter(review=review).first()
    form = ReplyForm(request.POST or None, initial={"text": current.text if current else ""})
    if request.method == "POST" and form.is_valid():
        try:
            saved = ReviewReply.write(review, form.cleaned_data["text"], request.user)
        except ValidationError as error:
            form.add_error("text", error)
        else:
            if saved.is_public:
                messages.success(request, _("Your reply is published under the review."))
            else:
                messages.warning(
                    request,
                    _(
                        "Your reply is held until staff check it: "
                        "it contains a word on the moderation list."
                    ),
                )
            return redirect("portal:reply", merchant.code, review.pk)
    return render(
        request,
        "portal/reply.html",
        {
            "merchant": merchant,
            "review": review,
            "reply": current,
            "history": current.history() if current else [],
            "form": form,
        },
    )
