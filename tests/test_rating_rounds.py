"""Rating rounds: deterministic re-runs, a fixed number of queries, publishing, revisions."""

import datetime
import decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from merchants.audit import AuditEntry
from ratings import computation
from ratings.models import Result, Round, Score
from ratings.rounds import RoundFrozen
from tests.factories import LicenceFactory, MerchantFactory, PenaltyFactory
from tests.factories_ratings import enter, load_sample_scheme

pytestmark = pytest.mark.django_db
D = decimal.Decimal
FULL = {
    "premises": 6,
    "purchase_records": 6,
    "pricing": 10,
    "labelling": 10,
    "after_sales": 8,
    "training": 7,
    "complaints": 10,
}


@pytest.fixture(autouse=True)
def _late_2026(on_a_fixed_day):
    pass


@pytest.fixture
def yide():
    scheme, precinct, association = load_sample_scheme("yide-road-2026")
    members = []
    for n in range(3):
        merchant = MerchantFactory(precinct=precinct, association=association)
        LicenceFactory(merchant=merchant, expires_on=datetime.date(2028, 1, 1))
        enter(scheme, merchant, **{**FULL, "complaints": 10 - 5 * n})
        members.append(merchant)
    return scheme, precinct, association, members


def computed(scheme):
    round_ = scheme.latest_round()
    if round_ is None or round_.is_frozen:
        round_ = Round(scheme=scheme)
        round_.save()
    computation.run(round_)
    return round_


def snapshot(round_):
    return list(
        round_.results.order_by("merchant_id").values_list(
            "merchant_id", "status", "points", "level", "aspects", "indicators", "inputs", "cap"
        )
    )


def test_running_a_round_again_with_the_same_inputs_gives_the_same_results(yide):
    scheme, *_rest = yide
    round_ = computed(scheme)
    first = snapshot(round_)

    computation.run(round_)

    assert snapshot(round_) == first
    assert [row[3] for row in first] == ["5", "4", "4"]
    assert round_.results.count() == 3


def test_queries_do_not_grow_with_the_number_of_members(yide):
    scheme, precinct, association, _members = yide
    round_ = computed(scheme)
    with CaptureQueriesContext(connection) as few:
        computation.run(round_)
    for _n in range(12):
        merchant = MerchantFactory(precinct=precinct, association=association)
        enter(scheme, merchant, pricing=5)
        PenaltyFactory(merchant=merchant, decided_on=datetime.date(2026, 2, 2))
    with CaptureQueriesContext(connection) as many:
        computation.run(round_)

    assert round_.results.count() == 15
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_run_records_its_scheme_copy_progress_and_an_audit_entry(yide):
    scheme, *_rest = yide
    round_ = computed(scheme)
    round_.refresh_from_db()

    assert round_.status == Round.Status.COMPUTED
    assert round_.definition == scheme.definition
    assert (round_.scheme_version, round_.members) == (scheme.version, 3)
    assert round_.progress_percent == 100
    assert round_.rating_day == datetime.date(2026, 12, 31)
    entry = round_.audit_entries().first()
    assert entry.after["status"] == "computed"


def test_a_published_round_refuses_edits_scores_and_reruns(yide):
    scheme, _precinct, _association, members = yide
    round_ = computed(scheme)
    round_.publish()

    round_.refresh_from_db()
    assert round_.status == Round.Status.PUBLISHED
    round_.reason = "changed my mind"
    with pytest.raises(RoundFrozen):
        round_.save()
    result = round_.results.first()
    result.points = D("99")
    with pytest.raises(RoundFrozen):
        result.save()
    with pytest.raises(RoundFrozen):
        Result.objects.filter(round=round_).discard_unpublished()
    with pytest.raises(ValidationError, match="frozen"):
        enter(scheme, members[0], pricing=1)
    with pytest.raises(computation.RoundBusy):
        computation.run(round_)
    assert Score.objects.get(merchant=members[0], indicator="pricing").points == 10


def test_a_revision_keeps_the_old_round_readable_and_the_public_sees_the_new(yide):
    scheme, _precinct, _association, members = yide
    first = computed(scheme)
    first.publish()
    assert Result.objects.latest_published_for(members[0]).points == D("90.00")

    revision = first.revise("Pricing of A001 was entered twice")
    assert Result.objects.latest_published_for(members[0]).round == first  # not yet published
    enter(scheme, members[0], pricing=4)
    computation.run(revision)
    comparison = revision.compare()
    revision.publish()

    first.refresh_from_db()
    assert first.status == Round.Status.SUPERSEDED
    assert first.results.get(merchant=members[0]).points == D("90.00")
    latest = Result.objects.latest_published_for(members[0])
    assert (latest.round, latest.points, latest.level) == (revision, D("84.00"), "4")
    assert comparison.previous == first
    assert comparison.counts == {"up": 0, "down": 1, "vetoed": 0}
    assert [(m, old.key, new.key) for m, old, new in comparison.down] == [(members[0], "5", "4")]
    reasons = AuditEntry.objects.for_object(revision).values_list("reason", flat=True)
    assert "Pricing of A001 was entered twice" in reasons


def test_a_revision_needs_a_reason_and_a_published_round(yide):
    scheme, *_rest = yide
    round_ = computed(scheme)
    with pytest.raises(ValidationError):
        round_.revise("not published yet")
    round_.publish()
    with pytest.raises(ValidationError):
        round_.revise("  ")


def test_compare_counts_members_per_level_before_and_after(yide):
    scheme, *_rest = yide
    round_ = computed(scheme)

    comparison = round_.compare()

    assert comparison.previous is None
    assert {row.level.key: (row.before, row.after) for row in comparison.levels} == {
        "5": (0, 1),
        "4": (0, 2),
        "3": (0, 0),
        "2": (0, 0),
        "1": (0, 0),
    }


def test_only_a_computed_round_can_be_published(yide):
    scheme, *_rest = yide
    round_ = Round(scheme=scheme)
    round_.save()
    with pytest.raises(ValidationError):
        round_.publish()


def test_a_failed_run_is_recorded_and_the_round_may_run_again(yide, monkeypatch):
    from ratings import measures

    scheme, *_rest = yide
    round_ = Round(scheme=scheme)
    round_.save()

    def broken(*args):
        raise RuntimeError("archive unreachable")

    monkeypatch.setattr(measures, "gather", broken)
    with pytest.raises(RuntimeError):
        computation.run(round_)
    round_.refresh_from_db()
    assert (round_.status, round_.error) == ("failed", "RuntimeError: archive unreachable")
    assert not round_.results.exists()

    monkeypatch.undo()
    computation.run(round_)
    round_.refresh_from_db()
    assert round_.status == "computed" and round_.results.count() == 3


def test_the_background_task_runs_the_round_once(yide):
    from ratings import tasks

    scheme, *_rest = yide
    round_ = Round(scheme=scheme)
    round_.save()

    tasks.run_round.enqueue(round_.pk)
    round_.refresh_from_db()
    assert round_.status == "computed"
    round_.publish()
    tasks.run_round.enqueue(round_.pk)  # frozen now: left alone, not an error
    round_.refresh_from_db()
    assert round_.status == "published"
