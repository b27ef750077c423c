"""Opening /q/<token>: counting, remembering the scan, and refusing forgeries."""

import datetime

import pytest
import time_machine
from django.test import RequestFactory
from django.utils import translation

from print_templates import scans, tokens
from print_templates.models import CounterfeitScan, PlacardScan
from tests.factories import MerchantFactory, UserFactory
from tests.factories_print import issue

pytestmark = pytest.mark.django_db

MORNING = datetime.datetime(2025, 5, 1, 2, tzinfo=datetime.UTC)  # 10:00 in Guangzhou


def scan_path(placard, case="upper"):
    token = placard.token
    return f"/Q/{token}" if case == "upper" else f"/q/{token.lower()}"


def page_request(client, merchant):
    """A request to the merchant page carrying the cookies the scan left."""
    request = RequestFactory().get(f"/m/{merchant.code}/")
    request.COOKIES.update({name: morsel.value for name, morsel in client.cookies.items()})
    return request


def banner(client, merchant):
    with translation.override("en"):
        return scans.banner_html(page_request(client, merchant), merchant)


def test_a_scan_counts_and_leads_to_the_merchant_page(client):
    placard = issue()
    with time_machine.travel(MORNING):
        response = client.get(scan_path(placard))
        client.get(scan_path(placard, case="lower"))
    assert response.status_code == 302
    assert response["Location"].endswith(f"/m/{placard.merchant.code}/")
    assert PlacardScan.objects.get(placard=placard, day=datetime.date(2025, 5, 1)).count == 2
    assert scans.COOKIE in response.cookies
    assert response.cookies[scans.COOKIE]["httponly"]


def test_scans_on_another_day_count_on_that_day(client):
    placard = issue()
    with time_machine.travel(MORNING):
        client.get(scan_path(placard))
    with time_machine.travel(MORNING + datetime.timedelta(days=1)):
        client.get(scan_path(placard))
        client.get(scan_path(placard))
    counts = dict(placard.scans.values_list("day", "count"))
    assert counts == {datetime.date(2025, 5, 1): 1, datetime.date(2025, 5, 2): 2}


def test_the_page_says_a_current_placard_is_genuine(client):
    placard = issue()
    client.get(scan_path(placard), HTTP_ACCEPT_LANGUAGE="en")
    html = banner(client, placard.merchant)
    assert f"Genuine placard {placard.serial}" in html
    assert placard.issued_on.isoformat() in html


def test_the_page_says_an_old_placard_is_outdated_and_when_the_new_one_came(client):
    merchant = MerchantFactory()
    with time_machine.travel(datetime.datetime(2024, 3, 1, 2, tzinfo=datetime.UTC)):
        old = issue(merchant)
    with time_machine.travel(datetime.datetime(2025, 3, 9, 2, tzinfo=datetime.UTC)):
        issue(merchant)
    client.get(scan_path(old))
    html = banner(client, merchant)
    assert f"Outdated placard {old.serial}" in html
    assert "2025-03-09" in html


def test_the_page_says_a_revoked_placard_is_no_longer_valid(client):
    placard = issue()
    placard.refresh_from_db()
    placard.revoke("Merchant moved out.", UserFactory(is_staff=True))
    client.get(scan_path(placard))
    html = banner(client, placard.merchant)
    assert f"Revoked placard {placard.serial}" in html
    assert "no longer valid" in html
    assert scans.verified_scan(page_request(client, placard.merchant), placard.merchant) is None


def test_a_scan_vouches_for_the_visit_for_two_hours_and_only_for_its_merchant(client):
    placard = issue()
    elsewhere = MerchantFactory()
    with time_machine.travel(MORNING, tick=False):
        client.get(scan_path(placard))
    with time_machine.travel(MORNING + datetime.timedelta(minutes=119), tick=False):
        request = page_request(client, placard.merchant)
        scan = scans.verified_scan(request, placard.merchant)
        assert scan.placard == placard
        assert scans.verified_scan(request, elsewhere) is None
        assert scans.banner_html(page_request(client, elsewhere), elsewhere) == ""
    with time_machine.travel(MORNING + datetime.timedelta(minutes=121), tick=False):
        assert scans.verified_scan(page_request(client, placard.merchant), placard.merchant) is None


def test_a_tampered_cookie_proves_nothing(client):
    placard = issue()
    client.get(scan_path(placard))
    client.cookies[scans.COOKIE] = client.cookies[scans.COOKIE].value[:-2] + "xx"
    assert scans.verified_scan(page_request(client, placard.merchant), placard.merchant) is None


def test_scanning_two_merchants_keeps_both(client):
    first, second = issue(), issue()
    client.get(scan_path(first))
    client.get(scan_path(second))
    assert scans.verified_scan(page_request(client, first.merchant), first.merchant)
    assert scans.verified_scan(page_request(client, second.merchant), second.merchant)


def test_a_forged_token_gets_a_bilingual_warning_and_is_counted(client):
    placard = issue()
    forged = placard.serial + "ABCDEFGH"
    with time_machine.travel(MORNING):
        response = client.get(f"/Q/{forged}")
        client.get("/q/not-a-token-at-all")
    assert response.status_code == 404
    html = response.content.decode()
    assert "此二维码未通过验证" in html
    assert "This code could not be verified" in html
    assert "12345" in html and "12315" in html
    assert tokens.domain() in html
    assert scans.COOKIE not in response.cookies
    counts = dict(CounterfeitScan.objects.values_list("claimed_serial", "count"))
    assert counts == {placard.serial: 1, "": 1}
    assert not PlacardScan.objects.exists()


def test_an_altered_signature_on_a_real_serial_is_refused(client):
    placard = issue()
    token = placard.token
    altered = token[:-1] + ("2" if token[-1] != "2" else "3")
    response = client.get(f"/Q/{altered}")
    assert response.status_code == 404
    assert CounterfeitScan.objects.get().claimed_serial == placard.serial


def test_a_revoked_placard_shows_as_revoked_at_once_in_the_worker_that_revoked_it(client):
    placard = issue()
    client.get(f"/q/{placard.token}")
    page = f"/en/m/{placard.merchant.code}/"
    assert "Genuine placard" in client.get(page).content.decode()

    placard.revoke("stolen from the shop window")

    assert "Revoked placard" in client.get(page).content.decode()


def test_a_reissued_placard_shows_as_outdated_at_once(client):
    placard = issue()
    client.get(f"/q/{placard.token}")
    issue(placard.merchant)
    assert "Outdated placard" in client.get(f"/en/m/{placard.merchant.code}/").content.decode()


def test_a_forged_token_padding_a_real_serial_is_counted_not_a_500(client):
    placard = issue()
    forged = "0" * 15 + placard.serial + "AAAAAAAA"
    response = client.get(f"/q/{forged}")
    assert response.status_code == 404
    counted = CounterfeitScan.objects.get()
    assert counted.claimed_serial == placard.serial
    assert counted.claimed_placard == placard


def test_the_banner_a_worker_keeps_is_per_language(client):
    placard = issue()
    client.get(f"/q/{placard.token}")
    assert "Genuine placard" in client.get(f"/en/m/{placard.merchant.code}/").content.decode()
    chinese = client.get(f"/m/{placard.merchant.code}/", headers={"accept-language": "zh-CN"})
    assert "Genuine placard" not in chinese.content.decode()
    assert placard.serial in chinese.content.decode()
