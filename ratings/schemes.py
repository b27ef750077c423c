"""Rating schemes, the association's indicator scores and the vetoes it enters.

A scheme is stored as its definition (the same YAML/JSON ``load_scheme``
reads), with the few fields the admin filters on copied out of it. Scores and
vetoes are audited like the archive: each save writes an audit entry, nothing
is deleted, and once the scheme's latest round is published they are frozen
until a regulator opens a revision.
"""

import decimal

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from merchants import dates
from merchants.audit import AuditedModel, AuditEntry, NoDeleteQuerySet
from merchants.models import Association, Merchant, Precinct

from .definitions import Definition, localized_name
from .roles import RatingAccess


class SchemeQuerySet(NoDeleteQuerySet):
    def load(self, definition):
        """Create or update the scheme named by ``definition.slug``; returns (scheme, created).

        The precinct and association are named by slug and must exist. A
        changed definition gets the next version number; rounds already run
        keep the copy they were computed with.
        """
        precinct = Precinct.objects.filter(slug=definition.precinct).first()
        if precinct is None:
            raise ValidationError(
                _("No precinct has the slug “%(slug)s”.") % {"slug": definition.precinct}
            )
        association = None
        if definition.association:
            association = Association.objects.filter(slug=definition.association).first()
            if association is None:
                raise ValidationError(
                    _("No trade association has the slug “%(slug)s”.")
                    % {"slug": definition.association}
                )
        with transaction.atomic():
            scheme = self.select_for_update().filter(slug=definition.slug).first()
            created = scheme is None
            if created:
                scheme = Scheme(slug=definition.slug, version=0)
            if not created and scheme.definition == definition.raw:
                return scheme, False
            scheme.name_zh = definition.name_zh
            scheme.name_en = definition.name_en
            scheme.year = definition.year
            scheme.precinct = precinct
            scheme.association = association
            scheme.definition = definition.raw
            scheme.version += 1
            scheme.save()
        return scheme, created

    def objections_decided_by(self, user):
        """Schemes whose score and rating objections ``user`` finds in the admin listings:
        their association's own; for regulators, the district-wide ones (no association)."""
        access = RatingAccess.of(user)
        if access is None:
            return self.none()
        if access.is_regulator:
            return self.filter(association__isnull=True)
        return self.filter(association=access.association)

    def visible_to(self, access):
        if access is None:
            return self.none()
        if access.is_regulator:
            return self
        return self.filter(association=access.association)


class Scheme(AuditedModel):
    """An annual rating scheme of one precinct (with its sub-precincts)."""

    audit_exclude = ("created_at", "updated_at", "definition")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=160)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    precinct = models.ForeignKey(
        Precinct, verbose_name=_("precinct"), on_delete=models.PROTECT, related_name="schemes"
    )
    association = models.ForeignKey(
        Association,
        verbose_name=_("run by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="schemes",
    )
    definition = models.JSONField(_("definition"))
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = SchemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("rating scheme")
        verbose_name_plural = _("rating schemes")
        ordering = ["-year", "slug"]

    def __str__(self):
        return f"{self.name_zh} ({self.year})"

    @cached_property
    def rules(self):
        return Definition.from_data(self.definition)

    def members(self):
        """The merchants a round rates: in the precinct and its sub-precincts.

        A scheme run by an association rates that association's members only.
        """
        merchants = Merchant.objects.filter(precinct__in=self.precinct.with_descendants())
        if self.association_id:
            merchants = merchants.filter(association_id=self.association_id)
        return merchants

    def latest_round(self):
        return self.rounds.order_by("-revision").first()

    @property
    def scoring_open(self):
        """Scores and vetoes may change until the latest round is published."""
        latest = self.latest_round()
        return latest is None or not latest.is_frozen

    def check_open(self):
        if not self.scoring_open:
            raise ValidationError(
                _(
                    "The %(scheme)s round is published: scores and vetoes are frozen. "
                    "A regulator can open a revision."
                )
                % {"scheme": self}
            )


class ScoreQuerySet(NoDeleteQuerySet):
    def record(self, scheme, merchant, indicator, points, evidence, *, stored=None):
        """Enter or correct one score; returns the Score, or None when nothing changed."""
        score = (
            stored
            or self.filter(scheme=scheme, merchant=merchant, indicator=indicator).first()
            or Score(scheme=scheme, merchant=merchant, indicator=indicator)
        )
        if score.pk and score.points == points and score.evidence == evidence:
            return None
        score.points, score.evidence = points, evidence
        score.full_clean(exclude=["scheme", "merchant"], validate_unique=False)
        score.save()
        return score


class Score(AuditedModel):
    """Points the association entered for one member and one indicator, with the evidence."""

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="scores"
    )
    merchant = models.ForeignKey(
        Merchant, verbose_name=_("merchant"), on_delete=models.PROTECT, related_name="scores"
    )
    indicator = models.CharField(_("indicator"), max_length=40)
    points = models.DecimalField(_("points"), max_digits=8, decimal_places=2)
    evidence = models.TextField(_("evidence"), blank=True)

    objects = ScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator score")
        verbose_name_plural = _("indicator scores")
        ordering = ["scheme", "merchant", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "merchant", "indicator"], name="score_per_indicator"
            )
        ]

    def __str__(self):
        return f"{self.indicator} {self.points}"

    def clean(self):
        indicator = self.scheme.rules.indicator(self.indicator)
        if indicator is None or not indicator.is_entered:
            raise ValidationError(
                {
                    "indicator": _("%(scheme)s has no entered indicator “%(key)s”.")
                    % {"scheme": self.scheme.slug, "key": self.indicator}
                }
            )
        if self.points is not None:
            problem = indicator.entry_problem(self.points)
            if problem:
                raise ValidationError({"points": problem})

    def save(self, *args, **kwargs):
        self.scheme.check_open()
        super().save(*args, **kwargs)

    # -- objections (duck-typed for ``merchants.objections``) ----------------------------------

    @property
    def is_withdrawn(self):
        return False

    @property
    def objection_authority(self):
        return scheme_authority(self.scheme)

    @classmethod
    def objection_targets_of(cls, user):
        return cls.objects.filter(scheme__in=Scheme.objects.objections_decided_by(user))

    def may_decide_objection(self, user):
        return may_decide_for_scheme(user, self.scheme)

    def objection_problem(self):
        """Only a score behind a published rating is public, so only that one is disputed."""
        if not self.scheme.rounds.filter(status="published").exists():
            return _("Only a score of a published rating can be objected to.")
        if not self.scheme.rules.indicator(self.indicator):
            return _("This indicator is no longer in the scheme.")
        return None

    def indicator_name(self):
        """The indicator's name in the active language, as the scheme defines it."""
        indicator = self.scheme.rules.indicator(self.indicator)
        return localized_name(indicator) if indicator else self.indicator

    def label(self):
        """Scheme and indicator, without the points: what an audit entry of it is about."""
        return _("%(scheme)s: %(indicator)s") % {
            "scheme": localized_name(self.scheme.rules),
            "indicator": self.indicator_name(),
        }

    def objection_repr(self):
        return _("%(scheme)s: %(indicator)s, %(points)s points") % {
            "scheme": localized_name(self.scheme.rules),
            "indicator": self.indicator_name(),
            "points": plain_points(self.points),
        }

    def uphold_objection(self, reason, user, correction=None):
        """The association corrects the score (audited, with the decision's reasons).

        If the scheme's round is published the scores are frozen: a revision of
        the round is opened first, with the same reasons, and run in the
        background once the decision commits; a regulator publishes it as any
        revision. Returns the objection's outcome, "corrected".
        """
        from . import tasks  # tasks import the rounds, which import this module

        if correction in (None, ""):
            raise ValidationError(_("Give the corrected points of the score."))
        try:
            points = decimal.Decimal(str(correction))
        except decimal.InvalidOperation:
            raise ValidationError(_("The corrected points must be a number.")) from None
        if points == self.points:
            raise ValidationError(
                _("The score already has %(points)s points: give the corrected points.")
                % {"points": plain_points(points)}
            )
        latest = self.scheme.rounds.select_for_update().order_by("-revision").first()
        rerun = None
        if latest is not None and latest.status == latest.Status.RUNNING:
            # The run may have read the old points already: its result would not hold.
            raise ValidationError(
                _("The round is being computed now; decide once it has finished.")
            )
        if latest is not None and latest.is_frozen:
            rerun = latest.revise(reason, user)
        elif latest is not None and latest.status == latest.Status.COMPUTED:
            # Computed from the old points: back to draft, so it cannot be published
            # before the re-run (the round row is locked until this commits).
            type(latest).objects.filter(pk=latest.pk).update(status=latest.Status.DRAFT)
            rerun = latest
        self.points = points
        self.full_clean(exclude=["scheme", "merchant"], validate_unique=False)
        self.save(audit_reason=reason)
        if rerun is not None:
            round_id, user_id = rerun.pk, user.pk
            transaction.on_commit(lambda: tasks.run_round.enqueue(round_id, user_id))
        return "corrected"


def plain_points(points):
    """6, 7.5 or "—": points as a merchant reads them, without trailing zeros."""
    if points is None:
        return "—"
    return format(decimal.Decimal(points).normalize(), "f")


def scheme_authority(scheme):
    """Who decides objections to a scheme's scores and ratings, as stored on the objection:
    the association that runs it, or "" for a district-wide scheme (regulators decide)."""
    return scheme.association.name_zh if scheme.association_id else ""


def may_decide_for_scheme(user, scheme):
    """The scheme's association staff decide objections to its scores and ratings; a
    district-wide scheme's, regulators; both need the permission to decide objections."""
    if user.is_superuser:
        return True
    access = RatingAccess.of(user)
    if access is None or not user.has_perm("merchants.decide_objection"):
        return False
    if scheme.association_id:
        return not access.is_regulator and access.association.pk == scheme.association_id
    return access.is_regulator


class AssociationVetoQuerySet(NoDeleteQuerySet):
    def in_force(self):
        return self.filter(withdrawn_on__isnull=True)


class AssociationVeto(AuditedModel):
    """A one-vote veto (一票否决) the association entered for a member, with its evidence."""

    class Kind(models.TextChoices):
        QUALITY_SAFETY = "quality_safety", _("major quality or safety incident")
        MEDIA = "media", _("media exposure")
        SERIOUS_VIOLATION = "serious_violation", _("serious violation")

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="vetoes"
    )
    merchant = models.ForeignKey(
        Merchant, verbose_name=_("merchant"), on_delete=models.PROTECT, related_name="vetoes"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    decided_on = models.DateField(_("decided on"))
    reason = models.TextField(_("reason"))
    evidence = models.TextField(_("evidence"))
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)

    objects = AssociationVetoQuerySet.as_manager()

    class Meta:
        verbose_name = _("association veto")
        verbose_name_plural = _("association vetoes")
        ordering = ["-decided_on", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.decided_on}"

    def clean(self):
        if self.decided_on and self.scheme_id and self.decided_on.year != self.scheme.year:
            raise ValidationError(
                {"decided_on": _("The veto must be decided in the scheme's year.")}
            )

    def save(self, *args, **kwargs):
        self.scheme.check_open()
        super().save(*args, **kwargs)

    def withdraw(self, reason, day=None):
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError(_("Give the reason for the withdrawal."))
        if self.withdrawn_on:
            raise ValidationError(_("Already withdrawn on %(date)s.") % {"date": self.withdrawn_on})
        self.withdrawn_on = day or dates.today()
        self.withdrawal_reason = reason
        self.save(audit_action=AuditEntry.Action.WITHDRAW, audit_reason=reason)
