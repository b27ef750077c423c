"""Issue and print a batch of placards to a PDF file.

python manage.py print_placards --precinct yide-road --template label-sheet --out labels.pdf
python manage.py print_placards --merchant 92440104… --template window-sticker --out one.pdf
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from tqdm import tqdm

from merchants.audit import acting_as
from merchants.management.language import Command as LocalisedCommand
from merchants.models import Merchant, Precinct
from print_templates import layouts, tasks
from print_templates.models import PrintJob


class Command(LocalisedCommand):
    help = "Issue placards for a precinct or some merchants and write them to one PDF."

    def add_arguments(self, parser):
        parser.add_argument("--template", required=True, choices=list(layouts.registry()))
        parser.add_argument("--precinct", help="slug; markets nested in it are included")
        parser.add_argument(
            "--merchant", action="append", default=[], metavar="CODE", help="repeat for several"
        )
        parser.add_argument("--out", required=True, type=Path, help="the PDF file to write")
        parser.add_argument(
            "--reprint",
            action="store_true",
            help="print the current placards again with the same serials; supersede nothing",
        )

    def handle(self, *args, **options):
        layout = layouts.get(options["template"])
        if layout.issued_by_caller:
            raise CommandError(str(layout.refusal))
        job = PrintJob(template=layout.name, reprint=options["reprint"])
        if bool(options["precinct"]) == bool(options["merchant"]):
            raise CommandError(_("Give either --precinct or --merchant."))
        if options["precinct"]:
            job.precinct = Precinct.objects.filter(slug=options["precinct"]).first()
            if job.precinct is None:
                raise CommandError(
                    _("No precinct has the slug “%(slug)s”.") % {"slug": options["precinct"]}
                )
        else:
            lookups = [Merchant.objects.lookup(given) for given in options["merchant"]]
            malformed = [f"{item.given}: {item.problem}" for item in lookups if item.problem]
            if malformed:
                raise CommandError("; ".join(malformed))
            job.merchant_codes = [lookup.code for lookup in lookups]
            found = set(
                Merchant.objects.filter(code__in=job.merchant_codes).values_list("code", flat=True)
            )
            missing = sorted(set(job.merchant_codes) - found)
            if missing:
                raise CommandError(
                    _("No merchant has the code %(codes)s.") % {"codes": ", ".join(missing)}
                )
        try:
            job.data = layout.clean_data({})
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        total = job.merchants().count()
        if total == 0:
            raise CommandError(_("No merchants to print."))

        with acting_as(None, "command"):
            job.save()
            job.claim()
            self.stderr.ending = ""  # tqdm redraws its line with \r
            bar = tqdm(
                total=total, unit="placard", file=self.stderr, disable=not options["verbosity"]
            )
            with bar:
                content = tasks.run(job, progress=lambda done: bar.update(done - bar.n))
            options["out"].write_bytes(content)
            job.finish()
        pages = layout.sheets_for(total)
        self.stdout.write(
            ngettext(
                "Printed %(total)d placard on %(pages)d page to %(out)s.",
                "Printed %(total)d placards on %(pages)d pages to %(out)s.",
                total,
            )
            % {"total": total, "pages": pages, "out": options["out"]}
        )
