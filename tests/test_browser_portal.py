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
