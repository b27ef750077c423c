"""Which notices merchants have been sent, so that each is sent once.

A licence's expiry notice is due from the day the public page starts showing it
as expiring (``CREDIT_LICENCE_EXPIRING_DAYS`` before the expiry date) until it
expires. ``ExpiryNotice.objects.claim_due`` finds every licence in that window
without a notice for its current expiry date and records one for each, a row at
a time under a unique constraint, so a daily run, two runs on one day, two runs
at once, or the first run after days of outage send each notice exactly once.
A renewed licence (a new expiry date) is due a notice again.

This is a log of mail, not a credit record: it is not audited.
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

from . import dates


class ExpiryNoticeQuerySet(models.QuerySet):
    def due(self, day=None):
        """Licences in force, expiring within the notice window, not yet notified for that date,
        of merchants with a portal account."""
        from .models import Licence

        day = day or dates.today()
        last = day + datetime.timedelta(days=settings.CREDIT_LICENCE_EXPIRING_DAYS)
        notified = self.filter(
            licence=models.OuterRef("pk"), expires_on=models.OuterRef("expires_on")
        )
        return (
            Licence.objects.current()
            .standing()  # a licence renewed since is history: no notice for it
            .filter(
                state=Licence.State.ACTIVE,
                expires_on__gte=day,
                expires_on__lte=last,
                merchant__accounts__isnull=False,
            )
            .exclude(models.Exists(notified))
            .distinct()
            .order_by("expires_on", "pk")
        )

    def claim_due(self, send, day=None):
        """Record a notice for every due licence and ``send(licence id)`` in the same
        transaction, so a notice is recorded exactly when its mail is queued (the task
        queue is in the database); the ids of those this caller claimed."""
        claimed = []
        for pk, expires_on in self.due(day).values_list("pk", "expires_on"):
            try:
                with transaction.atomic():
                    self.create(licence_id=pk, expires_on=expires_on)
                    send(pk)
            except IntegrityError:
                continue  # another run claimed it a moment ago
            claimed.append(pk)
        return claimed


class ExpiryNotice(models.Model):
    """A licence's expiry was notified to its merchant (queued as mail) once."""

    licence = models.ForeignKey(
        "merchants.Licence",
        verbose_name=_("licence"),
        on_delete=models.PROTECT,
        related_name="expiry_notices",
    )
    expires_on = models.DateField(_("expiry date notified"))
    queued_at = models.DateTimeField(_("queued at"), auto_now_add=True)

    objects = ExpiryNoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("licence expiry notice")
        verbose_name_plural = _("licence expiry notices")
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["licence", "expires_on"], name="one_expiry_notice_per_date"
            )
        ]

    def __str__(self):
        return f"{self.licence_id} {self.expires_on}"
