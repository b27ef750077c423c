"""Helpers for placard tests: issue placards the way printing does, read PDFs back."""

import io

import pypdfium2
import zxingcpp

from print_templates.models import Placard
from tests.factories import MerchantFactory

PRINT_DPI = 300


def issue(merchant=None, template="window-sticker", data=None, **merchant_fields):
    merchant = merchant or MerchantFactory(**merchant_fields)
    return Placard.objects.issue([merchant], template, data).pop()


def pdf_pages(content):
    return pypdfium2.PdfDocument(io.BytesIO(content))


def decode_page(content, index=0, dpi=PRINT_DPI):
    """Every QR code a print-resolution raster of the page holds, found by zxing-cpp."""
    document = pdf_pages(content)
    image = document[index].render(scale=dpi / 72).to_pil()
    return zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)


def page_text(content, index=0):
    document = pdf_pages(content)
    return document[index].get_textpage().get_text_range()
