"""Who may work on star ratings: association staff for their members, regulators for all.

A user's role is a ``RatingRole`` row. Association staff see and score only
the members of their association, and only while the round is open;
district regulators see everything and run, publish and revise rounds;
superusers count as regulators. Everybody else is refused, including staff
with archive rights.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from merchants.audit import AuditedModel
from merchants.models import Association


class RatingRole(AuditedModel):
    """One user's part in the star rating; granting and changing it is audited."""

    class Kind(models.TextChoices):
        ASSOCIATION_STAFF = "association_staff", _("association staff")
        REGULATOR = "regulator", _("district regulator")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="rating_role",
    )
    kind = models.CharField(_("role"), max_length=20, choices=Kind.choices)
    association = models.ForeignKey(
        Association,
        verbose_name=_("trade association"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rating_staff",
    )

    class Meta:
        verbose_name = _("rating role")
        verbose_name_plural = _("rating roles")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="regulator", association__isnull=True)
                | models.Q(kind="association_staff", association__isnull=False),
                name="rating_role_association",
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.get_kind_display()}"

    def clean(self):
        if self.kind == self.Kind.ASSOCIATION_STAFF and not self.association_id:
            raise ValidationError({"association": _("Association staff need their association.")})
        if self.kind == self.Kind.REGULATOR and self.association_id:
            raise ValidationError({"association": _("A regulator belongs to no association.")})


@dataclass(frozen=True)
class RatingAccess:
    """What one signed-in user may see and do in the star rating."""

    user: object
    is_regulator: bool
    association: object = None

    @classmethod
    def of(cls, user):
        """The user's access, or None for everyone who may not work on ratings."""
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        if user.is_superuser:
            return cls(user=user, is_regulator=True)
        role = RatingRole.objects.select_related("association").filter(user=user).first()
        if role is None:
            return None
        if role.kind == RatingRole.Kind.REGULATOR:
            return cls(user=user, is_regulator=True)
        return cls(user=user, is_regulator=False, association=role.association)

    def members(self, merchants):
        """Of ``merchants``, those this user may see and score."""
        if self.is_regulator:
            return merchants
        return merchants.filter(association=self.association)

    def may_see_scheme(self, scheme):
        return self.is_regulator or scheme.association_id == getattr(self.association, "pk", None)

    def may_score(self, scheme, merchant):
        if not self.may_see_scheme(scheme):
            return False
        return self.is_regulator or merchant.association_id == self.association.pk

    @property
    def may_run_rounds(self):
        return self.is_regulator
