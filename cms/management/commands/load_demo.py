"""Load the fictional demo archive and a staff login for `make demo`.

It lives in cms, the composition root, so it can load what every app below adds
to the demo (the archive, then the star ratings) without any of them importing up.
"""

import time

from django.conf import settings
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from merchants import demo_data
from merchants.management.language import Command as LocalisedCommand
from ratings import demo_data as ratings_demo
from ratings.models import Scheme


class Command(LocalisedCommand):
    help = (
        "Load a fictional, deterministic demo archive: Beijing Road (200 shops), "
        "the 14 Yide Road markets (2,100 stalls) and 100 Yuexiu clinics, with "
        "licences, inspections, penalties, red and black list entries and their "
        "audit entries (source 'demo'), dated relative to today; then the three sample "
        "rating schemes for this year, scored, run and published. Also creates the "
        f"staff superuser '{demo_data.DEMO_USERNAME}' with the fixed password "
        f"'{demo_data.DEMO_PASSWORD}' and prints the login. Because that password is "
        "public, the command refuses to run unless settings.DEBUG is True, so it "
        "cannot seed a production database. Running it again changes nothing: when "
        "the demo precincts exist the archive is left as it is (records are never "
        "deleted); to start afresh with today's dates, delete the demo SQLite file "
        "(demo.sqlite3, or DEMO_DATABASE_PATH) and run make demo again. An existing "
        "'demo' user is never overwritten."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                _(
                    "load_demo only runs with DEBUG on: it creates a staff user with a "
                    "published password."
                )
            )
        existing = demo_data.existing_precincts()
        if existing:
            self.stdout.write(
                _("Demo data is already loaded (precincts %(slugs)s); nothing was added.")
                % {"slugs": ", ".join(sorted(existing))}
            )
        else:
            started = time.monotonic()
            counts = demo_data.load().counts()
            counts["seconds"] = time.monotonic() - started
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Loaded %(merchants)d merchants, %(licences)d licences, "
                        "%(inspections)d inspections, %(penalties)d penalties and "
                        "%(list_entries)d list entries in %(seconds).1f s."
                    )
                    % counts
                )
            )
        self.load_ratings()
        self.print_login()
        self.print_merchant_login()

    def print_merchant_login(self):
        user, merchant, created = demo_data.ensure_demo_merchant_user()
        url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("portal:sign_in")
        if not created:
            self.stdout.write(
                _("Merchant portal: %(url)s (user %(username)s exists with its own password).")
                % {"url": url, "username": user.get_username()}
            )
            return
        self.stdout.write(
            _(
                "Merchant portal: %(url)s  username: %(username)s  "
                "password: %(password)s  (%(name)s)"
            )
            % {
                "url": url,
                "username": user.get_username(),
                "password": demo_data.DEMO_MERCHANT_PASSWORD,
                "name": merchant.name_zh if merchant else "—",
            }
        )

    def load_ratings(self):
        """The sample schemes, scored and published; once, like the archive."""
        if Scheme.objects.exists():
            return
        started = time.monotonic()
        rounds = ratings_demo.load()
        self.stdout.write(
            self.style.SUCCESS(
                _("Published %(count)d rating rounds (%(members)d members) in %(seconds).1f s.")
                % {
                    "count": len(rounds),
                    "members": sum(round_.members for round_ in rounds.values()),
                    "seconds": time.monotonic() - started,
                }
            )
        )

    def print_login(self):
        """The staff login in Chinese and in English, whatever the shell speaks.

        Whoever runs ``make demo`` may not be who signs in to the admin.
        """
        user, created = demo_data.ensure_demo_user()
        url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("wagtailadmin_home")
        values = {
            "url": url,
            "username": user.get_username(),
            "password": demo_data.DEMO_PASSWORD,
        }
        own_password = not created and not user.check_password(demo_data.DEMO_PASSWORD)
        for language in ("zh-hans", "en"):
            with translation.override(language):
                if own_password:
                    line = _(
                        "Staff login: %(url)s (user %(username)s exists with its own password)."
                    )
                else:
                    line = _("Staff login: %(url)s  username: %(username)s  password: %(password)s")
                self.stdout.write(line % values)
