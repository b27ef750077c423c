"""Every portal view: the owner is served, another merchant and anonymous visitors are not."""

import datetime

import pytest

from merchants.models import Objection, RepairApplication
from ratings.models import ReviewReply
from tests.factories import InspectionFactory, LicenceFactory, MerchantFactory, PenaltyFactory
from tests.factories_portal import merchant_user, pdf_file, portal
from tests.factories_ratings import ReviewFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_a_fixed_day")]


@pytest.fixture
def shop():
    return MerchantFactory(name_zh="老字号茶行")


@pytest.fixture
def owner_client(client, shop):
    client.force_login(merchant_user(shop, username="shopkeeper"))
    return client


@pytest.fixture
def rival_client(client):
    client.force_login(merchant_user(MerchantFactory(name_zh="隔壁店"), username="rival"))
    return client


@pytest.fixture
def records(shop):
    """Something behind every portal address of ``shop``."""
    penalty = PenaltyFactory(
        merchant=shop, decided_on=datetime.date(2026, 3, 1), violation="秘密违规"
    )
    licence = LicenceFactory(merchant=shop)
    user = merchant_user(shop)
    objection = Objection.file(licence, "号码有误", user, [pdf_file("licence-proof.pdf")])
    repair = RepairApplication.apply(penalty, "承诺守法", "已整改", user, [pdf_file()])
    review = ReviewFactory(merchant=shop)
    ReviewReply.write(review, "谢谢光临", user)
    return {
        "penalty": penalty,
        "licence": licence,
        "objection": objection,
        "repair": repair,
        "review": review,
        "attachment": objection.attachments.get(),
    }


def paths(shop, records):
    code = shop.code
    return [
        portal(f"{code}/"),
        portal(f"{code}/timeline/"),
        portal(f"{code}/object/penalty/{records['penalty'].pk}/"),
        portal(f"{code}/repair/{records['penalty'].pk}/"),
        portal(f"{code}/objections/{records['objection'].pk}/"),
        portal(f"{code}/repairs/{records['repair'].pk}/"),
        portal(f"{code}/attachments/{records['attachment'].pk}/"),
        portal(f"{code}/reviews/{records['review'].pk}/reply/"),
    ]


def test_the_owner_opens_every_view(owner_client, shop, records):
    for path in paths(shop, records):
        assert owner_client.get(path).status_code == 200, path


def test_another_merchant_finds_nothing_at_any_of_them(rival_client, shop, records):
    for path in paths(shop, records):
        response = rival_client.get(path)
        assert response.status_code == 404, path
        assert "秘密违规" not in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client, shop, records):
    for path in [portal(), *paths(shop, records)]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/portal/sign-in/")


def test_staff_without_a_merchant_account_see_no_business(client, owner, shop, records):
    client.force_login(owner)
    assert client.get(portal(f"{shop.code}/")).status_code == 404


def test_another_merchants_record_cannot_be_objected_to_through_ones_own_code(
    client, shop, records
):
    other = MerchantFactory()
    client.force_login(merchant_user(other))
    response = client.post(
        portal(f"{other.code}/object/penalty/{records['penalty'].pk}/"), {"reason": "不是我的"}
    )
    assert response.status_code == 404
    assert not Objection.objects.filter(target_kind="penalty", target_id=records["penalty"].pk)


def test_the_owner_sees_what_the_public_cannot(owner_client, shop):
    PenaltyFactory(merchant=shop, decided_on=datetime.date(2024, 1, 1), violation="过期的处罚")
    withdrawn = InspectionFactory(merchant=shop, findings="记录有误")
    withdrawn.withdraw("error", "录入错误")
    page = owner_client.get(portal(f"{shop.code}/")).content.decode()
    assert "过期的处罚" in page
    assert "Publicity period ended" in page or "公示期" in page
    assert "录入错误" in page


def test_a_chain_owner_chooses_among_their_businesses(client):
    first, second = MerchantFactory(name_zh="一号店"), MerchantFactory(name_zh="二号店")
    client.force_login(merchant_user(first, second))
    page = client.get(portal()).content.decode()
    assert "一号店" in page and "二号店" in page


def test_a_single_business_opens_directly(owner_client, shop):
    response = owner_client.get(portal())
    assert response["Location"] == portal(f"{shop.code}/")


def test_the_portal_speaks_english_under_en(owner_client, shop):
    page = owner_client.get(portal(f"{shop.code}/", "en")).content.decode()
    assert "What you can do next" in page


def test_scans_per_day_are_drawn_for_the_last_30_days(owner_client, shop):
    from tests.factories_print import issue

    placard = issue(shop)
    from print_templates.models import PlacardScan

    PlacardScan.bump(day=datetime.date(2026, 11, 22), placard=placard)
    page = owner_client.get(portal(f"{shop.code}/")).content.decode()
    assert page.count('<span style="height:') == 30
    assert 'style="height:100%" title="11-22: 1"' in page


def test_the_timeline_lists_records_objections_replies_and_reviews_newest_first(
    owner_client, shop, records
):
    page = owner_client.get(portal(f"{shop.code}/timeline/", "en")).content.decode()
    for text in ["Objection to", "Credit repair of", "Reply to review", "#"]:
        assert text in page
    assert page.index("Reply to review") < page.index("Objection to")


def test_staff_read_the_same_timeline_in_the_admin(client, member, shop, records):
    client.force_login(member)
    page = client.get("/admin/business-timeline/", {"code": shop.code}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and "Objection to" in page.content.decode()


def test_the_admin_timeline_refuses_an_outsider(client, outsider, shop):
    client.force_login(outsider)
    response = client.get("/admin/business-timeline/", {"code": shop.code})
    assert response.status_code in (302, 403)


def test_records_appear_on_the_day_they_happened_not_the_day_they_were_entered(owner_client, shop):
    InspectionFactory(merchant=shop, inspected_on=datetime.date(2021, 5, 6), findings="旧检查")
    PenaltyFactory(merchant=shop, decided_on=datetime.date(2024, 7, 8), violation="中间的处罚")
    page = owner_client.get(portal(f"{shop.code}/timeline/", "en")).content.decode()
    assert "2021-05-06" in page and "2024-07-08" in page
    assert page.index("2024-07-08") < page.index("2021-05-06")


def test_the_timeline_has_each_published_rating_and_revision(client, member):
    from tests.factories_ratings import enter, load_sample_scheme, publish, yide_member

    scheme, precinct, association = load_sample_scheme("yide-road-2026")
    stall = yide_member(scheme, precinct, association, level="4")
    publish(scheme)
    scheme.latest_round().revise("更正投诉处理得分")
    enter(scheme, stall, complaints=10)
    publish(scheme)
    client.force_login(merchant_user(stall))
    page = client.get(portal(f"{stall.code}/timeline/", "en")).content.decode()
    revised = page.index("5 stars, 90 points")
    first = page.index("4 stars, 80 points")
    assert revised < first  # newest first
    assert "revision 2 published" in page and "更正投诉处理得分" in page
    assert "Indicator score" in page  # the corrected score's own entry
    # named by its indicator in words, not by the scheme's key
    assert "Complaints resolved" in page and "complaints 10" not in page
    client.force_login(member)
    admin = client.get(
        "/admin/business-timeline/", {"code": stall.code}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "revision 2 published" in admin
