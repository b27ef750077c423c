"""Invisible and look-alike characters in review comments: stripped, normalised, matched."""

import pytest

from ratings.models import Review, ReviewModeration
from tests.factories import MerchantFactory
from tests.factories_ratings import form_data, review_path, scan

pytestmark = pytest.mark.django_db

ZERO_WIDTH_SPACE = "\u200b"
SOFT_HYPHEN = "\u00ad"
RIGHT_TO_LEFT_OVERRIDE = "\u202e"
ZERO_WIDTH_JOINER = "\u200d"
BOM = "\ufeff"


@pytest.fixture
def banned():
    moderation = ReviewModeration.load()
    moderation.banned_words = "骗子\nscam"
    moderation.save()


def post_comment(client, comment):
    merchant = MerchantFactory()
    scan(client, merchant)
    response = client.post(review_path(merchant, "en"), form_data(comment=comment))
    assert response.status_code == 303
    return Review.objects.get(merchant=merchant)


@pytest.mark.parametrize(
    "comment",
    [
        f"骗{ZERO_WIDTH_SPACE}子",
        f"骗{SOFT_HYPHEN}子",
        f"s{ZERO_WIDTH_JOINER}c{BOM}am",
        "ｓｃａｍ shop",  # full-width letters
        "𝐬𝐜𝐚𝐦",  # mathematical bold
        f"老板是骗{RIGHT_TO_LEFT_OVERRIDE}子",
    ],
)
def test_invisible_or_look_alike_characters_do_not_hide_a_banned_word(client, banned, comment):
    review = post_comment(client, comment)
    assert (review.status, review.hold_reason) == ("held", "banned_word")


def test_invisible_characters_are_not_stored(client):
    review = post_comment(
        client, f"价格{ZERO_WIDTH_SPACE}清楚{SOFT_HYPHEN}，{RIGHT_TO_LEFT_OVERRIDE}服务好{BOM}"
    )
    assert review.comment == "价格清楚，服务好"


def test_a_right_to_left_override_cannot_reverse_the_comment_on_the_page(client):
    review = post_comment(client, f"good {RIGHT_TO_LEFT_OVERRIDE}eciffo")
    assert review.comment == "good eciffo"
    html = client.get(f"/en/m/{review.merchant.code}/").content.decode()
    assert RIGHT_TO_LEFT_OVERRIDE not in html


def test_full_width_letters_are_stored_plain_and_chinese_punctuation_kept(client):
    review = post_comment(client, "ＡＢＣ茶行１２３号，很好！")
    assert review.comment == "ABC茶行123号，很好！"
