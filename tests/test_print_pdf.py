"""The printed PDF: true page size, embedded CJK subset, vector QR that scans back."""

import io
import re

import pypdfium2
import pypdfium2.raw as pdfium_c
import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from print_templates import pdf, qr
from print_templates.models import Placard
from tests.factories import AssociationFactory, ClinicFactory, MerchantFactory, PrecinctFactory
from tests.factories_print import decode_page, issue, page_text

pytestmark = pytest.mark.django_db

A4 = (595.28, 841.89)
A5 = (419.53, 595.28)


@pytest.fixture(autouse=True)
def _public_address(settings):
    settings.PLACARD_BASE_URL = "https://xinyong.yuexiu.gz.gov.cn"


def stall(**fields):
    market = PrecinctFactory(slug="yide-dried-seafood", name_zh="一德路海味干果市场", kind="market")
    return MerchantFactory(
        precinct=market,
        kind="stall",
        category="dried_seafood",
        name_zh="老字号海味行",
        name_en="Old Brand Dried Seafood",
        stall="B012",
        association=AssociationFactory(name_zh="一德路海味干果商会"),
        **fields,
    )


def fonts_of(content):
    reader = PdfReader(io.BytesIO(content))
    return [font.get_object() for font in reader.pages[0]["/Resources"]["/Font"].values()]


def page_size(content):
    box = PdfReader(io.BytesIO(content)).pages[0].mediabox
    return round(float(box.width), 2), round(float(box.height), 2)


def assert_embedded_cjk_subset(content):
    fonts = fonts_of(content)
    assert fonts
    for font in fonts:
        assert font["/Subtype"] == "/Type0"
        descendant = font["/DescendantFonts"][0].get_object()
        assert descendant["/Subtype"] == "/CIDFontType2"
        assert re.match(r"^/[A-Z]{6}\+", font["/BaseFont"]), "a subset carries a six-letter tag"
        embedded = descendant["/FontDescriptor"]["/FontFile2"].get_object().get_data()
        assert 1_000 < len(embedded) < 500_000, "only the glyphs used, not the 5 MB font"


def assert_scans_to(content, placard, index=0):
    codes = decode_page(content, index)
    texts = [code.text for code in codes]
    assert placard.scan_url in texts
    found = codes[texts.index(placard.scan_url)]
    assert found.ec_level == "Q"
    assert int(found.extra["Version"]) <= qr.MAX_VERSION
    return found


def assert_printed_identity(content, placard, index=0):
    text = page_text(content, index)
    merchant = placard.merchant
    for expected in (
        merchant.name_zh,
        merchant.name_en,
        merchant.code,
        placard.serial,
        placard.issued_on.isoformat(),
        "xinyong.yuexiu.gz.gov.cn",
        "扫码查看信用信息",
        "Scan to check credit record",
    ):
        assert expected in text, expected


@pytest.mark.parametrize(
    ("template", "size"),
    [("counter-stand", A4), ("window-sticker", A5), ("label-sheet", A4)],
)
def test_each_template_prints_at_true_size_with_a_code_that_scans(template, size):
    merchant = ClinicFactory() if template == "counter-stand" else stall()
    placard = issue(merchant, template)
    content = pdf.render([placard], template)
    assert page_size(content) == size
    assert_embedded_cjk_subset(content)
    assert_scans_to(content, placard)
    assert_printed_identity(content, placard)


def test_the_star_plaque_prints_the_stars_it_is_given():
    merchant = stall()
    placard = issue(merchant, "star-plaque", {"stars": 4, "year": 2025})
    content = pdf.render([placard], "star-plaque")
    assert page_size(content) == (A4[1], A4[0])
    assert_embedded_cjk_subset(content)
    assert_scans_to(content, placard)
    assert_printed_identity(content, placard)
    text = page_text(content)
    assert "2025年度 诚信四星商户" in text
    assert "一德路海味干果商会" in text


def test_the_code_is_drawn_as_vectors_not_a_picture():
    placard = issue(stall(), "window-sticker")
    document = pypdfium2.PdfDocument(pdf.render([placard], "window-sticker"))
    kinds = {obj.type for obj in document[0].get_objects()}
    assert pdfium_c.FPDF_PAGEOBJ_IMAGE not in kinds
    assert pdfium_c.FPDF_PAGEOBJ_PATH in kinds


def test_a_label_sheet_holds_24_labels_and_every_code_scans():
    market = PrecinctFactory(slug="yide-market-1", kind="market")
    merchants = MerchantFactory.create_batch(25, precinct=market, kind="stall")
    placards = Placard.objects.issue(merchants, "label-sheet")
    content = pdf.render(placards, "label-sheet")
    assert len(pypdfium2.PdfDocument(content)) == 2
    first_page = {code.text for code in decode_page(content, 0)}
    assert first_page == {placard.scan_url for placard in placards[:24]}
    assert {code.text for code in decode_page(content, 1)} == {placards[24].scan_url}


def test_the_preview_is_a_png_of_the_same_page():
    placard = issue(stall(), "window-sticker")
    image = Image.open(io.BytesIO(pdf.preview_png(placard, dpi=144)))
    assert image.format == "PNG"
    width, height = image.size
    assert abs(width - A5[0] * 2) <= 1 and abs(height - A5[1] * 2) <= 1
    assert {code.text for code in zxingcpp.read_barcodes(image)} == {placard.scan_url}
