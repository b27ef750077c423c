"""``manage.py import_credit KIND FILE``: load a CSV or XLSX export into the archive.

The command lives in cms, above both apps whose kinds it offers: the archive's
six (``merchants.imports``) and the indicator scores of the star rating
(``ratings.score_import``), so neither app imports the other upwards.
"""

import functools
import sys

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from tqdm import tqdm

from merchants.imports import KINDS as ARCHIVE_KINDS
from merchants.imports import ImportStopped, import_file
from merchants.management.language import Command as LocalisedCommand
from ratings.score_import import ScoreKind

KINDS = {**ARCHIVE_KINDS, ScoreKind.name: ScoreKind}


class Command(LocalisedCommand):
    help = (
        "Import precincts, merchants, licences, inspections, penalties, red/black list "
        "entries or the indicator scores of a rating scheme from a CSV (UTF-8 or GB18030) "
        "or XLSX file on behalf of --user. Rows are matched on their natural keys, so "
        "importing the same file twice changes nothing. A file with a bad row is not "
        "imported at all unless --skip-bad-rows is given. Columns: docs/import.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(KINDS), help="What the file holds.")
        parser.add_argument("file", help="A .csv or .xlsx file; the first row is the header.")
        parser.add_argument(
            "--skip-bad-rows",
            action="store_true",
            help="Write the good rows of a file that has bad ones (they are still listed).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and count; write nothing."
        )
        parser.add_argument(
            "--user",
            required=True,
            help="Username the audit trail attributes the changes to; scheduled imports use "
            "an account of their own (docs/import.md).",
        )
        parser.add_argument(
            "--encoding",
            help="The CSV file's encoding when it cannot be told apart: utf-8 or gb18030. "
            "Big5 is refused.",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(
        self, *args, kind, file, skip_bad_rows, dry_run, user, encoding, no_progress, **options
    ):
        verbosity = options["verbosity"]
        actor = self._user(user)
        show_progress = not no_progress and verbosity > 0 and self.stderr.isatty()
        progress = functools.partial(
            tqdm, disable=not show_progress, file=sys.stderr, leave=False, mininterval=0.5
        )
        try:
            report = import_file(
                kind,
                file,
                dry_run=dry_run,
                skip_bad_rows=skip_bad_rows,
                user=actor,
                encoding=encoding,
                progress=progress,
                kinds=KINDS,
            )
        except ImportStopped as stopped:
            raise CommandError(stopped.message) from None

        if report.file_errors:
            raise CommandError("\n".join(report.file_errors))
        # In file order: a row's problems are found in several passes over a chunk.
        for problem in sorted(report.problems, key=lambda problem: problem.row):
            self.stderr.write(str(problem))
        if report.unused_columns and verbosity > 1:
            self.stdout.write(
                _("Columns not imported: %(columns)s")
                % {"columns": ", ".join(report.unused_columns)}
            )
        bad = len(report.bad_rows)
        if bad and not skip_bad_rows:
            raise CommandError(
                ngettext(
                    "%(count)d of %(rows)d rows is bad, so nothing was written. Fix it, "
                    "or use --skip-bad-rows to write the good rows.",
                    "%(count)d of %(rows)d rows are bad, so nothing was written. Fix them, "
                    "or use --skip-bad-rows to write the good rows.",
                    bad,
                )
                % {"count": bad, "rows": report.rows}
            )
        if verbosity > 0:
            self._summary(report, bad, dry_run)

    def _user(self, username):
        try:
            return get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(_("There is no user “%(user)s”.") % {"user": username}) from None

    def _summary(self, report, bad, dry_run):
        counts = {
            "kind": report.kind,
            "created": report.created,
            "changed": report.changed,
            "unchanged": report.unchanged,
        }
        if dry_run:
            line = _(
                "Dry run, nothing written. %(kind)s: %(created)d would be created, "
                "%(changed)d changed, %(unchanged)d unchanged."
            )
        else:
            line = _("%(kind)s: %(created)d created, %(changed)d changed, %(unchanged)d unchanged.")
        self.stdout.write(line % counts)
        if bad:
            self.stdout.write(
                ngettext("%(count)d bad row skipped.", "%(count)d bad rows skipped.", bad)
                % {"count": bad}
            )
        if report.withdrawn:
            self.stdout.write(
                ngettext(
                    "%(count)d matching record is withdrawn and stays withdrawn.",
                    "%(count)d matching records are withdrawn and stay withdrawn.",
                    report.withdrawn,
                )
                % {"count": report.withdrawn}
            )
