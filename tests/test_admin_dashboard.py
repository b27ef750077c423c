"""The staff dashboard: what needs doing, per role, each count linking to its filtered list."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from merchants.models import Licence
from print_templates.models import CounterfeitScan, PrintJob
from ratings.models import Review
from tests.factories import LicenceFactory, PenaltyFactory, UserFactory
from tests.factories_print import issue
from tests.factories_ratings import ReviewFactory

pytestmark = pytest.mark.django_db

HOME = "/admin/"
TODAY = datetime.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _english_on_a_fixed_day(english_browser, on_a_fixed_day):
    """Staff read the dashboard in English on 23 November 2026."""


def grant(user, app_label, codename_start=""):
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label=app_label, codename__startswith=codename_start
        )
    )
    return user


@pytest.fixture
def moderator(db):
    """Staff who moderates reviews and nothing else."""
    user = UserFactory(username="moderator", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return grant(user, "ratings")


@pytest.fixture
def clerk(owner):
    """Archive staff who also prints placards and moderates reviews: every panel."""
    grant(owner, "print_templates")
    return grant(owner, "ratings")


def tasks(response):
    """{label: (count, link)} of every row of every dashboard panel."""
    html = response.content.decode()
    rows = re.findall(
        r'<td class="title"><a href="([^"]+)">([^<]+)</a></td>\s*<td[^>]*>\s*'
        r'<a href="[^"]+" class="[^"]*" data-count="(\d+)">',
        html,
    )
    return {label: (int(count), link.replace("&amp;", "&")) for link, label, count in rows}


def rows(listing):
    """How many objects a listing's results table shows."""
    assert listing.status_code == 200
    return listing.content.decode().count('<td class="title">')


def archive_fixtures():
    LicenceFactory(expires_on=TODAY + datetime.timedelta(days=30))  # expiring: last day counted
    LicenceFactory(expires_on=TODAY + datetime.timedelta(days=31))  # valid
    LicenceFactory(expires_on=TODAY)  # expiring today
    LicenceFactory(expires_on=TODAY - datetime.timedelta(days=1))  # expired
    LicenceFactory(expires_on=datetime.date(2020, 1, 1))  # expired
    withdrawn = LicenceFactory(expires_on=datetime.date(2020, 1, 1))
    withdrawn.withdraw("error", "录入错误", day=TODAY)
    LicenceFactory(expires_on=TODAY, state=Licence.State.REVOKED)  # revoked, not expiring
    # General penalties may be repaired 3 months after the decision, serious ones after 12.
    PenaltyFactory(decided_on=datetime.date(2026, 8, 23))  # 3 months today: repairable
    PenaltyFactory(decided_on=datetime.date(2026, 8, 24))  # one day short
    PenaltyFactory(decided_on=datetime.date(2026, 1, 10), severity="serious")  # short of 12
    PenaltyFactory(decided_on=datetime.date(2025, 11, 1), severity="serious")  # repairable
    PenaltyFactory(decided_on=datetime.date(2025, 6, 1))  # publicity over: not public
    PenaltyFactory(decided_on=datetime.date(2026, 6, 1), penalty_types=["warning"])  # not public


def test_archive_staff_see_expiring_and_expired_licences_and_repairable_penalties(client, member):
    archive_fixtures()
    client.force_login(member)
    found = tasks(client.get(HOME))
    assert found["Licences expiring within 30 days"] == (
        2,
        "/admin/archive/licences/?public_status=expiring&withdrawn=false",
    )
    assert found["Expired licences still on record"] == (
        2,
        "/admin/archive/licences/?public_status=expired&withdrawn=false",
    )
    assert found["Public penalties now open to credit repair"] == (
        2,
        "/admin/archive/penalties/?publicity=repairable",
    )
    assert "Reviews held for moderation" not in found
    assert "Print jobs waiting or printing" not in found


def test_each_archive_link_lists_what_was_counted(client, member):
    archive_fixtures()
    client.force_login(member)
    for label, (count, link) in tasks(client.get(HOME)).items():
        listing = client.get(link.replace("?", "results/?"))
        assert listing.status_code == 200
        assert rows(listing) == count, label


def test_moderators_see_held_and_reported_reviews_only(client, moderator):
    ReviewFactory(status=Review.Status.HELD, hold_reason="burst")
    ReviewFactory(status=Review.Status.HELD, hold_reason="banned_word")
    ReviewFactory(open_reports=1)
    ReviewFactory()  # published, nobody reported it
    ReviewFactory(status=Review.Status.HIDDEN)
    client.force_login(moderator)
    found = tasks(client.get(HOME))
    assert found == {
        "Reviews held for moderation": (2, "/admin/reviews/?status=held"),
        "Reported reviews awaiting a decision": (1, "/admin/reviews/?reported=true"),
    }
    reported = client.get("/admin/reviews/results/?reported=true").content.decode()
    assert "Reported 1 time: awaiting a decision" in reported


def test_print_clerks_see_counterfeits_this_week_and_unfinished_or_failed_jobs(client, clerk):
    CounterfeitScan.objects.create(day=TODAY, count=3)
    CounterfeitScan.objects.create(day=TODAY - datetime.timedelta(days=6), count=2)
    CounterfeitScan.objects.create(day=TODAY - datetime.timedelta(days=7), count=50)
    PrintJob.objects.create(template="window-sticker", status=PrintJob.Status.PENDING)
    PrintJob.objects.create(template="window-sticker", status=PrintJob.Status.RUNNING)
    PrintJob.objects.create(template="window-sticker", status=PrintJob.Status.DONE)
    PrintJob.objects.create(template="window-sticker", status=PrintJob.Status.FAILED)
    PrintJob.objects.create(
        template="window-sticker",
        status=PrintJob.Status.FAILED,
        requested_at=datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC),
    )
    client.force_login(clerk)
    found = tasks(client.get(HOME))
    assert found["Counterfeit scans in the last 7 days"] == (
        5,
        "/admin/counterfeit-scans/?day_from=2026-11-17",
    )
    assert found["Print jobs waiting or printing"][0] == 2
    assert found["Print jobs failed in the last 7 days"][0] == 1
    for label in ("Print jobs waiting or printing", "Print jobs failed in the last 7 days"):
        listing = client.get(found[label][1].replace("?", "results/?"))
        assert rows(listing) == found[label][0], label
    week = client.get("/admin/counterfeit-scans/results/?day_from=2026-11-17")
    assert rows(week) == 2


def test_the_dashboard_costs_the_same_queries_however_much_needs_doing(client, clerk):
    client.force_login(clerk)
    client.get(HOME)
    with CaptureQueriesContext(connection) as few:
        client.get(HOME)
    archive_fixtures()
    archive_fixtures_more = [issue() for _ in range(3)]
    for placard in archive_fixtures_more:
        ReviewFactory(merchant=placard.merchant, placard=placard, open_reports=2)
    with CaptureQueriesContext(connection) as many:
        client.get(HOME)
    assert len(many) == len(few)


def test_outsiders_get_no_dashboard(client, outsider):
    client.force_login(outsider)
    response = client.get(HOME)
    assert response.status_code == 302
    assert "Credit archive: to do" not in response.content.decode()


def test_rating_staff_see_the_open_rounds_of_their_schemes(client, regulator, association_officer):
    from ratings.rounds import Round
    from tests.factories_ratings import load_sample_scheme

    scheme, _precinct, _association = load_sample_scheme("yide-road-2026")
    Round(scheme=scheme).save()
    client.force_login(regulator)
    found = tasks(client.get(HOME))
    assert found["Rating rounds not yet published"] == (1, "/admin/star-ratings/")
    client.force_login(association_officer)  # the chamber whose scheme it is
    assert tasks(client.get(HOME))["Rating rounds not yet published"][0] == 1
    other = UserFactory(username="other-chamber", is_staff=True)
    other.user_permissions.add(Permission.objects.get(codename="access_admin"))
    from ratings.models import RatingRole
    from tests.factories import AssociationFactory

    RatingRole.objects.create(
        user=other, kind="association_staff", association=AssociationFactory(slug="elsewhere")
    )
    client.force_login(other)
    assert tasks(client.get(HOME))["Rating rounds not yet published"][0] == 0


def test_deciders_see_open_objections_they_may_decide(client):
    from merchants.objections import Objection

    boss = UserFactory(username="boss", is_staff=True, is_superuser=True)
    penalty = PenaltyFactory(decided_on=datetime.date(2026, 10, 1))
    Objection.file(penalty, "不服", UserFactory())
    client.force_login(boss)
    found = tasks(client.get(HOME))
    assert found["Objections awaiting a decision"] == (
        1,
        "/admin/archive/objections/?status=open",
    )
    assert found["Credit repair applications awaiting a decision"][0] == 0
    listing = client.get("/admin/archive/objections/results/?status=open")
    assert listing.status_code == 200
