"""The business's public reply: one per review, edits kept, banned words held, shown on the page."""

import pytest
from django.core.exceptions import ValidationError

from ratings.models import ReviewModeration, ReviewReply
from tests.admin_pages import results
from tests.factories import MerchantFactory
from tests.factories_portal import merchant_user, portal
from tests.factories_ratings import ReviewFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_a_fixed_day")]


@pytest.fixture
def review():
    return ReviewFactory(merchant=MerchantFactory(), comment="茶不错，就是贵。")


def test_a_reply_appears_under_the_review_marked_as_the_business(client, review):
    client.force_login(merchant_user(review.merchant))
    client.post(
        portal(f"{review.merchant.code}/reviews/{review.pk}/reply/"), {"text": "感谢建议，已调价。"}
    )
    client.logout()
    page = client.get(f"/en/m/{review.merchant.code}/").content.decode()
    assert "Reply from the business" in page and "感谢建议，已调价。" in page


def test_a_changed_reply_drops_the_cached_page_and_keeps_its_history(client, review):
    user = merchant_user(review.merchant)
    ReviewReply.write(review, "第一版", user)
    assert "第一版" in client.get(f"/m/{review.merchant.code}/").content.decode()
    reply = ReviewReply.write(review, "第二版", user)
    page = client.get(f"/m/{review.merchant.code}/").content.decode()
    assert "第二版" in page and "第一版" not in page
    assert ReviewReply.objects.count() == 1
    assert [entry.after["text"] for entry in reply.history()] == ["第二版", "第一版"]


def test_a_reply_with_a_banned_word_is_held_and_not_shown(client, review):
    ReviewModeration.objects.create(banned_words="骗子")
    reply = ReviewReply.write(review, "你才是骗 子", merchant_user(review.merchant))
    assert reply.status == ReviewReply.Status.HELD
    assert "你才是" not in client.get(f"/m/{review.merchant.code}/").content.decode()


def test_the_portal_says_a_reply_is_held(client, review):
    ReviewModeration.objects.create(banned_words="骗子")
    client.force_login(merchant_user(review.merchant))
    response = client.post(
        portal(f"{review.merchant.code}/reviews/{review.pk}/reply/", "en"),
        {"text": "骗子评价"},
        follow=True,
    )
    assert "held until staff check it" in response.content.decode()


def test_staff_may_hide_a_reply_which_then_cannot_be_edited(client, review, owner):
    user = merchant_user(review.merchant)
    reply = ReviewReply.write(review, "不当言论", user)
    reply.moderate(ReviewReply.Status.HIDDEN, "人身攻击", owner)
    assert "不当言论" not in client.get(f"/m/{review.merchant.code}/").content.decode()
    with pytest.raises(ValidationError):
        ReviewReply.write(review, "换个说法", user)


def test_an_empty_or_overlong_reply_is_refused_in_words(client, review):
    client.force_login(merchant_user(review.merchant))
    path = portal(f"{review.merchant.code}/reviews/{review.pk}/reply/", "en")
    assert "This field is required" in client.post(path, {"text": ""}).content.decode()
    too_long = client.post(path, {"text": "长" * 501})
    assert too_long.status_code == 200 and not ReviewReply.objects.exists()


def test_a_hidden_review_cannot_be_replied_to(client, review):
    review.status = review.Status.HIDDEN
    review.save()
    client.force_login(merchant_user(review.merchant))
    response = client.post(
        portal(f"{review.merchant.code}/reviews/{review.pk}/reply/"), {"text": "x"}
    )
    assert response.status_code == 404


@pytest.fixture
def moderator(db):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    user = UserFactory(username="moderator", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_reviewreply"),
        Permission.objects.get(codename="moderate_reviewreply"),
    )
    return user


def test_staff_publish_a_held_reply_in_the_admin_and_it_appears(client, review, moderator):
    ReviewModeration.objects.create(banned_words="骗子")
    reply = ReviewReply.write(review, "说我们是骗子的评价不实", merchant_user(review.merchant))
    client.force_login(moderator)
    listing = results(client, "/admin/review-replies/", {"status": "held"})
    assert f"/admin/review-replies/moderate/{reply.pk}/" in listing
    client.post(
        f"/admin/review-replies/moderate/{reply.pk}/",
        {"status": "published", "reason": "澄清事实，可以发布"},
    )
    client.logout()
    assert "说我们是骗子的评价不实" in client.get(f"/m/{review.merchant.code}/").content.decode()


def test_staff_with_view_rights_only_cannot_moderate_replies(client, review, member):
    from django.contrib.auth.models import Permission

    member.user_permissions.add(Permission.objects.get(codename="view_reviewreply"))
    ReviewModeration.objects.create(banned_words="骗子")
    reply = ReviewReply.write(review, "骗子", merchant_user(review.merchant))
    client.force_login(member)
    client.post(
        f"/admin/review-replies/moderate/{reply.pk}/", {"status": "published", "reason": "x"}
    )
    reply.refresh_from_db()
    assert reply.status == ReviewReply.Status.HELD


def test_an_outsider_cannot_reach_reply_moderation(client, review, outsider):
    reply = ReviewReply.write(review, "谢谢", merchant_user(review.merchant))
    client.force_login(outsider)
    response = client.get(f"/admin/review-replies/moderate/{reply.pk}/")
    assert response.status_code in (302, 403)
