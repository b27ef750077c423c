"""Every response carries a Content-Security-Policy that allows no inline script."""

import re

import pytest

from tests.factories import MerchantFactory

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")")


def script_sources(response):
    policy = response["Content-Security-Policy"]
    directives = dict(
        ([*part.strip().split(" ", 1), ""])[:2] for part in policy.split(";") if part.strip()
    )
    return directives["script-src"].split()


@pytest.mark.parametrize("path", ["/", "/en/", "/m/{code}/", "/en/m/{code}/", "/admin/login/"])
def test_pages_have_a_policy_without_inline_script(client, path):
    shop = MerchantFactory()
    response = client.get(path.format(code=shop.code), follow=True)
    assert response.status_code == 200
    sources = script_sources(response)
    assert "'self'" in sources
    assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources
    assert not INLINE_SCRIPT.search(response.content.decode())


def test_the_api_and_errors_carry_the_policy_too(client):
    shop = MerchantFactory()
    assert "'unsafe-inline'" not in script_sources(client.get(f"/api/v1/merchants/{shop.code}"))
    assert "'unsafe-inline'" not in script_sources(client.get("/m/not-a-code/"))


def test_admin_forms_with_choosers_and_dates_have_no_inline_script(client, owner):
    client.force_login(owner)
    html = client.get("/admin/archive/penalties/new/").content.decode()
    assert "data-chengxin-construct=" in html and "data-chengxin-picker=" in html
    assert not INLINE_SCRIPT.search(html)
