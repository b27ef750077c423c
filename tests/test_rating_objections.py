"""Objections to an indicator score or a star rating: filed in the portal, marked on the
public pages, decided by the staff of the association that runs the scheme."""

import datetime
import decimal

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.exceptions import ValidationError

from merchants.models import Objection
from ratings.models import RatingRole, Round, Score
from tests.admin_pages import results
from tests.factories import AssociationFactory, MerchantFactory, UserFactory
from tests.factories_portal import merchant_user, pdf_file, portal
from tests.factories_ratings import load_sample_scheme, publish, yide_member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_a_fixed_day")]

DECIDE = ("decide_objection", "view_objection")


def may_decide_objections(user):
    user.user_permissions.add(*Permission.objects.filter(codename__in=DECIDE))
    return user


@pytest.fixture
def chamber_officer(association_officer):
    """Staff of the Yide Road chamber, which runs the scheme, with the right to decide."""
    return may_decide_objections(association_officer)


@pytest.fixture
def rated_stall(chamber_officer):
    """A chamber member rated four stars (no points for complaints) in a published round."""
    scheme, precinct, association = load_sample_scheme("yide-road-2026")
    stall = yide_member(scheme, precinct, association, level="4", name_zh="宏记海味")
    publish(scheme)
    return stall, scheme


def complaints_score(stall, scheme):
    return Score.objects.get(scheme=scheme, merchant=stall, indicator="complaints")


def test_an_upheld_score_objection_corrects_the_score_in_a_revision_and_the_stars_follow(
    client, rated_stall, chamber_officer, regulator, django_capture_on_commit_callbacks
):
    stall, scheme = rated_stall
    score = complaints_score(stall, scheme)

    # The merchant reads its breakdown in the portal and objects to one score.
    client.force_login(merchant_user(stall, language="en"))
    page = client.get(portal(f"{stall.code}/", "en")).content.decode()
    assert "Complaints resolved" in page and "0 of 10" in page
    link = portal(f"{stall.code}/object/indicator_score/{score.pk}/", "en")
    assert f'href="{link}"' in page
    form = client.get(link).content.decode()
    assert "Complaints resolved, 0 points" in form and "trade association" in form
    filed = client.post(
        link, {"reason": "The two complaints were resolved in June.", "attachments": [pdf_file()]}
    )
    objection = Objection.objects.get()
    assert filed["Location"] == portal(f"{stall.code}/objections/{objection.pk}/", "en")
    assert objection.authority == stall.association.name_zh
    client.logout()

    # While it is open the rating stays public, marked, and so does the indicator.
    public = client.get(f"/en/m/{stall.code}/").content.decode()
    assert "4 stars" in public and "under objection" in public
    breakdown = client.get(f"/en/m/{stall.code}/rating/").content.decode()
    row = breakdown[breakdown.index("Complaints resolved") :]
    assert row[: row.index("</tr>")].count("under objection") == 1

    # The chamber's staff find it in their queue and uphold it with the corrected points.
    client.force_login(chamber_officer)
    queue = results(client, "/admin/archive/objections/", {"status": "open"})
    assert f"/admin/archive/objections/decide/{objection.pk}/" in queue
    decide = f"/admin/archive/objections/decide/{objection.pk}/"
    missing = client.post(
        decide, {"decision": "correct", "reason": "Records checked."}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert missing.status_code == 200
    assert "Give the corrected points of the score." in missing.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        decided = client.post(
            decide,
            {"decision": "correct", "correction": "10", "reason": "投诉已于六月处理完毕。"},
        )
    assert decided.status_code == 302

    # The score is corrected (audited, with the reasons); the published round gets a
    # revision with the same reasons, run in the background and left for a regulator.
    score.refresh_from_db()
    assert score.points == decimal.Decimal(10)
    assert score.audit_entries().filter(actor=chamber_officer, reason="投诉已于六月处理完毕。")
    objection.refresh_from_db()
    assert (objection.status, objection.outcome) == ("upheld", "corrected")
    revision = scheme.latest_round()
    assert (revision.revision, revision.status) == (2, Round.Status.COMPUTED)
    assert revision.reason == "投诉已于六月处理完毕。"
    assert mail.outbox[-1].to == [stall.accounts.get().user.email]
    assert "投诉已于六月处理完毕。" in mail.outbox[-1].body
    client.logout()
    public = client.get(f"/en/m/{stall.code}/").content.decode()
    assert "4 stars" in public and "under objection" not in public

    # A regulator publishes the revision: the public page shows five stars.
    revision.publish(regulator)
    public = client.get(f"/en/m/{stall.code}/").content.decode()
    assert "5 stars" in public and "4 stars" not in public


def test_an_upheld_rating_objection_opens_a_revision(client, rated_stall, chamber_officer):
    stall, scheme = rated_stall
    result = scheme.latest_round().results.get(merchant=stall)
    client.force_login(merchant_user(stall))
    page = client.get(portal(f"{stall.code}/", "en")).content.decode()
    assert portal(f"{stall.code}/object/rating/{result.pk}/", "en") in page
    client.post(portal(f"{stall.code}/object/rating/{result.pk}/"), {"reason": "评级有误"})
    objection = Objection.objects.get()
    assert "under objection" in client.get(f"/en/m/{stall.code}/").content.decode()
    client.force_login(chamber_officer)
    client.post(
        f"/admin/archive/objections/decide/{objection.pk}/",
        {"decision": "revise", "reason": "重新核对投诉记录。"},
    )
    objection.refresh_from_db()
    assert (objection.status, objection.outcome) == ("upheld", "revised")
    revision = scheme.latest_round()
    assert (revision.revision, revision.status, revision.reason) == (
        2,
        Round.Status.DRAFT,
        "重新核对投诉记录。",
    )
    # Scores are open again for the association to correct.
    assert scheme.scoring_open
    # Meanwhile the public page (cached before the decision) and the portal say a
    # corrected rating is on its way; publishing the revision ends the notice.
    notice = "A corrected rating is being prepared in a revision of this round"
    assert notice in client.get(f"/en/m/{stall.code}/").content.decode()
    assert notice in client.get(f"/en/m/{stall.code}/rating/").content.decode()
    client.force_login(merchant_user(stall, language="en", username="owner-again"))
    assert notice in client.get(portal(f"{stall.code}/", "en")).content.decode()
    publish(scheme)
    assert notice not in client.get(f"/en/m/{stall.code}/").content.decode()


def test_a_rejected_objection_is_recorded_mailed_and_unmarks_the_rating(
    client, rated_stall, chamber_officer, django_capture_on_commit_callbacks
):
    stall, scheme = rated_stall
    client.force_login(merchant_user(stall))
    score = complaints_score(stall, scheme)
    client.post(portal(f"{stall.code}/object/indicator_score/{score.pk}/"), {"reason": "不服"})
    objection = Objection.objects.get()
    client.force_login(chamber_officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/admin/archive/objections/decide/{objection.pk}/",
            {"decision": "reject", "reason": "投诉记录属实。"},
        )
    objection.refresh_from_db()
    assert (objection.status, objection.decision_reason) == ("rejected", "投诉记录属实。")
    assert objection.audit_entries().filter(actor=chamber_officer).exists()
    assert "投诉记录属实。" in mail.outbox[-1].body
    score.refresh_from_db()
    assert score.points == 0 and scheme.latest_round().revision == 1
    client.logout()
    public = client.get(f"/en/m/{stall.code}/").content.decode()
    assert "4 stars" in public and "under objection" not in public


def test_outsiders_and_other_merchants_cannot_object(client, rated_stall, outsider):
    stall, scheme = rated_stall
    score = complaints_score(stall, scheme)
    result = scheme.latest_round().results.get(merchant=stall)
    paths = [
        portal(f"{stall.code}/object/indicator_score/{score.pk}/"),
        portal(f"{stall.code}/object/rating/{result.pk}/"),
    ]
    for path in paths:
        assert client.post(path, {"reason": "x"})["Location"].startswith(portal("sign-in/"))
    client.force_login(outsider)
    for path in paths:
        assert client.post(path, {"reason": "x"}).status_code == 404
    # Another merchant may not reach this stall's score even through its own code.
    other = MerchantFactory()
    client.force_login(merchant_user(other))
    for path in paths:
        assert client.post(path.replace(stall.code, other.code), {"reason": "x"}).status_code == 404
    assert not Objection.objects.exists()


def test_staff_of_another_association_or_of_the_archive_cannot_decide(client, rated_stall, owner):
    stall, scheme = rated_stall
    objection = Objection.file(complaints_score(stall, scheme), "不服", UserFactory())
    stranger = may_decide_objections(UserFactory(username="other-chamber", is_staff=True))
    stranger.user_permissions.add(Permission.objects.get(codename="access_admin"))
    # Another district's chamber of the same Chinese name: names are not unique.
    namesake = AssociationFactory(name_zh=stall.association.name_zh)
    RatingRole.objects.create(user=stranger, kind="association_staff", association=namesake)
    decide = f"/admin/archive/objections/decide/{objection.pk}/"
    for user in (stranger, owner):
        client.force_login(user)
        assert f"/decide/{objection.pk}/" not in results(client, "/admin/archive/objections/", {})
        response = client.post(decide, {"decision": "reject", "reason": "不成立"})
        assert response.status_code in (302, 403)  # Wagtail sends refused staff home
    objection.refresh_from_db()
    assert objection.is_open


def test_only_the_score_of_a_published_rating_can_be_objected_to(chamber_officer):
    scheme, precinct, association = load_sample_scheme("yide-road-2026")
    stall = yide_member(scheme, precinct, association, level="4")
    score = Score.objects.filter(merchant=stall).first()
    with pytest.raises(ValidationError, match="published rating"):
        Objection.file(score, "不服", UserFactory())


def test_a_superseded_rating_cannot_be_objected_to(rated_stall):
    stall, scheme = rated_stall
    first = scheme.latest_round().results.get(merchant=stall)
    publish(scheme)
    with pytest.raises(ValidationError, match="later revision"):
        Objection.file(first, "不服", UserFactory(), day=datetime.date(2026, 11, 23))


def test_the_objection_form_names_who_decides(client, rated_stall):
    """An association's rating is decided by the association; a district-wide grade by the
    district's regulator, and the form says so before the merchant files."""
    stall, scheme = rated_stall
    result = scheme.latest_round().results.get(merchant=stall)
    client.force_login(merchant_user(stall, language="en"))
    form = client.get(portal(f"{stall.code}/object/rating/{result.pk}/", "en")).content.decode()
    assert "trade association that runs the rating decides" in form
    assert "regulator" not in form

    grade, district, _none = load_sample_scheme("yuexiu-credit-grade-2026")
    assert grade.association is None
    shop = MerchantFactory(precinct=district)
    publish(grade)
    graded = grade.latest_round().results.get(merchant=shop)
    client.force_login(merchant_user(shop, language="en"))
    form = client.get(portal(f"{shop.code}/object/rating/{graded.pk}/", "en")).content.decode()
    assert "district's credit regulator, which runs this rating, decides" in form
    assert "trade association" not in form


def test_a_score_corrected_while_its_round_is_being_computed_is_refused(
    rated_stall, chamber_officer
):
    stall, scheme = rated_stall
    objection = Objection.file(complaints_score(stall, scheme), "不服", UserFactory())
    revision = scheme.latest_round().revise("复核")
    Round.objects.filter(pk=revision.pk).update(status=Round.Status.RUNNING)
    with pytest.raises(ValidationError, match="being computed now"):
        objection.uphold("投诉已处理。", chamber_officer, correction="10")
    assert complaints_score(stall, scheme).points == 0
    objection.refresh_from_db()
    assert objection.is_open


def test_a_round_computed_from_the_old_score_cannot_be_published_before_its_rerun(
    rated_stall, chamber_officer, regulator, django_capture_on_commit_callbacks
):
    """Upheld while a computed revision waits for a regulator: the revision goes back to
    draft at once (a regulator cannot publish the stale figures), then is run again."""
    stall, scheme = rated_stall
    objection = Objection.file(complaints_score(stall, scheme), "不服", UserFactory())
    revision = scheme.latest_round().revise("复核")
    from ratings import computation

    computation.run(revision)
    with django_capture_on_commit_callbacks(execute=False) as rerun:
        objection.uphold("投诉已处理。", chamber_officer, correction="10")
    revision.refresh_from_db()
    assert revision.status == Round.Status.DRAFT
    with pytest.raises(ValidationError):
        revision.publish(regulator)
    for callback in rerun:
        callback()
    revision.refresh_from_db()
    assert revision.status == Round.Status.COMPUTED
    revision.publish(regulator)
    assert revision.results.get(merchant=stall).stars == 5
