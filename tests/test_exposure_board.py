"""The exposure board (诚信曝光台) of a precinct: vetoed and black-listed members."""

import datetime

import pytest
from django.core.management import call_command

from cms.models import PrecinctPage
from merchants.models import ListEntry
from tests.factories import ListEntryFactory
from tests.factories_ratings import load_sample_scheme, publish, veto, yide_member
from tests.test_precinct_page import text_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_a_fixed_day")]


@pytest.fixture
def board():
    scheme, area, association = load_sample_scheme("yide-road-2026")
    vetoed = yide_member(scheme, area, association, "5", name_en="Fake Abalone Stall")
    veto(scheme, vetoed, reason="销售假冒鲍鱼", decided_on=datetime.date(2026, 9, 1))
    listed = yide_member(scheme, area, association, "4", name_en="Listed Stall")
    ListEntryFactory(
        merchant=listed,
        list_name=ListEntry.List.SERIOUS_DISHONESTY,
        reason="拒不履行行政处罚决定",
        authority="越秀区市场监督管理局",
        listed_on=datetime.date(2026, 3, 1),
        until=None,
    )
    clean = yide_member(scheme, area, association, "5", name_en="Clean Stall")
    call_command("sync_precinct_pages")
    return scheme, area, vetoed, listed, clean


def test_the_board_lists_vetoed_and_black_listed_members_with_reason_and_dates(client, board):
    scheme, _area, _vetoed, _listed, _clean = board
    publish(scheme)

    text = text_of(client.get("/en/yide-road/exposure/").content.decode())

    assert "Fake Abalone Stall" in text and "Vetoed: vetoes entered by the association." in text
    assert "decided 2026-09-01" in text
    assert "Listed Stall" in text and "拒不履行行政处罚决定" in text
    # The authority in the glossary's English, as on the merchant page.
    assert "Yuexiu District Market Regulation Bureau · 2026-03-01 – no end date" in text
    assert "Clean Stall" not in text


def test_vetoes_wait_for_the_published_round(client, board):
    text = text_of(client.get("/en/yide-road/exposure/").content.decode())
    assert "No member was vetoed in the published rating." in text
    assert "Listed Stall" in text  # a list entry is public as soon as it is in force


def test_editors_write_an_introduction_per_language(client, board):
    english = PrecinctPage.objects.get(slug="yide-road", locale__language_code="en")
    english.exposure_intro = "<p>Decided by the chamber's integrity committee.</p>"
    english.save_revision().publish()

    assert "integrity committee" in client.get("/en/yide-road/exposure/").content.decode()
    chinese = client.get("/yide-road/exposure/").content.decode()
    assert "integrity committee" not in chinese and "诚信曝光台" in chinese


def test_the_precinct_page_and_the_merchant_verdict_link_to_it(client, board):
    scheme, _area, vetoed, _listed, _clean = board
    publish(scheme)
    assert 'href="/en/yide-road/exposure/"' in client.get("/en/yide-road/").content.decode()
    html = client.get(f"/en/m/{vetoed.code}/").content.decode()
    assert 'href="/en/yide-road/exposure/"' in html


def test_chinese_free_text_on_english_pages_is_marked_as_the_original(client, board):
    scheme, area, _vetoed, _listed, _clean = board
    area.address = "广州市越秀区一德路"
    area.save()
    publish(scheme)
    original = (
        '<small class="orig-tag">original Chinese</small> '
        '<span class="original" lang="zh-Hans">{}</span>'
    )

    board_html = client.get("/en/yide-road/exposure/").content.decode()
    page_html = client.get("/en/yide-road/").content.decode()

    assert original.format("拒不履行行政处罚决定") in board_html
    assert "Yuexiu District Market Regulation Bureau" in board_html  # the glossary's English
    assert original.format("广州市越秀区一德路") in page_html
    chinese = client.get("/yide-road/exposure/").content.decode()
    assert "拒不履行行政处罚决定" in chinese and "original Chinese" not in chinese
    assert "orig-tag" not in client.get("/yide-road/").content.decode()


def test_a_member_vetoed_in_two_schemes_is_one_entry_with_both_reasons(client, board):
    scheme, _area, vetoed, _listed, _clean = board
    publish(scheme)
    second, _area, _association = load_sample_scheme(
        "yide-road-2026", slug="yide-road-2026-quality", name_en="Yide Road quality rating 2026"
    )
    veto(second, vetoed, reason="以次充好", decided_on=datetime.date(2026, 10, 1))
    publish(second)

    html = client.get("/en/yide-road/exposure/").content.decode()

    assert html.count(f'href="/en/m/{vetoed.code}/"') == 1
    assert "Yide Road quality rating 2026" in html and "decided 2026-09-01" in html
