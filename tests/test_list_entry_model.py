import datetime

import pytest

from merchants.models import ListEntry
from tests.factories import ListEntryFactory

pytestmark = pytest.mark.django_db


def test_an_entry_is_public_from_its_start_through_its_last_day():
    entry = ListEntryFactory(listed_on=datetime.date(2025, 4, 1), until=datetime.date(2026, 3, 31))
    public = ListEntry.objects.public
    assert not public(datetime.date(2025, 3, 31)).filter(pk=entry.pk).exists()
    assert public(datetime.date(2025, 4, 1)).filter(pk=entry.pk).exists()
    assert public(datetime.date(2026, 3, 31)).filter(pk=entry.pk).exists()
    assert not public(datetime.date(2026, 4, 1)).filter(pk=entry.pk).exists()


def test_an_open_ended_entry_stays_until_withdrawn():
    entry = ListEntryFactory(list_name=ListEntry.List.ABNORMAL_OPERATION, until=None)
    assert entry.colour == "black"
    assert ListEntry.objects.public(datetime.date(2030, 1, 1)).filter(pk=entry.pk).exists()
    entry.withdraw("repair", "已移出经营异常名录", day=datetime.date(2030, 1, 1))
    assert not ListEntry.objects.public(datetime.date(2030, 1, 2)).filter(pk=entry.pk).exists()


def test_honour_lists_are_red():
    assert ListEntryFactory(list_name=ListEntry.List.MODEL_MEMBER).colour == "red"
