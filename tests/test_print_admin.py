"""Staff admin for placards: listing with scan counts, printing, revoking, counterfeits."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from wagtail.users.models import UserProfile

from print_templates.models import CounterfeitScan, Placard, PlacardScan, PrintJob
from tests.factories import MerchantFactory, PrecinctFactory, UserFactory, make_code
from tests.factories_print import decode_page, issue

pytestmark = pytest.mark.django_db

INDEXES = [
    "/admin/placards/",
    "/admin/print-jobs/",
    "/admin/print-jobs/new/",
    "/admin/counterfeit-scans/",
]


@pytest.fixture
def printer(db):
    """Staff allowed to print, revoke and see placards, scans and counterfeits."""
    user = UserFactory(username="printer", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="print_templates"),
        Permission.objects.get(codename="access_admin"),
    )
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"  # the admin speaks the user's language, not the browser's
    profile.save()
    return user


@pytest.fixture(autouse=True)
def _print_root(settings, tmp_path):
    settings.PLACARD_PRINT_ROOT = tmp_path / "print-jobs"


def confirm_print(client, data):
    """Submit the print form, read the preview, and confirm it as the clerk does."""
    preview = client.post("/admin/print-jobs/new/", data)
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "What this job will print" in html
    token = re.search(r'name="confirm" value="([0-9a-f]+)"', html).group(1)
    return client.post("/admin/print-jobs/new/", {**data, "confirm": token})


def refused(response):
    """Wagtail sends people without the right away rather than showing the page."""
    return response.status_code in (302, 403) and b"placard" not in response.content.lower()


@pytest.mark.parametrize("url", INDEXES)
def test_anonymous_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("url", INDEXES)
def test_outsiders_and_archive_staff_without_print_rights_are_refused(
    client, outsider, member, url
):
    for user in (outsider, member):
        client.force_login(user)
        assert refused(client.get(url)), user


@pytest.mark.parametrize("url", INDEXES)
def test_print_staff_see_the_pages(client, printer, url):
    client.force_login(printer)
    assert client.get(url).status_code == 200


def test_the_placard_list_shows_scan_counts_and_state(client, printer):
    placard = issue(MerchantFactory(name_zh="扫码最多茶行"))
    for _ in range(3):
        PlacardScan.bump(placard=placard)
    PlacardScan.bump(datetime.date(2020, 1, 1), placard=placard)
    client.force_login(printer)
    html = client.get("/admin/placards/").content.decode()
    assert placard.serial in html
    assert "扫码最多茶行" in html
    assert ">4<" in html.replace(" ", "").replace("\n", "")  # all days
    assert ">3<" in html.replace(" ", "").replace("\n", "")  # last 7 days
    found = client.get("/admin/placards/", {"lookup": placard.merchant.code}).content.decode()
    assert placard.serial in found


def test_counterfeit_attempts_are_listed_with_the_placard_they_copy(client, printer):
    placard = issue(MerchantFactory(name_zh="被仿冒的药房"))
    CounterfeitScan.record(placard.serial + "ABCDEFGH")
    CounterfeitScan.record(placard.serial + "ABCDEFGH")
    client.force_login(printer)
    html = client.get("/admin/counterfeit-scans/").content.decode()
    assert placard.serial in html
    assert "被仿冒的药房" in html


def test_printing_from_the_admin_runs_the_job_and_offers_the_pdf(
    client, printer, member, django_capture_on_commit_callbacks, settings
):
    market = PrecinctFactory(slug="small-market", kind="market")
    MerchantFactory.create_batch(3, precinct=market, kind="stall")
    client.force_login(printer)
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm_print(client, {"template": "label-sheet", "precinct": market.pk})
    assert response.status_code == 302
    job = PrintJob.objects.get()
    assert (job.status, job.total, job.requested_by) == (PrintJob.Status.DONE, 3, printer)
    assert (settings.PLACARD_PRINT_ROOT / job.file.name).is_file()  # kept outside MEDIA_ROOT
    listing = client.get("/admin/print-jobs/").content.decode()
    download_url = f"/admin/print-jobs/download/{job.pk}/"
    assert download_url in listing

    download = client.get(download_url)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    content = b"".join(download.streaming_content)
    expected = {placard.scan_url for placard in Placard.objects.filter(print_job=job)}
    assert {code.text for code in decode_page(content)} == expected

    client.force_login(member)
    assert refused(client.get(download_url))
    client.logout()
    assert client.get(download_url)["Location"].startswith("/admin/login/")


def test_the_print_form_explains_what_is_missing(client, printer):
    merchant = MerchantFactory()
    client.force_login(printer)

    def errors(data):
        return client.post("/admin/print-jobs/new/", data).content.decode()

    assert "Choose a precinct or give merchant codes" in errors({"template": "label-sheet"})
    unknown = make_code()
    assert f"No merchant has the code {unknown}" in errors(
        {"template": "label-sheet", "codes": unknown}
    )
    mistyped = unknown[:-1] + ("1" if unknown.endswith("0") else "0")  # never the right one
    assert "check character" in errors({"template": "label-sheet", "codes": mistyped})
    # A plaque is never printed with a typed level: the form points to the rating round.
    refusal = errors({"template": "star-plaque", "codes": merchant.code, "stars": 5})
    assert "Star plaques are issued from a published rating round" in refusal
    assert "print plaques" in refusal
    assert not PrintJob.objects.exists()


def test_staff_revoke_a_placard_with_a_reason(client, printer, member):
    placard = issue()
    url = f"/admin/placards/revoke/{placard.pk}/"
    client.force_login(member)
    assert refused(client.get(url))
    client.force_login(printer)
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": ""}).status_code == 200
    response = client.post(url, {"reason": "Stall closed by the market."})
    assert response.status_code == 302
    placard.refresh_from_db()
    assert placard.state == Placard.State.REVOKED
    assert placard.revoked_by == printer
    assert placard.revoked_reason == "Stall closed by the market."


def test_staff_preview_and_reprint_one_placard(client, printer, outsider):
    placard = issue()
    client.force_login(outsider)
    assert refused(client.get(f"/admin/placards/preview/{placard.pk}.png"))
    client.force_login(printer)
    preview = client.get(f"/admin/placards/preview/{placard.pk}.png")
    assert preview["Content-Type"] == "image/png"
    reprint = client.post(f"/admin/placards/pdf/{placard.pk}/")
    assert [code.text for code in decode_page(reprint.content)] == [placard.scan_url]


def test_group_editors_can_grant_every_placard_permission(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin)
    html = client.get("/admin/groups/new/").content.decode()
    for codename in ("view_placard", "revoke_placard", "add_printjob", "view_printjob"):
        permission = Permission.objects.get(codename=codename)
        assert f'value="{permission.pk}"' in html, codename


def test_the_merchant_list_offers_printing_its_precinct(client, printer):
    from merchants.models import Precinct

    printer.user_permissions.add(*Permission.objects.filter(codename="view_merchant"))
    precinct = Precinct.objects.create(slug="haiyin", name_zh="海印市场", kind="market")
    client.force_login(printer)

    listing = client.get(f"/admin/archive/merchants/?precinct={precinct.pk}")

    assert listing.status_code == 200
    assert f"/admin/print-jobs/new/?precinct={precinct.pk}" in listing.content.decode()
    form = client.get(f"/admin/print-jobs/new/?precinct={precinct.pk}")
    assert form.status_code == 200
    html = form.content.decode()
    assert f'<option value="{precinct.pk}" selected>' in html


def test_archive_staff_without_print_rights_see_no_print_action(client, owner):
    client.force_login(owner)
    listing = client.get("/admin/archive/merchants/")
    assert listing.status_code == 200
    assert "/admin/print-jobs/new/" not in listing.content.decode()


def test_a_reprint_needs_print_rights_is_audited_and_refused_for_revoked_placards(client, printer):
    from merchants.audit import AuditEntry

    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(
        Permission.objects.get(codename="view_placard"),
        Permission.objects.get(codename="access_admin"),
    )
    placard = issue()
    client.force_login(viewer)
    assert refused(client.post(f"/admin/placards/pdf/{placard.pk}/"))

    client.force_login(printer)
    assert client.post(f"/admin/placards/pdf/{placard.pk}/").status_code == 200
    entry = placard.audit_entries().get(action=AuditEntry.Action.PRINT)
    assert entry.actor == printer

    placard.revoke("lost")
    response = client.post(f"/admin/placards/pdf/{placard.pk}/")
    assert response.status_code == 302
    assert placard.audit_entries().filter(action=AuditEntry.Action.PRINT).count() == 1


def test_an_odd_precinct_in_the_print_form_url_is_ignored(client, printer):
    client.force_login(printer)
    assert client.get("/admin/print-jobs/new/?precinct=%C2%B2").status_code == 200


def test_opening_a_reprint_link_only_asks_and_records_nothing(printer):
    """A cross-site link (GET) must not write an audit entry in the staff member's name."""
    from django.test import Client

    from merchants.audit import AuditEntry

    placard = issue()
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(printer)
    page = client.get(f"/admin/placards/pdf/{placard.pk}/")
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/html")
    assert "Reprint (recorded in the audit trail)" in page.content.decode()
    assert not placard.audit_entries().filter(action=AuditEntry.Action.PRINT).exists()
    forged = client.post(f"/admin/placards/pdf/{placard.pk}/")  # no CSRF token
    assert forged.status_code == 403
    assert not placard.audit_entries().filter(action=AuditEntry.Action.PRINT).exists()
