"""``manage.py print_plaques SCHEME --out DIR``: the round's "print plaques" action.

Plaques are issued when a round is published; this prints fresh ones from the
published round (for members who lost theirs, or all of them), one PDF per
precinct. Members without a published 4- or 5-star result are refused.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from merchants.audit import acting_as
from merchants.models import Merchant
from print_templates import tasks
from ratings import plaques
from ratings.models import Scheme


class Command(BaseCommand):
    help = "Print star plaques again from a scheme's published round, one PDF per precinct."

    def add_arguments(self, parser):
        parser.add_argument("scheme", help="The scheme's slug.")
        parser.add_argument("--out", required=True, type=Path, help="folder for the PDF files")
        parser.add_argument(
            "--merchant", action="append", default=[], metavar="CODE", help="repeat for several"
        )

    def handle(self, *args, scheme, out, merchant, **options):
        found = Scheme.objects.filter(slug=scheme).first()
        if found is None:
            raise CommandError(_("There is no scheme “%(slug)s”.") % {"slug": scheme})
        round_ = found.rounds.published().first()
        if round_ is None:
            raise CommandError(_("%(scheme)s has no published round.") % {"scheme": found})
        merchant_ids = None
        if merchant:
            lookups = [Merchant.objects.lookup(given) for given in merchant]
            problems = [f"{item.given}: {item.problem}" for item in lookups if item.problem]
            if problems:
                raise CommandError("; ".join(problems))
            codes = [item.code for item in lookups]
            merchant_ids = list(
                Merchant.objects.filter(code__in=codes).values_list("pk", flat=True)
            )
            if len(merchant_ids) != len(set(codes)):
                raise CommandError(_("Some of these codes belong to no merchant."))
        out.mkdir(parents=True, exist_ok=True)
        try:
            with acting_as(None, "command"), transaction.atomic():
                jobs = plaques.reprint(round_, merchant_ids, enqueue=False)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        for job in jobs:
            job.claim()
            path = out / f"plaques-{round_.scheme.slug}-{job.pk}.pdf"
            path.write_bytes(tasks.run(job))
            job.finish()
            self.stdout.write(
                _("Printed %(count)d plaques to %(path)s.") % {"count": job.total, "path": path}
            )
