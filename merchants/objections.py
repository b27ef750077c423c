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

#: What an objection may point at: kind -> model label. Ratings and indicator
#: scores are added here by label when they exist; the archive never imports them.
TARGETS = {
    "licence": "merchants.Licence",
    "inspection": "merchants.Inspection",
    "penalty": "merchants.Penalty",
    "list_entry": "merchants.ListEntry",
}


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


def authority_of(record):
    """The authority that decides about ``record``: a licence's issuer, else its authority."""
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
    def mark_disputed(self, archive):
        """Set ``under_objection`` on every record of a ``PublicArchive`` (one query)."""
        disputed = set(
            self.open().filter(merchant=archive.merchant).values_list("target_kind", "target_id")
        )
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

    def _decide(self, status, reason, user, withdraw_kind=None):
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError(_("Give the reasons for the decision."))
        with transaction.atomic():
            locked = type(self).objects.select_for_update().get(pk=self.pk)
            if not locked.is_open:
                raise ValidationError(_("This request has already been decided."))
            if withdraw_kind:
                self.target.withdraw(withdraw_kind, reason)
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
        model = apps.get_model(TARGETS[self.target_kind])
        return model._default_manager.get(pk=self.target_id)

    @classmethod
    def file(cls, record, reason, user, files=(), day=None):
        """Open an objection to ``record`` for its merchant; refused in words when it cannot be."""
        day = day or dates.today()
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError(_("Say why the record is wrong."))
        if record.is_withdrawn:
            raise ValidationError(_("This record has been withdrawn already."))
        kind = target_kind_of(record)
        if cls.objects.open().filter(target_kind=kind, target_id=record.pk).exists():
            raise ValidationError(_("An objection to this record is already open."))
        with transaction.atomic():
            objection = cls(
                merchant_id=record.merchant_id,
                authority=authority_of(record),
                target_kind=kind,
                target_id=record.pk,
                target_repr=str(record)[:200],
                reason=reason,
                filed_by=user,
                filed_on=day,
                due_on=working_days.decision_due(day),
            )
            objection.save()
            objection.attach(files)
        return objection

    def may_be_decided_by(self, user):
        return may_decide(user, self.authority, "merchants.decide_objection")

    def uphold(self, reason, user, outcome=Outcome.WITHDRAWN):
        """The merchant is right: the record is withdrawn (kind "objection") or was corrected."""
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
