"""A shop, a clinic and a market stall in English on a phone: no Chinese left unexplained.

Chinese may appear only in names, addresses and texts marked as original
Chinese (with the language toggle's own "中文"). Dates, codes and stall
numbers stay on one line, and nothing runs off the side of a 360 px screen.
Screenshots in both languages land in test-artifacts/.
"""

import datetime

import pytest
from playwright.sync_api import sync_playwright

from merchants.models import GlossaryTerm, Licence
from tests.browser import CHROMIUM_FLAGS, PHONE, chromium_path, screenshot
from tests.factories import (
    ClinicFactory,
    InspectionFactory,
    LicenceFactory,
    ListEntryFactory,
    MerchantFactory,
    PenaltyFactory,
    PrecinctFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CJK = r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]"
# Where Chinese is allowed on an English page: what the test removes before reading.
ALLOWED = "a.lang, .alt-name, .address, .original"
TODAY = datetime.date.today()
MARKET_BUREAU = "广州市越秀区市场监督管理局"


@pytest.fixture(scope="module", autouse=True)
def _orm_beside_playwright():
    """Playwright's sync API keeps an event loop in this thread; see test_browser_scan."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="module")
def browser(_orm_beside_playwright):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="en-GB"
    )
    yield context.new_page()
    context.close()


def days(n):
    return TODAY - datetime.timedelta(days=n)


@pytest.fixture
def shop():
    GlossaryTerm.objects.seed()
    street = PrecinctFactory(slug="beijing-road", name_zh="北京路步行街", name_en="Beijing Road")
    merchant = MerchantFactory(
        precinct=street,
        name_zh="泰和茶行",
        name_en="Taihe Tea House",
        stall="",
        address="广州市越秀区北京路188号首层",
        address_en="Ground floor, 188 Beijing Road, Yuexiu District, Guangzhou",
    )
    LicenceFactory(
        merchant=merchant, number="91440104MA5CTEA01X", issuer=MARKET_BUREAU, expires_on=None
    )
    LicenceFactory(
        merchant=merchant,
        kind="food_business",
        number="JY14401040012345",
        issuer=MARKET_BUREAU,
        state=Licence.State.SUSPENDED,
        expires_on=days(-900),
    )
    InspectionFactory(
        merchant=merchant,
        inspected_on=days(40),
        authority=MARKET_BUREAU,
        kind="random",
        result="rectify",
        findings="部分商品未明码标价，责令限期整改。",
    )
    PenaltyFactory(
        merchant=merchant,
        decision_number="穗越市监罚〔2026〕17号",
        decided_on=days(20),
        authority=MARKET_BUREAU,
        violation="未按规定明码标价",
        penalty_types=["warning", "fine", "suspension"],
        fine_amount=123456,
        summary_en="Prices not clearly marked",
    )
    return merchant


@pytest.fixture
def clinic():
    GlossaryTerm.objects.seed()
    district = PrecinctFactory(slug="yuexiu", name_zh="越秀区", name_en="Yuexiu District")
    merchant = ClinicFactory(
        precinct=district,
        name_zh="广州泰和口腔门诊部",
        name_en="Guangzhou Taihe Dental Clinic",
        specialties="口腔科；口腔颌面外科；牙周病专业",
        address="广州市越秀区中山五路9号二层",
        address_en="",
    )
    health = "广州市越秀区卫生健康局"
    LicenceFactory(
        merchant=merchant,
        kind="medical_practice",
        number="PDY00017440104 17D1234",
        issuer=health,
        expires_on=days(-400),
    )
    InspectionFactory(
        merchant=merchant,
        inspected_on=days(100),
        authority=health,
        kind="routine",
        findings="消毒隔离制度落实到位，医疗废物处置规范。",
        summary_en="Disinfection rules followed; medical waste handled properly.",
    )
    return merchant


@pytest.fixture
def stall():
    GlossaryTerm.objects.seed()
    market = PrecinctFactory(
        slug="yide-road-defeng", name_zh="德丰海味市场", name_en="Defeng Dried Seafood Market"
    )
    merchant = MerchantFactory(
        precinct=market,
        kind="stall",
        category="dried_seafood",
        name_zh="宏记海味行",
        name_en="Hongji Dried Seafood Trading",
        stall="A-2-010",
        address="广州市越秀区一德路88号德丰海味市场A-2-010档",
        address_en="Stall A-2-010, Defeng Dried Seafood Market, 88 Yide Road",
    )
    LicenceFactory(merchant=merchant, number="JY14401040099999", issuer=MARKET_BUREAU)
    InspectionFactory(
        merchant=merchant,
        inspected_on=days(12),
        authority=MARKET_BUREAU,
        kind="follow_up",
        findings="复查：已按要求完成整改。",
    )
    ListEntryFactory(
        merchant=merchant,
        list_name="exposure_board",
        reason="一票否决：销售二氧化硫残留量超标的干货",
        authority="一德路海味干果商会",
        listed_on=days(30),
        until=None,
    )
    return merchant


def unexplained_chinese(page):
    """The page's visible text without the places Chinese is allowed, and what CJK is left."""
    return page.evaluate(
        """([allowed, cjk]) => {
            const body = document.body.cloneNode(true);
            body.querySelectorAll(allowed).forEach((el) => el.remove());
            body.querySelectorAll('style, script').forEach((el) => el.remove());
            return (body.textContent.match(new RegExp(cjk, 'g')) || []).join('');
        }""",
        [ALLOWED, CJK],
    )


def broken_tokens(page):
    """Dates, codes and stall numbers laid out on more than one line."""
    return page.evaluate(
        """() => [...document.querySelectorAll('time, .code, .nb')]
            .filter((el) => el.getClientRects().length > 1)
            .map((el) => el.textContent)"""
    )


def every_original_is_marked(page):
    """Each free text kept in Chinese has the visible marker just before it."""
    return page.evaluate(
        """() => [...document.querySelectorAll('span.original:not(.code)')].every((el) => {
            const tag = el.previousElementSibling;
            return tag && tag.classList.contains('orig-tag') && tag.offsetHeight > 0;
        })"""
    )


@pytest.mark.parametrize("which", ["shop", "clinic", "stall"])
def test_an_english_page_has_no_unexplained_chinese(live_server, phone, request, which):
    merchant = request.getfixturevalue(which)

    response = phone.goto(f"{live_server.url}/en/m/{merchant.code}/")

    assert response.status == 200
    assert unexplained_chinese(phone) == ""
    assert every_original_is_marked(phone)
    assert broken_tokens(phone) == []
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    screenshot(phone, f"english-{which}-phone")
    phone.goto(f"{live_server.url}/m/{merchant.code}/?lang=zh-hans")
    assert phone.locator("html").get_attribute("lang") == "zh-Hans"
    assert "original Chinese" not in phone.locator("body").inner_text()
    assert broken_tokens(phone) == []
    screenshot(phone, f"chinese-{which}-phone")


def test_what_the_pages_say_in_english(live_server, phone, shop, clinic, stall):
    phone.goto(f"{live_server.url}/en/m/{shop.code}/")
    text = phone.locator("main").inner_text()
    assert "Yuexiu District Market Regulation Bureau, Guangzhou" in text
    assert "random spot check" in text
    assert "fine CNY 123,456" in text
    assert "Prices not clearly marked" in text
    assert "ordered to close temporarily" in text
    phone.goto(f"{live_server.url}/en/m/{clinic.code}/")
    text = phone.locator("main").inner_text()
    assert "dentistry, oral and maxillofacial surgery, original Chinese 牙周病专业" in text
    assert text.count("PDY00017440104 17D1234") == 1
    phone.goto(f"{live_server.url}/en/m/{stall.code}/")
    text = phone.locator("main").inner_text()
    assert "public warning list" in text
    assert "Yide Road Dried Seafood and Dry Goods Chamber of Commerce" in text
