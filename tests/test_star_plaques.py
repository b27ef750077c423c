"""Star plaques cannot lie: issued from published results, outdated or withdrawn on a change."""

import pytest
from django.core.management import CommandError, call_command

from print_templates.models import Placard, PrintJob
from ratings.models import Result
from tests.factories import PrecinctFactory
from tests.factories_ratings import (
    YIDE_SCORES,
    enter,
    load_sample_scheme,
    open_revision,
    publish,
    scan,
    veto,
    yide_member,
)

pytestmark = pytest.mark.django_db
PLAQUE = "star-plaque"


@pytest.fixture(autouse=True)
def _late_2026(on_a_fixed_day):
    pass


@pytest.fixture
def yide():
    return load_sample_scheme("yide-road-2026")


def plaques_of(merchant):
    return Placard.objects.filter(merchant=merchant, template=PLAQUE)


def test_the_levels_the_helpers_promise(yide):
    scheme, precinct, association = yide
    members = {level: yide_member(scheme, precinct, association, level) for level in "5432"}
    publish(scheme)
    for level, merchant in members.items():
        assert Result.objects.latest_published_for(merchant).level == level


def test_publishing_issues_plaques_to_four_and_five_star_members_only(yide):
    scheme, precinct, association = yide
    five = yide_member(scheme, precinct, association, "5")
    four = yide_member(scheme, precinct, association, "4")
    three = yide_member(scheme, precinct, association, "3")
    unscored = yide_member(scheme, precinct, association)

    publish(scheme)

    assert plaques_of(five).get().data["stars"] == 5
    assert plaques_of(four).get().data["stars"] == 4
    assert plaques_of(five).get().data["year"] == 2026
    assert not plaques_of(three).exists() and not plaques_of(unscored).exists()
    job = PrintJob.objects.get()  # one precinct: one print job
    assert job.template == PLAQUE and job.total == 2
    assert set(job.merchant_codes) == {five.code, four.code}


def test_one_print_job_per_precinct(yide):
    scheme, area, association = yide
    market_a = PrecinctFactory(slug="haiyin", parent=area, kind="market")
    market_b = PrecinctFactory(slug="yide-xin", parent=area, kind="market")
    for market in (market_a, market_b, market_b):
        yide_member(scheme, market, association, "5")

    publish(scheme)

    assert sorted(job.total for job in PrintJob.objects.all()) == [1, 2]


def test_a_level_that_falls_below_four_outdates_the_plaque_and_the_scan_says_so(client, yide):
    scheme, precinct, association = yide
    merchant = yide_member(scheme, precinct, association, "5")
    publish(scheme)
    plaque = plaques_of(merchant).get()

    open_revision(scheme)
    enter(scheme, merchant, **YIDE_SCORES["3"])
    publish(scheme)

    plaque.refresh_from_db()
    assert plaque.state == Placard.State.OUTDATED
    assert plaques_of(merchant).count() == 1  # no new plaque for 3 stars
    scan(client, placard=plaque, HTTP_ACCEPT_LANGUAGE="en")
    html = client.get(f"/en/m/{merchant.code}/").content.decode()
    assert "Outdated plaque" in html
    assert "Outdated: current rating 3 stars." in html


def test_a_changed_four_or_five_star_level_gets_a_new_plaque_and_outdates_the_old(client, yide):
    scheme, precinct, association = yide
    merchant = yide_member(scheme, precinct, association, "4")
    publish(scheme)
    old = plaques_of(merchant).get()

    open_revision(scheme)
    enter(scheme, merchant, **YIDE_SCORES["5"])
    publish(scheme)

    old.refresh_from_db()
    new = plaques_of(merchant).current().get()
    assert old.state == Placard.State.OUTDATED and new.data["stars"] == 5
    scan(client, placard=old, HTTP_ACCEPT_LANGUAGE="en")
    html = client.get(f"/en/m/{merchant.code}/").content.decode()
    assert "Outdated: current rating 5 stars." in html


def test_an_unchanged_level_keeps_its_plaque(yide):
    scheme, precinct, association = yide
    merchant = yide_member(scheme, precinct, association, "5")
    publish(scheme)
    plaque = plaques_of(merchant).get()

    open_revision(scheme)
    publish(scheme)

    plaque.refresh_from_db()
    assert plaque.state == Placard.State.CURRENT
    assert plaques_of(merchant).count() == 1


def test_a_veto_withdraws_the_plaque(client, yide):
    scheme, precinct, association = yide
    merchant = yide_member(scheme, precinct, association, "5")
    publish(scheme)
    plaque = plaques_of(merchant).get()

    open_revision(scheme)
    veto(scheme, merchant)
    publish(scheme)

    plaque.refresh_from_db()
    assert plaque.state == Placard.State.REVOKED
    assert "veto" in plaque.revoked_reason
    scan(client, placard=plaque, HTTP_ACCEPT_LANGUAGE="en")
    html = client.get(f"/en/m/{merchant.code}/").content.decode()
    assert "Withdrawn plaque" in html
    assert "Current rating: vetoed (no stars)." in html


def test_a_genuine_current_plaque_is_a_small_line_under_the_verdict(client, yide):
    scheme, precinct, association = yide
    merchant = yide_member(scheme, precinct, association, "5")
    publish(scheme)
    scan(client, placard=plaques_of(merchant).get(), HTTP_ACCEPT_LANGUAGE="en")

    html = client.get(f"/en/m/{merchant.code}/").content.decode()

    assert 'class="placard-line good"' in html and "Genuine plaque" in html
    assert html.index("verdict-line") < html.index("placard-line") < html.index("merchant-name")


def test_print_plaques_refuses_a_merchant_without_a_published_four_or_five_star_result(
    yide, tmp_path
):
    scheme, precinct, association = yide
    three = yide_member(scheme, precinct, association, "3")
    five = yide_member(scheme, precinct, association, "5")
    with pytest.raises(CommandError, match="no published round"):
        call_command("print_plaques", scheme.slug, "--out", str(tmp_path))
    publish(scheme)

    with pytest.raises(CommandError, match="needs a published 4- or 5-star result"):
        call_command("print_plaques", scheme.slug, "--out", str(tmp_path), "--merchant", three.code)
    assert not plaques_of(three).exists()

    first = plaques_of(five).get()
    call_command("print_plaques", scheme.slug, "--out", str(tmp_path), "--merchant", five.code)
    first.refresh_from_db()
    assert first.state == Placard.State.OUTDATED  # the reprint replaces a lost plaque
    assert plaques_of(five).current().get().data["stars"] == 5
    assert len(list(tmp_path.glob("plaques-*.pdf"))) == 1


def test_a_published_round_prints_its_plaques_in_the_background(
    yide, django_capture_on_commit_callbacks
):
    scheme, precinct, association = yide
    yide_member(scheme, precinct, association, "5")
    with django_capture_on_commit_callbacks(execute=True):
        publish(scheme)
    job = PrintJob.objects.get()
    assert job.status == PrintJob.Status.DONE and job.file


def test_a_district_grade_leaves_the_plaques_alone(yide):
    scheme, precinct, association = yide
    merchant = yide_member(scheme, precinct, association, "5")
    publish(scheme)
    plaque = plaques_of(merchant).get()
    district = PrecinctFactory(slug="yuexiu", kind="district")
    precinct.parent = district
    precinct.save()
    grade, _district, _association = load_sample_scheme("yuexiu-credit-grade-2026")

    publish(grade)

    plaque.refresh_from_db()
    assert plaque.state == Placard.State.CURRENT
    assert plaques_of(merchant).count() == 1
