"""Holding, publishing and hiding reviews: what the public sees and what staff do in the admin."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from merchants.audit import AuditEntry
from ratings.models import Review, ReviewModeration
from tests.factories import MerchantFactory, UserFactory
from tests.factories_ratings import ReviewFactory, form_data, review_path, scan

pytestmark = pytest.mark.django_db

REVIEWS = "/admin/reviews/"


def moderator(*codenames):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(content_type__app_label="ratings", codename__in=codenames),
    )
    return user


@pytest.fixture
def staff():
    return moderator("view_review", "moderate_review")


def public_page(merchant):
    response = Client().get(f"/en/m/{merchant.code}/")
    assert response.status_code == 200
    return response.content.decode()


def api_reviews(merchant):
    return Client().get(f"/api/v1/merchants/{merchant.code}").json()["reviews"]


def test_a_banned_word_holds_the_review(client):
    moderation = ReviewModeration.load()
    moderation.banned_words = "骗子"
    moderation.save()
    merchant = MerchantFactory()
    scan(client, merchant)
    response = client.post(review_path(merchant, "en"), form_data(comment="老板是骗 子！"))
    assert response["Location"].endswith("?held=1")
    review = Review.objects.get()
    assert (review.status, review.hold_reason) == ("held", "banned_word")
    assert "骗 子" not in public_page(merchant)
    assert api_reviews(merchant) == {"count": 0, "average": None}


def test_held_and_hidden_reviews_are_never_shown():
    merchant = MerchantFactory()
    ReviewFactory(merchant=merchant, comment="shown to all")
    ReviewFactory(merchant=merchant, comment="held back", status=Review.Status.HELD)
    ReviewFactory(merchant=merchant, comment="hidden away", status=Review.Status.HIDDEN)
    html = public_page(merchant)
    assert "shown to all" in html
    assert "held back" not in html
    assert "hidden away" not in html
    assert "1 review" in html
    assert "Too few reviews yet" in html
    assert api_reviews(merchant)["count"] == 1


def test_the_page_shows_the_average_from_five_reviews():
    merchant = MerchantFactory()
    for stars in (5, 4, 4, 5, 3):
        ReviewFactory(merchant=merchant, overall=stars)
    html = public_page(merchant)
    assert "5 reviews" in html
    assert "4.2 of 5" in html
    assert "Too few reviews yet" not in html
    assert "Service attitude:" in html
    assert api_reviews(merchant) == {"count": 5, "average": 4.2}


def test_publishing_a_held_review_puts_it_on_the_cached_page(staff):
    review = ReviewFactory(comment="后来才公开", status=Review.Status.HELD, hold_reason="burst")
    assert "后来才公开" not in public_page(review.merchant)  # now cached without it
    review.moderate(Review.Status.PUBLISHED, "A real visit.", staff)
    assert "后来才公开" in public_page(review.merchant)


def test_hiding_a_review_takes_it_off_the_cached_page_and_is_audited(staff):
    review = ReviewFactory(comment="电话 13800000000")
    assert "13800000000" in public_page(review.merchant)
    review.moderate(Review.Status.HIDDEN, "Personal data.", staff)
    assert "13800000000" not in public_page(review.merchant)
    entry = AuditEntry.objects.for_object(review).get()
    assert (entry.action, entry.actor, entry.reason) == ("withdraw", staff, "Personal data.")
    assert (entry.before["status"], entry.after["status"]) == ("published", "hidden")
    assert Review.objects.get().moderated_by == staff


def test_a_decision_needs_a_reason_and_a_change(staff):
    review = ReviewFactory()
    with pytest.raises(Exception, match="reason"):
        review.moderate(Review.Status.HIDDEN, "  ", staff)
    with pytest.raises(Exception, match="already"):
        review.moderate(Review.Status.PUBLISHED, "fine", staff)
    assert not AuditEntry.objects.for_object(review).exists()


@pytest.mark.parametrize("path", ["", "moderate/{pk}/", "inspect/{pk}/"])
def test_anonymous_visitors_are_sent_to_log_in(client, path):
    review = ReviewFactory()
    response = client.get(REVIEWS + path.format(pk=review.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("path", ["", "moderate/{pk}/", "inspect/{pk}/"])
def test_outsider_is_refused(client, outsider, path):
    review = ReviewFactory()
    client.force_login(outsider)
    response = client.get(REVIEWS + path.format(pk=review.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_archive_staff_without_review_rights_cannot_see_reviews(client, owner, member):
    review = ReviewFactory(comment="secret held", status=Review.Status.HELD)
    for user in (owner, member):
        client.force_login(user)
        listing = client.get(REVIEWS)
        assert (listing.status_code, listing["Location"]) == (302, "/admin/")
        decision = {"status": "published", "reason": "x"}
        refused = client.post(REVIEWS + f"moderate/{review.pk}/", decision)
        assert (refused.status_code, refused["Location"]) == (302, "/admin/")
    assert Review.objects.get().status == Review.Status.HELD


def test_staff_with_view_rights_see_the_queue_but_cannot_decide(client):
    viewer = moderator("view_review")
    held = ReviewFactory(comment="held one", status=Review.Status.HELD, hold_reason="burst")
    ReviewFactory(comment="quiet one")
    client.force_login(viewer)
    queue = client.get(REVIEWS, {"awaiting": "true"}).content.decode()
    assert "held one" in queue
    assert "quiet one" not in queue
    assert client.get(REVIEWS + f"inspect/{held.pk}/").status_code == 200
    response = client.post(
        REVIEWS + f"moderate/{held.pk}/", {"status": "published", "reason": "ok"}
    )
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert Review.objects.get(pk=held.pk).status == Review.Status.HELD


def test_staff_see_held_and_reported_reviews_in_the_queue(client, staff):
    ReviewFactory(comment="held one", status=Review.Status.HELD, hold_reason="banned_word")
    ReviewFactory(comment="reported one", open_reports=2)
    ReviewFactory(comment="quiet one")
    ReviewFactory(comment="hidden one", status=Review.Status.HIDDEN)
    client.force_login(staff)
    queue = client.get(REVIEWS, {"awaiting": "true"}).content.decode()
    assert "held one" in queue and "reported one" in queue
    assert "quiet one" not in queue and "hidden one" not in queue
    everything = client.get(REVIEWS).content.decode()
    assert all(text in everything for text in ("quiet one", "hidden one"))


def test_staff_publish_a_held_review_with_a_reason(client, staff):
    review = ReviewFactory(comment="<b>held</b>", status=Review.Status.HELD, hold_reason="burst")
    client.force_login(staff)
    page = client.get(REVIEWS + f"moderate/{review.pk}/")
    assert page.status_code == 200
    assert "&lt;b&gt;held&lt;/b&gt;" in page.content.decode()
    refused = client.post(REVIEWS + f"moderate/{review.pk}/", {"status": "published", "reason": ""})
    assert refused.status_code == 200
    assert Review.objects.get().status == Review.Status.HELD
    done = client.post(
        REVIEWS + f"moderate/{review.pk}/", {"status": "published", "reason": "Checked the scan."}
    )
    assert done.status_code == 302
    review.refresh_from_db()
    assert (review.status, review.moderation_reason) == ("published", "Checked the scan.")
    entry = AuditEntry.objects.for_object(review).get()
    assert (entry.actor, entry.source) == (staff, "admin")


def test_keeping_a_reported_review_closes_its_reports(client, staff):
    review = ReviewFactory()
    Client().post(f"/en/m/{review.merchant.code}/reviews/{review.pk}/report/", {"reason": "false"})
    client.force_login(staff)
    client.post(REVIEWS + f"moderate/{review.pk}/", {"status": "published", "reason": "Fair."})
    review.refresh_from_db()
    assert (review.status, review.open_reports) == ("published", 0)
    assert review.reports.get().resolved_at is not None
    assert not Review.objects.awaiting_moderation().exists()


def test_there_is_no_way_to_add_or_delete_reviews_in_the_admin(client, staff):
    review = ReviewFactory()
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    assert client.get(REVIEWS + "new/").status_code == 404
    assert client.post(REVIEWS + f"delete/{review.pk}/").status_code == 404
    assert Review.objects.count() == 1


def test_staff_edit_the_banned_word_list_in_the_admin_settings(client):
    editor = moderator()
    editor.user_permissions.add(
        Permission.objects.get(codename="change_reviewmoderation"),
        Permission.objects.get(codename="view_reviewmoderation"),
    )
    client.force_login(editor)
    form = client.get("/admin/settings/ratings/reviewmoderation/", follow=True)
    assert form.status_code == 200
    client.post(form.redirect_chain[-1][0], {"banned_words": "假货\n骗子"})
    assert ReviewModeration.load().word_list() == ["假货", "骗子"]
    visitor = Client()
    merchant = MerchantFactory()
    scan(visitor, merchant)
    visitor.post(review_path(merchant), form_data(comment="全是假货"))
    assert Review.objects.get().status == Review.Status.HELD


def test_the_queue_links_each_review_to_its_moderation_page(client, staff):
    review = ReviewFactory(status=Review.Status.HELD, hold_reason="burst")
    client.force_login(staff)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    html = client.get(REVIEWS + "?awaiting=true").content.decode()
    assert f'href="{REVIEWS}moderate/{review.pk}/"' in html
    assert client.get(f"{REVIEWS}moderate/{review.pk}/").status_code == 200


def test_staff_who_may_only_look_are_linked_to_the_review_itself(client):
    review = ReviewFactory(open_reports=1)
    client.force_login(moderator("view_review"))
    html = client.get(REVIEWS).content.decode()
    assert f'href="{REVIEWS}inspect/{review.pk}/"' in html
    assert f"{REVIEWS}moderate/{review.pk}/" not in html


def test_a_reported_review_shows_as_awaiting_a_decision(client, staff):
    review = ReviewFactory(open_reports=1)
    quiet = ReviewFactory(comment="没人举报")
    client.force_login(staff)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get(f"{REVIEWS}moderate/{review.pk}/").content.decode()
    assert "Reported 1 time: awaiting a decision" in page
    assert "No decision needed" not in page
    listing = client.get(REVIEWS).content.decode()
    assert listing.count("Reported 1 time: awaiting a decision") == 1
    assert "No decision needed" in listing
    assert "not held" not in listing
    assert str(quiet) in listing


def test_the_moderation_page_reads_its_audit_trail_in_the_staff_language(client, staff):
    from django.utils import translation

    review = ReviewFactory(open_reports=1)
    review.moderate(Review.Status.HIDDEN, "广告内容", staff)
    client.force_login(staff)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    html = client.get(f"{REVIEWS}moderate/{review.pk}/").content.decode()
    with translation.override("zh-hans"):
        published, hidden = str(Review.Status.PUBLISHED.label), str(Review.Status.HIDDEN.label)
    assert f"{published} → {hidden}" in html
    assert "published → hidden" not in html
