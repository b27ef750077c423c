"""Label sheets: a header on every sheet to hand them out by, and one stall's full sheet."""

import pytest

from print_templates import pdf
from print_templates.models import Placard, PrintJob
from tests.factories import ClinicFactory, MerchantFactory, PrecinctFactory
from tests.factories_print import decode_page, issue, page_text, pdf_pages

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _public_address(settings):
    settings.PLACARD_BASE_URL = "https://xinyong.yuexiu.gz.gov.cn"


@pytest.fixture
def markets():
    area = PrecinctFactory(
        slug="yide-road", name_zh="一德路海味干果市场群", name_en="Yide Road Markets", kind="area"
    )
    first = PrecinctFactory(
        slug="yide-a",
        name_zh="海味一期",
        name_en="Dried Seafood Phase 1",
        kind="market",
        parent=area,
    )
    second = PrecinctFactory(
        slug="yide-b",
        name_zh="海味二期",
        name_en="Dried Seafood Phase 2",
        kind="market",
        parent=area,
    )
    for market, count in ((first, 30), (second, 20)):
        for number in range(1, count + 1):
            MerchantFactory(
                precinct=market, kind="stall", stall=f"{market.slug[-1].upper()}{number:03d}"
            )
    return area, first, second


def print_job(**fields):
    job = PrintJob.objects.create(template="label-sheet", **fields)
    placards = job.issue()
    return job, pdf.render(list(placards), job.template, total=job.total)


def test_each_sheet_is_headed_with_market_stall_range_and_its_place(markets):
    area, _first, _second = markets
    job, content = print_job(precinct=area)
    assert job.total == 50
    assert len(pdf_pages(content)) == 3
    first, second, third = (page_text(content, index) for index in range(3))
    assert "一德路海味干果市场群" in first and "海味一期" in first
    assert "A001 – A024" in first
    assert "第 1 / 3 张" in first and "Sheet 1 of 3" in first
    # The second sheet holds the last six stalls of phase 1 and the first of phase 2.
    assert "海味一期、海味二期" in second
    assert "A025 – B018" in second
    assert "Sheet 2 of 3" in second
    assert "B019 – B020" in third and "Sheet 3 of 3" in third
    assert "Dried Seafood Phase 2" in third


def test_one_stall_fills_its_sheet_with_its_own_labels(markets):
    _area, first, _second = markets
    merchant = first.merchants.order_by("stall").first()
    job, content = print_job(merchant_codes=[merchant.code])
    assert job.total == 1
    assert len(pdf_pages(content)) == 1
    codes = decode_page(content)
    placard = Placard.objects.get(merchant=merchant, template="label-sheet")
    assert len(codes) == 24
    assert {code.text for code in codes} == {placard.scan_url}
    text = page_text(content)
    assert "A001" in text and "Sheet 1 of 1" in text


def test_two_stalls_get_one_label_each(markets):
    _area, first, _second = markets
    codes = list(first.merchants.order_by("stall").values_list("code", flat=True)[:2])
    _job, content = print_job(merchant_codes=codes)
    assert len(decode_page(content)) == 2


def test_a_counter_stand_is_titled_for_the_merchants_kind():
    shop = issue(MerchantFactory(kind="shop", category="tea"), template="counter-stand")
    clinic = issue(ClinicFactory(), template="counter-stand")
    shop_text = page_text(pdf.render([shop], "counter-stand"))
    clinic_text = page_text(pdf.render([clinic], "counter-stand"))
    assert "商户信用档案二维码公示牌" in shop_text
    assert "医疗机构" not in shop_text and "Clinic" not in shop_text
    assert "医疗机构信用档案二维码公示牌" in clinic_text
    assert "Clinic Credit Record QR Placard" in clinic_text
