"""python manage.py print_placards: batches for a precinct or some merchants."""

import io

import pypdfium2
import pytest
from django.core.management import CommandError, call_command

from print_templates.models import Placard, PrintJob
from tests.factories import MerchantFactory, PrecinctFactory, make_code
from tests.factories_print import decode_page, issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def yide_road():
    """An area with two nested markets, as Yide Road has fourteen."""
    area = PrecinctFactory(slug="yide-road", kind="area")
    for number in (1, 2):
        market = PrecinctFactory(slug=f"yide-market-{number}", kind="market", parent=area)
        MerchantFactory.create_batch(13, precinct=market, kind="stall")
    MerchantFactory.create_batch(2)  # elsewhere: not printed
    return area


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("print_placards", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_precinct_batch_prints_every_stall_in_its_markets(yide_road, tmp_path):
    target = tmp_path / "labels.pdf"
    out, err = run("--precinct", "yide-road", "--template", "label-sheet", "--out", str(target))
    assert "Printed 26 placards on 2 pages" in out
    assert "26/26" in err  # the tqdm progress bar goes to stderr
    assert Placard.objects.filter(template="label-sheet").count() == 26
    content = target.read_bytes()
    assert len(pypdfium2.PdfDocument(content)) == 2
    assert len(decode_page(content, 1)) == 2
    job = PrintJob.objects.get()
    assert (job.status, job.total, job.done) == (PrintJob.Status.DONE, 26, 26)


def test_printing_again_supersedes_the_previous_batch(yide_road, tmp_path):
    args = ["--precinct", "yide-road", "--template", "window-sticker"]
    run(*args, "--out", str(tmp_path / "first.pdf"))
    run(*args, "--out", str(tmp_path / "second.pdf"))
    assert Placard.objects.current().count() == 26
    assert Placard.objects.filter(superseded_at__isnull=False).count() == 26


def test_one_merchant_by_code(tmp_path):
    merchant = MerchantFactory()
    target = tmp_path / "one.pdf"
    run("--merchant", merchant.code.lower(), "--template", "window-sticker", "--out", str(target))
    placard = Placard.objects.get(merchant=merchant)
    assert [code.text for code in decode_page(target.read_bytes())] == [placard.scan_url]


def test_star_plaques_are_refused_with_a_pointer_to_the_rating_round(tmp_path):
    merchant = MerchantFactory()
    args = ["--merchant", merchant.code, "--template", "star-plaque"]
    with pytest.raises(CommandError, match="print_plaques"):
        run(*args, "--out", str(tmp_path / "p.pdf"))
    assert not Placard.objects.filter(merchant=merchant).exists()


def test_unknown_precinct_or_code_is_refused(tmp_path):
    out = str(tmp_path / "x.pdf")
    with pytest.raises(CommandError, match="slug"):
        run("--precinct", "nowhere", "--template", "label-sheet", "--out", out)
    with pytest.raises(CommandError, match="No merchant"):
        run("--merchant", make_code(), "--template", "label-sheet", "--out", out)
    with pytest.raises(CommandError, match="either"):
        run("--template", "label-sheet", "--out", out)
    assert not Placard.objects.exists()


def test_a_batch_that_cannot_be_rendered_issues_nothing(monkeypatch):
    from print_templates import pdf, tasks
    from print_templates.models import Placard, PrintJob

    shown = issue()
    job = PrintJob.objects.create(template="window-sticker", precinct=shown.merchant.precinct)

    def broken_render(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pdf, "render", broken_render)
    with pytest.raises(OSError):
        tasks.run(job)

    assert Placard.objects.count() == 1
    shown.refresh_from_db()
    assert shown.state == Placard.State.CURRENT


def test_placards_printed_by_the_worker_are_audited_as_the_staff_who_asked(settings, tmp_path):
    from merchants.audit import AuditEntry
    from print_templates import tasks
    from tests.factories import UserFactory

    settings.PLACARD_PRINT_ROOT = tmp_path
    clerk = UserFactory(username="clerk", is_staff=True)
    merchant = MerchantFactory()
    job = PrintJob.objects.create(
        template="window-sticker", precinct=merchant.precinct, requested_by=clerk
    )

    tasks.print_job.func(job.pk)

    placard = Placard.objects.get(merchant=merchant)
    entry = placard.audit_entries().get(action=AuditEntry.Action.CREATE)
    assert (entry.actor, entry.source) == (clerk, "admin")
