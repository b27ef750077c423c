"""``manage.py load_scheme FILE``: create or update a rating scheme from YAML or JSON."""

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from merchants.audit import acting_as
from merchants.management.language import Command as LocalisedCommand
from ratings.definitions import Definition
from ratings.models import Scheme


class Command(LocalisedCommand):
    help = (
        "Create or update the rating scheme a YAML or JSON file defines (format: "
        "docs/ratings.md). The scheme is matched on its slug; a changed definition gets "
        "the next version, and rounds already run keep the copy they were computed with."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="+", help="One or more .yaml, .yml or .json files.")

    def handle(self, *args, file, **options):
        for path in file:
            try:
                with open(path, encoding="utf-8") as handle:
                    text = handle.read()
            except OSError as error:
                raise CommandError(
                    _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror}
                ) from None
            except UnicodeDecodeError:
                raise CommandError(_("%(path)s is not UTF-8 text.") % {"path": path}) from None
            try:
                definition = Definition.from_text(text)
                with acting_as(None, "command"):
                    scheme, created = Scheme.objects.load(definition)
            except ValidationError as error:
                raise CommandError(f"{path}: {'; '.join(error.messages)}") from None
            if created:
                line = _("Created scheme %(slug)s (version %(version)d).")
            else:
                line = _("Scheme %(slug)s is at version %(version)d.")
            self.stdout.write(line % {"slug": scheme.slug, "version": scheme.version})
