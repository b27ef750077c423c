"""The public credit archive: precincts, associations, merchants and their records.

The archive is the source of truth. Public status is derived from stored facts
and today's date, never stored where it could go stale, and nothing here is
ever hard-deleted: records are corrected or withdrawn, each with an audit entry.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Case, Count, Exists, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import dates, glossary
from .audit import AuditedModel, AuditEntry, NoDeleteQuerySet
from .credit_code import Lookup, validate_credit_code
from .public import PublicArchive
from .signals import announce_change


class ArchiveQuerySet(NoDeleteQuerySet):
    def update(self, **kwargs):
        """A queryset update skips save(): drop the pages of every merchant it touches.

        Touched are the merchants the rows belonged to before and after the
        update (a record moved to another merchant, a merchant given another
        code), so they are read on both sides. ``bulk_update`` (imports) comes
        through here too.
        """
        with transaction.atomic(using=self.db, savepoint=False):
            pks = list(self.values_list("pk", flat=True))
            ids_before, codes_before = self.model.merchant_pages(pks)
            count = super().update(**kwargs)
            ids_after, codes_after = self.model.merchant_pages(pks)
        if ids_before or ids_after:
            announce_change(self.model, ids_before | ids_after, codes_before - codes_after)
        return count


class Precinct(AuditedModel):
    """A street, market, area of markets or district: where merchants are found."""

    class Kind(models.TextChoices):
        STREET = "street", _("pedestrian street")
        MARKET = "market", _("market")
        AREA = "area", _("market area")
        DISTRICT = "district", _("district")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=160, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("within"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)

    objects = ArchiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("precinct")
        verbose_name_plural = _("precincts")
        ordering = ["slug"]

    def __str__(self):
        return self.name_zh

    def clean(self):
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": _("A precinct cannot lie within itself.")})
            ancestor = ancestor.parent

    def affected_merchant_ids(self):
        return list(Merchant.objects.filter(precinct=self).values_list("pk", flat=True))

    @classmethod
    def merchant_pages(cls, pks):
        """(merchant ids, codes) whose pages show the precincts ``pks``; see ArchiveQuerySet."""
        return set(Merchant.objects.filter(precinct__in=pks).values_list("pk", flat=True)), set()

    def with_descendants(self):
        """Primary keys of this precinct and every precinct nested in it."""
        found, frontier = {self.pk}, [self.pk]
        while frontier:
            frontier = list(
                Precinct.objects.filter(parent__in=frontier)
                .exclude(pk__in=found)
                .values_list("pk", flat=True)
            )
            found.update(frontier)
        return found


class PrecinctTree:
    """Every precinct, read in one query, to walk nested precincts without a query per level.

    A city has hundreds of streets and markets at most, so a page that needs a
    precinct's descendants (its members) and which street or market each of
    them lies in reads them all once.
    """

    def __init__(self, precincts):
        self.precincts = {precinct.pk: precinct for precinct in precincts}
        self.children = {}
        for precinct in self.precincts.values():
            self.children.setdefault(precinct.parent_id, []).append(precinct.pk)

    @classmethod
    def load(cls):
        return cls(Precinct.objects.all())

    def below(self, pk):
        """``pk`` and the primary keys of every precinct nested in it (``with_descendants``)."""
        found, frontier = {pk}, [pk]
        while frontier:
            frontier = [
                child
                for parent in frontier
                for child in self.children.get(parent, ())
                if child not in found
            ]
            found.update(frontier)
        return found

    def nearest(self, pk, among):
        """The first of the precincts ``among`` at or above ``pk``, or None."""
        seen = set()
        while pk is not None and pk not in among and pk not in seen:
            seen.add(pk)
            precinct = self.precincts.get(pk)
            pk = precinct.parent_id if precinct else None
        return pk if pk in among else None


class Association(AuditedModel):
    """A trade association (行业商会) that scores and grades its member merchants."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=160, blank=True)
    precinct = models.ForeignKey(
        Precinct,
        verbose_name=_("precinct"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="associations",
    )

    objects = ArchiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("trade association")
        verbose_name_plural = _("trade associations")
        ordering = ["slug"]

    def __str__(self):
        return self.name_zh

    def affected_merchant_ids(self):
        return list(self.members.values_list("pk", flat=True))

    @classmethod
    def merchant_pages(cls, pks):
        members = Merchant.objects.filter(association__in=pks)
        return set(members.values_list("pk", flat=True)), set()


class MerchantManager(models.Manager):
    def lookup(self, given, related=()):
        """Like ``MerchantQuerySet.lookup``, building no queryset until the merchant is read."""
        return Lookup(given, lambda: self.get_queryset().select_related(*related))


class MerchantQuerySet(ArchiveQuerySet):
    def lookup(self, given):
        """The merchant for a code as given, with the code's problem if it has one."""
        return Lookup(given, self)

    def of_user(self, user):
        """The businesses a portal user holds; none for anyone else (staff included)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(accounts__user=user)

    def with_public_status(self, day=None):
        """Annotate what a visitor sees at a glance, in SQL so lists can filter on it.

        ``licence_status``: the worst status among the merchant's current
        licences, renewed ones left out as on the page (None without any);
        ``public_penalties``: how many penalties are public; ``black_listed``:
        whether a black-list entry is public.
        Three subqueries per row, whatever the number of records.
        """
        day = day or dates.today()
        worst = (
            Licence.objects.current()
            .standing()
            .with_status(day)
            .filter(merchant=OuterRef("pk"))
            .annotate(rank=Licence.status_rank())
            .order_by("rank")
            .values("public_status")[:1]
        )
        penalties = (
            Penalty.objects.public(day)
            .filter(merchant=OuterRef("pk"))
            .values("merchant")
            .annotate(count=Count("pk"))
            .values("count")
        )
        black = ListEntry.objects.public(day).filter(
            merchant=OuterRef("pk"), list_name__in=ListEntry.BLACK_LISTS
        )
        return self.annotate(
            licence_status=Subquery(worst),
            public_penalties=Coalesce(Subquery(penalties), 0),
            black_listed=Exists(black),
        )

    def with_public_flags(self, day=None):
        """Annotate what a directory shows beside each name, in the same query.

        ``licence_problem``: a licence expired, suspended or revoked on ``day``;
        ``penalised``: a public penalty; ``black_listed``: a black-list entry in force.
        """
        day = day or dates.today()
        bad = [Licence.Status.EXPIRED, Licence.Status.SUSPENDED, Licence.Status.REVOKED]
        black = [name for name in ListEntry.List.values if name not in ListEntry.RED_LISTS]
        outer = models.OuterRef("pk")
        return self.annotate(
            licence_problem=models.Exists(
                Licence.objects.current()
                .standing()
                .with_status(day)
                .filter(merchant=outer, public_status__in=bad)
            ),
            penalised=models.Exists(Penalty.objects.public(day).filter(merchant=outer)),
            black_listed=models.Exists(
                ListEntry.objects.public(day).filter(merchant=outer, list_name__in=black)
            ),
        )

    def penalised_counts(self, day=None):
        """{precinct id: (members, members with a public penalty on ``day``)}. One query."""
        day = day or dates.today()
        penalised = Exists(Penalty.objects.public(day).filter(merchant=OuterRef("pk")))
        return {
            precinct: (members, with_penalty)
            for precinct, members, with_penalty in self.order_by()
            .values("precinct")
            .annotate(members=Count("pk"), with_penalty=Count("pk", filter=penalised))
            .values_list("precinct", "members", "with_penalty")
        }


class Merchant(AuditedModel):
    """A shop, restaurant, market stall or clinic, identified by its credit code."""

    class Kind(models.TextChoices):
        SHOP = "shop", _("shop")
        RESTAURANT = "restaurant", _("restaurant")
        STALL = "stall", _("market stall")
        CLINIC = "clinic", _("clinic")

    class Category(models.TextChoices):
        COSMETIC_SURGERY = "cosmetic_surgery", _("cosmetic surgery")
        DENTAL = "dental", _("dental")
        OPHTHALMOLOGY = "ophthalmology", _("ophthalmology")
        GENERAL_CLINIC = "general_clinic", _("general clinic")
        DRIED_SEAFOOD = "dried_seafood", _("dried seafood")
        DRY_GOODS = "dry_goods", _("dry goods and nuts")
        TEA = "tea", _("tea")
        SOUVENIRS = "souvenirs", _("souvenirs")
        CLOTHING = "clothing", _("clothing")
        FOOD = "food", _("food and drink")
        JEWELLERY = "jewellery", _("jewellery")
        OTHER = "other", _("other")

    CLINIC_CATEGORIES = frozenset(
        {
            Category.COSMETIC_SURGERY,
            Category.DENTAL,
            Category.OPHTHALMOLOGY,
            Category.GENERAL_CLINIC,
        }
    )

    code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=120, db_index=True)
    name_en = models.CharField(_("name (English)"), max_length=160, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    stall = models.CharField(_("stall number"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    address_en = models.CharField(
        _("address (English)"),
        max_length=300,
        blank=True,
        help_text=_("Shown on the English page; the Chinese address is shown beside it."),
    )
    specialties = models.CharField(
        _("registered specialties"),
        max_length=300,
        blank=True,
        help_text=_("For clinics: the licensed medical specialties (诊疗科目), separated by ；"),
    )
    precinct = models.ForeignKey(
        Precinct, verbose_name=_("precinct"), on_delete=models.PROTECT, related_name="merchants"
    )
    association = models.ForeignKey(
        Association,
        verbose_name=_("trade association"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )

    objects = MerchantManager.from_queryset(MerchantQuerySet)()

    class Meta:
        verbose_name = _("merchant")
        verbose_name_plural = _("merchants")
        ordering = ["precinct__slug", "stall", "name_zh"]
        indexes = [models.Index(fields=["precinct", "stall"], name="merchant_stall_idx")]

    def __str__(self):
        return f"{self.name_zh} ({self.code})"

    @property
    def is_clinic(self):
        return self.kind == self.Kind.CLINIC

    def affected_merchant_ids(self):
        return (self.pk,)

    def former_public_codes(self, before):
        """A corrected credit code: the page at the old code must go too."""
        return [before["code"]] if before and before.get("code") else []

    @classmethod
    def merchant_pages(cls, pks):
        rows = list(cls.objects.filter(pk__in=pks).values_list("pk", "code"))
        return {pk for pk, _code in rows}, {code for _pk, code in rows}

    def specialty_list(self):
        return [
            item.strip() for item in self.specialties.replace(";", "；").split("；") if item.strip()
        ]

    def clean(self):
        if self.code:
            self.code = self.code.strip().upper()
        if self.category and self.kind:
            clinic_category = self.category in self.CLINIC_CATEGORIES
            if self.is_clinic and not clinic_category:
                raise ValidationError({"category": _("A clinic needs a medical category.")})
            if not self.is_clinic and clinic_category:
                raise ValidationError({"category": _("Only clinics take a medical category.")})

    def public_archive(self, day=None):
        """What the public may see of this merchant on ``day``, newest first (four queries)."""
        day = day or dates.today()
        return PublicArchive(
            merchant=self,
            day=day,
            licences=list(self.licences.public(day).order_by("-issued_on", "number")),
            inspections=list(self.inspections.public(day).order_by("-inspected_on", "-id")),
            penalties=list(self.penalties.public(day).order_by("-decided_on", "decision_number")),
            list_entries=list(self.list_entries.public(day).order_by("-listed_on", "-id")),
        )


class CreditRecordQuerySet(ArchiveQuerySet):
    def current(self):
        return self.filter(withdrawn_on__isnull=True)

    def public(self, day=None):
        return self.current()


class CreditRecord(AuditedModel):
    """A licence, inspection, penalty or list entry: withdrawn, never deleted."""

    class WithdrawalKind(models.TextChoices):
        REPAIR = "repair", _("credit repair")
        OBJECTION = "objection", _("objection upheld")
        ERROR = "error", _("entered in error")

    merchant = models.ForeignKey(Merchant, verbose_name=_("merchant"), on_delete=models.PROTECT)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_kind = models.CharField(
        _("kind of withdrawal"), max_length=10, choices=WithdrawalKind.choices, blank=True
    )
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)

    objects = CreditRecordQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_withdrawn(self):
        return self.withdrawn_on is not None

    def affected_merchant_ids(self):
        return (self.merchant_id,)

    def former_public_codes(self, before):
        """A record moved to another merchant: the page of the one it left must go too."""
        former = (before or {}).get("merchant_id")
        if former is None or former == self.merchant_id:
            return []
        return list(Merchant.objects.filter(pk=former).values_list("code", flat=True))

    @classmethod
    def merchant_pages(cls, pks):
        return set(cls.objects.filter(pk__in=pks).values_list("merchant_id", flat=True)), set()

    def withdrawal_problem(self, kind, day):
        """Why this record cannot be withdrawn this way on ``day``, or None."""
        if self.is_withdrawn:
            return _("Already withdrawn on %(date)s.") % {"date": self.withdrawn_on}
        return None

    def withdraw(self, kind, reason, day=None):
        """Hide the record from the public, keeping it in the archive with why and when."""
        day = day or dates.today()
        if not (reason or "").strip():
            raise ValidationError(_("Give the reason for the withdrawal."))
        with transaction.atomic():
            # Lock the row so two staff cannot withdraw the same record at once.
            current = type(self).objects.select_for_update().get(pk=self.pk)
            self.withdrawn_on = current.withdrawn_on
            problem = self.withdrawal_problem(kind, day)
            if problem:
                raise ValidationError(problem)
            self.withdrawn_on = day
            self.withdrawal_kind = kind
            self.withdrawal_reason = reason.strip()
            self.save(audit_action=AuditEntry.Action.WITHDRAW, audit_reason=self.withdrawal_reason)


class LicenceQuerySet(CreditRecordQuerySet):
    def standing(self):
        """Leave out licences renewed since: a later licence of the same kind is on record.

        The latest licence of each kind stands for it; an expired food licence
        followed by its renewal is history, not a reason to stop trading.
        ``Licence.standing`` is the same rule in Python.
        """
        outer = models.OuterRef
        later = (
            Licence.objects.current()
            .filter(merchant=outer("merchant"), kind=outer("kind"))
            .filter(
                Q(issued_on__gt=outer("issued_on"))
                | Q(issued_on=outer("issued_on"), pk__gt=outer("pk"))
            )
        )
        return self.exclude(Exists(later))

    def with_status(self, day=None):
        """Annotate ``public_status`` so lists can be filtered and counted in SQL."""
        day = day or dates.today()
        soon = day + datetime.timedelta(days=settings.CREDIT_LICENCE_EXPIRING_DAYS)
        return self.annotate(
            public_status=Case(
                When(state=Licence.State.REVOKED, then=Value(Licence.Status.REVOKED)),
                When(state=Licence.State.SUSPENDED, then=Value(Licence.Status.SUSPENDED)),
                When(expires_on__lt=day, then=Value(Licence.Status.EXPIRED)),
                When(expires_on__lte=soon, then=Value(Licence.Status.EXPIRING)),
                default=Value(Licence.Status.VALID),
                output_field=models.CharField(),
            )
        )


class Licence(CreditRecord):
    """A licence (行政许可) to trade or practise."""

    class Kind(models.TextChoices):
        BUSINESS = "business", _("business licence")
        FOOD_BUSINESS = "food_business", _("food business licence")
        MEDICAL_PRACTICE = "medical_practice", _("medical institution practising licence")
        DRUG_RETAIL = "drug_retail", _("drug retail licence")
        OTHER = "other", _("other licence")

    class State(models.TextChoices):
        ACTIVE = "active", _("in force")
        SUSPENDED = "suspended", _("suspended")
        REVOKED = "revoked", pgettext_lazy("licence", "revoked")

    class Status(models.TextChoices):
        VALID = "valid", _("valid")
        EXPIRING = "expiring", _("expiring soon")
        EXPIRED = "expired", _("expired")
        SUSPENDED = "suspended", _("suspended")
        REVOKED = "revoked", pgettext_lazy("licence", "revoked")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("licence number"), max_length=80, unique=True)
    issuer = models.CharField(_("issued by"), max_length=120)
    issued_on = models.DateField(_("issued on"), db_index=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.ACTIVE)

    objects = LicenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("licence")
        verbose_name_plural = _("licences")
        ordering = ["-issued_on"]
        default_related_name = "licences"

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    def clean(self):
        if self.expires_on and self.issued_on and self.expires_on < self.issued_on:
            raise ValidationError({"expires_on": _("A licence cannot expire before it is issued.")})

    @staticmethod
    def standing(licences):
        """Of one merchant's licences, the latest of each kind (``LicenceQuerySet.standing``)."""
        latest = {}
        for licence in licences:
            held = latest.get(licence.kind)
            if held is None or (licence.issued_on, licence.pk or 0) > (
                held.issued_on,
                held.pk or 0,
            ):
                latest[licence.kind] = licence
        return [licence for licence in licences if latest.get(licence.kind) is licence]

    def status_on(self, day=None):
        """Valid, expiring, expired, suspended or revoked on ``day``.

        The expiry date itself is the last valid day.
        """
        day = day or dates.today()
        if self.state == self.State.REVOKED:
            return self.Status.REVOKED
        if self.state == self.State.SUSPENDED:
            return self.Status.SUSPENDED
        if self.expires_on is None:
            return self.Status.VALID
        if self.expires_on < day:
            return self.Status.EXPIRED
        if (self.expires_on - day).days <= settings.CREDIT_LICENCE_EXPIRING_DAYS:
            return self.Status.EXPIRING
        return self.Status.VALID

    @property
    def status(self):
        return self.status_on()

    #: Worst first, as a visitor should learn of them (the order ``PublicArchive`` uses).
    STATUS_ORDER = ("revoked", "suspended", "expired", "expiring", "valid")

    @classmethod
    def status_rank(cls):
        """SQL rank of the annotated ``public_status``: 0 for the worst."""
        return Case(
            *(
                When(public_status=status, then=Value(rank))
                for rank, status in enumerate(cls.STATUS_ORDER)
            ),
            output_field=models.IntegerField(),
        )

    @property
    def is_in_force(self):
        """Neither suspended nor revoked: only then does its expiry date mean anything."""
        return self.state == self.State.ACTIVE


class Inspection(CreditRecord):
    """A supervisory inspection (监督检查) and its result."""

    class Kind(models.TextChoices):
        ROUTINE = "routine", _("routine")
        RANDOM = "random", _("random spot check")
        COMPLAINT = "complaint", _("after a complaint")
        FOLLOW_UP = "follow_up", _("follow-up")

    class Result(models.TextChoices):
        PASS = "pass", _("passed")
        RECTIFY = "rectify", _("rectification required")
        FAIL = "fail", _("failed")

    inspected_on = models.DateField(_("inspected on"), db_index=True)
    authority = models.CharField(_("authority"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices)
    findings = models.TextField(_("findings"), blank=True)
    summary_en = models.TextField(
        _("English summary"),
        blank=True,
        help_text=_("Shown first on the English page; the Chinese original is kept beside it."),
    )

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-inspected_on"]
        default_related_name = "inspections"
        constraints = [
            models.UniqueConstraint(
                fields=["merchant", "inspected_on", "authority", "kind"],
                name="inspection_natural_key",
            )
        ]

    def __str__(self):
        return f"{self.inspected_on} {self.authority} {self.get_result_display()}"

    def days_ago(self, day=None):
        return ((day or dates.today()) - self.inspected_on).days


class PenaltyQuerySet(CreditRecordQuerySet):
    def not_warning_only(self):
        return self.exclude(penalty_types=[Penalty.Type.WARNING])

    def in_publicity(self, day=None):
        """Penalties whose publicity window is still open on ``day``."""
        day = day or dates.today()
        window = Q()
        for severity, months in settings.CREDIT_PENALTY_PUBLICITY_MONTHS.items():
            cutoff = dates.latest_start_ended_by(day, months)
            window |= Q(severity=severity, decided_on__gt=cutoff, decided_on__lte=day)
        return self.filter(window)

    def public(self, day=None):
        return self.current().not_warning_only().in_publicity(day)

    def repairable(self, day=None):
        """Public penalties whose minimum period has passed: credit repair may withdraw them."""
        day = day or dates.today()
        period_over = Q()
        for severity, months in settings.CREDIT_PENALTY_REPAIR_AFTER_MONTHS.items():
            period_over |= Q(
                severity=severity, decided_on__lte=dates.latest_start_ended_by(day, months)
            )
        return self.public(day).filter(period_over)


class Penalty(CreditRecord):
    """An administrative penalty (行政处罚) and its public display window."""

    class Type(models.TextChoices):
        WARNING = "warning", _("warning")
        FINE = "fine", _("fine")
        CONFISCATION = "confiscation", _("confiscation")
        SUSPENSION = "suspension", _("suspension of business")
        REVOCATION = "revocation", _("revocation of licence")

    #: The audit trail shows a stored list of penalty types in words (a model may
    #: map a field to a dict of labels or to a function of the stored value).
    audit_value_labels = {"penalty_types": dict(Type.choices)}

    class Severity(models.TextChoices):
        GENERAL = "general", _("general")
        SERIOUS = "serious", _("serious")

    decision_number = models.CharField(_("decision number"), max_length=100, unique=True)
    decided_on = models.DateField(_("decided on"), db_index=True)
    authority = models.CharField(_("authority"), max_length=120)
    violation = models.TextField(_("violation"))
    basis = models.TextField(_("legal basis"), blank=True)
    penalty_types = models.JSONField(_("penalty types"), default=list)
    outcome = models.TextField(_("penalty imposed"), blank=True)
    fine_amount = models.DecimalField(
        _("fine (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.GENERAL
    )
    summary_en = models.TextField(
        _("English summary"),
        blank=True,
        help_text=_("Shown first on the English page; the Chinese original is kept beside it."),
    )

    objects = PenaltyQuerySet.as_manager()

    class Meta:
        verbose_name = _("penalty")
        verbose_name_plural = _("penalties")
        ordering = ["-decided_on"]
        default_related_name = "penalties"

    def __str__(self):
        return self.decision_number

    @classmethod
    def distinct_types(cls, values):
        """``values`` without repeats, in the order of ``Type`` (unknown ones last, as given).

        "warning, warning" is a warning alone, which must not be published, so
        every path stores types this way and the public filter can compare lists.
        """
        values = list(dict.fromkeys(values or []))
        known = [value for value in cls.Type.values if value in values]
        return known + [value for value in values if value not in cls.Type.values]

    def save(self, *args, **kwargs):
        self.penalty_types = self.distinct_types(self.penalty_types)
        super().save(*args, **kwargs)

    def clean(self):
        self.penalty_types = self.distinct_types(self.penalty_types)
        unknown = [value for value in self.penalty_types if value not in self.Type.values]
        if not self.penalty_types:
            raise ValidationError({"penalty_types": _("Choose at least one penalty type.")})
        if unknown:
            raise ValidationError({"penalty_types": _("Unknown penalty type.")})
        if self.Type.FINE in self.penalty_types and not self.fine_amount:
            raise ValidationError({"fine_amount": _("A fine needs its amount.")})

    @property
    def measures(self):
        """The penalty types other than the fine, which the page shows with its amount."""
        if self.fine_amount:
            return [value for value in self.penalty_types if value != self.Type.FINE]
        return list(self.penalty_types)

    def get_penalty_types_display(self):
        labels = dict(self.Type.choices)
        return "、".join(str(labels.get(value, value)) for value in self.penalty_types)

    @property
    def is_warning_only(self):
        return self.distinct_types(self.penalty_types) == [self.Type.WARNING]

    @property
    def publicity_ends_on(self):
        """The first day the penalty is no longer shown."""
        months = settings.CREDIT_PENALTY_PUBLICITY_MONTHS[self.severity]
        return dates.add_months(self.decided_on, months)

    @property
    def shown_until(self):
        """The last day the penalty is public."""
        return self.publicity_ends_on - datetime.timedelta(days=1)

    @property
    def repairable_from(self):
        """The first day credit repair may withdraw it from public display."""
        months = settings.CREDIT_PENALTY_REPAIR_AFTER_MONTHS[self.severity]
        return dates.add_months(self.decided_on, months)

    def hidden_reason(self, day=None):
        """Why the public cannot see this penalty on ``day``, or None when it is shown."""
        day = day or dates.today()
        if self.is_withdrawn:
            return _("Withdrawn on %(date)s (%(kind)s): %(reason)s") % {
                "date": self.withdrawn_on,
                "kind": self.get_withdrawal_kind_display(),
                "reason": self.withdrawal_reason,
            }
        if self.is_warning_only:
            return _("A warning alone is not published.")
        if day < self.decided_on:
            return _("Not yet in force.")
        if day >= self.publicity_ends_on:
            return _("Publicity period ended on %(date)s.") % {"date": self.publicity_ends_on}
        return None

    def is_public_on(self, day=None):
        return self.hidden_reason(day) is None

    def withdrawal_problem(self, kind, day):
        problem = super().withdrawal_problem(kind, day)
        if problem is None and kind == self.WithdrawalKind.REPAIR and day < self.repairable_from:
            return _("Credit repair is possible from %(date)s for a %(severity)s penalty.") % {
                "date": self.repairable_from,
                "severity": self.get_severity_display(),
            }
        return problem


class ListEntryQuerySet(CreditRecordQuerySet):
    def public(self, day=None):
        day = day or dates.today()
        return (
            self.current()
            .filter(listed_on__lte=day)
            .filter(Q(until__isnull=True) | Q(until__gte=day))
        )


class ListEntry(CreditRecord):
    """An entry on a red (守信) or black (失信) list, from a date until a date."""

    class List(models.TextChoices):
        A_TAXPAYER = "a_taxpayer", _("A-level taxpayer")
        MODEL_MEMBER = "model_member", _("association model member")
        SERIOUS_DISHONESTY = "serious_dishonesty", _("serious dishonesty")
        ABNORMAL_OPERATION = "abnormal_operation", _("abnormal operation")
        EXPOSURE_BOARD = "exposure_board", _("public warning list")

    RED_LISTS = frozenset({List.A_TAXPAYER, List.MODEL_MEMBER})
    BLACK_LISTS = frozenset(set(List.values) - RED_LISTS)

    list_name = models.CharField(_("list"), max_length=20, choices=List.choices)
    reason = models.TextField(_("reason"))
    authority = models.CharField(_("listed by"), max_length=120, blank=True)
    listed_on = models.DateField(_("from"), db_index=True)
    until = models.DateField(_("until"), null=True, blank=True)
    summary_en = models.TextField(
        _("English summary"),
        blank=True,
        help_text=_("Shown first on the English page; the Chinese original is kept beside it."),
    )

    objects = ListEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("list entry")
        verbose_name_plural = _("red and black list entries")
        ordering = ["-listed_on"]
        default_related_name = "list_entries"
        constraints = [
            models.UniqueConstraint(
                fields=["merchant", "list_name", "listed_on"], name="list_entry_natural_key"
            )
        ]

    def __str__(self):
        return f"{self.get_list_name_display()} {self.listed_on}"

    def clean(self):
        if self.until and self.listed_on and self.until < self.listed_on:
            raise ValidationError({"until": _("The end date is before the start date.")})

    @property
    def colour(self):
        """``red`` for a list of honour, ``black`` for a list of dishonesty."""
        return "red" if self.list_name in self.RED_LISTS else "black"


class GlossaryTermQuerySet(NoDeleteQuerySet):
    def as_glossary(self):
        """Every term in one query, as a ``Glossary`` to look values up in."""
        return glossary.Glossary(self.values_list("vocabulary", "source", "english"))

    def seed(self, terms=glossary.SEED_TERMS):
        """Add the terms that are missing; a term staff have edited is left as it is."""
        known = set(self.values_list("vocabulary", "source"))
        added = [
            self.model(vocabulary=vocabulary, source=source, english=english)
            for vocabulary, source, english in terms
            if (vocabulary, source) not in known
        ]
        for term in added:
            term.save()
        return len(added)


class GlossaryTerm(AuditedModel):
    """The English for a value the archive stores: an authority's name, a specialty, a kind.

    Archive values are Chinese as the authorities publish them, or the code of a
    controlled vocabulary; staff keep their English here so an English page says
    "Yuexiu District Health Bureau" and "random spot check", not the Chinese or
    the jargon. A value without a term is shown in Chinese, marked as original.
    """

    class Vocabulary(models.TextChoices):
        AUTHORITY = "authority", _("authority")
        SPECIALTY = "specialty", _("clinic specialty")
        LICENCE_KIND = "licence_kind", _("licence kind")
        INSPECTION_KIND = "inspection_kind", _("inspection kind")
        INSPECTION_RESULT = "inspection_result", _("inspection result")
        PENALTY_TYPE = "penalty_type", _("penalty type")
        LIST_NAME = "list_name", _("list")

    #: Vocabularies whose archive value is a code with built-in wording.
    CODED = {
        Vocabulary.LICENCE_KIND: Licence.Kind,
        Vocabulary.INSPECTION_KIND: Inspection.Kind,
        Vocabulary.INSPECTION_RESULT: Inspection.Result,
        Vocabulary.PENALTY_TYPE: Penalty.Type,
        Vocabulary.LIST_NAME: ListEntry.List,
    }

    vocabulary = models.CharField(_("vocabulary"), max_length=20, choices=Vocabulary.choices)
    source = models.CharField(
        _("archive value"),
        max_length=200,
        help_text=_(
            "Exactly as the archive stores it: the Chinese name for authorities and "
            "specialties, the code (such as random) for kinds, results and lists."
        ),
    )
    english = models.CharField(_("English"), max_length=200)
    note = models.CharField(_("note for staff"), max_length=200, blank=True)

    objects = GlossaryTermQuerySet.as_manager()

    class Meta:
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary")
        ordering = ["vocabulary", "source"]
        constraints = [
            models.UniqueConstraint(fields=["vocabulary", "source"], name="glossary_term_key")
        ]

    def __str__(self):
        return f"{self.source} → {self.english}"

    def built_in_wording(self):
        """What the site says for a coded value when the glossary is silent (in Chinese too)."""
        choices = self.CODED.get(self.vocabulary)
        if choices is None or self.source not in choices.values:
            return ""
        return choices(self.source).label

    def clean(self):
        self.source = (self.source or "").strip()
        self.english = (self.english or "").strip()
        choices = self.CODED.get(self.vocabulary)
        if choices is not None and self.source not in choices.values:
            raise ValidationError(
                {
                    "source": _("Use one of the codes of this vocabulary: %(codes)s.")
                    % {"codes": ", ".join(choices.values)}
                }
            )

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        glossary.forget()


# The merchant's side: accounts, objections, repair applications (own modules, registered here).
from .accounts import Invitation, MerchantAccount  # noqa: E402, F401
from .notices import ExpiryNotice  # noqa: E402, F401
from .objections import Attachment, Objection, RepairApplication  # noqa: E402, F401
