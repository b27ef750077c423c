"""Fifty simultaneous reviews from one client through a real server accept exactly the limit.

The server is pytest-django's threaded live server; the client obtains its scan
cookie at /q/, then its CSRF cookie and token from the merchant page, as a
phone would, and fires all fifty posts at once. The clock is frozen so no
rate-limit window can end during the burst.
"""

import datetime
import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
import time_machine

from ratings.models import Review
from tests.factories import MerchantFactory
from tests.factories_print import issue

pytestmark = pytest.mark.django_db(transaction=True)

T = datetime.datetime(2025, 5, 1, 2, 0, tzinfo=datetime.UTC)
BURST = 50


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Phone:
    """A browser's cookie jar and CSRF token, talking to the live server."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.token = None

    def scan(self, placard):
        """Open the QR link; the redirect lands on the merchant page with the review form."""
        with self.opener.open(f"{self.base_url}/q/{placard.token}", timeout=30) as response:
            html = response.read().decode()
        self.token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    def cookie_header(self):
        return "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.jar)

    def post_review(self, merchant, cookie_header=None, keep_cookies=False):
        data = urllib.parse.urlencode(
            {"overall": "5", "comment": "好", "csrfmiddlewaretoken": self.token}
        ).encode()
        request = urllib.request.Request(
            f"{self.base_url}/m/{merchant.code}/review/",
            data=data,
            headers={"Cookie": cookie_header or self.cookie_header()},
        )
        handlers = [_NoRedirect()]
        if keep_cookies:
            handlers.append(urllib.request.HTTPCookieProcessor(self.jar))
            request.remove_header("Cookie")
        try:
            with urllib.request.build_opener(*handlers).open(request, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


def burst(phone, merchant, cookie_header):
    with ThreadPoolExecutor(max_workers=BURST) as pool:
        futures = [pool.submit(phone.post_review, merchant, cookie_header) for _ in range(BURST)]
        return sorted(future.result() for future in futures)


def test_fifty_posts_from_one_address_accept_exactly_the_address_limit(live_server, settings):
    short, _long = settings.REVIEW_RATES["ip"]
    limit = int(short.split("/")[0])
    merchant = MerchantFactory()
    placard = issue(merchant)
    with time_machine.travel(T, tick=False):
        phone = Phone(live_server.url)
        phone.scan(placard)
        # No device cookie: every post looks like a new phone, as a script dropping cookies would.
        codes = burst(phone, merchant, phone.cookie_header())
    assert codes == [303] * limit + [429] * (BURST - limit)
    assert Review.objects.filter(merchant=merchant).count() == limit


def test_fifty_posts_from_one_phone_accept_exactly_one_review(live_server):
    first, second = MerchantFactory(), MerchantFactory()
    placards = issue(first), issue(second)
    with time_machine.travel(T, tick=False):
        phone = Phone(live_server.url)
        phone.scan(placards[0])
        phone.scan(placards[1])
        # One review elsewhere gives the phone its device cookie.
        assert phone.post_review(first, keep_cookies=True) == 303
        assert "chengxin_device" in phone.cookie_header()
        codes = burst(phone, second, phone.cookie_header())
    assert codes == [303] + [429] * (BURST - 1)
    assert Review.objects.filter(merchant=second).count() == 1
