"""Consumer reviews left on the merchant page, their reports, moderation and privacy salts.

A review is accepted only from a visitor who scanned a genuine placard shortly
before (``ratings.presence``); it is published at once unless something holds
it for staff (a banned word, a sudden burst of reviews for the merchant).
Reviews are never deleted: staff publish or hide them with a reason, and each
decision is an entry in the archive's audit trail.

Nothing that identifies a visitor is stored. The client address and the device
cookie are kept only as keyed hashes (HMAC) under a salt that changes every
month; ``purge_review_hashes`` blanks old hashes and deletes old salts, after
which not even the site can tell which reviews came from the same device.
"""

import datetime
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Avg, Count, F, FloatField, Q, Sum, Value
from django.db.models.functions import Cast
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.contrib.settings.models import BaseGenericSetting
from wagtail.fields import RichTextField
from wagtail.models import TranslatableMixin

from merchants.audit import Actor, AuditEntry, DeletionRefused, NoDeleteQuerySet
from merchants.editor_text import EditorTextQuerySet
from merchants.models import Merchant
from merchants.signals import announce_change

from . import aspects, public_text

STARS = [(n, str(n)) for n in range(1, 6)]
COMMENT_MAX_LENGTH = 500
HASH_LENGTH = 32  # hex digits: 128 bits of an HMAC-SHA256


def period_of(moment):
    """The salt period a moment falls in: the first day of its month, in the site's time zone."""
    return timezone.localdate(moment).replace(day=1)


def periods_between(start, end):
    """Every salt period from the one holding ``start`` to the one holding ``end``."""
    period, last = period_of(start), period_of(end)
    found = []
    while period <= last:
        found.append(period)
        period = (period + datetime.timedelta(days=32)).replace(day=1)
    return found


class ReviewSaltQuerySet(models.QuerySet):
    def for_period(self, period):
        """The salt of ``period``, made on first use (a random secret, never derived)."""
        salt = self.filter(period=period).first()
        if salt is not None:
            return salt
        try:
            with transaction.atomic():
                return self.create(period=period, secret=secrets.token_hex(32))
        except IntegrityError:  # another request made it first
            return self.get(period=period)

    def current(self, now=None):
        return self.for_period(period_of(now or timezone.now()))


class ReviewSalt(models.Model):
    """The secret mixed into a month's visitor hashes. Deleting it unlinks them for good.

    A hash is HMAC(SECRET_KEY + this secret, value): a copy of the database
    alone cannot be brute-forced back to addresses, and once the salt is
    purged even the site cannot link two hashes of the same visitor.
    """

    period = models.DateField(_("month"), unique=True)
    secret = models.CharField(max_length=64)

    objects = ReviewSaltQuerySet.as_manager()

    class Meta:
        verbose_name = _("review hash salt")
        verbose_name_plural = _("review hash salts")
        ordering = ["-period"]
        default_permissions = ()

    def __str__(self):
        return f"{self.period:%Y-%m}"

    def digest(self, kind, value):
        """A keyed hash of ``value`` (an address or device id) for this month."""
        mac = salted_hmac(
            f"chengxin.ratings.{kind}",
            value,
            secret=f"{settings.SECRET_KEY}:{self.secret}",
            algorithm="sha256",
        )
        return mac.hexdigest()[:HASH_LENGTH]


@dataclass(frozen=True)
class ReviewSummary:
    """Count and averages of one merchant's published reviews."""

    count: int
    mean: float | None
    aspect_means: dict = field(default_factory=dict)

    @property
    def enough(self):
        return self.count >= settings.REVIEW_MIN_FOR_AVERAGE

    @property
    def average(self):
        """The plain average to one decimal, or None under ``REVIEW_MIN_FOR_AVERAGE`` reviews."""
        return round(self.mean, 1) if self.enough and self.mean is not None else None

    @property
    def aspect_averages(self):
        """[(aspect name, average to one decimal)] for rated aspects; empty under the minimum."""
        if not self.enough:
            return []
        return [(name, round(mean, 1)) for name, mean in self.aspect_means.items() if mean]

    @property
    def shrunk(self):
        """Bayesian average: the reviews plus ``REVIEW_PRIOR_WEIGHT`` imagined ones at the prior."""
        weight, prior = settings.REVIEW_PRIOR_WEIGHT, settings.REVIEW_PRIOR_MEAN
        total = (self.mean or 0) * self.count
        return (weight * prior + total) / (weight + self.count)


class ReviewQuerySet(NoDeleteQuerySet):
    def published(self):
        return self.filter(status=Review.Status.PUBLISHED)

    def awaiting_moderation(self):
        """Held reviews, and published ones that visitors reported since staff last looked."""
        return self.filter(
            Q(status=Review.Status.HELD) | Q(status=Review.Status.PUBLISHED, open_reports__gt=0)
        )

    def from_device(self, device, since, now=None):
        """Reviews written after ``since`` from the device whose id is ``device``.

        Hashes change with the monthly salt, so the device is hashed under
        every salt that covers the period; purged salts match nothing.
        """
        now = now or timezone.now()
        salts = ReviewSalt.objects.filter(period__in=periods_between(since, now))
        hashes = [salt.digest("device", device) for salt in salts]
        return self.filter(created_at__gt=since, device_hash__in=hashes)

    def receive(
        self, merchant, scan, *, ip, device, burst=False, crowded=False, now=None, **fields
    ):
        """Store a visitor's review; held for staff if it has a banned word or comes in a burst,
        or if its placard is being scanned from unusually many networks (``crowded``).

        ``scan`` is the verified placard scan that lets the visitor review;
        ``ip`` and ``device`` are kept only as keyed hashes.
        """
        now = now or timezone.now()
        review = Review(
            merchant=merchant,
            placard=scan.placard,
            scanned_at=scan.at,
            created_at=now,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            **fields,
        )
        if ReviewModeration.current().banned_word_in(review.comment):
            review.status, review.hold_reason = Review.Status.HELD, Review.HoldReason.BANNED_WORD
        elif burst:
            review.status, review.hold_reason = Review.Status.HELD, Review.HoldReason.BURST
        elif crowded:
            review.status, review.hold_reason = Review.Status.HELD, Review.HoldReason.CROWDED
        review.stamp(ip, device, now)
        review.full_clean(exclude=["placard", "merchant"], validate_constraints=False)
        review.save()
        if review.is_public:
            announce_change(Review, [merchant.pk])
            transaction.on_commit(review.tell_merchant)
        return review

    def summary(self, aspect_names=aspects.ALL):
        """Count, mean and aspect means of the published reviews in this queryset (one query)."""
        figures = self.published().aggregate(
            count=Count("pk"),
            mean=Avg("overall"),
            **{name: Avg(name) for name in aspect_names},
        )
        return ReviewSummary(
            count=figures["count"],
            mean=figures["mean"],
            aspect_means={name: figures[name] for name in aspect_names},
        )

    def ranking(self):
        """Merchants by Bayesian average of their published reviews, best first.

        Values of ``merchant``, ``review_count``, ``review_mean`` and ``shrunk``:
        ``(REVIEW_PRIOR_WEIGHT * REVIEW_PRIOR_MEAN + sum of stars) /
        (REVIEW_PRIOR_WEIGHT + count)``, so two five-star reviews do not
        outrank two hundred reviews averaging 4.8.
        """
        weight = Value(float(settings.REVIEW_PRIOR_WEIGHT))
        prior = Value(float(settings.REVIEW_PRIOR_MEAN))
        return (
            self.published()
            .values("merchant")
            .annotate(
                review_count=Count("pk"),
                review_mean=Avg("overall"),
                shrunk=(weight * prior + Cast(Sum("overall"), FloatField()))
                / (weight + Cast(Count("pk"), FloatField())),
            )
            .order_by("-shrunk", "-review_count", "merchant")
        )


class Review(models.Model):
    """A visitor's stars and comment for a merchant, written after scanning its placard."""

    class Status(models.TextChoices):
        PUBLISHED = "published", _("published")
        HELD = "held", _("held for moderation")
        HIDDEN = "hidden", _("hidden")

    class HoldReason(models.TextChoices):
        NONE = "", _("not held")
        BANNED_WORD = "banned_word", _("contains a banned word")
        BURST = "burst", _("unusually many reviews for this merchant")
        CROWDED = "crowded", _("placard scanned from unusually many networks")

    merchant = models.ForeignKey(
        Merchant, verbose_name=_("merchant"), on_delete=models.PROTECT, related_name="reviews"
    )
    placard = models.ForeignKey(
        "print_templates.Placard",
        verbose_name=_("placard scanned"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    scanned_at = models.DateTimeField(_("scanned at"))
    created_at = models.DateTimeField(_("written at"), default=timezone.now, db_index=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    overall = models.PositiveSmallIntegerField(_("overall"), choices=STARS)
    product_quality = models.PositiveSmallIntegerField(
        aspects.LABELS["product_quality"], choices=STARS, null=True, blank=True
    )
    service_attitude = models.PositiveSmallIntegerField(
        aspects.LABELS["service_attitude"], choices=STARS, null=True, blank=True
    )
    honest_pricing = models.PositiveSmallIntegerField(
        aspects.LABELS["honest_pricing"], choices=STARS, null=True, blank=True
    )
    explanation = models.PositiveSmallIntegerField(
        aspects.LABELS["explanation"], choices=STARS, null=True, blank=True
    )
    hygiene = models.PositiveSmallIntegerField(
        aspects.LABELS["hygiene"], choices=STARS, null=True, blank=True
    )
    comment = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED
    )
    hold_reason = models.CharField(
        _("held because"), max_length=12, choices=HoldReason.choices, blank=True
    )
    open_reports = models.PositiveIntegerField(_("reports awaiting a decision"), default=0)
    moderated_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    moderation_reason = models.TextField(_("reason for the decision"), blank=True)
    # Keyed hashes under the salt of ``hash_period``; blanked by purge_review_hashes.
    device_hash = models.CharField(max_length=HASH_LENGTH, blank=True)
    ip_hash = models.CharField(max_length=HASH_LENGTH, blank=True)
    hash_period = models.DateField(null=True, blank=True)
    # Phone verification (ratings/phones.py): an HMAC of the number, kept with the review.
    phone_hash = models.CharField(_("phone number hash"), max_length=64, blank=True, db_index=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-created_at", "-pk"]
        default_permissions = ("view",)
        permissions = [("moderate_review", _("Can publish and hide reviews"))]
        indexes = [
            models.Index(fields=["merchant", "status", "-created_at"], name="review_public_idx"),
            models.Index(fields=["merchant", "device_hash"], name="review_device_idx"),
            models.Index(
                fields=["-created_at"],
                condition=Q(status="held") | Q(open_reports__gt=0),
                name="review_queue_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(overall__gte=1, overall__lte=5), name="review_overall_1_to_5"
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True})
                    | Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
                    name=f"review_{name}_1_to_5",
                )
                for name in aspects.ALL
            ],
        ]

    def __str__(self):
        return f"#{self.pk} {self.merchant.name_zh} {self.overall}★"

    def delete(self, *args, **kwargs):
        raise DeletionRefused("Reviews are hidden, never deleted.")

    @property
    def is_public(self):
        return self.status == self.Status.PUBLISHED

    @property
    def awaits_decision(self):
        """Held, or published with reports no one has decided on: the same rule as the queue."""
        return self.status == self.Status.HELD or (self.is_public and self.open_reports > 0)

    def moderation_note(self):
        """What staff must know in a word: why it waits for a decision, or that it does not."""
        if self.status == self.Status.HELD:
            return _("Held: %(reason)s") % {"reason": self.get_hold_reason_display()}
        if self.awaits_decision:
            return ngettext(
                "Reported %(count)d time: awaiting a decision",
                "Reported %(count)d times: awaiting a decision",
                self.open_reports,
            ) % {"count": self.open_reports}
        return _("No decision needed")

    def aspect_stars(self):
        """[(label, stars)] of the aspects this review rated, in display order."""
        return [
            (aspects.LABELS[name], getattr(self, name))
            for name in aspects.for_merchant(self.merchant)
            if getattr(self, name)
        ]

    def tell_merchant(self):
        """Mail the business's portal accounts about this review (a background task)."""
        from .tasks import mail_new_review

        mail_new_review.enqueue(self.pk)

    def stamp(self, ip, device, now=None):
        """Record keyed hashes of the visitor's address and device under this month's salt."""
        salt = ReviewSalt.objects.current(now)
        self.hash_period = salt.period
        self.ip_hash = salt.digest("ip", ip)
        self.device_hash = salt.digest("device", device)

    def moderate(self, status, reason, user=None):
        """Publish or hide the review with a reason, resolving its reports; audited.

        Keeping a reported review published is a decision too: its reports are
        closed and it leaves the queue.
        """
        reason = (reason or "").strip()
        if status not in (self.Status.PUBLISHED, self.Status.HIDDEN):
            raise ValidationError(_("A review can be published or hidden."))
        if not reason:
            raise ValidationError(_("Give the reason for the decision."))
        if status == self.status and not self.open_reports:
            raise ValidationError(
                _("The review is already %(status)s.") % {"status": self.get_status_display()}
            )
        now = timezone.now()
        before = {"status": self.status, "open_reports": self.open_reports}
        was_public = self.is_public
        self.status = status
        self.open_reports = 0
        self.moderated_at, self.moderated_by, self.moderation_reason = now, user, reason
        with transaction.atomic():
            self.save(
                update_fields=[
                    "status",
                    "open_reports",
                    "moderated_at",
                    "moderated_by",
                    "moderation_reason",
                ]
            )
            self.reports.filter(resolved_at__isnull=True).update(resolved_at=now)
            action = (
                AuditEntry.Action.WITHDRAW
                if status == self.Status.HIDDEN
                else AuditEntry.Action.CHANGE
            )
            AuditEntry.objects.record(
                self,
                action,
                before=before,
                after={"status": status, "open_reports": 0},
                reason=reason,
                actor=Actor(user=user, source="admin"),
            )
        if was_public != self.is_public:
            announce_change(Review, [self.merchant_id])


class ReviewReportQuerySet(NoDeleteQuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)


class ReviewReport(models.Model):
    """A visitor's report that a published review breaks the rules; staff decide."""

    class Reason(models.TextChoices):
        OFFENSIVE = "offensive", _("offensive or abusive")
        FALSE = "false", _("false, or not about a real visit")
        PERSONAL = "personal", _("reveals someone's personal data")
        ADVERTISING = "advertising", _("advertising or spam")
        OTHER = "other", _("something else")

    review = models.ForeignKey(
        Review, verbose_name=_("review"), on_delete=models.PROTECT, related_name="reports"
    )
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    created_at = models.DateTimeField(_("reported at"), default=timezone.now, db_index=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    device_hash = models.CharField(max_length=HASH_LENGTH, blank=True)
    ip_hash = models.CharField(max_length=HASH_LENGTH, blank=True)
    hash_period = models.DateField(null=True, blank=True)

    objects = ReviewReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("review report")
        verbose_name_plural = _("review reports")
        ordering = ["-created_at"]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.get_reason_display()} ({self.created_at:%Y-%m-%d})"

    def delete(self, *args, **kwargs):
        raise DeletionRefused("Reports are resolved, never deleted.")

    @classmethod
    def file(cls, review, reason, ip, device, now=None):
        """Report ``review`` once per device; returns True when this device had not yet."""
        now = now or timezone.now()
        salt = ReviewSalt.objects.current(now)
        device_hash = salt.digest("device", device)
        with transaction.atomic():
            locked = Review.objects.select_for_update().get(pk=review.pk)
            if locked.reports.filter(hash_period=salt.period, device_hash=device_hash).exists():
                return False
            cls.objects.create(
                review=locked,
                reason=reason,
                created_at=now,
                hash_period=salt.period,
                device_hash=device_hash,
                ip_hash=salt.digest("ip", ip),
            )
            Review.objects.filter(pk=locked.pk).update(open_reports=F("open_reports") + 1)
        return True


class ReviewText(TranslatableMixin, models.Model):
    """Editor-written words under the reviews, one per language (the privacy notice)."""

    privacy_notice = RichTextField(
        _("privacy notice"),
        blank=True,
        help_text=_(
            "What is kept about people who leave a review and for how long. "
            "Empty: a built-in notice with the configured periods."
        ),
    )

    objects = EditorTextQuerySet.as_manager()

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("review page text")
        verbose_name_plural = _("review page texts")

    def __str__(self):
        return str(_("Review page text (%(language)s)") % {"language": self.locale})


def _folded(text):
    """Text as compared against banned words (``public_text.folded``)."""
    return public_text.folded(text)


class ReviewModeration(BaseGenericSetting):
    """Moderation rules staff edit in the admin: the banned-word list."""

    banned_words = models.TextField(
        _("banned words"),
        blank=True,
        help_text=_(
            "One word or phrase per line. A review whose comment contains any of them "
            "(ignoring case, spaces and full-width forms) is held until staff decide."
        ),
    )

    class Meta:
        verbose_name = _("review moderation")

    def __str__(self):
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls):
        """The saved rules, or empty ones; never creates a row (``load`` may, racing others)."""
        return cls.base_queryset().first() or cls()

    def word_list(self):
        return [_folded(line) for line in self.banned_words.splitlines() if _folded(line)]

    def banned_word_in(self, text):
        """The first banned word ``text`` contains, or None."""
        folded = _folded(text or "")
        return next((word for word in self.word_list() if word in folded), None)


class ReviewReplyQuerySet(NoDeleteQuerySet):
    def published(self):
        return self.filter(status=ReviewReply.Status.PUBLISHED)

    def awaiting_moderation(self):
        return self.filter(status=ReviewReply.Status.HELD)


class ReviewReply(models.Model):
    """The business's one public reply to a review; edits are kept in the audit trail.

    It passes the same banned-word check as reviews: a reply with a banned word
    is held until staff publish or hide it.
    """

    class Status(models.TextChoices):
        PUBLISHED = "published", _("published")
        HELD = "held", _("held for moderation")
        HIDDEN = "hidden", _("hidden")

    review = models.OneToOneField(
        Review, verbose_name=_("review"), on_delete=models.PROTECT, related_name="reply"
    )
    text = models.TextField(_("reply"), max_length=COMMENT_MAX_LENGTH)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("first written at"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed at"), default=timezone.now)
    moderation_reason = models.TextField(_("reason for the decision"), blank=True)

    objects = ReviewReplyQuerySet.as_manager()

    class Meta:
        verbose_name = _("business reply")
        verbose_name_plural = _("business replies")
        ordering = ["-updated_at"]
        default_permissions = ("view",)
        permissions = [("moderate_reviewreply", _("Can publish and hide business replies"))]

    def __str__(self):
        return str(_("Reply to review #%(review)s") % {"review": self.review_id})

    def delete(self, *args, **kwargs):
        raise DeletionRefused("Replies are hidden, never deleted.")

    @property
    def is_public(self):
        return self.status == self.Status.PUBLISHED

    @classmethod
    def write(cls, review, text, user, now=None):
        """Post or edit the reply to ``review``; held when it has a banned word. Audited."""
        text = (text or "").strip()
        if not text:
            raise ValidationError(_("Write the reply."))
        if len(text) > COMMENT_MAX_LENGTH:
            raise ValidationError(
                _("A reply may be at most %(count)d characters.") % {"count": COMMENT_MAX_LENGTH}
            )
        if not review.is_public:
            raise ValidationError(_("Only a published review can be replied to."))
        now = now or timezone.now()
        held = ReviewModeration.current().banned_word_in(text) is not None
        status = cls.Status.HELD if held else cls.Status.PUBLISHED
        with transaction.atomic():
            reply = cls.objects.select_for_update().filter(review=review).first()
            if reply is None:
                reply = cls(review=review, created_at=now)
                before, action = None, AuditEntry.Action.CREATE
            else:
                if reply.text == text:
                    return reply
                if reply.status == cls.Status.HIDDEN:
                    raise ValidationError(_("Staff hid this reply; it can no longer be changed."))
                before = {"text": reply.text, "status": reply.status}
                action = AuditEntry.Action.CHANGE
            was_public = reply.pk is not None and reply.is_public
            reply.text, reply.status, reply.written_by, reply.updated_at = text, status, user, now
            reply.save()
            AuditEntry.objects.record(
                reply,
                action,
                before=before,
                after={"text": text, "status": status},
                actor=Actor(user=user, source="portal"),
            )
        if was_public or reply.is_public:
            announce_change(ReviewReply, [review.merchant_id])
        return reply

    def moderate(self, status, reason, user=None):
        """Staff publish or hide a reply, with a reason; audited."""
        reason = (reason or "").strip()
        if status not in (self.Status.PUBLISHED, self.Status.HIDDEN):
            raise ValidationError(_("A reply can be published or hidden."))
        if not reason:
            raise ValidationError(_("Give the reason for the decision."))
        before = {"status": self.status}
        was_public = self.is_public
        with transaction.atomic():
            self.status, self.moderation_reason = status, reason
            self.save(update_fields=["status", "moderation_reason"])
            AuditEntry.objects.record(
                self,
                AuditEntry.Action.WITHDRAW
                if status == self.Status.HIDDEN
                else AuditEntry.Action.CHANGE,
                before=before,
                after={"status": status},
                reason=reason,
                actor=Actor(user=user, source="admin"),
            )
        if was_public != self.is_public:
            announce_change(ReviewReply, [self.review.merchant_id])

    def history(self):
        """Every version of the reply, newest first, from the audit trail."""
        return AuditEntry.objects.for_object(self).select_related("actor")


# Star ratings: schemes, scores and vetoes, roles, rounds and results live in
# their own modules; importing them here makes them this app's models.
from .roles import RatingRole  # noqa: E402
from .rounds import Result, Round  # noqa: E402
from .schemes import AssociationVeto, Scheme, Score  # noqa: E402

__all__ = [
    "AssociationVeto",
    "RatingRole",
    "Result",
    "Review",
    "ReviewModeration",
    "ReviewReply",
    "ReviewReport",
    "ReviewSalt",
    "ReviewText",
    "Round",
    "Scheme",
    "Score",
]
