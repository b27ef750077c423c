import pytest
from django.core.management import call_command

from cms.models import PrecinctPage
from tests.factories import PrecinctFactory

pytestmark = pytest.mark.django_db


def test_every_precinct_gets_a_page_in_both_languages_nested_like_the_archive():
    area = PrecinctFactory(slug="yide-road", name_zh="一德路", name_en="Yide Road", kind="area")
    PrecinctFactory(slug="haiyin", name_zh="海印市场", name_en="Haiyin Market", parent=area)

    call_command("sync_precinct_pages")

    zh = PrecinctPage.objects.get(precinct__slug="haiyin", locale__language_code="zh-hans")
    en = PrecinctPage.objects.get(precinct__slug="haiyin", locale__language_code="en")
    assert zh.title == "海印市场"
    assert en.title == "Haiyin Market"
    assert zh.get_parent().specific.precinct == area
    assert zh.url == "/yide-road/haiyin/"
    assert en.url == "/en/yide-road/haiyin/"
    assert zh.live and en.live


def test_running_again_creates_nothing_new():
    PrecinctFactory(slug="beijing-road")
    call_command("sync_precinct_pages")
    call_command("sync_precinct_pages")
    assert PrecinctPage.objects.count() == 2
