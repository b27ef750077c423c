"""System checks: the configured public address must keep placard codes small."""

from django.core.checks import Error, register

from . import qr, tokens


@register()
def check_placard_url(app_configs=None, **kwargs):
    """A scan URL above QR version 4-Q will not scan from a metre off a window."""
    url = tokens.scan_url("Z" * tokens.SERIAL_LENGTH)
    try:
        qr.encode(url)
    except qr.TooLong:
        return [
            Error(
                f"PLACARD_BASE_URL makes scan URLs like {url} that need a QR code above "
                "version 4 at level Q.",
                hint="Use a shorter host for PLACARD_BASE_URL (about 25 characters at most).",
                id="print_templates.E001",
            )
        ]
    return []
