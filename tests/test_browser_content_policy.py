"""No public page breaks its own Content-Security-Policy in a real Chromium.

Every ``securitypolicyviolation`` event and every CSP console message on the
public pages is collected; there must be none, and the header must be there.
"""

import pytest
from django.core.management import call_command
from playwright.sync_api import sync_playwright

from tests.browser import CHROMIUM_FLAGS, PHONE, chromium_path
from tests.factories import MerchantFactory, PrecinctFactory
from tests.factories_print import issue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COLLECT = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture(scope="module", autouse=True)
def _orm_beside_playwright():
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="module")
def page(_orm_beside_playwright):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS
        )
        context = browser.new_context(viewport=PHONE, locale="en-GB")
        context.add_init_script(COLLECT)
        page = context.new_page()
        page.console_messages = []
        page.on("console", lambda message: page.console_messages.append(message.text))
        yield page
        browser.close()


def visit(page, url):
    page.console_messages.clear()
    response = page.goto(url)
    page.wait_for_load_state("load")
    violations = page.evaluate("window.__violations")
    reported = [text for text in page.console_messages if "Content Security Policy" in text]
    return response, violations + reported


def test_public_pages_keep_their_policy(page, live_server, site_tree):
    street = PrecinctFactory(slug="beijing-road", name_zh="北京路", name_en="Beijing Road")
    call_command("sync_precinct_pages")
    placard = issue(MerchantFactory(precinct=street, name_en="Taihe Tea House"))
    code = placard.merchant.code
    urls = [
        f"/q/{placard.token}",  # the scan: banner and review form on the merchant page
        f"/en/m/{code}/",
        f"/m/{code}/",
        "/en/beijing-road/",
        "/beijing-road/",
        f"/en/m/{code}/review/",
        "/q/FORGED000000000000",
        "/en/m/NOT-A-CODE/",
    ]
    for url in urls:
        response, violations = visit(page, live_server.url + url)
        assert violations == [], url
        assert "default-src 'self'" in response.headers["content-security-policy"], url


def test_a_violation_would_be_caught(page, live_server, settings):
    """The collector works: a policy without inline styles is broken by the page's own style."""
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {"default-src": ["'self'"], "style-src": ["'self'"]}
    }
    merchant = MerchantFactory()
    _response, violations = visit(page, f"{live_server.url}/en/m/{merchant.code}/")
    assert any(violation.startswith("style-src") for violation in violations)
