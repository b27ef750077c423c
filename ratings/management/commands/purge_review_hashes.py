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
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ratings.models import Review, ReviewReport, ReviewSalt, period_of


class Command(BaseCommand):
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
        verb = "Would purge" if dry_run else "Purged"
        self.stdout.write(
            f"{verb} hashes of {counts[0]} reviews and {counts[1]} reports, "
            f"and {counts[2]} monthly salts, from before {timezone.localdate(cutoff)}."
        )
