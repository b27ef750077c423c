"""The merchant page in English: glossary terms, English summaries, Chinese marked as such."""

import datetime
import re

import pytest

from merchants.models import GlossaryTerm, Licence
from tests.factories import (
    ClinicFactory,
    InspectionFactory,
    LicenceFactory,
    ListEntryFactory,
    MerchantFactory,
    PenaltyFactory,
)
from tests.test_merchant_page import page, text_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_a_fixed_day")]

MARKET_BUREAU = "广州市越秀区市场监督管理局"


@pytest.fixture(autouse=True)
def _seeded_glossary():
    GlossaryTerm.objects.seed()


def original_chinese(response):
    """The Chinese texts the page marks as original, in page order."""
    html = response.content.decode()
    return re.findall(r'<span class="(?:code )?original" lang="zh-Hans">(.*?)</span>', html)


def test_authorities_and_kinds_read_in_plain_english(client):
    shop = MerchantFactory()
    InspectionFactory(merchant=shop, authority=MARKET_BUREAU, kind="random", findings="")
    ListEntryFactory(merchant=shop, list_name="exposure_board", authority=MARKET_BUREAU, until=None)

    text = text_of(page(client, shop, "en"))

    assert "random spot check" in text
    assert "double random" not in text
    assert "public warning list" in text
    assert "exposure board" not in text
    assert "Yuexiu District Market Regulation Bureau, Guangzhou" in text
    assert MARKET_BUREAU not in text


def test_an_authority_missing_from_the_glossary_is_shown_as_original_chinese(client):
    shop = MerchantFactory()
    InspectionFactory(merchant=shop, authority="某某街道办事处", findings="")

    response = page(client, shop, "en")

    assert "original Chinese 某某街道办事处" in text_of(response)
    assert original_chinese(response) == ["某某街道办事处"]


def test_staff_edit_the_glossary_and_the_page_follows(client):
    shop = MerchantFactory()
    InspectionFactory(merchant=shop, kind="random")
    assert "random spot check" in text_of(page(client, shop, "en"))

    term = GlossaryTerm.objects.get(vocabulary="inspection_kind", source="random")
    term.english = "unannounced random check"
    term.save()

    assert "unannounced random check" in text_of(page(client, shop, "en"))


def test_free_text_shows_the_english_summary_first_then_the_marked_original(client):
    shop = MerchantFactory()
    InspectionFactory(
        merchant=shop, findings="部分商品未明码标价", summary_en="Some prices were not displayed."
    )
    PenaltyFactory(merchant=shop, violation="销售过期食品", decided_on=datetime.date(2026, 3, 1))

    response = page(client, shop, "en")
    text = text_of(response)

    assert "Some prices were not displayed. original Chinese 部分商品未明码标价" in text
    assert "original Chinese 销售过期食品" in text
    marked = original_chinese(response)
    assert marked[:2] == ["部分商品未明码标价", "销售过期食品"]
    assert marked[2].startswith("穗越市监罚")  # the decision number, as issued
    chinese = text_of(page(client, shop))
    assert "部分商品未明码标价" in chinese
    assert "Some prices" not in chinese
    assert "original Chinese" not in chinese


def test_the_english_address_comes_first_and_the_chinese_stays_for_taxis(client):
    shop = MerchantFactory(address="广州市越秀区北京路188号", address_en="188 Beijing Road, Yuexiu")

    html = page(client, shop, "en").content.decode()

    assert (
        '188 Beijing Road, Yuexiu · <span class="address" lang="zh-Hans">广州市越秀区北京路188号'
        in (html)
    )


@pytest.mark.parametrize("state", [Licence.State.SUSPENDED, Licence.State.REVOKED])
def test_a_suspended_or_revoked_licence_shows_no_until_date(client, state):
    shop = MerchantFactory()
    LicenceFactory(merchant=shop, state=state, expires_on=datetime.date(2029, 8, 11))

    text = text_of(page(client, shop, "en"))

    assert "2029-08-11" not in text
    # No "until <date>" at all (the verdict may say "until it is restored").
    assert not re.search(r"until \d", text.replace("shown until", ""))


def test_a_licence_in_force_says_valid_until_and_an_expired_one_expired_on(client):
    shop = MerchantFactory()
    LicenceFactory(merchant=shop, number="OLD", expires_on=datetime.date(2026, 1, 31))
    LicenceFactory(merchant=shop, number="NEW", expires_on=datetime.date(2031, 1, 31))

    text = text_of(page(client, shop, "en"))

    assert "valid until 2031-01-31" in text
    assert "expired on 2026-01-31" in text


def test_a_fine_is_shown_once_with_currency_and_separators(client):
    shop = MerchantFactory()
    PenaltyFactory(
        merchant=shop,
        penalty_types=["warning", "fine"],
        fine_amount=30000,
        decided_on=datetime.date(2026, 3, 1),
    )

    english = text_of(page(client, shop, "en"))
    chinese = text_of(page(client, shop))

    assert "warning · fine CNY 30,000" in english
    assert english.count("fine") == 1
    assert "警告 · 罚款 30,000元" in chinese
    assert chinese.count("罚款") == 1


def test_a_clinics_practising_licence_is_listed_once(client):
    clinic = ClinicFactory(specialties="口腔科")
    LicenceFactory(merchant=clinic, kind="medical_practice", number="PDY-77")

    html = page(client, clinic, "en").content.decode()

    assert html.count("PDY-77") == 1
    assert "medical practising licence" in html


def test_dates_codes_and_stall_numbers_cannot_break_inside(client):
    shop = MerchantFactory(stall="A-2-010")
    LicenceFactory(merchant=shop, number="JY-1", expires_on=datetime.date(2029, 8, 11))
    InspectionFactory(merchant=shop, inspected_on=datetime.date(2026, 5, 1))

    html = page(client, shop, "en").content.decode()

    assert '<span class="nb">A-2-010</span>' in html
    assert '<time datetime="2029-08-11">2029-08-11</time>' in html
    assert '<time datetime="2026-05-01">2026-05-01</time>' in html
    assert '<span class="code">JY-1</span>' in html
    assert 'time,.nb,.code,a[href^="tel:"]{white-space:nowrap}' in html
