"""Serials, signed tokens and the QR codes they go into."""

import pytest
from django.core.checks import run_checks

from print_templates import qr, tokens

LONG_BASE_URL = "https://xinyong.yuexiu.gz.gov.cn"  # 24-character host, realistically long


def test_a_token_verifies_back_to_its_serial():
    token = tokens.token_for("00002F")
    assert len(token) == 14
    assert tokens.verify(token) == "00002F"


def test_lower_case_and_look_alike_letters_are_read_as_printed():
    token = tokens.token_for("00010A")
    assert tokens.verify(token.lower()) == "00010A"
    assert tokens.verify(token.replace("0", "O")) == "00010A"


@pytest.mark.parametrize("position", [0, 5, 6, 13])
def test_changing_any_character_breaks_the_token(position):
    token = tokens.token_for("00002F")
    other = "1" if token[position] != "1" else "2"
    altered = token[:position] + other + token[position + 1 :]
    assert tokens.verify(altered) is None


def test_hand_made_and_malformed_tokens_do_not_verify():
    assert tokens.verify("00002FAAAAAAAA") is None
    assert tokens.verify("short") is None
    assert tokens.verify("00002F-BADTOKEN") is None
    assert tokens.verify("") is None


def test_tokens_are_signed_with_the_placard_secret(settings):
    token = tokens.token_for("00002F")
    settings.PLACARD_SECRET = "another placard secret, not the one that signed it"
    assert tokens.verify(token) is None


def test_serials_count_up_in_the_token_alphabet():
    assert tokens.serial_for(1) == "000001"
    assert tokens.serial_for(32) == "000010"
    assert tokens.number_for(tokens.serial_for(123_456)) == 123_456
    assert tokens.number_for("12") is None


def test_scan_url_is_upper_case_alphanumeric_on_the_public_host(settings):
    settings.PLACARD_BASE_URL = "https://xy.example.gov.cn/"
    url = tokens.scan_url("00002F")
    assert url == "HTTPS://XY.EXAMPLE.GOV.CN/Q/00002F" + tokens.signature("00002F")
    assert tokens.domain() == "xy.example.gov.cn"


def test_a_realistically_long_base_url_stays_at_version_4_level_q(settings):
    settings.PLACARD_BASE_URL = LONG_BASE_URL
    code = qr.encode(tokens.scan_url("ZZZZZZ"))
    assert code.version <= 4
    assert code.size <= 33
    assert "print_templates.E001" not in [check.id for check in run_checks()]


def test_a_base_url_too_long_for_version_4_fails_the_system_check(settings):
    settings.PLACARD_BASE_URL = "https://credit-information.yuexiu-district.guangzhou.gov.cn"
    with pytest.raises(qr.TooLong):
        qr.encode(tokens.scan_url("000001"))
    assert "print_templates.E001" in [check.id for check in run_checks()]
