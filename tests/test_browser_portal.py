"""The merchant portal in headless Chromium at a phone's size: sign in, object, see the mark."""

import datetime

import pytest
from playwright.sync_api import sync_playwright

from merchants.models import Objection
from tests.browser import CHROMIUM_FLAGS, PHONE, chromium_path, screenshot
from tests.factories import LicenceFactory, MerchantFactory, PenaltyFactory
from tests.factories_portal import PASSWORD, merchant_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module", autouse=True)
def _orm_beside_playwright():
    """As in test_browser_scan: ORM calls between browser steps are plain synchronous calls."""
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


def fits_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_merchant_signs_in_on_a_phone_objects_and_the_public_page_marks_the_record(
    live_server, browser
):
    shop = MerchantFactory(name_zh="泰和茶行", name_en="Taihe Tea House")
    LicenceFactory(merchant=shop)
    PenaltyFactory(merchant=shop, violation="未明码标价", decided_on=datetime.date.today())
    merchant_user(shop, username="taihe")
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN")
    page = context.new_page()

    page.goto(f"{live_server.url}/portal/sign-in/")
    page.fill("#id_username", "taihe")
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    assert page.locator("h1").inner_text() == "泰和茶行"
    assert fits_the_screen(page)
    screenshot(page, "portal-business-zh-phone")

    page.locator("a[href*='/object/penalty/']").click()
    page.fill("#id_reason", "该处罚决定书编号有误。")
    page.set_input_files(
        "#id_attachments",
        files=[{"name": "证明.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}],
    )
    page.click("button.primary")
    assert "您的异议已提交" in page.locator(".messages").inner_text()
    assert fits_the_screen(page)
    screenshot(page, "portal-objection-filed-zh-phone")
    assert Objection.objects.get().attachments.count() == 1

    page.goto(f"{live_server.url}/m/{shop.code}/")
    assert "异议处理中" in page.locator("#penalties").inner_text()
    context.close()


#: Every text with Chinese characters that is not inside an element marked as Chinese.
UNEXPLAINED_CHINESE = """() => {
  const cjk = /[\\u2e80-\\u9fff\\uf900-\\ufaff]/;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const found = [];
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (cjk.test(node.textContent) && !node.parentElement.closest('[lang="zh-Hans"]')) {
      found.push(node.textContent.trim());
    }
  }
  return found;
}"""


def test_an_english_portal_page_explains_every_chinese_word(live_server, browser):
    from merchants.models import GlossaryTerm
    from tests.factories import InspectionFactory, ListEntryFactory
    from tests.factories_ratings import load_sample_scheme, publish, yide_member

    GlossaryTerm.objects.seed()
    scheme, precinct, association = load_sample_scheme("yide-road-2026")
    stall = yide_member(scheme, precinct, association, level="4", name_en="Hongji Dried Seafood")
    InspectionFactory(merchant=stall, findings="冷库温度记录不全")
    PenaltyFactory(merchant=stall, violation="未明码标价", decided_on=datetime.date.today())
    ListEntryFactory(merchant=stall, authority="某未收录的机关")
    publish(scheme)
    merchant_user(stall, username="hongji")
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="en-GB")
    page = context.new_page()
    page.goto(f"{live_server.url}/en/portal/sign-in/")
    page.fill("#id_username", "hongji")
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    assert page.locator("h1").inner_text() == "Hongji Dried Seafood"
    text = page.locator("main").inner_text()
    assert "Yuexiu District Market Regulation Bureau" in text
    assert "Object to this score" in text and "Object to this rating" in text
    assert page.evaluate(UNEXPLAINED_CHINESE) == []
    assert fits_the_screen(page)
    screenshot(page, "portal-business-en-phone")

    page.goto(f"{live_server.url}/en/portal/{stall.code}/timeline/")
    assert "Star rating" in page.locator("main").inner_text()
    assert page.evaluate(UNEXPLAINED_CHINESE) == []
    screenshot(page, "portal-timeline-en-phone")
    context.close()
