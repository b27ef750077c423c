"""``manage.py run_ratings SCHEME [--dry-run] [--publish]``: compute (and publish) a round."""

import time

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from merchants.audit import acting_as
from merchants.management.language import Command as LocalisedCommand
from ratings import computation
from ratings.models import Round, Scheme


class DryRunDone(Exception):
    """Raised to roll back a dry run after its figures were printed."""


class Command(LocalisedCommand):
    help = (
        "Compute the open round of a scheme (a new round if it has none), print the "
        "members per level and the change from the last published round. --publish then "
        "publishes it; --dry-run computes and prints without keeping anything."
    )

    def add_arguments(self, parser):
        parser.add_argument("scheme", help="The scheme's slug.")
        parser.add_argument("--dry-run", action="store_true", help="Compute, print, keep nothing.")
        parser.add_argument("--publish", action="store_true", help="Publish the computed round.")

    def handle(self, *args, scheme, dry_run, publish, **options):
        if dry_run and publish:
            raise CommandError(_("--dry-run and --publish exclude each other."))
        found = Scheme.objects.filter(slug=scheme).first()
        if found is None:
            raise CommandError(_("There is no scheme “%(slug)s”.") % {"slug": scheme})
        started = time.monotonic()
        try:
            with acting_as(None, "command"):
                if dry_run:
                    try:
                        with transaction.atomic():
                            round_ = self._compute(found)
                            raise DryRunDone
                    except DryRunDone:
                        self.stdout.write(_("Dry run: nothing was kept."))
                        return
                round_ = self._compute(found)
                if publish:
                    round_.publish()
                    self.stdout.write(_("Published %(round)s.") % {"round": round_})
        except (ValidationError, computation.RoundBusy) as error:
            message = "; ".join(getattr(error, "messages", [str(error)]))
            raise CommandError(message) from None
        self.stdout.write(_("%(seconds).1f s.") % {"seconds": time.monotonic() - started})

    def _compute(self, scheme):
        round_ = scheme.latest_round()
        if round_ is None or round_.is_frozen:
            if round_ is not None:
                raise CommandError(
                    _(
                        "%(round)s is published. To correct it, open a revision with a "
                        "reason in the admin."
                    )
                    % {"round": round_}
                )
            round_ = Round(scheme=scheme)
            round_.save()
        count = computation.run(round_)
        self._print(round_, count)
        return round_

    def _print(self, round_, count):
        comparison = round_.compare()
        self.stdout.write(_("%(round)s: %(count)d members.") % {"round": round_, "count": count})
        for row in comparison.levels:
            self.stdout.write(
                f"  {row.level.name_en or row.level.name_zh}: {row.after} ({row.change:+d})"
            )
        self.stdout.write(
            "  "
            + _("not rated: %(not_rated)d; vetoed: %(vetoed)d")
            % {"not_rated": comparison.not_rated[1], "vetoed": comparison.vetoed_total[1]}
        )
        if comparison.previous:
            self.stdout.write(
                _("Since %(previous)s: %(up)d up, %(down)d down, %(vetoed)d newly vetoed.")
                % {"previous": comparison.previous, **comparison.counts}
            )
