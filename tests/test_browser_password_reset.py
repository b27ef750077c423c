"""The staff password reset page in a real Chromium: the refusal is shown, in both languages."""

import pytest
from playwright.sync_api import sync_playwright

from tests.browser import CHROMIUM_FLAGS, chromium_path, screenshot
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _orm_beside_playwright(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.mark.parametrize(
    "locale, refused",
    [
        ("en-GB", "Too many password reset requests for this e-mail address or from this network."),
        ("zh-CN", "此电子邮件地址或此网络申请重置密码的次数过多。"),
    ],
)
def test_the_fourth_request_for_one_address_is_refused_on_the_page(live_server, locale, refused):
    UserFactory(username="clerk", email="clerk@yuexiu.example.gov.cn", is_staff=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS
        )
        page = browser.new_page(viewport={"width": 1366, "height": 768}, locale=locale)
        for _request in range(4):
            page.goto(f"{live_server.url}/admin/password_reset/")
            page.fill("input[name=email]", "clerk@yuexiu.example.gov.cn")
            page.click("button[type=submit]")
        # The error box slides in: let it settle before the picture.
        page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
        text = page.inner_text("main")
        still_asking = page.locator("input[name=email]").count()
        screenshot(page, f"password-reset-refused-{locale}")
        browser.close()
    assert refused in text
    assert still_asking == 1  # the form stays, to try again later
