"""The client address behind a configured number of trusted reverse proxies."""

import pytest
from django.test import RequestFactory

from ratings.visitors import client_ip, network

CLIENT = "198.51.100.7"


def request(remote="10.0.0.1", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_proxies_the_header_is_never_believed(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request(CLIENT, forwarded="192.0.2.1")) == CLIENT


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, CLIENT, CLIENT),
        (1, f"192.0.2.66, {CLIENT}", CLIENT),  # the client wrote the left part itself
        (1, f"192.0.2.66,{CLIENT}", CLIENT),
        (2, f"192.0.2.66, {CLIENT}, 10.0.0.9", CLIENT),
        (2, f"{CLIENT}, 10.0.0.9", CLIENT),
        (1, "::ffff:198.51.100.7", CLIENT),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_nth_address_from_the_right_is_the_client(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_ip(request(forwarded=forwarded)) == expected


@pytest.mark.parametrize("forwarded", [None, "", "not-an-address", CLIENT])
def test_a_request_that_skipped_a_proxy_counts_as_the_peer(settings, forwarded):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request("10.0.0.1", forwarded=forwarded)) == "10.0.0.1"


def test_ipv6_addresses_are_grouped_by_64_network():
    assert network("2001:db8:1:2:aaaa::1") == network("2001:db8:1:2:bbbb::2") == "2001:db8:1:2::"
    assert network("2001:db8:1:3::1") != network("2001:db8:1:2::1")
    assert network(CLIENT) == CLIENT
