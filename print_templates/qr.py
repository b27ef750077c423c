"""QR codes for placards: level Q, and never larger than version 4."""

from dataclasses import dataclass

import qrcode
from qrcode.constants import ERROR_CORRECT_Q

MAX_VERSION = 4
QUIET_ZONE = 4  # modules of clear margin the standard asks for on every side


class TooLong(ValueError):
    """The text needs a QR code above version 4: shorten the public base URL."""


@dataclass(frozen=True)
class Code:
    text: str
    version: int
    modules: tuple  # rows of booleans, True for a dark module; no quiet zone

    @property
    def size(self):
        return len(self.modules)

    @property
    def size_with_quiet_zone(self):
        return self.size + 2 * QUIET_ZONE

    def runs(self):
        """(row, first column, length) of each horizontal run of dark modules.

        Drawing runs rather than single modules keeps the PDF small and fast
        while staying vector.
        """
        for y, row in enumerate(self.modules):
            x, width = 0, len(row)
            while x < width:
                if row[x]:
                    start = x
                    while x < width and row[x]:
                        x += 1
                    yield y, start, x - start
                else:
                    x += 1


def encode(text):
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_Q, border=0)
    code.add_data(text)
    code.make(fit=True)
    if code.version > MAX_VERSION:
        raise TooLong(f"{text!r} needs QR version {code.version} at level Q; at most 4 scans well.")
    modules = tuple(tuple(bool(cell) for cell in row) for row in code.modules)
    return Code(text=text, version=code.version, modules=modules)


def encode_all(texts):
    """Encode a list of texts; the unit of work sent to a worker process."""
    return [encode(text) for text in texts]
