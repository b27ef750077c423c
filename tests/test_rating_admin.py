"""The star rating admin: roles, scoring grid, vetoes, rounds with progress, diff and publish."""

import datetime
import decimal

import pytest

from merchants.audit import AuditEntry
from ratings.models import AssociationVeto, Round, Scheme, Score
from tests.factories import AssociationFactory, LicenceFactory, MerchantFactory, PrecinctFactory
from tests.factories_ratings import SAMPLE_SCHEMES, enter, load_sample_scheme

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_a_fixed_day")]
D = decimal.Decimal
BASE = "/admin/star-ratings/"


@pytest.fixture(autouse=True)
def _english_admin(english_browser):
    """Staff here read the admin in English."""


def refused(response):
    """Wagtail sends people without the right away rather than showing the page."""
    return response.status_code in (302, 403, 404)


@pytest.fixture
def market(association_officer):
    """The chamber's scheme over Yide Road with one market; one stall of another chamber."""
    scheme, area, chamber = load_sample_scheme("yide-road-2026")
    hall = PrecinctFactory(slug="yide-road-haiyin", parent=area, kind="market", name_zh="海印市场")
    ours = MerchantFactory(precinct=hall, association=chamber, stall="A001", name_zh="泰和海味行")
    LicenceFactory(merchant=ours, expires_on=datetime.date(2028, 1, 1))
    theirs = MerchantFactory(precinct=hall, association=AssociationFactory(), stall="A002")
    other_scheme, _precinct, _association = load_sample_scheme(
        "beijing-road-2026", association="other-chamber"
    )
    return scheme, hall, ours, theirs, other_scheme


@pytest.fixture
def run_round(client, django_capture_on_commit_callbacks):
    """Press "run" on a scheme's rounds page; the background task runs when the request commits."""

    def press(scheme):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(f"{BASE}schemes/{scheme.pk}/rounds/")

    return press


def grid_url(scheme, hall):
    return f"{BASE}schemes/{scheme.pk}/scores/?precinct={hall.pk}"


# -- who may come in ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["", "schemes/add/"])
def test_outsiders_and_archive_staff_are_refused(client, outsider, owner, member, path):
    for user in (outsider, owner, member):
        client.force_login(user)
        assert refused(client.get(BASE + path)), user


def test_outsider_is_refused_on_the_grid_vetoes_and_rounds(client, outsider, owner, market):
    scheme, hall, *_rest = market
    for user in (outsider, owner):
        client.force_login(user)
        for path in (grid_url(scheme, hall), f"{BASE}schemes/{scheme.pk}/vetoes/"):
            assert refused(client.get(path)), (user, path)
        assert refused(client.post(f"{BASE}schemes/{scheme.pk}/rounds/"))
    assert not Round.objects.exists()


def test_association_staff_see_only_their_associations_schemes(client, association_officer, market):
    scheme, _hall, _ours, _theirs, other_scheme = market
    client.force_login(association_officer)

    page = client.get(BASE).content.decode()

    assert scheme.name_zh in page
    assert other_scheme.name_zh not in page
    assert "Add a rating scheme" not in page
    for path in ("scores/", "vetoes/", "rounds/"):
        assert refused(client.get(f"{BASE}schemes/{other_scheme.pk}/{path}")), path


def test_regulators_see_every_scheme(client, regulator, market):
    scheme, _hall, _ours, _theirs, other_scheme = market
    client.force_login(regulator)

    page = client.get(BASE).content.decode()

    assert scheme.name_zh in page and other_scheme.name_zh in page


# -- the grid ---------------------------------------------------------------------------------


def test_the_grid_lists_only_the_officers_members_and_saves_scores_with_evidence(
    client, association_officer, market
):
    scheme, hall, ours, theirs, _other = market
    client.force_login(association_officer)

    page = client.get(grid_url(scheme, hall)).content.decode()
    assert ours.code in page and theirs.code not in page
    assert "明码标价" in page  # an entered indicator
    assert "证照齐全有效" not in page  # derived from the archive, never entered

    response = client.post(
        grid_url(scheme, hall),
        {f"p-{ours.pk}-pricing": "9.5", f"e-{ours.pk}-pricing": "价签抽查合格"},
    )

    assert response.status_code == 302
    score = Score.objects.get(merchant=ours, indicator="pricing")
    assert (score.points, score.evidence) == (D("9.50"), "价签抽查合格")
    entry = AuditEntry.objects.for_object(score).get()
    assert (entry.actor, entry.source) == (association_officer, "admin")


def test_the_grid_ignores_another_associations_member_posted_by_hand(
    client, association_officer, market
):
    scheme, hall, _ours, theirs, _other = market
    client.force_login(association_officer)

    client.post(grid_url(scheme, hall), {f"p-{theirs.pk}-pricing": "9"})

    assert not Score.objects.filter(merchant=theirs).exists()


def test_the_grid_refuses_points_out_of_range_and_saves_nothing(client, regulator, market):
    scheme, hall, ours, *_rest = market
    client.force_login(regulator)

    response = client.post(
        grid_url(scheme, hall), {f"p-{ours.pk}-pricing": "12", f"p-{ours.pk}-premises": "3"}
    )

    assert response.status_code == 200
    assert "takes 0.00 to 10.00 points, not 12.00" in response.content.decode()
    assert not Score.objects.exists()


def test_the_grid_is_read_only_once_the_round_is_published(client, regulator, market, run_round):
    scheme, hall, ours, *_rest = market
    enter(scheme, ours, pricing=5)
    client.force_login(regulator)
    run_round(scheme)
    client.post(f"{BASE}rounds/{Round.objects.get().pk}/", {"action": "publish"})

    page = client.get(grid_url(scheme, hall)).content.decode()
    client.post(grid_url(scheme, hall), {f"p-{ours.pk}-pricing": "9"})

    assert "scores are frozen" in page
    assert Score.objects.get(merchant=ours).points == 5


# -- vetoes -----------------------------------------------------------------------------------


def test_officer_enters_and_withdraws_a_veto_for_an_own_member(client, association_officer, market):
    scheme, _hall, ours, theirs, _other = market
    client.force_login(association_officer)
    data = {
        "kind": "media",
        "decided_on": "2026-08-02",
        "reason": "以次充好被电视台曝光",
        "evidence": "广州电视台 2026-08-01 报道",
    }

    refused_page = client.post(f"{BASE}schemes/{scheme.pk}/vetoes/", {**data, "code": theirs.code})
    client.post(f"{BASE}schemes/{scheme.pk}/vetoes/", {**data, "code": ours.code})

    assert "You may not enter a veto" in refused_page.content.decode()
    veto = AssociationVeto.objects.get()
    assert veto.merchant == ours
    client.post(f"{BASE}vetoes/{veto.pk}/withdraw/", {"reason": "报道已更正"})
    veto.refresh_from_db()
    assert veto.withdrawn_on == datetime.date(2026, 11, 23)
    assert AuditEntry.objects.for_object(veto).filter(action="withdraw").exists()


# -- rounds -----------------------------------------------------------------------------------


def test_officer_may_look_at_rounds_but_not_run_them(client, association_officer, market):
    scheme, *_rest = market
    client.force_login(association_officer)

    assert client.get(f"{BASE}schemes/{scheme.pk}/rounds/").status_code == 200
    assert refused(client.post(f"{BASE}schemes/{scheme.pk}/rounds/"))
    assert not Round.objects.exists()


def test_regulator_runs_compares_publishes_and_revises(client, regulator, market, run_round):
    scheme, _hall, ours, *_rest = market
    enter(
        scheme,
        ours,
        premises=6,
        purchase_records=6,
        pricing=10,
        labelling=10,
        after_sales=8,
        training=7,
        complaints=10,
    )
    client.force_login(regulator)

    ran = run_round(scheme)
    round_ = Round.objects.get()
    assert ran["Location"] == f"{BASE}rounds/{round_.pk}/"
    page = client.get(ran["Location"]).content.decode()
    assert "Publish this round" in page
    assert "五星 · 5 stars" in page

    client.post(f"{BASE}rounds/{round_.pk}/", {"action": "publish"})
    round_.refresh_from_db()
    assert (round_.status, round_.published_by) == ("published", regulator)

    client.post(f"{BASE}rounds/{round_.pk}/", {"action": "revise", "reason": "复核投诉记录"})
    revision = Round.objects.get(revision=2)
    enter(scheme, ours, complaints=0)
    run_round(scheme)
    diff = client.get(f"{BASE}rounds/{revision.pk}/").content.decode()
    assert "1 member moved down" in diff
    assert "五星 → 四星" in diff


def test_a_running_round_shows_its_progress_and_refreshes(client, regulator, market):
    scheme, *_rest = market
    round_ = Round(scheme=scheme)
    round_.save()
    Round.objects.filter(pk=round_.pk).update(
        status="running", progress_step=5, progress_steps=13, progress_label="Rating members"
    )
    client.force_login(regulator)

    page = client.get(f"{BASE}rounds/{round_.pk}/").content.decode()

    assert '<meta http-equiv="refresh" content="3">' in page
    assert 'value="38"' in page and "Rating members" in page


# -- schemes ----------------------------------------------------------------------------------


def test_regulator_adds_a_scheme_from_its_yaml(client, regulator):
    PrecinctFactory(slug="beijing-road")
    AssociationFactory(slug="beijing-road-chamber")
    client.force_login(regulator)
    text = (SAMPLE_SCHEMES / "beijing-road-2026.yaml").read_text(encoding="utf-8")

    response = client.post(f"{BASE}schemes/add/", {"definition": text})

    assert response.status_code == 302
    scheme = Scheme.objects.get()
    assert scheme.slug == "beijing-road-2026"
    edit = client.get(f"{BASE}schemes/{scheme.pk}/").content.decode()
    assert "trading_conduct" in edit


def test_a_bad_definition_is_shown_with_the_reason(client, regulator):
    client.force_login(regulator)

    response = client.post(f"{BASE}schemes/add/", {"definition": "slug: x\nyear: 1066\n"})

    assert response.status_code == 200
    assert "must be a year" in response.content.decode()
    assert not Scheme.objects.exists()


def test_officer_reads_the_rules_of_the_scheme_but_cannot_change_them(
    client, association_officer, market
):
    scheme, *_rest = market
    client.force_login(association_officer)

    page = client.get(f"{BASE}schemes/{scheme.pk}/").content.decode()
    posted = client.post(f"{BASE}schemes/{scheme.pk}/", {"definition": "slug: x"})

    assert "明码标价" in page and "5 stars" in page
    assert "Save scheme" not in page
    assert refused(posted)


def test_roles_are_granted_in_settings_and_archive_staff_are_refused(client, owner, market):
    from django.contrib.auth.models import Permission

    from ratings.models import RatingRole
    from tests.factories import UserFactory

    client.force_login(owner)
    assert refused(client.get("/admin/ratingrole/"))

    granter = UserFactory(username="granter", is_staff=True)
    granter.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(
            content_type__app_label="ratings", codename__endswith="ratingrole"
        ),
    )
    staff = UserFactory(username="new-officer", is_staff=True)
    client.force_login(granter)
    _scheme, _hall, ours, *_rest = market
    response = client.post(
        "/admin/ratingrole/new/",
        {"user": staff.pk, "kind": "association_staff", "association": ours.association_id},
    )

    assert response.status_code == 302
    role = RatingRole.objects.get(user=staff)
    assert role.association == ours.association
    assert AuditEntry.objects.for_object(role).get().action == "create"
