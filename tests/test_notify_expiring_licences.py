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
    LicenceFactory(merchant=shop, number="JY-LATER", expires_on=datetime.date(2026, 12, 24))
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
