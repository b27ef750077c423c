"""Mail merchants whose licences start to show as expiring today (run it daily)."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand

from merchants import dates
from merchants.models import Licence
from merchants.tasks import mail_expiring_licence


class Command(BaseCommand):
    help = (
        "Queue one e-mail per licence whose expiry is CREDIT_LICENCE_EXPIRING_DAYS days from "
        "today (the day the public page starts showing it as expiring), to every portal "
        "account of its merchant, in the account's language. Run once a day; a day missed "
        "is not caught up."
    )

    def handle(self, *args, **options):
        day = dates.today() + datetime.timedelta(days=settings.CREDIT_LICENCE_EXPIRING_DAYS)
        licences = (
            Licence.objects.current()
            .filter(expires_on=day, state=Licence.State.ACTIVE, merchant__accounts__isnull=False)
            .distinct()
        )
        count = 0
        for pk in licences.values_list("pk", flat=True):
            mail_expiring_licence.enqueue(pk)
            count += 1
        self.stdout.write(f"{count} expiring licence(s) notified.")
