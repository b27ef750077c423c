"""Attachments to objections and repair applications: PDF or image, sniffed, size-limited.

The type is read from the file's first bytes, never from its name or the
browser's word: a program renamed ``proof.pdf`` is refused. Images are also
opened with Pillow, so a file that merely starts like a PNG is refused too.
Files are stored outside MEDIA_ROOT through Django's storage API and served
only by views that check who is asking.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from .private_storage import PrivateStorage

#: Leading bytes of the accepted types, and the type and extension each stands for.
SIGNATURES = [
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
]


def attachment_storage():
    """Attachments live outside MEDIA_ROOT, in ``PORTAL_ATTACHMENT_ROOT``."""
    return PrivateStorage("PORTAL_ATTACHMENT_ROOT")


def attachment_file_name(attachment, filename):
    return f"{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{attachment.extension}"


def sniff(upload):
    """(content type, extension) of an uploaded file, or ValidationError in words."""
    if upload.size > settings.PORTAL_ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("%(name)s is too large: files may be at most %(limit)s.")
            % {"name": upload.name, "limit": filesizeformat(settings.PORTAL_ATTACHMENT_MAX_BYTES)}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    found = next((kind for kind in SIGNATURES if head.startswith(kind[0])), None)
    if found is None:
        raise ValidationError(_("%(name)s is not a PDF, PNG or JPEG file.") % {"name": upload.name})
    _signature, content_type, extension = found
    if content_type.startswith("image/"):
        try:
            with Image.open(upload) as image:
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise ValidationError(
                _("%(name)s is not a readable image.") % {"name": upload.name}
            ) from None
        finally:
            upload.seek(0)
    return content_type, extension
