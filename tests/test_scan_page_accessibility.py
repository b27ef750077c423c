"""The scan page's colours meet WCAG AA contrast, and status never rests on colour alone."""

import datetime
import re
from pathlib import Path

import pytest

from tests.factories import InspectionFactory, LicenceFactory, MerchantFactory, PenaltyFactory

STYLE = (
    Path(__file__).resolve().parent.parent / "cms" / "templates" / "cms" / "scan_page_style.html"
).read_text()


def luminance(hex_colour):
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground, background):
    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def rule(selector):
    body = re.search(re.escape(selector) + r"\{([^}]*)\}", STYLE).group(1)
    return dict(re.findall(r"([\w-]+):(#[0-9a-fA-F]{6})", body))


@pytest.mark.parametrize("tone", [".good", ".warn", ".bad", ".neutral"])
def test_status_badges_meet_aa_contrast(tone):
    colours = rule(tone)
    assert contrast(colours["color"], colours["background"]) >= 4.5


def test_header_bar_and_body_text_meet_aa_contrast():
    bar = rule(".bar")
    assert contrast("#ffffff", bar["background"]) >= 4.5
    assert contrast(rule("body")["color"], "#ffffff") >= 4.5
    assert contrast(rule("small")["color"], "#ffffff") >= 4.5


@pytest.mark.django_db
def test_every_coloured_status_carries_an_icon_and_a_word(client):
    shop = MerchantFactory()
    LicenceFactory(merchant=shop)
    InspectionFactory(merchant=shop, result="rectify")
    PenaltyFactory(merchant=shop, decided_on=datetime.date.today())
    html = client.get(f"/en/m/{shop.code}/").content.decode()
    badges = re.findall(
        r'class="badge (?:good|warn|bad)"[^>]*><span aria-hidden="true">([^<]+)</span>([^<]+)<',
        html,
    )
    assert len(badges) >= 4
    for icon, word in badges:
        assert icon.strip() in {"✓", "!", "✕", "‖", "★"}
        assert re.search(r"[A-Za-z]{3,}", word), word


def test_tap_targets_are_at_least_44_pixels():
    assert "min-height:44px" in STYLE.replace(" ", "")
    assert "min-width:44px" in STYLE.replace(" ", "")
