"""The demo archive tells one consistent story: invariants across every generated record."""

import datetime
import itertools
from collections import defaultdict

import pytest

from merchants import demo_data, glossary
from merchants.models import Inspection, Licence, ListEntry, Penalty

TODAY = datetime.date(2026, 11, 23)


@pytest.fixture(scope="module")
def plan():
    return demo_data.build(TODAY)


@pytest.fixture(scope="module")
def licences_of(plan):
    found = defaultdict(list)
    for licence in plan.licences:
        found[licence.merchant.code].append(licence)
    return found


def out_of_force_from(plan):
    """Licence number -> the decision that suspended or revoked it."""
    ended = {}
    by_merchant = defaultdict(list)
    for penalty in plan.penalties:
        by_merchant[penalty.merchant.code].append(penalty)
    for licence in plan.licences:
        if licence.state == Licence.State.ACTIVE:
            continue
        wanted = "suspension" if licence.state == Licence.State.SUSPENDED else "revocation"
        decisions = [p for p in by_merchant[licence.merchant.code] if wanted in p.penalty_types]
        assert decisions, f"{licence.number} is {licence.state} without a {wanted} penalty"
        ended[licence.number] = min(p.decided_on for p in decisions)
    return ended


def in_force(licence, day, ended):
    return (
        licence.issued_on <= day
        and (licence.expires_on is None or day <= licence.expires_on)
        and day < ended.get(licence.number, datetime.date.max)
    )


def test_no_inspection_reports_licences_in_order_when_they_were_not(plan, licences_of):
    ended = out_of_force_from(plan)
    claims = [i for i in plan.inspections if "证照齐全" in i.findings or "有效期内" in i.findings]
    assert len(claims) > 100  # the claim is common; the rule is not vacuous
    for inspection in claims:
        held = licences_of[inspection.merchant.code]
        for kind in {licence.kind for licence in held}:
            assert any(
                in_force(licence, inspection.inspected_on, ended)
                for licence in held
                if licence.kind == kind
            ), (inspection.merchant.code, inspection.inspected_on, inspection.findings)


def test_nothing_happens_in_the_future(plan):
    assert max(i.inspected_on for i in plan.inspections) <= TODAY
    assert max(p.decided_on for p in plan.penalties) <= TODAY
    assert max(licence.issued_on for licence in plan.licences) <= TODAY
    assert max(entry.listed_on for entry in plan.list_entries) <= TODAY
    withdrawn = [p.withdrawn_on for p in plan.penalties if p.withdrawn_on]
    assert withdrawn and max(withdrawn) <= TODAY


def test_licences_run_forwards_and_a_renewal_follows_its_predecessor(plan, licences_of):
    for licence in plan.licences:
        assert licence.expires_on is None or licence.issued_on < licence.expires_on
    for held in licences_of.values():
        by_kind = defaultdict(list)
        for licence in held:
            by_kind[licence.kind].append(licence)
        for same in by_kind.values():
            same.sort(key=lambda licence: licence.issued_on)
            for earlier, later in itertools.pairwise(same):
                assert earlier.expires_on is not None and earlier.expires_on < later.issued_on


def test_every_merchant_held_its_licences_before_its_first_inspection(plan, licences_of):
    first_visit = {}
    for inspection in plan.inspections:
        code = inspection.merchant.code
        first_visit[code] = min(first_visit.get(code, TODAY), inspection.inspected_on)
    for code, visited in first_visit.items():
        held = licences_of[code]
        for kind in {licence.kind for licence in held}:
            first = min(licence.issued_on for licence in held if licence.kind == kind)
            assert first <= visited, (code, kind)


def test_a_follow_up_comes_after_a_failed_or_rectify_inspection(plan):
    visits = defaultdict(list)
    for inspection in plan.inspections:
        visits[inspection.merchant.code].append(inspection)
    follow_ups = [i for i in plan.inspections if i.kind == Inspection.Kind.FOLLOW_UP]
    assert follow_ups
    for follow_up in follow_ups:
        before = [
            i
            for i in visits[follow_up.merchant.code]
            if i.result != Inspection.Result.PASS
            and datetime.timedelta(days=7)
            <= follow_up.inspected_on - i.inspected_on
            <= datetime.timedelta(days=30)
        ]
        assert before, follow_up.merchant.code
        assert follow_up.result == Inspection.Result.PASS


def test_each_penalty_follows_the_inspection_that_found_it(plan):
    found = defaultdict(list)
    for inspection in plan.inspections:
        found[inspection.merchant.code].append(inspection)
    for penalty in plan.penalties:
        assert any(
            i.findings.startswith(penalty.violation) and i.inspected_on < penalty.decided_on
            for i in found[penalty.merchant.code]
        ), penalty.decision_number


def test_credit_repair_only_inside_its_window(plan):
    for penalty in plan.penalties:
        if penalty.withdrawn_on:
            assert penalty.repairable_from <= penalty.withdrawn_on < penalty.publicity_ends_on


def test_list_entries_end_after_they_start_and_exposure_follows_a_serious_penalty(plan):
    serious = {
        p.merchant.code
        for p in plan.penalties
        if p.severity == Penalty.Severity.SERIOUS and not p.withdrawn_on
    }
    for entry in plan.list_entries:
        assert entry.until is None or entry.listed_on <= entry.until
        if entry.list_name == ListEntry.List.EXPOSURE_BOARD:
            assert entry.merchant.code in serious
            assert entry.merchant.kind == "stall"


def test_every_text_a_tourist_reads_has_its_english(plan):
    assert all(merchant.address_en for merchant in plan.merchants)
    assert all(i.summary_en for i in plan.inspections if i.findings)
    assert all(p.summary_en for p in plan.penalties)
    assert all(entry.summary_en for entry in plan.list_entries)


def test_the_glossary_seed_covers_every_authority_and_specialty_of_the_demo(plan):
    seeded = {(vocabulary, source) for vocabulary, source, _english in glossary.SEED_TERMS}
    authorities = (
        {licence.issuer for licence in plan.licences}
        | {i.authority for i in plan.inspections}
        | {p.authority for p in plan.penalties}
        | {entry.authority for entry in plan.list_entries if entry.authority}
    )
    specialties = {s for merchant in plan.merchants for s in merchant.specialty_list()}
    assert {("authority", name) for name in authorities} <= seeded
    assert {("specialty", name) for name in specialties} <= seeded
