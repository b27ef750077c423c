"""End to end at 360×640: a rated shop, a clinic with an expired licence and a market page,
each in both languages. Screenshots land in test-artifacts/ for a person to look at."""

import datetime

import pytest
from django.core.management import call_command
from playwright.sync_api import sync_playwright
from wagtail.models import Locale, Page, Site

from cms.models import HomePage
from merchants.models import Licence
from print_templates.models import Placard
from tests.browser import CHROMIUM_FLAGS, PHONE, chromium_path, screenshot
from tests.factories import ClinicFactory, InspectionFactory, LicenceFactory, PrecinctFactory
from tests.factories_ratings import load_sample_scheme, publish, yide_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LANGUAGES = [("zh-hans", "", "zh-CN"), ("en", "/en", "en-GB")]


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
def phone(browser):
    contexts = []

    def open_page(locale):
        context = browser.new_context(
            viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale=locale
        )
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page_tree():
    """The locales, root and home page the migrations made: a transactional test's flush
    (this one's or an earlier module's) removes them, so they are built again here."""
    zh, _created = Locale.objects.get_or_create(language_code="zh-hans")
    Locale.objects.get_or_create(language_code="en")
    if not HomePage.objects.exists():
        root = Page.get_first_root_node() or Page.add_root(
            instance=Page(title="Root", slug="root", locale=zh)
        )
        home = root.add_child(instance=HomePage(title="诚信 · 信用公示", slug="home", locale=zh))
        Site.objects.update_or_create(
            is_default_site=True, defaults={"hostname": "localhost", "root_page": home}
        )


@pytest.fixture
def yide(on_a_fixed_day, page_tree):
    scheme, area, association = load_sample_scheme("yide-road-2026")
    area.name_zh, area.name_en, area.kind = "一德路海味干果市场群", "Yide Road Markets", "area"
    area.save()
    market = PrecinctFactory(
        slug="haiyin", name_zh="海印海味城", name_en="Haiyin Seafood Plaza", parent=area
    )
    market.kind = "market"
    market.save()
    stalls = [
        yide_member(scheme, market, association, level, name_zh=name, name_en=english, stall=stall)
        for level, name, english, stall in (
            ("5", "泰和海味行", "Taihe Dried Seafood", "A-1-001"),
            ("4", "金记干果", "Kam Kee Nuts", "A-1-002"),
            ("4", "广和瑶柱", "Kwong Wo Scallops", "A-2-010"),
            ("3", "德丰冬菇", "Tak Fung Mushrooms", "B-1-003"),
        )
    ]
    publish(scheme)
    call_command("sync_precinct_pages")
    return stalls


def in_view(page, selector):
    box = page.locator(selector).first.bounding_box()
    return box is not None and box["y"] + box["height"] <= PHONE["height"]


def fits_the_width(page):
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize(("language", "prefix", "locale"), LANGUAGES)
def test_a_rated_shop_shows_its_stars_and_verdict_first(
    live_server, phone, yide, language, prefix, locale
):
    shop = yide[0]
    InspectionFactory(merchant=shop, inspected_on=datetime.date(2026, 10, 21))
    plaque = Placard.objects.get(merchant=shop, template="star-plaque")
    page = phone(locale)
    page.goto(f"{live_server.url}/q/{plaque.token}")
    page.goto(f"{live_server.url}{prefix}/m/{shop.code}/")

    for selector in (".rating .stars", ".verdict-line", ".placard-line", "h1"):
        assert in_view(page, selector), selector
    rating = page.locator(".rating").inner_text()
    assert ("五星" if language == "zh-hans" else "5 stars") in rating
    assert page.locator(".stars").first.get_attribute("aria-label") in (
        "5星（满分5星）",
        "5 of 5 stars",
    )
    assert fits_the_width(page)
    screenshot(page, f"stars-shop-{language}")

    page.locator(".rating a").click()
    assert page.locator("table.breakdown").is_visible()
    screenshot(page, f"stars-how-rated-{language}")


@pytest.mark.parametrize(("language", "prefix", "locale"), LANGUAGES)
def test_a_clinic_with_an_expired_licence_says_so_first(
    live_server, phone, on_a_fixed_day, language, prefix, locale
):
    clinic = ClinicFactory(name_zh="越秀丰泰口腔门诊部", name_en="Yuexiu Fengtai Dental Clinic")
    LicenceFactory(
        merchant=clinic,
        kind=Licence.Kind.MEDICAL_PRACTICE,
        expires_on=datetime.date(2026, 4, 13),
    )
    page = phone(locale)
    page.goto(f"{live_server.url}{prefix}/m/{clinic.code}/")

    verdict = page.locator(".verdict-line")
    assert in_view(page, ".verdict-line")
    expected = "不得接诊" if language == "zh-hans" else "this clinic may not treat patients"
    assert expected in verdict.inner_text()
    assert "12320" in page.locator("footer").inner_text()
    assert fits_the_width(page)
    screenshot(page, f"stars-clinic-expired-{language}")


@pytest.mark.parametrize(("language", "prefix", "locale"), LANGUAGES)
def test_a_market_page_shows_its_chart_directory_and_exposure_board(
    live_server, phone, yide, language, prefix, locale
):
    page = phone(locale)
    page.goto(f"{live_server.url}{prefix}/yide-road/haiyin/")

    assert page.locator("header.bar a.lang").is_visible()
    assert page.locator("nav.breadcrumb").is_visible()
    assert page.locator("svg.bars").is_visible()
    assert page.locator("table.levels").is_visible()
    assert page.locator(".directory li").count() == 4
    assert fits_the_width(page)
    screenshot(page, f"stars-market-{language}")

    page.fill("#q", "a1002")
    page.locator(".search button").click()
    assert page.locator(".directory li").count() == 1
    screenshot(page, f"stars-market-search-{language}")

    page.goto(f"{live_server.url}{prefix}/yide-road/haiyin/exposure/")
    assert page.locator("h1").is_visible()
    screenshot(page, f"stars-exposure-board-{language}")
