"""load_demo: the three programmes at their real scale, the same on every run, DEBUG only.

The load takes seconds, so the class below loads once (twice, to compare) inside
a transaction that is rolled back when its tests are done.
"""

import datetime
import hashlib
import io
import re
from collections import Counter
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from django.utils import translation

from merchants import credit_code, dates, demo_data
from merchants.audit import AuditEntry
from merchants.models import (
    Association,
    Inspection,
    Licence,
    ListEntry,
    Merchant,
    Penalty,
    Precinct,
)

ARCHIVE_MODELS = (Precinct, Association, Merchant, Licence, Inspection, Penalty, ListEntry)


def load_demo():
    """Run the command as an English-speaking operator would read it."""
    out = io.StringIO()
    with translation.override("en"):
        call_command("load_demo", stdout=out)
    return out.getvalue()


def archive_digest():
    """A fingerprint of everything the demo wrote except keys and timestamps."""
    tables = [
        Precinct.objects.order_by("slug").values_list(
            "slug", "name_zh", "name_en", "kind", "parent__slug", "address"
        ),
        Association.objects.order_by("slug").values_list("slug", "name_zh", "precinct__slug"),
        Merchant.objects.order_by("code").values_list(
            "code",
            "name_zh",
            "name_en",
            "kind",
            "category",
            "stall",
            "address",
            "specialties",
            "precinct__slug",
            "association__slug",
        ),
        Licence.objects.order_by("number").values_list(
            "number", "merchant__code", "kind", "issuer", "issued_on", "expires_on", "state"
        ),
        Inspection.objects.order_by("merchant__code", "inspected_on", "kind").values_list(
            "merchant__code", "inspected_on", "authority", "kind", "result", "findings"
        ),
        Penalty.objects.order_by("decision_number").values_list(
            "decision_number",
            "merchant__code",
            "decided_on",
            "violation",
            "penalty_types",
            "outcome",
            "fine_amount",
            "severity",
            "withdrawn_on",
            "withdrawal_kind",
        ),
        ListEntry.objects.order_by("merchant__code", "list_name", "listed_on").values_list(
            "merchant__code", "list_name", "reason", "authority", "listed_on", "until"
        ),
    ]
    return hashlib.sha256(repr([list(rows) for rows in tables]).encode()).hexdigest()


def test_refuses_to_run_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        load_demo()
    assert not Precinct.objects.exists()
    assert not Merchant.objects.exists()
    assert not get_user_model().objects.filter(username="demo").exists()


@dataclass
class Loaded:
    output: str
    digest: str
    first_digest: str


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """Load, fingerprint, roll back, load again; everything is rolled back afterwards."""
    with django_db_blocker.unblock(), override_settings(DEBUG=True), transaction.atomic():
        with transaction.atomic():
            load_demo()
            first_digest = archive_digest()
            transaction.set_rollback(True)
        output = load_demo()
        yield Loaded(output=output, digest=archive_digest(), first_digest=first_digest)
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
class TestLoadedDemo:
    def test_two_loads_after_a_reset_write_the_same_archive(self, demo):
        assert "Loaded 2400 merchants" in demo.output
        assert demo.digest == demo.first_digest
        assert Merchant.objects.count() == 2400

    def test_beijing_road_has_200_shops_of_every_kind(self):
        street = Precinct.objects.get(slug="beijing-road")
        assert street.kind == Precinct.Kind.STREET
        assert street.parent.slug == "yuexiu"
        shops = Merchant.objects.filter(precinct=street)
        assert shops.count() == 200
        categories = set(shops.values_list("category", flat=True))
        assert {"tea", "souvenirs", "clothing", "food", "jewellery"} <= categories
        assert shops.filter(kind=Merchant.Kind.RESTAURANT).exists()

    def test_yide_road_holds_14_markets_with_2100_stalls(self):
        area = Precinct.objects.get(slug="yide-road")
        assert area.kind == Precinct.Kind.AREA
        assert area.parent.slug == "yuexiu"
        markets = Precinct.objects.filter(parent=area)
        assert markets.count() == 14
        assert set(markets.values_list("kind", flat=True)) == {Precinct.Kind.MARKET}
        stalls = Merchant.objects.filter(precinct__parent=area)
        assert stalls.count() == 2100
        assert set(stalls.values_list("kind", flat=True)) == {Merchant.Kind.STALL}
        categories = Counter(stalls.values_list("category", flat=True))
        assert categories["dried_seafood"] + categories["dry_goods"] > 0.85 * 2100
        numbers = list(stalls.values_list("precinct_id", "stall"))
        assert all(re.fullmatch(r"[A-D]-\d-\d{3}", stall) for _market, stall in numbers)
        assert len(set(numbers)) == 2100

    def test_yuexiu_has_100_clinics_with_their_specialties(self):
        district = Precinct.objects.get(slug="yuexiu")
        assert district.kind == Precinct.Kind.DISTRICT
        clinics = Merchant.objects.filter(precinct=district)
        assert clinics.count() == 100
        assert set(clinics.values_list("kind", flat=True)) == {Merchant.Kind.CLINIC}
        assert set(clinics.values_list("category", flat=True)) == set(Merchant.CLINIC_CATEGORIES)
        assert all(clinic.specialty_list() for clinic in clinics)
        assert len(district.with_descendants()) == 17

    def test_codes_are_valid_unique_and_typed_by_registration(self):
        codes = dict(Merchant.objects.values_list("code", "kind"))
        assert len(codes) == 2400
        assert all(credit_code.is_valid(code) for code in codes)
        assert {code[2:8] for code in codes} == {"440104"}
        assert {code[:2] for code, kind in codes.items() if kind == "clinic"} == {"91", "52"}
        stalls = [code for code, kind in codes.items() if kind == "stall"]
        assert sum(code.startswith("92") for code in stalls) > 0.8 * len(stalls)

    def test_names_are_unique_in_chinese_and_given_in_english(self):
        names = list(Merchant.objects.values_list("name_zh", "name_en"))
        assert len({zh for zh, _en in names}) == 2400
        assert all(re.search(r"[\u4e00-\u9fff]", zh) for zh, _en in names)
        assert all(en and en.isascii() for _zh, en in names)

    def test_every_record_passes_model_validation(self):
        relations = ["merchant", "precinct", "parent", "association"]
        for model in ARCHIVE_MODELS:
            for record in model.objects.all():
                record.clean_fields(exclude=relations)
                record.clean()

    def test_licences_are_valid_expiring_expired_suspended_and_revoked(self):
        statuses = Counter(Licence.objects.with_status().values_list("public_status", flat=True))
        assert set(statuses) == set(Licence.Status.values)
        assert statuses["valid"] > statuses["expiring"] + statuses["expired"]
        kinds = {
            kind: set(Licence.objects.filter(kind=kind).values_list("merchant_id", flat=True))
            for kind in Licence.Kind.values
        }
        assert kinds["business"] == set(Merchant.objects.values_list("pk", flat=True))
        clinics = set(Merchant.objects.filter(kind="clinic").values_list("pk", flat=True))
        assert kinds["medical_practice"] == clinics
        seafood = Merchant.objects.filter(category="dried_seafood").values_list("pk", flat=True)
        assert set(seafood) <= kinds["food_business"]
        clothing = Merchant.objects.filter(category="clothing").values_list("pk", flat=True)
        assert not set(clothing) & kinds["food_business"]

    def test_inspections_cover_the_last_three_years_mostly_passed(self):
        today = dates.today()
        days = Inspection.objects.values_list("inspected_on", flat=True)
        assert min(days) >= dates.add_months(today, -36)
        assert min(days) < dates.add_months(today, -30)
        assert max(days) < today
        assert set(Inspection.objects.values_list("kind", flat=True)) == set(Inspection.Kind.values)
        results = Counter(Inspection.objects.values_list("result", flat=True))
        total = sum(results.values())
        assert results["pass"] > 0.75 * total
        assert 0 < results["fail"] < results["rectify"]
        assert Inspection.objects.filter(findings__contains="整改").exists()

    def test_about_five_percent_of_businesses_are_penalised_in_every_way(self):
        today = dates.today()
        penalised = Penalty.objects.values("merchant").distinct().count()
        assert 0.04 <= penalised / Merchant.objects.count() <= 0.06
        penalties = list(Penalty.objects.all())
        assert all(penalty.decided_on < today for penalty in penalties)
        assert {penalty.severity for penalty in penalties} == set(Penalty.Severity.values)
        shown = [penalty for penalty in penalties if penalty.is_public_on(today)]
        assert any(penalty.severity == "serious" for penalty in shown)
        assert any(penalty.is_warning_only for penalty in penalties)
        assert any(today >= penalty.publicity_ends_on for penalty in penalties)
        assert len(shown) == Penalty.objects.public(today).count()

    def test_penalties_withdrawn_by_credit_repair_respect_the_repair_period(self):
        today = dates.today()
        repaired = list(Penalty.objects.filter(withdrawn_on__isnull=False))
        assert {penalty.severity for penalty in repaired} == set(Penalty.Severity.values)
        for penalty in repaired:
            assert penalty.withdrawal_kind == Penalty.WithdrawalKind.REPAIR
            assert penalty.withdrawal_reason
            assert penalty.repairable_from <= penalty.withdrawn_on <= today
            assert penalty.withdrawn_on < penalty.publicity_ends_on
            assert not penalty.is_public_on(today)
            actions = list(penalty.audit_entries().values_list("action", "reason"))
            assert sorted(actions) == [
                ("create", ""),
                ("withdraw", penalty.withdrawal_reason),
            ]

    def test_red_and_black_lists_hold_a_few_entries_each(self):
        today = dates.today()
        lists = Counter(ListEntry.objects.values_list("list_name", flat=True))
        for name in ("a_taxpayer", "model_member", "abnormal_operation", "exposure_board"):
            assert 0 < lists[name] < 100
        shown = {entry.colour for entry in ListEntry.objects.public(today)}
        assert shown == {"red", "black"}
        members = ListEntry.objects.filter(list_name="model_member")
        assert not members.filter(merchant__association__isnull=True).exists()
        exposed = ListEntry.objects.filter(list_name="exposure_board")
        assert set(exposed.values_list("merchant__kind", flat=True)) == {Merchant.Kind.STALL}

    def test_trade_associations_have_their_precincts_merchants_as_members(self):
        yide = Association.objects.get(name_zh="一德路海味干果商会")
        assert yide.members.count() > 1000
        assert not yide.members.exclude(precinct__parent__slug="yide-road").exists()
        beijing = Association.objects.get(name_zh="北京路商会")
        assert beijing.members.count() > 50
        assert not beijing.members.exclude(precinct__slug="beijing-road").exists()

    def test_every_record_has_a_create_audit_entry_from_the_demo(self):
        for model in ARCHIVE_MODELS:
            entries = AuditEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(model),
                action=AuditEntry.Action.CREATE,
                source="demo",
            )
            ids = set(entries.values_list("object_id", flat=True))
            assert entries.count() == len(ids) == model.objects.count()
            assert ids == {str(pk) for pk in model.objects.values_list("pk", flat=True)}
        merchant = Merchant.objects.order_by("code").first()
        assert merchant.audit_entries().get().after["code"] == merchant.code

    def test_prints_a_staff_login_that_opens_the_admin(self, demo, client):
        assert "http://127.0.0.1:8000/admin/" in demo.output
        assert "username: demo" in demo.output
        assert "password: chengxin-demo" in demo.output
        # In both languages, whatever the shell speaks: whoever signs in may read only one.
        assert "工作人员登录" in demo.output
        assert demo.output.count("chengxin-demo") == 2
        assert client.login(username="demo", password="chengxin-demo")
        assert client.get("/admin/").status_code == 200

    def test_a_demo_merchant_can_sign_in_to_the_portal_and_see_its_business(self, demo, client):
        assert "username: demo-shop  password: chengxin-shop" in demo.output
        signed_in = client.post(
            "/portal/sign-in/", {"username": "demo-shop", "password": "chengxin-shop"}
        )
        assert signed_in.status_code == 302
        page = client.get("/portal/", follow=True)
        assert page.status_code == 200
        # The demo business has a public penalty to object to or repair.
        assert "/object/penalty/" in page.content.decode()

    def test_running_again_adds_nothing(self):
        before = {model: model.objects.count() for model in (*ARCHIVE_MODELS, AuditEntry)}
        output = load_demo()
        assert "already loaded" in output
        assert "password: chengxin-demo" in output
        assert {model: model.objects.count() for model in before} == before
        assert get_user_model().objects.filter(username="demo").count() == 1

    def test_an_existing_demo_user_keeps_its_own_password(self):
        user = get_user_model().objects.get(username="demo")
        user.set_password("a private one")
        user.save()
        output = load_demo()
        assert "chengxin-demo" not in output
        user.refresh_from_db()
        assert user.check_password("a private one")


def test_dates_follow_today_so_statuses_stay_mixed():
    """The demo is dated from today: a load in another year shows the same mix, shifted."""
    later = datetime.date(2031, 3, 1)
    plan = demo_data.build(later)
    assert [m.code for m in plan.merchants] == [
        m.code for m in demo_data.build(datetime.date(2026, 1, 1)).merchants
    ]
    statuses = Counter(licence.status_on(later) for licence in plan.licences)
    assert {"valid", "expiring", "expired", "suspended", "revoked"} <= set(statuses)
    assert max(inspection.inspected_on for inspection in plan.inspections) < later


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
class TestLoadedDemoRatings:
    """The demo's star ratings: the three sample schemes, scored, run and published."""

    def test_three_published_rounds_this_year_and_two_last_year(self, demo):
        from ratings.models import Round

        published = Round.objects.published().select_related("scheme__precinct")
        this_year = {
            r.scheme.precinct.slug: r for r in published if r.scheme.year == dates.today().year
        }
        last_year = sorted(
            r.scheme.precinct.slug for r in published if r.scheme.year == dates.today().year - 1
        )
        assert set(this_year) == {"yide-road", "beijing-road", "yuexiu"}
        assert last_year == ["beijing-road", "yide-road"]
        for precinct in ("yide-road", "beijing-road"):  # the chamber's members only
            scheme = this_year[precinct].scheme
            members = Merchant.objects.filter(association=scheme.association).count()
            assert this_year[precinct].members == members > 100
        assert this_year["yuexiu"].members == 2400  # the district grades every enterprise
        assert "Published 5 rating rounds" in demo.output

    def test_this_years_market_round_shows_movers_since_last_year(self):
        from ratings.models import Round

        current = Round.objects.published().get(
            scheme__precinct__slug="yide-road", scheme__year=dates.today().year
        )
        comparison = current.compare()

        assert comparison.previous.scheme.year == dates.today().year - 1
        assert comparison.counts["up"] > 50 and comparison.counts["down"] > 50

    def test_streets_and_markets_have_every_kind_of_outcome(self):
        from ratings.models import Result

        yide = Result.objects.published().filter(
            round__scheme__precinct__slug="yide-road", round__scheme__year=dates.today().year
        )
        levels = Counter(yide.values_list("level", flat=True))
        assert levels["5"] and levels["4"] and levels["3"]
        statuses = Counter(yide.values_list("status", flat=True))
        assert statuses["not_rated"] > 50
        assert statuses["vetoed"] >= 3
        district = Result.objects.published().filter(
            round__scheme__precinct__slug="yuexiu", round__scheme__year=dates.today().year
        )
        assert {"A", "B1", "B2", "C"} <= set(district.values_list("level", flat=True))

    def test_scores_and_vetoes_have_their_audit_entries(self):
        from ratings.models import AssociationVeto, Score

        for model in (Score, AssociationVeto):
            content_type = ContentType.objects.get_for_model(model)
            entries = AuditEntry.objects.filter(content_type=content_type, source="demo")
            assert entries.count() == model.objects.count() > 0
