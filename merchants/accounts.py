"""Merchant accounts for the portal, and the single-use invitations that create them.

An account is an ordinary Django user tied to one or more merchants (a chain
owner may hold several). Staff invite a business by its credit code; the link
carries a random token of which only a hash is stored, works once and expires
after ``PORTAL_INVITATION_DAYS``.
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


class MerchantAccount(models.Model):
    """What a portal user may see: their own businesses only; and the language they read mail in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="merchant_account",
    )
    merchants = models.ManyToManyField(
        "merchants.Merchant", verbose_name=_("businesses"), related_name="accounts"
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("merchant account")
        verbose_name_plural = _("merchant accounts")
        default_permissions = ("view",)

    def __str__(self):
        return self.user.get_username()

    @property
    def email(self):
        return self.user.email


class InvitationQuerySet(models.QuerySet):
    def issue(self, merchant, email="", language=None, user=None):
        """A new invitation and its token; the token is shown once and never stored."""
        token = secrets.token_urlsafe(32)
        invitation = self.create(
            merchant=merchant,
            email=email,
            language=language or settings.LANGUAGE_CODE,
            token_hash=_hash(token),
            created_by=user,
            expires_at=timezone.now() + datetime.timedelta(days=settings.PORTAL_INVITATION_DAYS),
        )
        return invitation, token

    def by_token(self, token):
        """The invitation a link's token belongs to, or None."""
        return self.select_related("merchant").filter(token_hash=_hash(token or "")).first()


class Invitation(models.Model):
    """A single-use link that gives one account access to one merchant."""

    merchant = models.ForeignKey(
        "merchants.Merchant",
        verbose_name=_("merchant"),
        on_delete=models.PROTECT,
        related_name="invitations",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("portal invitation")
        verbose_name_plural = _("portal invitations")
        ordering = ["-created_at"]
        default_permissions = ("view", "add")

    def __str__(self):
        return f"{self.merchant.name_zh} {self.created_at:%Y-%m-%d}"

    def problem(self, now=None):
        """Why this link can no longer be used, or None."""
        if self.accepted_at:
            return _("This invitation has already been used. Sign in instead.")
        if (now or timezone.now()) >= self.expires_at:
            return _("This invitation has expired. Ask the credit office for a new one.")
        return None

    def accept(self, user):
        """Give ``user`` access to the merchant; the link works only once, even when raced."""
        with transaction.atomic():
            locked = Invitation.objects.select_for_update().get(pk=self.pk)
            problem = locked.problem()
            if problem:
                raise ValidationError(problem)
            account, _created = MerchantAccount.objects.get_or_create(
                user=user, defaults={"language": self.language}
            )
            account.merchants.add(self.merchant_id)
            self.accepted_at, self.accepted_by = timezone.now(), user
            self.save(update_fields=["accepted_at", "accepted_by"])
        return account
