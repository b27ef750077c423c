"""The public page marks a record under objection, keeps it visible, and drops the mark after."""

import datetime

import pytest

from merchants.models import Objection
from tests.factories import InspectionFactory, MerchantFactory, PenaltyFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_a_fixed_day")]


def test_filing_an_objection_drops_the_cached_page_and_marks_only_that_record(client):
    shop = MerchantFactory()
    disputed = PenaltyFactory(merchant=shop, decided_on=datetime.date(2026, 9, 1), violation="甲")
    PenaltyFactory(merchant=shop, decided_on=datetime.date(2026, 8, 1), violation="乙")
    InspectionFactory(merchant=shop)
    before = client.get(f"/en/m/{shop.code}/").content.decode()
    assert "under objection" not in before
    Objection.file(disputed, "不是我们", UserFactory())
    after = client.get(f"/en/m/{shop.code}/").content.decode()
    assert after.count("under objection") == 1
    assert after.index("甲") < after.index("under objection") < after.index("乙")


def test_the_mark_goes_when_the_objection_is_rejected(client):
    shop = MerchantFactory()
    penalty = PenaltyFactory(merchant=shop, decided_on=datetime.date(2026, 9, 1))
    objection = Objection.file(penalty, "不服", UserFactory())
    assert "under objection" in client.get(f"/en/m/{shop.code}/").content.decode()
    objection.reject("证据确凿", UserFactory(is_superuser=True, is_staff=True))
    page = client.get(f"/en/m/{shop.code}/").content.decode()
    assert "under objection" not in page and penalty.violation in page
