"""A proxy in front with TRUSTED_PROXY_COUNT=0 is caught: at deployment check and at run time."""

import pytest
from django.core import checks

from chengxin.proxies import check_proxy_count
from tests.factories import MerchantFactory

pytestmark = pytest.mark.django_db


def test_https_site_without_a_counted_proxy_warns(settings):
    settings.WAGTAILADMIN_BASE_URL = "https://xy.example.gov.cn"
    settings.TRUSTED_PROXY_COUNT = 0
    [warning] = check_proxy_count(None)
    assert warning.id == "chengxin.W001"
    assert warning.level == checks.WARNING
    assert "TRUSTED_PROXY_COUNT" in warning.msg


@pytest.mark.parametrize(
    ("base", "proxies"), [("https://xy.example.gov.cn", 1), ("http://127.0.0.1:8000", 0)]
)
def test_counted_proxy_or_plain_local_site_passes(settings, base, proxies):
    settings.WAGTAILADMIN_BASE_URL = base
    settings.TRUSTED_PROXY_COUNT = proxies
    assert check_proxy_count(None) == []


def review_post(client, merchant, **extra):
    return client.post(
        f"/en/m/{merchant.code}/review/",
        {"quality": 5, "service": 5},
        REMOTE_ADDR="10.0.0.5",
        **extra,
    )


def test_write_through_an_uncounted_proxy_is_refused(client, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    merchant = MerchantFactory()
    response = review_post(client, merchant, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert response.status_code == 503
    assert "TRUSTED_PROXY_COUNT" in response.content.decode()


def test_reads_through_an_uncounted_proxy_still_answer(client, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    merchant = MerchantFactory()
    response = client.get(
        f"/en/m/{merchant.code}/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.9"
    )
    assert response.status_code == 200


def test_counted_proxy_lets_writes_through(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    merchant = MerchantFactory()
    response = review_post(client, merchant, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert response.status_code != 503


def test_header_from_a_public_address_is_a_client_not_our_proxy(client, settings):
    """Anyone on the internet can send X-Forwarded-For; only a private peer is a proxy of ours."""
    settings.TRUSTED_PROXY_COUNT = 0
    merchant = MerchantFactory()
    response = client.post(
        f"/en/m/{merchant.code}/review/",
        {"quality": 5, "service": 5},
        REMOTE_ADDR="93.184.216.34",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    assert response.status_code != 503
