"""Placards, their daily scan counts, counterfeit attempts and print jobs.

A placard is one printed QR code for one merchant in one template. It is never
deleted: printing a new one of the same template supersedes it (the old one
still shows whom it belongs to), and staff may revoke it with a reason. The
serial printed on it is its primary key in the token alphabet, so it needs no
column of its own and cannot collide.
"""

import datetime
import os
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from merchants import dates
from merchants.audit import AuditedModel, AuditEntry, Change, NoDeleteQuerySet
from merchants.models import Merchant, Precinct
from merchants.private_storage import PrivateStorage

from . import tokens

_MISSING = object()


def template_title(name):
    """A print template's title in the current language; its name if it no longer exists."""
    from . import layouts  # the layouts load fonts; only printing needs them

    try:
        return layouts.get(name).title
    except LookupError:
        return name


class PlacardQuerySet(NoDeleteQuerySet):
    def by_serial(self, serial):
        number = tokens.number_for(serial)
        return self.filter(pk=number) if number is not None else self.none()

    def recent(self, pk):
        """The placard (with its merchant) as read at most ``SCAN_PAGE_LOCAL_SECONDS`` ago.

        Scans of one placard come in bursts; a worker keeps the placard it read
        in its per-process ``local`` cache for those seconds. A change saved in
        this process drops the copy at once (``forget_recent``); other workers
        see it within those seconds.
        """
        key = f"placard:{pk}"
        local = caches["local"]
        kept = local.get(key, default=_MISSING)
        if kept is not _MISSING:
            return kept
        placard = self.select_related("merchant").filter(pk=pk).first()
        if settings.SCAN_PAGE_LOCAL_SECONDS:
            local.set(key, placard, settings.SCAN_PAGE_LOCAL_SECONDS)
        return placard

    def forget_recent(self, pk):
        caches["local"].delete(f"placard:{pk}")

    def unsuperseded(self):
        return self.filter(superseded_at__isnull=True)

    def current(self):
        return self.unsuperseded().filter(revoked_at__isnull=True)

    def supersede(self, reason, at=None):
        """Mark these placards outdated without a successor (what they show no longer holds).

        Each gets an audit entry with ``reason``; scans of them then say so.
        """
        at = at or timezone.now()
        with transaction.atomic():
            placards = list(
                self.select_for_update().unsuperseded().select_related("merchant").order_by("pk")
            )
            Placard.objects.filter(pk__in=[p.pk for p in placards]).update(superseded_at=at)
            AuditEntry.objects.record_many(
                Change(
                    placard,
                    AuditEntry.Action.CHANGE,
                    before={"superseded_at": None},
                    after={"superseded_at": at.isoformat()},
                    reason=str(reason),
                )
                for placard in placards
            )
        for placard in placards:
            Placard.objects.forget_recent(placard.pk)
        return len(placards)

    def with_scan_totals(self, since=None):
        """Annotate ``scan_total`` (all days) and ``scan_recent`` (from ``since`` on)."""
        since = since or dates.today() - datetime.timedelta(days=6)
        return self.annotate(
            scan_total=Coalesce(Sum("scans__count"), 0),
            scan_recent=Coalesce(Sum("scans__count", filter=Q(scans__day__gte=since)), 0),
        )

    def issue(self, merchants, template, data=None, print_job=None, at=None, per_merchant=None):
        """Issue one placard per merchant, superseding each one's previous of ``template``.

        ``data`` is stored on every placard; ``per_merchant`` ({merchant id:
        dict}) adds what differs between them, such as the level a caller
        above this app tells each plaque.

        Runs in one transaction with a few bulk queries, so a 2,100-stall batch
        costs the same handful of round trips as one placard. A partial unique
        constraint keeps at most one unsuperseded placard per merchant and
        template, so two staff printing the same merchant at once fail loudly
        rather than leave two current placards.
        """
        at = at or timezone.now()
        merchant_ids = [m.pk if isinstance(m, Merchant) else m for m in merchants]
        # Loaded once so that the audit entries' descriptions cost no query each.
        by_id = Merchant.objects.in_bulk(merchant_ids)
        with transaction.atomic():
            previous = list(
                self.select_for_update()
                .unsuperseded()
                .filter(merchant_id__in=merchant_ids, template=template)
                .order_by("pk")
            )
            for old in previous:
                old.merchant = by_id[old.merchant_id]
            self.filter(pk__in=[p.pk for p in previous]).update(superseded_at=at)
            placards = Placard.objects.bulk_create(
                [
                    Placard(
                        merchant=by_id[merchant_id],
                        template=template,
                        data={**(data or {}), **(per_merchant or {}).get(merchant_id, {})},
                        issued_at=at,
                        print_job=print_job,
                    )
                    for merchant_id in merchant_ids
                ],
                batch_size=1000,
            )
            superseded = str(_("A newer placard was issued."))
            AuditEntry.objects.record_many(
                [
                    *(Change.created(p) for p in placards),
                    *(
                        Change(
                            old,
                            AuditEntry.Action.CHANGE,
                            before={"superseded_at": None},
                            after={"superseded_at": at.isoformat()},
                            reason=superseded,
                        )
                        for old in previous
                    ),
                ]
            )
        for old in previous:
            Placard.objects.forget_recent(old.pk)
        return placards


class Placard(AuditedModel):
    """One printed QR placard, label or plaque of a merchant."""

    class State(models.TextChoices):
        CURRENT = "current", _("genuine and current")
        OUTDATED = "outdated", _("outdated")
        REVOKED = "revoked", _("revoked")

    merchant = models.ForeignKey(
        Merchant, verbose_name=_("merchant"), on_delete=models.PROTECT, related_name="placards"
    )
    template = models.CharField(_("template"), max_length=40)
    data = models.JSONField(_("template data"), default=dict, blank=True)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    print_job = models.ForeignKey(
        "PrintJob",
        verbose_name=_("print job"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="placards",
    )
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revocation"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = PlacardQuerySet.as_manager()

    #: The audit trail names the template, not its slug.
    audit_value_labels = {"template": lambda name: template_title(name)}

    class Meta:
        verbose_name = _("placard")
        verbose_name_plural = _("placards")
        ordering = ["-issued_at", "-pk"]
        default_permissions = ("view",)
        permissions = [("revoke_placard", _("Can revoke placards"))]
        constraints = [
            models.UniqueConstraint(
                fields=["merchant", "template"],
                condition=Q(superseded_at__isnull=True),
                name="placard_one_unsuperseded",
            )
        ]

    def __str__(self):
        return f"{self.serial} {self.merchant.name_zh}"

    @property
    def template_title(self):
        return template_title(self.template)

    @property
    def serial(self):
        return tokens.serial_for(self.pk)

    @property
    def token(self):
        return tokens.token_for(self.serial)

    @property
    def scan_url(self):
        return tokens.scan_url(self.serial)

    @property
    def issued_on(self):
        return timezone.localdate(self.issued_at)

    @property
    def state(self):
        if self.revoked_at is not None:
            return self.State.REVOKED
        if self.superseded_at is not None:
            return self.State.OUTDATED
        return self.State.CURRENT

    def get_state_display(self):
        return self.State(self.state).label

    @property
    def is_genuine(self):
        """A real placard that still vouches for its merchant (outdated ones do too)."""
        return self.state != self.State.REVOKED

    def successor(self):
        """The newest placard of the same merchant and template issued after this one."""
        return (
            Placard.objects.filter(
                merchant_id=self.merchant_id, template=self.template, issued_at__gte=self.issued_at
            )
            .exclude(pk=self.pk)
            .order_by("-issued_at", "-pk")
            .first()
        )

    def revoke(self, reason, user=None):
        """Withdraw the placard: its scans then show it is no longer valid."""
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError(_("Give the reason for the revocation."))
        if self.revoked_at is not None:
            raise ValidationError(_("This placard is already revoked."))
        self.revoked_at = timezone.now()
        self.revoked_reason = reason
        self.revoked_by = user
        self.save(audit_action=AuditEntry.Action.WITHDRAW, audit_reason=reason)
        Placard.objects.forget_recent(self.pk)


class DailyCount(models.Model):
    """A per-day counter bumped with one atomic UPDATE; no personal data at all."""

    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        abstract = True

    @classmethod
    def bump(cls, day=None, **key):
        day = day or dates.today()
        rows = cls.objects.filter(day=day, **key)
        if rows.update(count=F("count") + 1):
            return
        try:
            with transaction.atomic():
                cls.objects.create(day=day, count=1, **key)
        except IntegrityError:
            # Another request created today's row between our UPDATE and INSERT.
            rows.update(count=F("count") + 1)


class PlacardScan(DailyCount):
    """How often a placard was scanned on one day."""

    placard = models.ForeignKey(
        Placard, verbose_name=_("placard"), on_delete=models.PROTECT, related_name="scans"
    )

    class Meta:
        verbose_name = _("placard scans on a day")
        verbose_name_plural = _("placard scans")
        ordering = ["-day"]
        default_permissions = ("view",)
        constraints = [
            models.UniqueConstraint(fields=["placard", "day"], name="placard_scan_per_day")
        ]

    def __str__(self):
        return f"{self.day} {self.count}"


class CounterfeitScan(DailyCount):
    """Scans of codes whose signature did not verify, per day and claimed serial.

    The claimed serial is kept only when it names a real placard (a forgery of
    that merchant's code); anything else counts under a blank serial, so random
    probing cannot grow the table.
    """

    claimed_serial = models.CharField(_("claimed serial"), max_length=12, blank=True)

    class Meta:
        verbose_name = _("counterfeit scan")
        verbose_name_plural = _("counterfeit scans")
        ordering = ["-day", "-count"]
        default_permissions = ("view",)
        constraints = [
            models.UniqueConstraint(
                fields=["day", "claimed_serial"], name="counterfeit_scan_per_day"
            )
        ]

    def __str__(self):
        return f"{self.day} {self.claimed_serial or '-'} {self.count}"

    @classmethod
    def record(cls, token, day=None):
        number = tokens.number_for(tokens.claimed_serial(token))
        exists = number is not None and Placard.objects.filter(pk=number).exists()
        # Stored in its printed form: "000…0001" and "000001" claim the same placard.
        cls.bump(day, claimed_serial=tokens.serial_for(number) if exists else "")

    @property
    def claimed_placard(self):
        if not self.claimed_serial:
            return None
        return Placard.objects.by_serial(self.claimed_serial).select_related("merchant").first()


def print_job_storage():
    """Finished batches live outside MEDIA_ROOT, in ``PLACARD_PRINT_ROOT``, and are served
    only through a staff view."""
    return PrivateStorage("PLACARD_PRINT_ROOT")


def print_job_file_name(job, filename):
    return f"{timezone.now():%Y/%m}/{uuid.uuid4().hex}.pdf"


#: How many of the placards a job would supersede the print form names.
PLAN_SAMPLE = 10


@dataclass(frozen=True)
class PrintPlan:
    """What a print job will do, shown to the clerk before it runs."""

    merchants: int
    placards: int
    sheets: int
    #: Placards on display printed again with the same serial.
    reprinted: int
    #: New placards (new serials).
    new: int
    #: Placards on display that the new ones make outdated.
    superseded: int
    superseded_sample: list = field(default_factory=list)
    reprint: bool = False


class PrintJobQuerySet(models.QuerySet):
    def unfinished(self):
        return self.filter(status__in=PrintJob.UNFINISHED)


class PrintJob(models.Model):
    """A batch of placards printed together, run in the background for big batches."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("printing")
        DONE = "done", _("ready")
        FAILED = "failed", pgettext_lazy("print job", "failed")

    UNFINISHED = (Status.PENDING, Status.RUNNING)

    template = models.CharField(_("template"), max_length=40)
    precinct = models.ForeignKey(
        Precinct,
        verbose_name=_("precinct"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    merchant_codes = models.JSONField(_("merchant credit codes"), default=list, blank=True)
    data = models.JSONField(_("template data"), default=dict, blank=True)
    reprint = models.BooleanField(
        _("reprint the placards on display"),
        default=False,
        help_text=_(
            "Print the current placards again with the same serials, e.g. for worn ones; "
            "nothing on display becomes outdated."
        ),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    total = models.PositiveIntegerField(_("placards"), default=0)
    done = models.PositiveIntegerField(_("printed"), default=0)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(
        _("PDF"), storage=print_job_storage, upload_to=print_job_file_name, blank=True
    )

    objects = PrintJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("print job")
        verbose_name_plural = _("print jobs")
        ordering = ["-requested_at", "-pk"]
        default_permissions = ("add", "view")

    def __str__(self):
        moment = timezone.localtime(self.requested_at)
        return _("Print job %(number)s, %(time)s") % {
            "number": self.pk or "",
            "time": f"{moment:%Y-%m-%d %H:%M}",
        }

    @property
    def template_title(self):
        return template_title(self.template)

    def merchants(self):
        """The merchants this job prints: a precinct with everything nested in it, or codes."""
        merchants = Merchant.objects.all()
        if self.precinct_id:
            merchants = merchants.filter(precinct_id__in=self.precinct.with_descendants())
        else:
            merchants = merchants.filter(code__in=self.merchant_codes)
        return merchants.order_by("precinct__slug", "stall", "code")

    def plan(self):
        """What printing this job would do, before it is done: counts, and what it supersedes."""
        from . import layouts  # the layouts load fonts; only printing needs them

        merchants = self.merchants()
        count = merchants.count()
        on_display = Placard.objects.current().filter(
            template=self.template, merchant__in=merchants.values("pk")
        )
        current = on_display.count()
        superseded = (
            []
            if self.reprint
            else list(
                on_display.select_related("merchant").order_by("merchant__stall", "pk")[
                    :PLAN_SAMPLE
                ]
            )
        )
        return PrintPlan(
            merchants=count,
            placards=count,
            sheets=layouts.get(self.template).sheets_for(count),
            reprinted=current if self.reprint else 0,
            new=count - current if self.reprint else count,
            superseded=0 if self.reprint else current,
            superseded_sample=superseded,
            reprint=self.reprint,
        )

    def claim(self):
        """Move a waiting job to printing; False when another worker already has it."""
        claimed = PrintJob.objects.filter(pk=self.pk, status=self.Status.PENDING).update(
            status=self.Status.RUNNING
        )
        if claimed:
            self.status = self.Status.RUNNING
        return bool(claimed)

    def issue(self):
        """Issue this job's placards (superseding older ones) and return them in print order.

        A reprint prints each merchant's current placard again, same serial, and
        issues new ones only to merchants that have none; each reprint is audited.
        A job whose placards were issued by its caller (star plaques, on a
        round's publication) only prints them.
        """
        if self.placards.exists():
            return self.placards.select_related(
                "merchant__precinct__parent", "merchant__association"
            ).order_by("merchant__precinct__slug", "merchant__stall", "merchant__code")
        merchant_ids = list(self.merchants().values_list("pk", flat=True))
        kept = []
        if self.reprint:
            kept = list(
                Placard.objects.current()
                .select_related("merchant")
                .filter(merchant_id__in=merchant_ids, template=self.template)
            )
            having = {placard.merchant_id for placard in kept}
            merchant_ids = [pk for pk in merchant_ids if pk not in having]
            reason = str(_("Reprinted with the same serial by print job %(job)s.")) % {
                "job": self.pk
            }
            AuditEntry.objects.record_many(
                Change(placard, AuditEntry.Action.PRINT, reason=reason) for placard in kept
            )
        placards = []
        if merchant_ids:
            placards = Placard.objects.issue(merchant_ids, self.template, self.data, print_job=self)
        self.total = len(placards) + len(kept)
        self.save(update_fields=["total"])
        printed = [placard.pk for placard in (*placards, *kept)]
        return (
            Placard.objects.filter(pk__in=printed)
            .select_related("merchant__precinct__parent", "merchant__association")
            .order_by("merchant__precinct__slug", "merchant__stall", "merchant__code")
        )

    def render_workers(self):
        """Processes to encode QR codes in: one per core (at most 4) once the batch is big.

        Known only after ``issue()`` has counted the placards; below
        ``PLACARD_PARALLEL_FROM`` starting processes costs more than it saves.
        """
        if self.total < settings.PLACARD_PARALLEL_FROM:
            return 1
        return max(1, min(os.cpu_count() or 1, 4))

    def record_progress(self, done):
        self.done = done
        PrintJob.objects.filter(pk=self.pk).update(done=done)

    def finish(self, content=None, error=""):
        self.finished_at = timezone.now()
        self.error = error
        self.status = self.Status.FAILED if error else self.Status.DONE
        if content is not None:
            self.file.save("placards.pdf", content, save=False)
        self.save(update_fields=["finished_at", "error", "status", "file", "done"])
