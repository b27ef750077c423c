"""Rating rounds and their results: run, compare, publish, revise; and what the public reads.

A round is one revision of a scheme's annual rating. Running it computes a
``Result`` for every member (``ratings.computation``); publishing freezes it
with the copy of the scheme it was computed with and the inputs of each
result. A correction is a new revision with a reason; publishing it
supersedes the old one, which stays readable. The public always sees the
latest published revision: a published round is the current one, an older
revision is "superseded".
"""

import datetime
import decimal
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from merchants.audit import AuditedModel, NoDeleteQuerySet
from merchants.models import Merchant
from merchants.signals import announce_change

from . import plaques
from .definitions import MEASURES, Definition, localized_name
from .definitions import Status as ResultStatus
from .schemes import (
    Scheme,
    Score,
    may_decide_for_scheme,
    scheme_authority,
)

# A run that has not finished after this long is taken to have died with its worker.
STALE_AFTER_MINUTES = 30


class RoundFrozen(ValidationError):
    """A published (or superseded) round, or its results, cannot change."""


class RoundQuerySet(NoDeleteQuerySet):
    def published(self):
        return self.filter(status=Round.Status.PUBLISHED)

    def open(self):
        """Rounds still to be run, checked or published (failed ones too: they may run again)."""
        return self.exclude(status__in=[Round.Status.PUBLISHED, Round.Status.SUPERSEDED])

    def published_for_precinct(self, precinct, year):
        """The current published round of every scheme that covers exactly this precinct."""
        return (
            self.published()
            .filter(scheme__precinct=precinct, scheme__year=year)
            .select_related("scheme")
            .order_by("scheme__slug")
        )


class Round(AuditedModel):
    """One revision of a scheme's rating round."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("not yet run")
        RUNNING = "running", _("running")
        COMPUTED = "computed", _("computed, not published")
        FAILED = "failed", _("failed")
        PUBLISHED = "published", _("published")
        SUPERSEDED = "superseded", _("superseded by a later revision")

    FROZEN = frozenset({Status.PUBLISHED, Status.SUPERSEDED})
    audit_exclude = (
        "created_at",
        "updated_at",
        "definition",
        "progress_step",
        "progress_steps",
        "progress_label",
        "started_at",
    )

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="rounds"
    )
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    revises = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("reason for the revision"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    definition = models.JSONField(_("scheme as computed"), null=True, blank=True)
    scheme_version = models.PositiveIntegerField(_("scheme version"), null=True, blank=True)
    rating_day = models.DateField(_("rating day"), null=True, blank=True)
    members = models.PositiveIntegerField(_("members rated"), default=0)
    progress_step = models.PositiveSmallIntegerField(default=0)
    progress_steps = models.PositiveSmallIntegerField(default=0)
    progress_label = models.CharField(max_length=80, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("run by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("rating round")
        verbose_name_plural = _("rating rounds")
        ordering = ["-scheme__year", "scheme__slug", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "revision"], name="round_revision"),
            models.UniqueConstraint(
                fields=["scheme"],
                condition=Q(status="published"),
                name="round_one_published_per_scheme",
            ),
        ]

    def __str__(self):
        return f"{self.scheme} r{self.revision}"

    # -- state -----------------------------------------------------------------------------

    @property
    def is_frozen(self):
        return self.status in self.FROZEN

    @property
    def is_running(self):
        return self.status == self.Status.RUNNING

    @property
    def may_publish(self):
        return self.status == self.Status.COMPUTED

    @cached_property
    def rules(self):
        """The scheme as this round computed it (the frozen copy), else as it stands now."""
        return Definition.from_data(self.definition or self.scheme.definition)

    @property
    def progress_percent(self):
        if not self.progress_steps:
            return 0
        return round(100 * self.progress_step / self.progress_steps)

    def save(self, *args, **kwargs):
        loaded = getattr(self, "_audit_loaded", None) or {}
        if loaded.get("status") in self.FROZEN:
            _before, after = self.audit_diff()
            if after and after != {"status": self.Status.SUPERSEDED}:
                raise RoundFrozen(_("A published round cannot be edited; open a revision."))
        super().save(*args, **kwargs)

    def record_progress(self, step, steps, label):
        """Progress of a run, visible to the admin while it runs (no audit entry)."""
        Round.objects.filter(pk=self.pk).update(
            progress_step=step, progress_steps=steps, progress_label=str(label)[:80]
        )
        self.progress_step, self.progress_steps, self.progress_label = step, steps, label

    def claim(self):
        """Mark the round running if nobody else is running it; True when this caller may run."""
        stale = timezone.now() - datetime.timedelta(minutes=STALE_AFTER_MINUTES)
        claimable = Q(status__in=[self.Status.DRAFT, self.Status.COMPUTED, self.Status.FAILED])
        claimable |= Q(status=self.Status.RUNNING, started_at__lt=stale)
        claimed = Round.objects.filter(claimable, pk=self.pk).update(
            status=self.Status.RUNNING, started_at=timezone.now(), error=""
        )
        if claimed:
            self.refresh_from_db()
        return bool(claimed)

    # -- publishing and revising -----------------------------------------------------------

    def publish(self, user=None):
        """Freeze this computed round and make it the one the public sees.

        Its 4- and 5-star members get plaques, and plaques whose level no
        longer holds are outdated or withdrawn (``ratings.plaques.follow``).
        """
        with transaction.atomic():
            current = Round.objects.select_for_update().get(pk=self.pk)
            if current.status != self.Status.COMPUTED:
                raise ValidationError(
                    _("Only a computed round can be published; this one is %(status)s.")
                    % {"status": current.get_status_display()}
                )
            previous = list(
                Round.objects.select_for_update().filter(
                    scheme=self.scheme_id, status=self.Status.PUBLISHED
                )
            )
            for old in previous:
                old.status = self.Status.SUPERSEDED
                old.save(audit_reason=_("Superseded by revision %(n)d.") % {"n": self.revision})
            self.status = self.Status.PUBLISHED
            self.published_at = timezone.now()
            self.published_by = user
            self.save(audit_reason=self.reason)
            # Plaques on display follow the published level (issued, outdated, withdrawn).
            plaques.follow(self, user)
        # The public sees a new rating: pages showing these merchants are stale.
        announce_change(Round, list(self.results.values_list("merchant_id", flat=True)))

    def revise(self, reason, user=None):
        """Open a new revision of this published round, with the reason for the correction."""
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError(_("Give the reason for the revision."))
        if self.status != self.Status.PUBLISHED:
            raise ValidationError(_("Only the published round can be revised."))
        with transaction.atomic():
            if self.scheme.rounds.exclude(status__in=self.FROZEN).exists():
                raise ValidationError(_("A revision of this scheme is already open."))
            latest = self.scheme.rounds.order_by("-revision").first()
            revision = Round(
                scheme=self.scheme,
                revision=latest.revision + 1,
                revises=self,
                reason=reason,
                requested_by=user,
            )
            revision.save(audit_reason=reason)
        # The public pages of its members say a corrected rating is being prepared.
        announce_change(Round, list(self.results.values_list("merchant_id", flat=True)))
        return revision

    # -- comparing -------------------------------------------------------------------------

    def previous_published(self):
        """The published round to compare with: the one this revises, else the precinct's last."""
        if self.revises_id:
            return self.revises
        return (
            Round.objects.filter(
                scheme__precinct=self.scheme.precinct_id,
                status=self.Status.PUBLISHED,
                scheme__year__lt=self.scheme.year,
            )
            .select_related("scheme")
            .order_by("-scheme__year", "-published_at")
            .first()
        )

    def compare(self, previous=None, limit=50):
        """What publishing would change against ``previous`` (default: previous_published())."""
        previous = previous or self.previous_published()
        before = _ranks(previous) if previous else {}
        after = _ranks(self)
        rules = self.rules
        names = {level.key: level for level in rules.levels}
        counts = self.results.distribution()
        old_counts = previous.results.distribution() if previous else {}
        levels = [
            LevelCount(level, old_counts.get(level.key, 0), counts.get(level.key, 0))
            for level in rules.levels
        ]
        up, down, vetoed = [], [], []
        for merchant_id, (status, rank, level) in after.items():
            old = before.get(merchant_id)
            if status == ResultStatus.VETOED and (old is None or old[0] != ResultStatus.VETOED):
                vetoed.append(merchant_id)
            if old is None or rank is None or old[1] is None:
                continue
            if rank < old[1]:
                up.append((merchant_id, old[2], level))
            elif rank > old[1]:
                down.append((merchant_id, old[2], level))
        shown = {m for m, *_rest in up[:limit]} | {m for m, *_rest in down[:limit]}
        shown.update(vetoed[:limit])
        merchants = Merchant.objects.in_bulk(shown)
        statuses = self.results.status_counts()
        old_statuses = previous.results.status_counts() if previous else {}
        return Comparison(
            previous=previous,
            levels=levels,
            not_rated=(
                old_statuses.get(ResultStatus.NOT_RATED, 0),
                statuses.get(ResultStatus.NOT_RATED, 0),
            ),
            vetoed_total=(
                old_statuses.get(ResultStatus.VETOED, 0),
                statuses.get(ResultStatus.VETOED, 0),
            ),
            up=[(merchants[m], names.get(o), names.get(n)) for m, o, n in up[:limit]],
            down=[(merchants[m], names.get(o), names.get(n)) for m, o, n in down[:limit]],
            vetoed=[merchants[m] for m in vetoed[:limit]],
            counts={"up": len(up), "down": len(down), "vetoed": len(vetoed)},
        )


def _ranks(round_):
    return {
        merchant_id: (status, rank, level)
        for merchant_id, status, rank, level in round_.results.values_list(
            "merchant_id", "status", "level_rank", "level"
        )
    }


@dataclass
class LevelCount:
    level: object
    before: int
    after: int

    @property
    def change(self):
        return self.after - self.before


@dataclass
class Comparison:
    previous: object
    levels: list
    not_rated: tuple
    vetoed_total: tuple = (0, 0)
    up: list = field(default_factory=list)
    down: list = field(default_factory=list)
    vetoed: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)


@dataclass
class Part:
    """One line of a result's breakdown: an aspect or an indicator, its points and maximum."""

    name: str
    points: object
    maximum: object
    indicators: list = field(default_factory=list)
    source: str = ""
    key: str = ""
    under_objection: bool = False

    @property
    def percent(self):
        if not self.maximum or self.points is None:
            return 0
        return max(0, min(100, round(100 * self.points / self.maximum)))


def _decimal(value):
    return None if value is None else decimal.Decimal(str(value))


#: The order in which a merchant's published results are "latest": year, own association, time.
LATEST_FIRST = (
    "-round__scheme__year",
    models.F("round__scheme__association").asc(nulls_last=True),
    "-round__published_at",
)


class ResultQuerySet(models.QuerySet):
    def delete(self):
        raise RoundFrozen(_("Results are replaced by running the round again, never deleted."))

    def discard_unpublished(self):
        """Drop these results before a re-run; refused if any belongs to a frozen round."""
        if self.filter(round__status__in=Round.FROZEN).exists():
            raise RoundFrozen(_("A published round cannot be edited; open a revision."))
        return models.QuerySet.delete(self)

    def published(self):
        """Results of the rounds the public sees (the latest published revision of each scheme)."""
        return self.filter(round__status=Round.Status.PUBLISHED)

    def latest_published_for(self, merchant):
        """The merchant's most recent published result (latest year), or None. One query.

        ``merchant`` is a Merchant or its credit code. Within a year, the rating
        of the merchant's own association (its stars) comes before a district-wide
        grade that rates everyone; then the latest published.
        """
        found = Q(merchant__code=merchant) if isinstance(merchant, str) else Q(merchant=merchant)
        # A revision of the round is open: a corrected rating is on its way (same query).
        revising = Round.objects.filter(revises=models.OuterRef("round")).exclude(
            status__in=Round.FROZEN
        )
        return (
            self.published()
            .filter(found)
            .annotate(revision_under_way=models.Exists(revising))
            .select_related("round__scheme")
            .order_by(*LATEST_FIRST)
            .first()
        )

    def latest_published_columns(self, merchant=None):
        """Subqueries of the outer merchant's latest published ``stars``, ``level``, ``status``.

        For listings: annotate a merchant queryset with them and the level of
        every row comes in the same query.
        """
        latest = (
            self.published()
            .filter(merchant=merchant or models.OuterRef("pk"))
            .order_by(*LATEST_FIRST)
        )
        return {
            f"rating_{name}": models.Subquery(latest.values(name)[:1])
            for name in ("stars", "level", "status")
        }

    def distribution(self):
        """{level key: members}; "" counts the not rated and vetoed without a level."""
        return dict(self.values_list("level").annotate(n=Count("pk")).values_list("level", "n"))

    def status_counts(self):
        """{status: members}: rated, not rated, vetoed."""
        return dict(self.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))

    def exposure_board(self, precinct_ids):
        """Published vetoed results of merchants in these precincts (``with_descendants()``)."""
        return (
            self.published()
            .filter(status=ResultStatus.VETOED, merchant__precinct__in=precinct_ids)
            .select_related("merchant", "round__scheme")
            .order_by("-vetoed_on", "merchant__code")
        )


class Result(models.Model):
    """One member's outcome in one round, with its breakdown and the inputs it came from."""

    class Status(models.TextChoices):
        RATED = ResultStatus.RATED, _("rated")
        NOT_RATED = ResultStatus.NOT_RATED, _("not rated")
        VETOED = ResultStatus.VETOED, _("vetoed")

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="results"
    )
    merchant = models.ForeignKey(
        Merchant,
        verbose_name=_("merchant"),
        on_delete=models.PROTECT,
        related_name="rating_results",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    points = models.DecimalField(_("points"), max_digits=8, decimal_places=2, null=True, blank=True)
    level = models.CharField(_("level"), max_length=20, blank=True)
    level_rank = models.PositiveSmallIntegerField(null=True, blank=True)
    stars = models.PositiveSmallIntegerField(_("stars"), null=True, blank=True)
    aspects = models.JSONField(default=dict)
    indicators = models.JSONField(default=dict)
    inputs = models.JSONField(default=dict)
    cap = models.JSONField(null=True, blank=True)
    veto = models.JSONField(null=True, blank=True)
    vetoed_on = models.DateField(_("vetoed on"), null=True, blank=True)

    objects = ResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("rating result")
        verbose_name_plural = _("rating results")
        ordering = ["round", "level_rank", "merchant"]
        constraints = [
            models.UniqueConstraint(fields=["round", "merchant"], name="result_per_merchant")
        ]
        indexes = [
            models.Index(fields=["merchant", "round"], name="result_merchant_idx"),
            models.Index(fields=["round", "status", "level"], name="result_level_idx"),
        ]

    def __str__(self):
        return f"{self.merchant_id} {self.level or self.status}"

    def save(self, *args, **kwargs):
        if Round.objects.filter(pk=self.round_id, status__in=Round.FROZEN).exists():
            raise RoundFrozen(_("A published round cannot be edited; open a revision."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RoundFrozen(_("Results are replaced by running the round again, never deleted."))

    # -- reading ---------------------------------------------------------------------------

    @property
    def level_info(self):
        return self.round.rules.level(self.level) if self.level else None

    def cap_reason(self):
        """Why the level was capped, in the active language, or ""."""
        if not self.cap:
            return ""
        level = self.round.rules.level(self.cap["level"])
        return _("Capped at %(level)s: %(measure)s.") % {
            "level": localized_name(level) if level else self.cap["level"],
            "measure": MEASURES.get(self.cap["measure"], self.cap["measure"]),
        }

    def veto_reason(self):
        if not self.veto:
            return ""
        reason = _("Vetoed: %(measure)s.") % {
            "measure": MEASURES.get(self.veto["measure"], self.veto["measure"])
        }
        detail = self.veto.get("detail")
        return f"{reason} {detail}" if detail else str(reason)

    @property
    def scheme_name(self):
        """The scheme's name in the active language, as the round computed it."""
        return localized_name(self.round.rules)

    @property
    def is_rated(self):
        return self.status == ResultStatus.RATED

    @property
    def is_vetoed(self):
        return self.status == ResultStatus.VETOED

    def breakdown(self):
        """[Part(name, points, maximum, indicators)] per aspect; each indicator a Part too.

        What "how was this rated" shows: every aspect with its points and its
        maximum, and under it the indicators with theirs.
        """
        rules, parts = self.round.rules, []
        for aspect in rules.aspects:
            if aspect.key not in self.aspects:
                continue
            disputed = getattr(self, "disputed_indicators", ())
            indicators = [
                Part(
                    localized_name(indicator),
                    _decimal(self.indicators.get(indicator.key)),
                    indicator.maximum,
                    source=indicator.source,
                    key=indicator.key,
                    under_objection=indicator.key in disputed,
                )
                for indicator in aspect.indicators
            ]
            parts.append(
                Part(
                    localized_name(aspect),
                    _decimal(self.aspects[aspect.key]),
                    aspect.ceiling,
                    indicators=indicators,
                    key=aspect.key,
                    under_objection=any(part.under_objection for part in indicators),
                )
            )
        return parts

    # -- objections (duck-typed for ``merchants.objections``) ----------------------------------

    def mark_disputed(self, disputed):
        """Mark what is under objection, from ``Objection.objects.disputed`` (a set of
        (kind, id)): ``under_objection`` when this rating or one of its scores is
        disputed, ``disputed_indicators`` the keys of the disputed scores. No query
        unless the merchant has an open objection to a rating or a score."""
        results = {pk for kind, pk in disputed if kind == "rating"}
        scores = {pk for kind, pk in disputed if kind == "indicator_score"}
        scheme_id = self.round.scheme_id
        self.disputed_indicators = (
            set(
                Score.objects.filter(pk__in=scores, scheme=scheme_id).values_list(
                    "indicator", flat=True
                )
            )
            if scores
            else set()
        )
        self.rating_disputed = bool(results) and (
            self.pk in results
            or Result.objects.filter(pk__in=results, round__scheme=scheme_id).exists()
        )
        self.under_objection = self.rating_disputed or bool(self.disputed_indicators)
        return self

    @property
    def is_withdrawn(self):
        return False

    @property
    def objection_authority(self):
        return scheme_authority(self.round.scheme)

    @classmethod
    def objection_targets_of(cls, user):
        return cls.objects.filter(round__scheme__in=Scheme.objects.objections_decided_by(user))

    def may_decide_objection(self, user):
        return may_decide_for_scheme(user, self.round.scheme)

    def objection_problem(self):
        if not Round.objects.published().filter(pk=self.round_id).exists():
            return _("This rating has been replaced by a later revision; object to that one.")
        return None

    def objection_repr(self):
        level = self.level_info
        outcome = localized_name(level) if level else self.get_status_display()
        return _("%(scheme)s, revision %(revision)d: %(outcome)s") % {
            "scheme": self.scheme_name,
            "revision": self.round.revision,
            "outcome": outcome,
        }

    def uphold_objection(self, reason, user, correction=None):
        """The rating is to be corrected: a revision of its round is opened with the
        decision's reasons (unless one is open already), in which the association
        corrects the scores or vetoes and a regulator runs and publishes it.
        Returns the objection's outcome, "revised"."""
        round_ = Round.objects.select_for_update().get(pk=self.round_id)
        if round_.status != Round.Status.PUBLISHED:
            raise ValidationError(
                _(
                    "This rating has been replaced by a later revision already; reject the "
                    "objection, saying so."
                )
            )
        if not round_.scheme.rounds.exclude(status__in=Round.FROZEN).exists():
            round_.revise(reason, user)
        return "revised"

    @property
    def maximum(self):
        """The most points the scheme gives (base plus every aspect's ceiling)."""
        rules = self.round.rules
        return rules.base + sum((aspect.ceiling for aspect in rules.aspects), decimal.Decimal(0))

    @property
    def reviews_used(self):
        return self.inputs.get("reviews_used", 0)

    def public_dict(self):
        """The published result as plain data for the API (scheme, level, breakdown, reasons)."""
        round_, rules = self.round, self.round.rules
        level = self.level_info
        return {
            "scheme": {
                "slug": round_.scheme.slug,
                "name_zh": rules.name_zh,
                "name_en": rules.name_en,
                "year": rules.year,
            },
            "revision": round_.revision,
            "published_at": round_.published_at,
            "rating_day": round_.rating_day,
            "status": self.status,
            "level": None
            if level is None
            else {
                "key": level.key,
                "name_zh": level.name_zh,
                "name_en": level.name_en,
                "stars": level.stars,
            },
            "points": None if self.points is None else str(self.points),
            "aspects": [
                {
                    "key": aspect.key,
                    "name_zh": aspect.name_zh,
                    "name_en": aspect.name_en,
                    "points": self.aspects.get(aspect.key),
                    "max": str(aspect.ceiling),
                }
                for aspect in rules.aspects
                if aspect.key in self.aspects
            ],
            "reviews_used": self.inputs.get("reviews_used", 0),
            "cap": None if not self.cap else {**self.cap, "reason": str(self.cap_reason())},
            "veto": None if not self.veto else {**self.veto, "reason": str(self.veto_reason())},
        }


#: Columns of the open-data CSV of a precinct's published ratings, in order.
CSV_COLUMNS = (
    "scheme",
    "year",
    "revision",
    "published_at",
    "code",
    "name_zh",
    "name_en",
    "precinct",
    "stall",
    "status",
    "level",
    "stars",
    "points",
    "aspects",
    "cap_reason",
    "veto_reason",
    "vetoed_on",
)


def round_summary(round_):
    """A published round's heading as plain data: scheme, revision, levels and their counts."""
    rules, counts = round_.rules, round_.results.distribution()
    return {
        "scheme": {
            "slug": round_.scheme.slug,
            "name_zh": rules.name_zh,
            "name_en": rules.name_en,
            "year": rules.year,
        },
        "revision": round_.revision,
        "published_at": round_.published_at,
        "rating_day": round_.rating_day,
        "levels": [
            {
                "key": level.key,
                "name_zh": level.name_zh,
                "name_en": level.name_en,
                "stars": level.stars,
                "members": counts.get(level.key, 0),
            }
            for level in rules.levels
        ],
        "members": round_.members,
    }


def public_rows(round_):
    """One dict per result of ``round_`` for the open-data listing, by level then code."""
    results = (
        round_.results.select_related("merchant__precinct")
        .order_by("level_rank", "merchant__code")
        .iterator(chunk_size=2000)
    )
    for result in results:
        result.round = round_  # share the parsed scheme copy
        merchant = result.merchant
        yield {
            "scheme": round_.scheme.slug,
            "year": round_.rules.year,
            "revision": round_.revision,
            "published_at": round_.published_at,
            "code": merchant.code,
            "name_zh": merchant.name_zh,
            "name_en": merchant.name_en,
            "precinct": merchant.precinct.slug,
            "stall": merchant.stall,
            "status": result.status,
            "level": result.level,
            "stars": result.stars,
            "points": None if result.points is None else str(result.points),
            "aspects": result.aspects,
            "cap_reason": str(result.cap_reason()),
            "veto_reason": str(result.veto_reason()),
            "vetoed_on": result.vetoed_on,
        }
