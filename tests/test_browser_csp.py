"""The Content-Security-Policy in a real Chromium: no page breaks it, and the admin still works.

Every page is opened with a listener for ``securitypolicyviolation`` events
installed before any of its scripts run; a blocked inline script, or anything
else the policy refuses, fails the test with the directive and the source.
"""

import datetime

import pytest
from django.core.management import call_command
from playwright.sync_api import sync_playwright

from tests.browser import CHROMIUM_FLAGS, chromium_path, screenshot
from tests.factories import MerchantFactory, PenaltyFactory, PrecinctFactory, UserFactory
from tests.factories_print import issue
from tests.factories_ratings import ReviewFactory

# One test on purpose: the live server needs committed rows, and the flush after
# a transactional test also empties the page tree and locales the migrations made.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(
    `${event.violatedDirective} ${event.blockedURI} ${event.sample || ""}`.trim()
  );
});
"""


@pytest.fixture(scope="module", autouse=True)
def _orm_beside_playwright():
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
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="en-GB")
    context.add_init_script(RECORD_VIOLATIONS)
    yield context.new_page()
    context.close()


@pytest.fixture
def archive(site_tree):
    street = PrecinctFactory(slug="beijing-road", name_zh="北京路", name_en="Beijing Road")
    shop = MerchantFactory(precinct=street, name_en="Tea House")
    penalty = PenaltyFactory(merchant=shop, decided_on=datetime.date.today())
    ReviewFactory(merchant=shop)
    issue(shop)
    call_command("sync_precinct_pages", verbosity=0)
    UserFactory(username="root", is_staff=True, is_superuser=True, password="root-password")
    return shop, penalty


def visit(page, url):
    response = page.goto(url)
    assert response.status < 400, (url, response.status)
    assert "content-security-policy" in {name.lower() for name in response.headers}, url
    page.wait_for_load_state("networkidle")
    return page.evaluate("window.__violations")


def test_public_and_admin_pages_run_under_the_policy_and_admin_widgets_still_work(
    live_server, page, archive
):
    shop, penalty = archive
    public = ("/", "/en/", f"/m/{shop.code}/", f"/en/m/{shop.code}/", "/en/beijing-road/")
    violations = {path: visit(page, live_server.url + path) for path in public}
    assert violations == {path: [] for path in public}

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "root")
    page.fill("input[name=password]", "root-password")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    paths = [
        "/admin/",
        "/admin/archive/merchants/",
        f"/admin/archive/merchants/edit/{shop.pk}/",
        "/admin/archive/penalties/",
        f"/admin/archive/penalties/edit/{penalty.pk}/",
        "/admin/archive/licences/new/",
        "/admin/reviews/",
        "/admin/placards/",
        "/admin/print-jobs/new/",
        "/admin/users/",
        "/admin/groups/",
        "/admin/pages/",
        "/admin/snippets/",
        "/admin/sites/",
        "/admin/redirects/add/",
    ]
    violations = {path: visit(page, live_server.url + path) for path in paths}
    assert violations == {path: [] for path in paths}

    visit(page, f"{live_server.url}/admin/archive/penalties/new/")
    page.click("input[name=decided_on]")
    page.wait_for_selector(".xdsoft_datetimepicker", state="visible")
    screenshot(page, "admin-penalty-date-picker-under-csp")
    page.locator("[data-chooser-action-choose]:visible").first.click()
    page.wait_for_selector(".modal-dialog", state="visible")
    page.wait_for_load_state("networkidle")
    screenshot(page, "admin-merchant-chooser-under-csp")
    assert page.evaluate("window.__violations") == []
