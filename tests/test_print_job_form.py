"""The print form: a preview of what a job prints and supersedes, confirmation, and reprints."""

import re

import pytest
from django.contrib.auth.models import Permission
from wagtail.users.models import UserProfile

from merchants.audit import AuditEntry
from print_templates.models import Placard, PrintJob
from tests.factories import MerchantFactory, PrecinctFactory, UserFactory
from tests.factories_print import decode_page, issue

pytestmark = pytest.mark.django_db

NEW = "/admin/print-jobs/new/"


@pytest.fixture
def printer(db):
    user = UserFactory(username="printer", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="print_templates"),
        Permission.objects.get(codename="access_admin"),
    )
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


@pytest.fixture(autouse=True)
def _print_root(settings, tmp_path):
    settings.PLACARD_PRINT_ROOT = tmp_path / "print-jobs"


@pytest.fixture
def market():
    """A market of 30 stalls; 10 already display a label sheet, 2 of them also a sticker."""
    market = PrecinctFactory(slug="haiwei", name_zh="海味市场", kind="market")
    stalls = [
        MerchantFactory(precinct=market, kind="stall", stall=f"A{number:03d}")
        for number in range(1, 31)
    ]
    for stall in stalls[:10]:
        issue(stall, template="label-sheet")
    for stall in stalls[:2]:
        issue(stall, template="window-sticker")
    return market


def preview(client, data):
    response = client.post(NEW, data)
    assert response.status_code == 200
    return response.content.decode()


def confirm_token(html):
    return re.search(r'name="confirm" value="([0-9a-f]+)"', html).group(1)


def test_the_preview_counts_merchants_placards_and_sheets(client, printer, market):
    client.force_login(printer)
    html = preview(client, {"template": "label-sheet", "precinct": market.pk})
    assert "30 merchants: 30 placards on 2 sheets." in html
    assert "10 placards of this template are on display now" in html
    assert "amber warning" in html
    # The first ten are named (by serial), the rest summed up.
    shown = Placard.objects.filter(template="label-sheet").order_by("merchant__stall")[:10]
    for placard in shown:
        assert placard.serial in html
    assert "Confirm and print" in html
    assert not PrintJob.objects.exists()
    assert Placard.objects.current().count() == 12


def test_a_sticker_job_supersedes_only_stickers(client, printer, market):
    client.force_login(printer)
    html = preview(client, {"template": "window-sticker", "precinct": market.pk})
    assert "30 merchants: 30 placards on 30 sheets." in html
    assert "2 placards of this template are on display now" in html


def test_confirming_prints_and_supersedes(
    client, printer, market, django_capture_on_commit_callbacks
):
    client.force_login(printer)
    data = {"template": "label-sheet", "precinct": market.pk}
    token = confirm_token(preview(client, data))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(NEW, {**data, "confirm": token})
    assert response.status_code == 302
    job = PrintJob.objects.get()
    assert (job.status, job.total) == (PrintJob.Status.DONE, 30)
    assert Placard.objects.filter(template="label-sheet", superseded_at__isnull=False).count() == 10


def test_a_changed_form_is_previewed_again(client, printer, market):
    client.force_login(printer)
    token = confirm_token(preview(client, {"template": "label-sheet", "precinct": market.pk}))
    response = client.post(
        NEW, {"template": "window-sticker", "precinct": market.pk, "confirm": token}
    )
    assert response.status_code == 200
    assert "30 placards on 30 sheets" in response.content.decode()
    assert not PrintJob.objects.exists()


def test_a_reprint_keeps_the_serials_and_supersedes_nothing(
    client, printer, market, django_capture_on_commit_callbacks
):
    before = set(Placard.objects.current().values_list("pk", flat=True))
    client.force_login(printer)
    data = {"template": "label-sheet", "precinct": market.pk, "reprint": "1"}
    html = preview(client, data)
    assert "10 placards on display are printed again with their serials" in html
    assert "20 merchants have none and get new placards." in html
    assert "amber warning" not in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(NEW, {**data, "confirm": confirm_token(html)})
    assert response.status_code == 302
    job = PrintJob.objects.get()
    assert job.reprint and job.total == 30
    assert not Placard.objects.filter(superseded_at__isnull=False).exists()
    assert before <= set(Placard.objects.current().values_list("pk", flat=True))
    assert Placard.objects.filter(template="label-sheet").count() == 30
    reprinted = AuditEntry.objects.filter(action=AuditEntry.Action.PRINT)
    assert reprinted.count() == 10
    assert {entry.actor for entry in reprinted} == {printer}
    content = b"".join(client.get(f"/admin/print-jobs/download/{job.pk}/").streaming_content)
    old = Placard.objects.filter(pk__in=before, template="label-sheet")
    expected = {placard.scan_url for placard in old}
    assert expected <= {code.text for code in decode_page(content)}


def test_the_success_message_links_to_a_page_the_printer_may_open(
    client, printer, market, django_capture_on_commit_callbacks
):
    client.force_login(printer)
    data = {"template": "window-sticker", "precinct": market.pk}
    token = confirm_token(preview(client, data))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(NEW, {**data, "confirm": token}, follow=True)
    html = response.content.decode()
    assert "/admin/print-jobs/edit/" not in html
    links = re.findall(r'<a href="(/admin/[^"]+)" class="button', html)
    assert links
    for link in links:
        assert client.get(link).status_code == 200


def test_members_and_outsiders_cannot_preview(client, member, outsider, market):
    for user in (member, outsider):
        client.force_login(user)
        response = client.post(NEW, {"template": "label-sheet", "precinct": market.pk})
        assert response.status_code == 302
        assert "What this job will print" not in response.content.decode()
    assert not PrintJob.objects.exists()
