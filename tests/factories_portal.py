"""Portal helpers: merchant accounts, files to attach, and the portal's addresses."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from merchants.models import MerchantAccount
from tests.factories import MerchantFactory, UserFactory

PASSWORD = "correct horse battery"


def merchant_user(*merchants, username=None, language="zh-hans"):
    """A portal user holding ``merchants`` (a fresh one if none given)."""
    merchants = merchants or (MerchantFactory(),)
    user = UserFactory(**({"username": username} if username else {}))
    account = MerchantAccount.objects.create(user=user, language=language)
    account.merchants.add(*merchants)
    return user


def pdf_file(name="proof.pdf", size=None):
    content = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    if size:
        content += b"0" * (size - len(content))
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png_file(name="shop.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def executable_named_pdf(name="proof.pdf"):
    """A Windows program under a PDF name and type: refused by its content."""
    return SimpleUploadedFile(name, b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")


def portal(path="", language="zh-hans"):
    prefix = "/en" if language == "en" else ""
    return f"{prefix}/portal/{path}"
