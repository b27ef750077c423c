"""End to end in a real headless Chromium at a phone's size: scan a placard, read the page.

Screenshots land in test-artifacts/ for a person to look at.
"""

import datetime
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import sync_playwright

from print_templates import pdf
from tests.browser import CHROMIUM_FLAGS, PHONE, chromium_path, screenshot
from tests.factories import InspectionFactory, LicenceFactory, MerchantFactory, PenaltyFactory
from tests.factories_print import decode_page, issue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module", autouse=True)
def _orm_beside_playwright():
    """Playwright's sync API keeps an event loop in this thread; the ORM calls made
    between browser steps (and the database flush after each test) are plain
    synchronous calls and safe here. Only for this module's lifetime."""
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
    def open_context(locale="en-GB", javascript=True):
        context = browser.new_context(
            viewport=PHONE,
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
            locale=locale,
            java_script_enabled=javascript,
        )
        contexts.append(context)
        return context.new_page()

    contexts = []
    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def shop():
    merchant = MerchantFactory(name_zh="泰和茶行", name_en="Taihe Tea House", stall="B12")
    LicenceFactory(merchant=merchant, expires_on=datetime.date(2030, 1, 1))
    InspectionFactory(merchant=merchant, inspected_on=datetime.date(2025, 10, 7))
    PenaltyFactory(merchant=merchant, violation="未明码标价", decided_on=datetime.date.today())
    return merchant


def scanned_url(placard, live_server):
    """Decode the printed QR as a phone would, then point it at the test server."""
    codes = decode_page(pdf.render([placard], "window-sticker"))
    printed = urlsplit(codes[0].text)
    return f"{live_server.url}{printed.path}"


def above_the_fold(page, selector):
    box = page.locator(selector).first.bounding_box()
    return box is not None and box["y"] + box["height"] <= PHONE["height"]


def test_scanning_a_placard_lands_on_its_page_with_the_key_facts_above_the_fold(
    live_server, phone, shop
):
    placard = issue(shop)
    page = phone()

    response = page.goto(scanned_url(placard, live_server))

    assert response.status == 200
    assert urlsplit(page.url).path == f"/en/m/{shop.code}/"
    assert page.locator("html").get_attribute("lang") == "en"
    # The verdict comes first; a genuine placard is a small line beneath it.
    assert "Genuine placard" in page.locator(".placard-line").inner_text()
    for selector in (".verdict-line", ".placard-line", "h1", ".code", "a.lang"):
        assert above_the_fold(page, selector), selector
    summary = page.locator(".summary").inner_text()
    assert "valid" in summary
    assert "days ago" in summary
    assert "1 public penalty" in summary
    screenshot(page, "scan-page-en-phone")


def test_the_language_toggle_keeps_the_visitor_on_the_same_merchant(live_server, phone, shop):
    page = phone()
    page.goto(f"{live_server.url}/en/m/{shop.code}/")

    page.locator("a.lang").click()

    assert urlsplit(page.url).path == f"/m/{shop.code}/"
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.locator("h1").inner_text() == "泰和茶行"
    screenshot(page, "scan-page-zh-phone")


def test_a_chinese_browser_gets_chinese_and_the_page_works_without_javascript(
    live_server, phone, shop
):
    page = phone(locale="zh-CN", javascript=False)
    placard = issue(shop)

    page.goto(scanned_url(placard, live_server))

    assert urlsplit(page.url).path == f"/m/{shop.code}/"
    assert page.locator("h1").inner_text() == "泰和茶行"
    assert page.locator(".placard-line").count() == 1
    screenshot(page, "scan-page-zh-no-js")


def test_an_outdated_placard_says_so(live_server, phone, shop):
    old = issue(shop)
    issue(shop)
    page = phone()

    page.goto(scanned_url(old, live_server))

    assert "Outdated placard" in page.locator(".banner").inner_text()
    screenshot(page, "scan-outdated-placard")


def test_a_forged_code_gets_the_counterfeit_warning(live_server, phone, shop):
    placard = issue(shop)
    url = scanned_url(placard, live_server)
    forged = url[:-1] + ("A" if url[-1] != "A" else "B")
    page = phone()

    response = page.goto(forged)

    assert response.status == 404
    text = page.locator("body").inner_text()
    assert "12345" in text
    screenshot(page, "scan-counterfeit-warning")
