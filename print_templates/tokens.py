"""Placard serials and the signed tokens printed in their QR codes.

A token is the serial followed by a truncated HMAC of it. Both use a 32-symbol
alphabet of digits and upper-case letters (no I, L, O, U), so the scan URL
``HTTPS://HOST/Q/<TOKEN>`` can be upper-cased whole and encoded in the QR
code's alphanumeric mode: that keeps the code at version 4 or lower at error
correction level Q, which scans from a metre off a shop window.

The key is ``PLACARD_SECRET`` or, when that is empty, one derived from
``SECRET_KEY`` with its own salt. Printed placards outlive key rotations, so
production sets ``PLACARD_SECRET`` and keeps it.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
VALUES = {symbol: value for value, symbol in enumerate(ALPHABET)}
SERIAL_LENGTH = 6
SIGNATURE_LENGTH = 8  # 40 bits: a forger must guess one in a trillion per attempt
SALT = "chengxin.print_templates.placard-token"
SCAN_PATH = "/Q/"


def encode(number, width):
    symbols = []
    while number:
        number, rest = divmod(number, 32)
        symbols.append(ALPHABET[rest])
    return "".join(reversed(symbols)).rjust(width, "0")


def decode(text):
    number = 0
    for symbol in text:
        number = number * 32 + VALUES[symbol]
    return number


def serial_for(number):
    """The printed serial of placard ``number`` (its primary key)."""
    return encode(number, SERIAL_LENGTH)


def number_for(serial):
    """The placard number a serial stands for, or None when it is not one."""
    serial = normalise(serial)
    if not serial or len(serial) < SERIAL_LENGTH or any(s not in VALUES for s in serial):
        return None
    return decode(serial)


def normalise(text):
    """Upper-case, and read the letters people confuse with digits as those digits."""
    text = (text or "").strip().upper()
    return text.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))


def _secret():
    return settings.PLACARD_SECRET or settings.SECRET_KEY


def signature(serial):
    digest = salted_hmac(SALT, serial, secret=_secret(), algorithm="sha256").digest()
    return encode(int.from_bytes(digest[:5], "big"), SIGNATURE_LENGTH)


def token_for(serial):
    return serial + signature(serial)


def verify(token):
    """The serial a token vouches for, or None when it is malformed or forged."""
    token = normalise(token)
    if len(token) < SERIAL_LENGTH + SIGNATURE_LENGTH or any(s not in VALUES for s in token):
        return None
    serial, claimed = token[:-SIGNATURE_LENGTH], token[-SIGNATURE_LENGTH:]
    if not constant_time_compare(claimed, signature(serial)):
        return None
    return serial


def claimed_serial(token):
    """The serial a token claims, signed or not: to tell which placard a forgery copies."""
    token = normalise(token)
    if len(token) < SERIAL_LENGTH + SIGNATURE_LENGTH or any(s not in VALUES for s in token):
        return ""
    return token[:-SIGNATURE_LENGTH]


def base_url():
    return settings.PLACARD_BASE_URL.rstrip("/")


def domain():
    """The host people should see under every QR code, e.g. ``xy.example.gov.cn``."""
    return urlsplit(base_url()).netloc.lower()


def scan_url(serial):
    """The URL in the QR code: scheme and host upper-cased for the alphanumeric mode.

    Scheme and host are case-insensitive; a path prefix of the base URL is kept
    as configured because paths are not.
    """
    parts = urlsplit(base_url())
    prefix = f"{parts.scheme}://{parts.netloc}".upper() + parts.path
    return f"{prefix}{SCAN_PATH}{token_for(serial)}"
