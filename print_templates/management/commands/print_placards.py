"""Issue and print a batch of placards to a PDF file.

python manage.py print_placards --precinct yide-road --template label-sheet --out labels.pdf
python manage.py print_placards --merchant 92440104… --template window-sticker --out one.pdf
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from merchants.audit import acting_as
from merchants.models import Merchant, Precinct
from print_templates import layouts, tasks
from print_templates.models import PrintJob


class Command(BaseCommand):
    help = "Issue placards for a precinct or some merchants and write them to one PDF."

    def add_arguments(self, parser):
        parser.add_argument("--template", required=True, choices=list(layouts.registry()))
        parser.add_argument("--precinct", help="slug; markets nested in it are included")
        parser.add_argument(
            "--merchant", action="append", default=[], metavar="CODE", help="repeat for several"
        )
        parser.add_argument("--out", required=True, type=Path, help="the PDF file to write")

    def handle(self, *args, **options):
        layout = layouts.get(options["template"])
        if layout.issued_by_caller:
            raise CommandError(str(layout.refusal))
        job = PrintJob(template=layout.name)
        if bool(options["precinct"]) == bool(options["merchant"]):
            raise CommandError("Give either --precinct or --merchant.")
        if options["precinct"]:
            job.precinct = Precinct.objects.filter(slug=options["precinct"]).first()
            if job.precinct is None:
                raise CommandError(f"No precinct has the slug {options['precinct']!r}.")
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
                raise CommandError(f"No merchant has the code {', '.join(missing)}.")
        try:
            job.data = layout.clean_data({})
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        total = job.merchants().count()
        if total == 0:
            raise CommandError("No merchants to print.")

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
        pages = -(-total // layout.per_page)
        self.stdout.write(f"Printed {total} placards on {pages} pages to {options['out']}.")
