"""Attachments: PDF or image by content, size-limited, stored outside the public media."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from merchants.attachments import sniff
from merchants.models import Attachment
from tests.factories_portal import executable_named_pdf, pdf_file, png_file


def test_a_pdf_and_a_png_are_accepted_by_their_content():
    assert sniff(pdf_file()) == ("application/pdf", "pdf")
    assert sniff(png_file()) == ("image/png", "png")


def test_a_renamed_executable_is_refused_whatever_its_name_and_type_say():
    with pytest.raises(ValidationError, match="not a PDF, PNG or JPEG"):
        sniff(executable_named_pdf())


def test_a_file_that_only_starts_like_a_png_is_refused():
    fake = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"junk" * 10)
    with pytest.raises(ValidationError, match="not a readable image"):
        sniff(fake)


@override_settings(PORTAL_ATTACHMENT_MAX_BYTES=2048)
def test_a_file_over_the_limit_is_refused_with_the_limit_in_words():
    with pytest.raises(ValidationError, match=r"at most 2\.0"):
        sniff(pdf_file(size=4096))


@override_settings(PORTAL_ATTACHMENTS_PER_REQUEST=2)
def test_at_most_the_configured_number_of_files_at_once():
    with pytest.raises(ValidationError, match="at most 2 files"):
        Attachment.check_files([pdf_file(), pdf_file(), png_file()])


def test_every_bad_file_is_named():
    with pytest.raises(ValidationError) as caught:
        Attachment.check_files([executable_named_pdf("a.pdf"), executable_named_pdf("b.pdf")])
    assert len(caught.value.messages) == 2
