"""A merchant's rights against its archive: objections (异议) and credit repair (信用修复).

An objection disputes one record; while it is open the public page marks the
record "under objection" and keeps showing it. A repair application asks for a
public penalty past its minimum period to be withdrawn. Staff of the record's
authority decide each within ``OBJECTION_DECISION_WORKING_DAYS`` working days
(``working_days``); an upheld objection or an approved repair withdraws the
record through ``CreditRecord.withdraw`` so the audit trail keeps it all.

Who "staff of the record's authority" are: members of a Django group named
exactly as the record's authority (a licence's issuer, an inspection's,
penalty's or list entry's authority) who also hold the decide permission;
superusers decide everything.

Records of the apps above the archive (indicator scores and star ratings) are
named in ``TARGETS`` by model label only, and decide for themselves by duck
typing; the archive never imports them. Such a model may provide:

- ``objection_problem()``: why the record cannot be objected to now, or None;
- ``objection_repr()``: how the objection names the record;
- ``objection_authority``: the deciding body as stored (and shown) on the objection;
- ``may_decide_objection(user)``: whether ``user`` decides objections to it;
- ``objection_targets_of(user)`` (class method): a queryset of the records
  whose objections ``user`` finds in the admin listings (matched by id, not
  by the authority's name, which two associations may share);
- ``uphold_objection(reason, user, correction)``: what upholding does to it,
  inside the decision's transaction; returns the ``Objection.Outcome``.

A model without them is an archive record: the authority is its issuer or
authority, a group of that name decides, and upholding withdraws it.
"""

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import dates, working_days
from .attachments import attachment_file_name, attachment_storage, sniff
from .audit import AuditedModel, NoDeleteQuerySet

#: What an objection may point at: kind -> model label. Indicator scores and star
#: ratings are named by label; the archive never imports them.
TARGETS = {
    "licence": "merchants.Licence",
    "inspection": "merchants.Inspection",
    "penalty": "merchants.Penalty",
    "list_entry": "merchants.ListEntry",
    "indicator_score": "ratings.Score",
    "rating": "ratings.Result",
}
#: The kinds whose records keep an archive: the public archive marks these.
ARCHIVE_KINDS = ("licence", "inspection", "penalty", "list_entry")


class TargetKind(models.TextChoices):
    LICENCE = "licence", _("licence")
    INSPECTION = "inspection", _("inspection")
    PENALTY = "penalty", _("penalty")
    LIST_ENTRY = "list_entry", _("list entry")
    INDICATOR_SCORE = "indicator_score", _("indicator score")
    RATING = "rating", _("star rating")


def target_kind_of(record):
    """The objection kind of an archive record."""
    label = record._meta.label
    return next(kind for kind, model in TARGETS.items() if model == label)


def target_model(kind):
    return apps.get_model(TARGETS[kind])


def decided_elsewhere():
    """(kind, model) of the targets that say themselves who decides (see the module text)."""
    return [
        (kind, target_model(kind))
        for kind in TARGETS
        if hasattr(target_model(kind), "objection_targets_of")
    ]


def authority_of(record):
    """The authority that decides about ``record``: a licence's issuer, else its authority."""
    if hasattr(record, "objection_authority"):
        return record.objection_authority or ""
    return getattr(record, "issuer", None) or getattr(record, "authority", "") or ""


def may_decide(user, authority, permission):
    """Staff of the authority (a group of that name) with the permission, or a superuser."""
    if not (user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    return bool(authority) and (
        user.has_perm(permission) and user.groups.filter(name=authority).exists()
    )


class RequestQuerySet(NoDeleteQuerySet):
    def open(self):
        return self.filter(status="open")

    def for_user(self, user):
        """What staff ``user`` may decide: everything for a superuser, else their authorities."""
        if user.is_superuser:
            return self
        return self.filter(authority__in=user.groups.values_list("name", flat=True))


class ObjectionQuerySet(RequestQuerySet):
    def for_user(self, user):
        """Archive records by the user's groups; scores and ratings by what their model says."""
        if user.is_superuser:
            return self
        others = decided_elsewhere()
        where = Q(authority__in=user.groups.values_list("name", flat=True)) & ~Q(
            target_kind__in=[kind for kind, _model in others]
        )
        for kind, model in others:
            where |= Q(
                target_kind=kind, target_id__in=model.objection_targets_of(user).values("pk")
            )
        return self.filter(where)

    def disputed(self, merchant):
        """{(kind, record id)} of the merchant's records with an open objection (one query)."""
        return set(self.open().filter(merchant=merchant).values_list("target_kind", "target_id"))

    def mark_disputed(self, archive):
        """Set ``under_objection`` on every record of a ``PublicArchive`` (one query).

        The whole set is kept as ``archive.disputed`` for the parts of the page
        that other apps add (a star rating and its scores).
        """
        disputed = self.disputed(archive.merchant)
        archive.disputed = disputed
        for records in (
            archive.licences,
            archive.inspections,
            archive.penalties,
            archive.list_entries,
        ):
            for record in records:
                record.under_objection = (target_kind_of(record), record.pk) in disputed
        return archive


class DecidedRequest(AuditedModel):
    """What objections and repair applications share: who filed, the clock, the decision."""

    merchant = models.ForeignKey(
        "merchants.Merchant", verbose_name=_("merchant"), on_delete=models.PROTECT
    )
    authority = models.CharField(_("deciding authority"), max_length=120, db_index=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    filed_on = models.DateField(_("filed on"), default=dates.today)
    due_on = models.DateField(_("decision due by"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_reason = models.TextField(_("reasons for the decision"), blank=True)

    objects = RequestQuerySet.as_manager()

    class Meta:
        abstract = True

    def affected_merchant_ids(self):
        return (self.merchant_id,)

    @property
    def is_open(self):
        return self.status == "open"

    def working_days_left(self, day=None):
        return working_days.working_days_left(self.due_on, day)

    def is_late(self, day=None):
        return self.is_open and self.working_days_left(day) < 0

    def attach(self, files):
        """Store uploaded files (already checked by ``Attachment.check_files``)."""
        for upload in files:
            content_type, extension = sniff(upload)
            attachment = Attachment(
                original_name=upload.name[:200],
                content_type=content_type,
                extension=extension,
                size=upload.size,
                **{self._meta.model_name: self},
            )
            attachment.file.save(attachment_file_name(attachment, upload.name), upload, save=False)
            attachment.save()

    def _decide(self, status, reason, user, withdraw_kind=None, apply=None):
        """Record the decision; ``apply(reason)`` does to the record what it means, first."""
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError(_("Give the reasons for the decision."))
        with transaction.atomic():
            locked = type(self).objects.select_for_update().get(pk=self.pk)
            if not locked.is_open:
                raise ValidationError(_("This request has already been decided."))
            if withdraw_kind:
                self.target.withdraw(withdraw_kind, reason)
            if apply:
                apply(reason)
            self.status = status
            self.decided_on, self.decided_by, self.decision_reason = dates.today(), user, reason
            self.save(audit_reason=reason)
            transaction.on_commit(self.send_decision)

    def send_decision(self):
        from .tasks import mail_decision

        mail_decision.enqueue(self._meta.label, self.pk)


class Objection(DecidedRequest):
    """A merchant disputes one record: it stays public, marked "under objection", until decided."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        UPHELD = "upheld", _("upheld")
        REJECTED = "rejected", _("rejected")

    class Outcome(models.TextChoices):
        NONE = "", _("none")
        WITHDRAWN = "withdrawn", _("record withdrawn")
        CORRECTED = "corrected", _("record corrected")
        REVISED = "revised", _("rating round revised")

    target_kind = models.CharField(_("record type"), max_length=20, choices=TargetKind.choices)
    target_id = models.PositiveBigIntegerField(_("record ID"))
    target_repr = models.CharField(_("record"), max_length=200)
    reason = models.TextField(_("why the record is wrong"), max_length=4000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)

    objects = ObjectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["due_on", "pk"]
        default_related_name = "objections"
        permissions = [("decide_objection", _("Can decide objections"))]
        default_permissions = ("view",)
        constraints = [
            models.UniqueConstraint(
                fields=["target_kind", "target_id"],
                condition=Q(status="open"),
                name="one_open_objection_per_record",
            )
        ]

    def __str__(self):
        return str(_("Objection to %(record)s") % {"record": self.target_repr})

    @property
    def target(self):
        """The disputed record (loaded on each call)."""
        return target_model(self.target_kind)._default_manager.get(pk=self.target_id)

    @property
    def is_about_rating(self):
        """An indicator score or a star rating: decided by the scheme's association."""
        return self.target_kind not in ARCHIVE_KINDS

    @classmethod
    def file(cls, record, reason, user, files=(), day=None):
        """Open an objection to ``record`` for its merchant; refused in words when it cannot be."""
        day = day or dates.today()
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError(_("Say why the record is wrong."))
        if getattr(record, "is_withdrawn", False):
            raise ValidationError(_("This record has been withdrawn already."))
        problem = record.objection_problem() if hasattr(record, "objection_problem") else None
        if problem:
            raise ValidationError(problem)
        kind = target_kind_of(record)
        if cls.objects.open().filter(target_kind=kind, target_id=record.pk).exists():
            raise ValidationError(_("An objection to this record is already open."))
        with transaction.atomic():
            objection = cls(
                merchant_id=record.merchant_id,
                authority=authority_of(record),
                target_kind=kind,
                target_id=record.pk,
                target_repr=str(
                    record.objection_repr() if hasattr(record, "objection_repr") else record
                )[:200],
                reason=reason,
                filed_by=user,
                filed_on=day,
                due_on=working_days.decision_due(day),
            )
            objection.save()
            objection.attach(files)
        return objection

    def may_be_decided_by(self, user):
        if self.is_about_rating:
            if not (user.is_active and user.is_staff):
                return False
            return self.target.may_decide_objection(user)
        return may_decide(user, self.authority, "merchants.decide_objection")

    def uphold(self, reason, user, outcome=Outcome.WITHDRAWN, correction=None):
        """The merchant is right.

        An archive record is withdrawn (kind "objection") or staff say they
        corrected it. A score or rating does what its model says
        (``uphold_objection``: the score is corrected, the round revised), in
        the same transaction as the decision.
        """
        if self.is_about_rating:
            target = self.target

            def apply(reason):
                self.outcome = target.uphold_objection(reason, user, correction)

            self._decide(self.Status.UPHELD, reason, user, apply=apply)
            return
        if outcome not in (self.Outcome.WITHDRAWN, self.Outcome.CORRECTED):
            raise ValidationError(_("Say whether the record was withdrawn or corrected."))
        self.outcome = outcome
        withdraw = "objection" if outcome == self.Outcome.WITHDRAWN else None
        self._decide(self.Status.UPHELD, reason, user, withdraw)

    def reject(self, reason, user):
        self._decide(self.Status.REJECTED, reason, user)


class RepairApplication(DecidedRequest):
    """A merchant asks for a public penalty to be withdrawn after correcting the violation."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")

    penalty = models.ForeignKey(
        "merchants.Penalty", verbose_name=_("penalty"), on_delete=models.PROTECT
    )
    commitment = models.TextField(_("commitment letter"), max_length=4000)
    rectification = models.TextField(_("what was rectified"), max_length=4000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )

    class Meta:
        verbose_name = _("credit repair application")
        verbose_name_plural = _("credit repair applications")
        ordering = ["due_on", "pk"]
        default_related_name = "repair_applications"
        permissions = [("decide_repairapplication", _("Can decide credit repair applications"))]
        default_permissions = ("view",)
        constraints = [
            models.UniqueConstraint(
                fields=["penalty"], condition=Q(status="open"), name="one_open_repair_per_penalty"
            )
        ]

    def __str__(self):
        return str(_("Credit repair of %(penalty)s") % {"penalty": self.penalty})

    @property
    def target(self):
        return self.penalty

    @classmethod
    def problem_for(cls, penalty, day=None):
        """Why credit repair cannot be applied for today, in words, or None."""
        day = day or dates.today()
        if penalty.is_withdrawn:
            return _("This penalty has been withdrawn already.")
        if not penalty.is_public_on(day):
            return _("Only a penalty the public can see needs credit repair.")
        if day < penalty.repairable_from:
            return _("Credit repair can be applied for from %(date)s.") % {
                "date": penalty.repairable_from.isoformat()
            }
        if cls.objects.open().filter(penalty=penalty).exists():
            return _("An application for this penalty is already open.")
        return None

    @classmethod
    def apply(cls, penalty, commitment, rectification, user, files=(), day=None):
        day = day or dates.today()
        problem = cls.problem_for(penalty, day)
        if problem:
            raise ValidationError(problem)
        if not files:
            raise ValidationError(_("Attach proof of the rectification."))
        with transaction.atomic():
            application = cls(
                merchant_id=penalty.merchant_id,
                penalty=penalty,
                authority=penalty.authority,
                commitment=commitment.strip(),
                rectification=rectification.strip(),
                filed_by=user,
                filed_on=day,
                due_on=working_days.decision_due(day),
            )
            application.save()
            application.attach(files)
        return application

    def may_be_decided_by(self, user):
        return may_decide(user, self.authority, "merchants.decide_repairapplication")

    def approve(self, reason, user):
        """Withdraw the penalty with kind "repair" and today's date."""
        self._decide(self.Status.APPROVED, reason, user, "repair")

    def refuse(self, reason, user):
        self._decide(self.Status.REFUSED, reason, user)


class Attachment(models.Model):
    """A PDF or image filed with an objection or repair application; never public."""

    objection = models.ForeignKey(
        Objection, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    repairapplication = models.ForeignKey(
        RepairApplication,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    file = models.FileField(storage=attachment_storage, upload_to=attachment_file_name)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=40)
    extension = models.CharField(max_length=5)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = NoDeleteQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        default_permissions = ()
        constraints = [
            models.CheckConstraint(
                condition=Q(objection__isnull=False, repairapplication__isnull=True)
                | Q(objection__isnull=True, repairapplication__isnull=False),
                name="attachment_has_one_owner",
            )
        ]

    def __str__(self):
        return self.original_name

    @property
    def request(self):
        return self.objection or self.repairapplication

    @staticmethod
    def check_files(files):
        """Refuse the whole upload, in words, if any file is too big or of the wrong type."""
        if len(files) > settings.PORTAL_ATTACHMENTS_PER_REQUEST:
            raise ValidationError(
                _("Attach at most %(count)d files.")
                % {"count": settings.PORTAL_ATTACHMENTS_PER_REQUEST}
            )
        errors = []
        for upload in files:
            try:
                sniff(upload)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
