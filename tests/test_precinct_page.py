import pytest
from django.core.management import call_command

from tests.factories import MerchantFactory, PrecinctFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def yide_road():
    area = PrecinctFactory(slug="yide-road", name_zh="一德路", name_en="Yide Road", kind="area")
    market = PrecinctFactory(
        slug="haiyin", name_zh="海印市场", name_en="Haiyin Market", parent=area
    )
    MerchantFactory(precinct=market, name_zh="泰和海味", name_en="Taihe Seafood", stall="A-1-023")
    MerchantFactory(precinct=market, name_zh="金记干果", name_en="Kam Kee Nuts", stall="B-2-001")
    call_command("sync_precinct_pages")
    return area


def test_the_area_directory_lists_the_stalls_of_its_markets(client, yide_road):
    response = client.get("/yide-road/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "泰和海味" in html and "金记干果" in html
    assert "海印市场" in html  # link to the market page


@pytest.mark.parametrize("query", ["泰和", "taihe", "A-1-023"])
def test_search_by_name_or_stall(client, yide_road, query):
    html = client.get("/yide-road/haiyin/", {"q": query}).content.decode()
    assert "泰和海味" in html
    assert "金记干果" not in html


def test_english_page_shows_english_names(client, yide_road):
    html = client.get("/en/yide-road/haiyin/").content.decode()
    assert "Taihe Seafood" in html
    assert '<html lang="en">' in html


def test_search_text_is_escaped(client, yide_road):
    html = client.get("/yide-road/", {"q": '"><script>x</script>'}).content.decode()
    assert "<script>x</script>" not in html


def test_the_sitemap_lists_precinct_pages(client, yide_road):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    assert "/yide-road/haiyin/" in xml
    assert "/en/yide-road/haiyin/" in xml


@pytest.mark.parametrize("query", ["\x00", "a\x00b", "x" * 5000])
def test_odd_searches_get_an_answer_not_an_error(client, yide_road, query):
    assert client.get("/yide-road/", {"q": query}).status_code == 200


@pytest.mark.parametrize("page", ["abc", "-1", "999999999999"])
def test_odd_page_numbers_get_an_answer_not_an_error(client, yide_road, page):
    assert client.get("/yide-road/", {"page": page}).status_code == 200
