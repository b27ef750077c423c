"""End to end: invitation → sign-in → objection → staff decision → mail → public page."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail

from merchants.models import Invitation, Objection, Penalty, RepairApplication
from tests.admin_pages import results
from tests.factories import MerchantFactory, PenaltyFactory, UserFactory
from tests.factories_portal import pdf_file, portal

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_a_fixed_day")]

AUTHORITY = "越秀区市场监督管理局"
NEW_PASSWORD = "Ming-Tea-House-2026!"


@pytest.fixture
def regulator(db):
    """Staff of the penalty's authority who may decide objections and repairs."""
    user = UserFactory(username="regulator", is_staff=True)
    group = Group.objects.create(name=AUTHORITY)
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="decide_objection"),
        Permission.objects.get(codename="view_objection"),
        Permission.objects.get(codename="decide_repairapplication"),
        Permission.objects.get(codename="view_repairapplication"),
    )
    user.groups.add(group)
    return user


def invite(client, owner, merchant, email="boss@example.org", language="zh-hans"):
    client.force_login(owner)
    response = client.post(
        "/admin/archive/invitations/new/",
        {"code": merchant.code.lower(), "email": email, "language": language},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    client.logout()
    link = response.context["link"]
    return link[link.index("/portal/") :]


@pytest.fixture
def inviter(owner):
    owner.user_permissions.add(Permission.objects.get(codename="add_invitation"))
    return owner


def test_invitation_sign_in_objection_decision_and_public_page(
    client, inviter, regulator, django_capture_on_commit_callbacks
):
    shop = MerchantFactory(name_zh="明记茶行")
    penalty = PenaltyFactory(
        merchant=shop, decided_on=datetime.date(2026, 10, 1), violation="价格标示不清"
    )

    # Staff invite the business; the link is mailed in the merchant's language.
    path = invite(client, inviter, shop)
    assert mail.outbox[-1].to == ["boss@example.org"]
    assert "明记茶行" in mail.outbox[-1].subject and path in mail.outbox[-1].body

    # The merchant chooses a password that Django's validators accept.
    weak = client.post(
        path,
        {
            "username": "ming",
            "email": "boss@example.org",
            "password1": "12345678",
            "password2": "12345678",
        },
    )
    assert weak.status_code == 200 and "password2" in weak.context["form"].errors
    created = client.post(
        path,
        {
            "username": "ming",
            "email": "boss@example.org",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert created["Location"] == portal(f"{shop.code}/")
    client.logout()
    assert client.get(path).status_code == 410  # single use

    # Sign in and object to the penalty, with a PDF.
    signed_in = client.post(portal("sign-in/"), {"username": "ming", "password": NEW_PASSWORD})
    assert signed_in.status_code == 302
    filed = client.post(
        portal(f"{shop.code}/object/penalty/{penalty.pk}/"),
        {"reason": "处罚决定书编号对应的是另一家商户。", "attachments": [pdf_file()]},
    )
    objection = Objection.objects.get()
    assert filed["Location"] == portal(f"{shop.code}/objections/{objection.pk}/")
    assert objection.due_on == datetime.date(2026, 12, 14)  # 15 working days from Mon 23 Nov

    # The public page keeps the penalty, marked as under objection.
    public = client.get(f"/m/{shop.code}/").content.decode()
    assert "价格标示不清" in public and "异议" in public

    # Staff of the authority find it in their queue with the clock, and uphold it:
    # the penalty is withdrawn with kind "objection".
    client.force_login(regulator)
    queue = results(client, "/admin/archive/objections/", {"status": "open"})
    assert f"/admin/archive/objections/decide/{objection.pk}/" in queue
    assert "15 working days left" in queue or "剩余 15 个工作日" in queue
    with django_capture_on_commit_callbacks(execute=True):
        decided = client.post(
            f"/admin/archive/objections/decide/{objection.pk}/",
            {"decision": "withdraw", "reason": "经核实，编号录入错误。"},
        )
    assert decided.status_code == 302
    penalty.refresh_from_db()
    assert penalty.withdrawal_kind == Penalty.WithdrawalKind.OBJECTION
    assert penalty.audit_entries().filter(action="withdraw", actor=regulator).exists()

    # The merchant is told, in Chinese; the public no longer sees the penalty.
    assert mail.outbox[-1].to == ["boss@example.org"]
    assert "经核实，编号录入错误。" in mail.outbox[-1].body and "成立" in mail.outbox[-1].subject
    client.logout()
    assert "价格标示不清" not in client.get(f"/m/{shop.code}/").content.decode()


def test_a_rejected_objection_leaves_the_record_public_and_unmarked(client, regulator):
    shop = MerchantFactory()
    penalty = PenaltyFactory(
        merchant=shop, decided_on=datetime.date(2026, 10, 1), violation="缺斤短两"
    )
    objection = Objection.file(penalty, "不服", UserFactory())
    client.force_login(regulator)
    client.post(
        f"/admin/archive/objections/decide/{objection.pk}/",
        {"decision": "reject", "reason": "证据充分。"},
    )
    objection.refresh_from_db()
    assert objection.status == Objection.Status.REJECTED
    client.logout()
    public = client.get(f"/m/{shop.code}/").content.decode()
    assert "缺斤短两" in public and "异议" not in public


def test_credit_repair_from_application_to_withdrawal(client, regulator):
    shop = MerchantFactory()
    penalty = PenaltyFactory(
        merchant=shop, decided_on=datetime.date(2026, 6, 1), violation="过期食品"
    )
    from tests.factories_portal import merchant_user

    client.force_login(merchant_user(shop))
    client.post(
        portal(f"{shop.code}/repair/{penalty.pk}/"),
        {
            "rectification": "已下架并销毁",
            "commitment": "今后依法经营",
            "attachments": [pdf_file()],
        },
    )
    application = RepairApplication.objects.get()
    client.force_login(regulator)
    client.post(
        f"/admin/archive/repairs/decide/{application.pk}/",
        {"decision": "approve", "reason": "整改到位。"},
    )
    penalty.refresh_from_db()
    assert penalty.withdrawal_kind == "repair"
    assert penalty.withdrawn_on == datetime.date(2026, 11, 23)
    client.logout()
    assert "过期食品" not in client.get(f"/m/{shop.code}/").content.decode()


def test_a_penalty_not_yet_eligible_shows_from_when(client):
    shop = MerchantFactory()
    penalty = PenaltyFactory(merchant=shop, decided_on=datetime.date(2026, 10, 1))
    from tests.factories_portal import merchant_user

    client.force_login(merchant_user(shop))
    page = client.get(portal(f"{shop.code}/repair/{penalty.pk}/", "en")).content.decode()
    assert "Credit repair can be applied for from 2027-01-01." in page
    refused = client.post(
        portal(f"{shop.code}/repair/{penalty.pk}/"),
        {"rectification": "x", "commitment": "y", "attachments": [pdf_file()]},
    )
    assert refused.status_code == 200
    assert not RepairApplication.objects.exists()


def test_staff_of_another_authority_cannot_decide(client, regulator):
    penalty = PenaltyFactory(
        authority="海珠区市场监督管理局", decided_on=datetime.date(2026, 10, 1)
    )
    objection = Objection.file(penalty, "不服", UserFactory())
    client.force_login(regulator)
    response = client.post(
        f"/admin/archive/objections/decide/{objection.pk}/",
        {"decision": "withdraw", "reason": "越权"},
    )
    assert response.status_code in (302, 403)
    penalty.refresh_from_db()
    assert not penalty.is_withdrawn
    assert "海珠区" not in results(client, "/admin/archive/objections/")


def test_staff_without_the_decide_permission_are_refused(client, member):
    penalty = PenaltyFactory(decided_on=datetime.date(2026, 10, 1))
    objection = Objection.file(penalty, "不服", UserFactory())
    member.groups.add(Group.objects.create(name=AUTHORITY))
    client.force_login(member)
    client.post(
        f"/admin/archive/objections/decide/{objection.pk}/",
        {"decision": "withdraw", "reason": "无权"},
    )
    objection.refresh_from_db()
    assert objection.is_open


def test_an_outsider_cannot_reach_the_decisions(client, outsider):
    penalty = PenaltyFactory(decided_on=datetime.date(2026, 10, 1))
    objection = Objection.file(penalty, "不服", UserFactory())
    client.force_login(outsider)
    response = client.get(f"/admin/archive/objections/decide/{objection.pk}/")
    assert response.status_code in (302, 403)


def test_an_expired_invitation_is_refused_in_words(client, time_machine):
    shop = MerchantFactory()
    _invitation, token = Invitation.objects.issue(shop)
    time_machine.move_to(datetime.datetime(2026, 12, 20, tzinfo=datetime.UTC))
    response = client.get(portal(f"invitation/{token}/", "en"))
    assert response.status_code == 410
    assert "expired" in response.content.decode()


def test_the_dashboard_shows_the_clock_of_open_requests(client, regulator):
    penalty = PenaltyFactory(decided_on=datetime.date(2026, 10, 1))
    Objection.file(penalty, "不服", UserFactory())
    client.force_login(regulator)
    page = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "awaiting a decision" in page and "15 working days left" in page
