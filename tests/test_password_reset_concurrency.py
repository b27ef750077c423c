"""Twelve simultaneous reset requests for one address through a real server: exactly the limit
goes through. Each request counts itself before it is checked, so none slips in under it."""

import datetime
import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
import time_machine
from django.core import mail

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

T = datetime.datetime(2026, 11, 23, 2, 0, tzinfo=datetime.UTC)
BURST = 12


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_a_burst_of_reset_requests_sends_exactly_the_per_address_limit(live_server, settings):
    # Only the per-address limit binds: the network's (every request is 127.0.0.1) is
    # raised, since a request counted late there could be refused by it instead.
    settings.PASSWORD_RESET_RATES = {**settings.PASSWORD_RESET_RATES, "address": ["1000/h"]}
    limit = int(settings.PASSWORD_RESET_RATES["account"][0].split("/")[0])
    UserFactory(username="clerk", email="clerk@yuexiu.example.gov.cn", is_staff=True)
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with time_machine.travel(T, tick=False):
        with browser.open(f"{live_server.url}/admin/password_reset/", timeout=30) as response:
            html = response.read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        cookies = "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)
        data = urllib.parse.urlencode(
            {"email": "clerk@yuexiu.example.gov.cn", "csrfmiddlewaretoken": token}
        ).encode()

        def ask(_):
            request = urllib.request.Request(
                f"{live_server.url}/admin/password_reset/",
                data=data,
                headers={"Cookie": cookies, "Accept-Language": "en"},
            )
            try:
                with urllib.request.build_opener(_NoRedirect()).open(request, timeout=60) as r:
                    return r.status
            except urllib.error.HTTPError as error:
                return error.code

        with ThreadPoolExecutor(max_workers=BURST) as pool:
            codes = sorted(pool.map(ask, range(BURST)))
    assert codes == [200] * (BURST - limit) + [302] * limit
    assert len(mail.outbox) == limit
