"""The round page's "Print plaques for this round": confirmed, permission-checked, audited."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from wagtail.users.models import UserProfile

from merchants.audit import AuditEntry
from print_templates.models import Placard, PrintJob
from tests.factories import PrecinctFactory
from tests.factories_ratings import load_sample_scheme, publish, veto, yide_member

pytestmark = pytest.mark.django_db
PLAQUE = "star-plaque"


@pytest.fixture(autouse=True)
def _late_2026(on_a_fixed_day, settings, tmp_path):
    settings.PLACARD_PRINT_ROOT = tmp_path / "print-jobs"


def in_english(user):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


def may_print(user):
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="print_templates"))
    return user


@pytest.fixture
def owner(association_officer):
    """The chamber's officer who may also print: the round's plaques are theirs to print."""
    return may_print(association_officer)


@pytest.fixture
def published(association_officer):
    in_english(association_officer)
    """The Yide Road round published: a 5- and a 4-star stall in two markets, a 3, a vetoed."""
    scheme, area, chamber = load_sample_scheme("yide-road-2026")
    other = PrecinctFactory(slug="xinya", parent=area)
    members = {
        "5": yide_member(scheme, area, chamber, "5", name_zh="泰和海味"),
        "4": yide_member(scheme, other, chamber, "4"),
        "3": yide_member(scheme, area, chamber, "3", name_zh="金记干果"),
        "vetoed": yide_member(scheme, area, chamber, "5", name_zh="海记"),
    }
    veto(scheme, members["vetoed"])
    publish(scheme)
    return scheme.rounds.get(), members


def url(round_):
    return f"/admin/star-ratings/rounds/{round_.pk}/plaques/"


def test_the_published_round_offers_the_button_to_those_who_may_print(client, owner, published):
    round_, _members = published
    client.force_login(owner)
    html = client.get(f"/admin/star-ratings/rounds/{round_.pk}/").content.decode()
    assert "Print plaques for this round" in html and url(round_) in html


def test_a_get_only_asks_for_confirmation(client, owner, published):
    round_, _members = published
    client.force_login(owner)
    before = Placard.objects.count()

    response = client.get(url(round_))

    assert response.status_code == 200
    text = response.content.decode()
    assert "2 members have 4 or 5 stars" in text and "2 print jobs" in text
    assert Placard.objects.count() == before


def test_the_owner_prints_one_job_per_precinct_audited_as_theirs(client, owner, published):
    round_, members = published
    client.force_login(owner)
    jobs_before = set(PrintJob.objects.values_list("pk", flat=True))
    first = Placard.objects.get(merchant=members["5"], template=PLAQUE)

    response = client.post(url(round_), {"codes": ""}, follow=True)

    text = response.content.decode()
    assert "2 plaques sent to print in 2 print jobs." in text
    assert 'href="/admin/print-jobs/"' in text  # the message links to the print job list
    new_jobs = PrintJob.objects.exclude(pk__in=jobs_before)
    assert new_jobs.count() == 2 and all(job.requested_by == owner for job in new_jobs)
    first.refresh_from_db()
    assert first.state == Placard.State.OUTDATED  # the fresh plaque replaces a lost one
    fresh = Placard.objects.current().filter(template=PLAQUE, print_job__in=new_jobs)
    assert {placard.merchant for placard in fresh} == {members["5"], members["4"]}
    assert (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Placard),
            object_id__in=[str(placard.pk) for placard in fresh],
            actor=owner,
        ).count()
        == 2
    )


def test_merchants_without_an_eligible_result_are_refused_with_the_reason(client, owner, published):
    round_, members = published
    client.force_login(owner)
    before = Placard.objects.count()
    codes = "\n".join([members["5"].code, members["3"].code, members["vetoed"].code])

    text = client.post(url(round_), {"codes": codes}).content.decode()

    assert "No plaque was printed" in text
    assert "3 stars in this round: a plaque needs 4 or 5 stars" in text
    assert "vetoed (no stars) in this round" in text
    assert Placard.objects.count() == before


def test_one_eligible_merchant_gets_its_plaque(client, owner, published):
    round_, members = published
    client.force_login(owner)

    client.post(url(round_), {"codes": members["4"].code.lower()})

    assert Placard.objects.current().filter(merchant=members["4"], template=PLAQUE).count() == 1
    assert Placard.objects.filter(merchant=members["4"], template=PLAQUE).count() == 2


def test_a_mistyped_code_gets_a_clear_message(client, owner, published):
    round_, _members = published
    client.force_login(owner)
    response = client.post(url(round_), {"codes": "91350100M000100Y4X"})
    assert response.status_code == 200
    assert "No plaque" not in response.content.decode()
    assert "91350100M000100Y4X" in response.content.decode()


def test_a_member_without_the_print_right_is_refused(client, association_officer, published):
    round_, _members = published
    client.force_login(association_officer)
    before = Placard.objects.count()
    html = client.get(f"/admin/star-ratings/rounds/{round_.pk}/").content.decode()
    assert "Print plaques for this round" not in html
    assert client.get(url(round_)).status_code in (302, 403)
    assert client.post(url(round_), {"codes": ""}).status_code in (302, 403)
    assert Placard.objects.count() == before


def test_an_outsider_is_refused(client, outsider, published):
    round_, _members = published
    before = Placard.objects.count()
    client.force_login(outsider)
    assert client.post(url(round_), {"codes": ""}).status_code in (302, 403)
    client.logout()
    response = client.post(url(round_), {"codes": ""})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert Placard.objects.count() == before


def test_a_printer_of_another_association_cannot_see_the_round(client, published):
    from tests.conftest import _rating_staff
    from tests.factories import AssociationFactory

    round_, _members = published
    stranger = may_print(
        _rating_staff(
            "stranger", kind="association_staff", association=AssociationFactory(slug="other")
        )
    )
    client.force_login(stranger)
    before = Placard.objects.count()
    assert client.post(url(round_), {"codes": ""}).status_code == 404
    assert Placard.objects.count() == before


def test_a_round_not_yet_published_prints_nothing(client, owner):
    in_english(owner)
    scheme, area, chamber = load_sample_scheme("yide-road-2026")
    yide_member(scheme, area, chamber, "5")
    publish(scheme)
    revision = scheme.rounds.get().revise("更正评分")
    client.force_login(owner)
    before = Placard.objects.count()

    response = client.post(url(revision), {"codes": ""}, follow=True)

    assert "Plaques are printed from the published round only." in response.content.decode()
    assert Placard.objects.count() == before


def test_a_round_without_four_or_five_star_members_says_nothing_was_printed(client, owner):
    in_english(owner)
    scheme, area, chamber = load_sample_scheme("yide-road-2026")
    yide_member(scheme, area, chamber, "3")
    publish(scheme)
    client.force_login(owner)

    response = client.post(url(scheme.rounds.get()), {"codes": ""}, follow=True)

    assert "No member has 4 or 5 stars in this round: nothing was printed." in (
        response.content.decode()
    )
    assert not PrintJob.objects.exists()
