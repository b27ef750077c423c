"""Erase visitor hashes older than REVIEW_HASH_RETENTION_DAYS, and the salts they were made with.

Run daily (cron or a scheduler). Reviews and reports themselves are kept; only
the keyed hashes of addresses and devices are blanked. A month's salt is
deleted once every day of that month is past the retention period, after
which nobody can link the hashes of that month to a device or address again.
Safe to run repeatedly and concurrently: each step is one conditional UPDATE
or DELETE.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from merchants.management.language import Command as LocalisedCommand
from ratings.models import Review, ReviewReport, ReviewSalt, period_of


class Command(LocalisedCommand):
    help = "Blank review and report hashes past the retention period and delete their salts."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be purged; change nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        cutoff = now - datetime.timedelta(days=settings.REVIEW_HASH_RETENTION_DAYS)
        # A salt may go when its whole month lies before the cutoff.
        salts = ReviewSalt.objects.filter(period__lt=period_of(cutoff))
        hashed = Q(hash_period__isnull=False) & Q(created_at__lt=cutoff)
        reviews = Review.objects.filter(hashed)
        reports = ReviewReport.objects.filter(hashed)
        blank = {"ip_hash": "", "device_hash": "", "hash_period": None}
        if dry_run:
            counts = (reviews.count(), reports.count(), salts.count())
        else:
            with transaction.atomic():
                counts = (reviews.update(**blank), reports.update(**blank), salts.delete()[0])
        if dry_run:
            message = _(
                "Would purge hashes of %(reviews)d reviews and %(reports)d reports, "
                "and %(salts)d monthly salts, from before %(cutoff)s."
            )
        else:
            message = _(
                "Purged hashes of %(reviews)d reviews and %(reports)d reports, "
                "and %(salts)d monthly salts, from before %(cutoff)s."
            )
        self.stdout.write(
            message
            % {
                "reviews": counts[0],
                "reports": counts[1],
                "salts": counts[2],
                "cutoff": timezone.localdate(cutoff),
            }
        )
