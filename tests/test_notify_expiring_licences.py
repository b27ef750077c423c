"""Mail to merchants: expiring licences (notify_expiring_licences) and new reviews."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from ratings.tasks import mail_new_review
from tests.factories import LicenceFactory, MerchantFactory
from tests.factories_portal import merchant_user
from tests.factories_ratings import ReviewFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_a_fixed_day")]


def test_accounts_hear_of_a_licence_thirty_days_before_it_expires():
    shop = MerchantFactory(name_zh="福来茶庄")
    user = merchant_user(shop, language="en")
    LicenceFactory(merchant=shop, number="JY-EXPIRING", expires_on=datetime.date(2026, 12, 23))
    LicenceFactory(
        merchant=shop,
        kind="food_business",
        number="JY-LATER",
        expires_on=datetime.date(2026, 12, 24),
    )
    call_command("notify_expiring_licences", stdout=StringIO())
    assert [message.to for message in mail.outbox] == [[user.email]]
    assert mail.outbox[0].subject == "Licence JY-EXPIRING expires on 2026-12-23"


def test_a_chinese_account_is_written_to_in_chinese():
    shop = MerchantFactory()
    merchant_user(shop, language="zh-hans")
    LicenceFactory(merchant=shop, number="JY-ZH", expires_on=datetime.date(2026, 12, 23))
    call_command("notify_expiring_licences", stdout=StringIO())
    assert "到期" in mail.outbox[0].subject


def test_new_reviews_are_mailed_to_the_merchant():
    shop = MerchantFactory(name_zh="宏记海味")
    merchant_user(shop, language="en")
    review = ReviewFactory(merchant=shop, overall=2, comment="太咸了")
    mail_new_review.enqueue(review.pk)
    assert mail.outbox[0].subject == "New review of 宏记海味: 2 of 5"
    assert "太咸了" in mail.outbox[0].body


def _run_on(time_machine, day):
    time_machine.move_to(datetime.datetime.combine(day, datetime.time(1, tzinfo=datetime.UTC)))
    call_command("notify_expiring_licences", stdout=StringIO())


def test_days_missed_are_caught_up_and_each_notice_is_sent_once(time_machine):
    shop = MerchantFactory()
    merchant_user(shop, language="en")
    # Their notice days (30 days before expiry) are 21, 22 and 23 November.
    # Three kinds of licence: each stands for its kind, none renews another.
    for number, kind, expiry in (
        ("JY-21", "business", 21),
        ("JY-22", "food_business", 22),
        ("JY-23", "drug_retail", 23),
    ):
        LicenceFactory(
            merchant=shop, kind=kind, number=number, expires_on=datetime.date(2026, 12, expiry)
        )
    _run_on(time_machine, datetime.date(2026, 11, 20))
    assert mail.outbox == []
    # Three days of outage: the next run sends all three, once each.
    _run_on(time_machine, datetime.date(2026, 11, 23))
    assert sorted(m.subject for m in mail.outbox) == [
        "Licence JY-21 expires on 2026-12-21",
        "Licence JY-22 expires on 2026-12-22",
        "Licence JY-23 expires on 2026-12-23",
    ]
    _run_on(time_machine, datetime.date(2026, 11, 24))
    assert len(mail.outbox) == 3


def test_running_twice_a_day_sends_nothing_twice():
    shop = MerchantFactory()
    merchant_user(shop)
    LicenceFactory(merchant=shop, number="JY-TWICE", expires_on=datetime.date(2026, 12, 23))
    out = StringIO()
    call_command("notify_expiring_licences", stdout=out)
    call_command("notify_expiring_licences", stdout=out)
    assert len(mail.outbox) == 1
    assert out.getvalue().splitlines() == [
        "1 expiring licence(s) notified.",
        "0 expiring licence(s) notified.",
    ]


def test_a_renewed_licence_is_notified_again_for_its_new_expiry(time_machine):
    shop = MerchantFactory()
    merchant_user(shop, language="en")
    licence = LicenceFactory(
        merchant=shop, number="JY-RENEW", expires_on=datetime.date(2026, 12, 1)
    )
    call_command("notify_expiring_licences", stdout=StringIO())
    licence.expires_on = datetime.date(2027, 12, 1)
    licence.save()
    _run_on(time_machine, datetime.date(2027, 11, 5))
    assert [m.subject for m in mail.outbox] == [
        "Licence JY-RENEW expires on 2026-12-01",
        "Licence JY-RENEW expires on 2027-12-01",
    ]


def test_expired_licences_and_merchants_without_an_account_are_not_mailed():
    LicenceFactory(expires_on=datetime.date(2026, 12, 1))  # no portal account
    shop = MerchantFactory()
    merchant_user(shop)
    LicenceFactory(merchant=shop, expires_on=datetime.date(2026, 11, 22))  # expired yesterday
    call_command("notify_expiring_licences", stdout=StringIO())
    assert mail.outbox == []


def test_a_licence_already_replaced_by_a_newer_one_is_not_mailed():
    """Renewed early as a new licence of the same kind: the old one expiring is history."""
    shop = MerchantFactory()
    merchant_user(shop, language="en")
    LicenceFactory(merchant=shop, number="JY-OLD", expires_on=datetime.date(2026, 12, 1))
    LicenceFactory(
        merchant=shop,
        number="JY-NEW",
        issued_on=datetime.date(2026, 11, 1),
        expires_on=datetime.date(2031, 11, 1),
    )
    call_command("notify_expiring_licences", stdout=StringIO())
    assert mail.outbox == []


def test_a_notice_whose_mail_could_not_be_queued_is_not_recorded():
    """The notice and its queued mail commit together: a failure leaves it due for the next run."""
    from merchants.models import ExpiryNotice

    shop = MerchantFactory()
    merchant_user(shop, language="en")
    LicenceFactory(merchant=shop, number="JY-RETRY", expires_on=datetime.date(2026, 12, 1))

    def queue_down(licence_id):
        raise ConnectionError("task queue unavailable")

    with pytest.raises(ConnectionError):
        ExpiryNotice.objects.claim_due(send=queue_down)
    assert not ExpiryNotice.objects.exists()
    call_command("notify_expiring_licences", stdout=StringIO())
    assert [m.subject for m in mail.outbox] == ["Licence JY-RETRY expires on 2026-12-01"]
