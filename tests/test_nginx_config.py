"""The shipped nginx configuration (deploy/nginx/): valid for nginx, and it caches what it should.

A private nginx runs the shipped locations in front of the test server:
public answers are served from its cache, a visitor with a scan cookie or a
session always reaches Django, and nothing with Set-Cookie is stored.
"""

import shutil
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.factories import MerchantFactory
from tests.factories_ratings import scan
from tests.nginx_local import NGINX, SHIPPED, LocalNginx

NGINX_PORT = 8796

pytestmark = pytest.mark.skipif(
    not Path(NGINX).exists(), reason="nginx is missing: scripts/install_system_packages.sh"
)


def test_shipped_site_configuration_passes_nginx_t(tmp_path):
    """The complete TLS site, with its paths moved under a temporary directory."""
    for source in SHIPPED.glob("*.conf"):
        text = source.read_text(encoding="utf-8")
        for real in ("/etc/nginx/chengxin", "/etc/ssl/chengxin", "/var/log/nginx", "/var/www"):
            text = text.replace(real, str(tmp_path))
        text = text.replace("/var/cache/nginx/chengxin", str(tmp_path / "cache"))
        (tmp_path / source.name).write_text(text, encoding="utf-8")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=xinyong.example.gov.cn", "-keyout", str(tmp_path / "privkey.pem"),
         "-out", str(tmp_path / "fullchain.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{ include {tmp_path}/chengxin.conf; }}\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(main)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


@pytest.fixture
def nginx(live_server):
    port = int(live_server.url.rsplit(":", 1)[1])
    with LocalNginx(NGINX_PORT, port) as proxy:
        yield f"http://127.0.0.1:{proxy.port}"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url, cookie=None):
    """(status, headers, body) of one request through nginx; redirects are not followed."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as answer:
        return answer.code, answer.headers, answer.read().decode()


@pytest.mark.django_db(transaction=True)
def test_public_merchant_page_and_api_come_from_the_cache(nginx):
    shop = MerchantFactory()
    for path in (f"/en/m/{shop.code}/", f"/api/v1/merchants/{shop.code}"):
        first = fetch(nginx + path)
        second = fetch(nginx + path)
        assert (first[0], first[1]["X-Cache-Status"]) == (200, "MISS")
        assert (second[0], second[1]["X-Cache-Status"]) == (200, "HIT")
        assert second[2] == first[2]


@pytest.mark.django_db(transaction=True)
def test_a_scanned_visitor_always_reaches_django(nginx, client):
    shop = MerchantFactory()
    scan(client, shop)
    cookie = f"chengxin_scan={client.cookies['chengxin_scan'].value}"
    fetch(nginx + f"/en/m/{shop.code}/")  # the public copy is cached
    status, headers, body = fetch(nginx + f"/en/m/{shop.code}/", cookie)
    assert (status, headers["X-Cache-Status"]) == (200, "BYPASS")
    assert "Genuine placard" in body
    assert "private" in headers["Cache-Control"]


@pytest.mark.django_db(transaction=True)
def test_answers_that_set_a_cookie_are_not_stored(nginx):
    shop = MerchantFactory()
    path = f"/en/m/{shop.code}/?lang=zh-hans"  # the language choice sets a cookie
    for _ in range(2):
        status, headers, _body = fetch(nginx + path)
        assert (status, headers["X-Cache-Status"]) == (302, "MISS")
        assert "django_language=zh-hans" in headers["Set-Cookie"]


def test_nginx_is_installed_where_ci_runs():
    assert shutil.which("nginx") or Path(NGINX).exists()
