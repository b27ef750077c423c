"""print_templates.tasks: a batch is issued, then rendered, in parallel once it is big."""

import os

import pytest

from print_templates import pdf, tasks
from print_templates.models import PrintJob
from tests.factories import MerchantFactory, PrecinctFactory
from tests.factories_print import decode_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def market():
    market = PrecinctFactory(slug="yide-market-1", kind="market")
    MerchantFactory.create_batch(30, precinct=market, kind="stall")
    return market


@pytest.fixture
def render_calls(monkeypatch):
    """The worker count each render was asked for; the render itself runs for real."""
    calls = []
    real_render = pdf.render

    def spy(placards, template, progress=None, workers=1, total=None):
        calls.append(workers)
        return real_render(placards, template, progress=progress, workers=workers, total=total)

    monkeypatch.setattr(tasks.pdf, "render", spy)
    return calls


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="parallel printing needs two cores")
def test_a_batch_at_the_threshold_is_encoded_by_several_workers(market, settings, render_calls):
    settings.PLACARD_PARALLEL_FROM = 30
    job = PrintJob.objects.create(template="label-sheet", precinct=market)
    content = tasks.run(job)
    assert job.total == 30
    assert render_calls == [min(os.cpu_count(), 4)]
    # Codes encoded in the other processes are the right ones, in print order.
    placards = list(job.placards.order_by("merchant__stall", "merchant__code"))
    decoded = {code.text for code in decode_page(content, 1)}
    assert decoded == {placard.scan_url for placard in placards[24:]}


def test_a_batch_under_the_threshold_stays_in_one_process(market, settings, render_calls):
    settings.PLACARD_PARALLEL_FROM = 31
    job = PrintJob.objects.create(template="label-sheet", precinct=market)
    tasks.run(job)
    assert render_calls == [1]
