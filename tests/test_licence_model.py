import datetime

import pytest

from merchants.models import Licence
from tests.factories import LicenceFactory

pytestmark = pytest.mark.django_db

EXPIRY = datetime.date(2026, 6, 30)


def day(offset):
    return EXPIRY + datetime.timedelta(days=offset)


@pytest.mark.parametrize(
    ("on", "status"),
    [
        (day(-31), Licence.Status.VALID),
        (day(-30), Licence.Status.EXPIRING),
        (day(-1), Licence.Status.EXPIRING),
        (day(0), Licence.Status.EXPIRING),  # the expiry date is the last valid day
        (day(1), Licence.Status.EXPIRED),
    ],
)
def test_status_on_boundary_dates(on, status):
    licence = LicenceFactory(expires_on=EXPIRY)
    assert licence.status_on(on) == status
    annotated = Licence.objects.with_status(on).get(pk=licence.pk)
    assert annotated.public_status == status


@pytest.mark.parametrize(
    ("state", "status"),
    [(Licence.State.SUSPENDED, Licence.Status.SUSPENDED), (Licence.State.REVOKED, "revoked")],
)
def test_suspension_and_revocation_win_over_dates(state, status):
    licence = LicenceFactory(expires_on=EXPIRY, state=state)
    assert licence.status_on(day(-100)) == status
    assert licence.status_on(day(100)) == status
    assert Licence.objects.with_status(day(-100)).get(pk=licence.pk).public_status == status


def test_a_licence_without_expiry_stays_valid():
    licence = LicenceFactory(expires_on=None)
    assert licence.status_on(datetime.date(2099, 1, 1)) == Licence.Status.VALID
    assert Licence.objects.with_status(datetime.date(2099, 1, 1)).get().public_status == "valid"


def test_status_follows_today_without_being_stored(time_machine):
    licence = LicenceFactory(expires_on=EXPIRY)
    time_machine.move_to(datetime.datetime(2026, 5, 1, 12, tzinfo=datetime.UTC))
    assert licence.status == Licence.Status.VALID
    time_machine.move_to(datetime.datetime(2026, 6, 15, 12, tzinfo=datetime.UTC))
    assert licence.status == Licence.Status.EXPIRING
    time_machine.move_to(datetime.datetime(2026, 7, 1, 12, tzinfo=datetime.UTC))
    assert licence.status == Licence.Status.EXPIRED


def test_expiry_turns_at_local_midnight_in_china(time_machine):
    licence = LicenceFactory(expires_on=EXPIRY)
    # 16:30 UTC on the expiry date is already 00:30 the next day in Guangzhou.
    time_machine.move_to(datetime.datetime(2026, 6, 30, 16, 30, tzinfo=datetime.UTC))
    assert licence.status == Licence.Status.EXPIRED


def test_withdrawn_licences_are_not_public():
    licence = LicenceFactory()
    licence.withdraw("error", "录入错误 entered twice")
    assert not Licence.objects.public().filter(pk=licence.pk).exists()
    assert Licence.objects.filter(pk=licence.pk).exists()
