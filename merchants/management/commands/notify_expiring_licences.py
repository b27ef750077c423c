"""Mail merchants whose licences show as expiring, once per expiry date (run it daily)."""

from merchants.management.language import Command as LocalisedCommand
from merchants.models import ExpiryNotice
from merchants.tasks import mail_expiring_licence


class Command(LocalisedCommand):
    help = (
        "Queue one e-mail per licence that expires within CREDIT_LICENCE_EXPIRING_DAYS days "
        "(the window in which the public page shows it as expiring) and has not been notified "
        "for that expiry date, to every portal account of its merchant, in the account's "
        "language. Each notice is sent once: run it daily; a day missed is caught up by the "
        "next run, and a second run on the same day sends nothing."
    )

    def handle(self, *args, **options):
        claimed = ExpiryNotice.objects.claim_due(send=mail_expiring_licence.enqueue)
        self.stdout.write(f"{len(claimed)} expiring licence(s) notified.")
