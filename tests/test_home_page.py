"""The home page at / follows the browser's language, like the merchant page, and can be toggled."""

import pytest
from django.core.management import call_command

from tests.factories import PrecinctFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _pages():
    PrecinctFactory(slug="beijing-road", name_zh="北京路步行街", name_en="Beijing Road")
    call_command("sync_precinct_pages")


def test_an_english_browser_is_sent_to_the_english_home_page(client):
    response = client.get("/", headers={"accept-language": "en-GB,en;q=0.9"})
    assert response.status_code == 302
    assert response["Location"] == "/en/"
    assert "Accept-Language" in response["Vary"]
    english = client.get("/en/")
    assert english.status_code == 200
    assert '<html lang="en">' in english.content.decode()
    assert "Beijing Road" in english.content.decode()


def test_a_chinese_browser_stays_on_the_chinese_home_page(client):
    response = client.get("/", headers={"accept-language": "zh-CN,zh;q=0.9"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-Hans">' in html
    assert "Accept-Language" in response["Vary"]
    assert '<a class="lang" href="/en/?lang=en"' in html


def test_choosing_chinese_with_the_toggle_is_remembered(client):
    chosen = client.get("/?lang=zh-hans", headers={"accept-language": "en"})
    assert chosen.status_code == 302
    assert chosen["Location"] == "/"
    response = client.get("/", headers={"accept-language": "en"})
    assert response.status_code == 200
    assert '<a class="lang" href="/en/?lang=en"' in response.content.decode()
