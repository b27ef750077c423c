"""With Redis down, every public and staff page still answers from the database."""

import pytest
from django.core.management import call_command

from tests.factories import MerchantFactory, PrecinctFactory

pytestmark = pytest.mark.django_db

CLOSED_PORT = "redis://127.0.0.1:6390/0"


@pytest.fixture
def redis_down(settings):
    """The configured cache (errors ignored, short timeouts) pointed at a closed port."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {**settings.CACHES["default"], "LOCATION": CLOSED_PORT},
    }


@pytest.fixture
def street():
    precinct = PrecinctFactory(slug="beijing-road", name_zh="北京路", name_en="Beijing Road")
    call_command("sync_precinct_pages")
    return precinct


def test_merchant_page_with_its_precinct_link(client, redis_down, street):
    merchant = MerchantFactory(precinct=street)
    for path in (f"/m/{merchant.code}/", f"/en/m/{merchant.code}/"):
        response = client.get(path)
        assert response.status_code == 200
        assert "/beijing-road/" in response.content.decode()


def test_precinct_page_sitemap_and_api(client, redis_down, street):
    merchant = MerchantFactory(precinct=street)
    assert client.get("/beijing-road/").status_code == 200
    assert client.get("/sitemap.xml").status_code == 200
    assert client.get(f"/api/v1/merchants/{merchant.code}").status_code == 200


def test_admin_dashboard(admin_client, redis_down):
    assert admin_client.get("/admin/").status_code == 200
