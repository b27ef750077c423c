"""Which text encoding a CSV file is in, decided on evidence rather than on what decodes.

UTF-8 is self-checking: other bytes almost never decode as UTF-8. GB18030 is
not: it assigns a character to nearly every byte pair, so Big5 (traditional
Chinese) or UTF-8 with a stray byte decodes "successfully" into garbage. A
decode is therefore accepted only when it is clean and plausible:

- no private-use or unassigned code points, no replacement characters and no
  control characters but tab and line ends (the marks of bytes read in the
  wrong encoding, or of a file that is not text);
- for GB18030 also: few characters outside GB2312's hanzi and the usual
  punctuation. Simplified-Chinese records are almost entirely GB2312; Big5
  read as GB18030 is mostly kana, Greek, rare extension hanzi and private use.

The file is read line by line, so memory stays bounded whatever its size.
"""

import codecs
import functools
import re
import unicodedata
from pathlib import Path

from django.utils.translation import gettext as _

#: Names a clerk may give with ``--encoding``, and the codec each means.
ACCEPTED = {
    "utf-8": "utf-8-sig",
    "utf8": "utf-8-sig",
    "utf-8-sig": "utf-8-sig",
    "gb18030": "gb18030",
    "gbk": "gb18030",  # GBK and GB2312 are subsets of GB18030
    "gb2312": "gb18030",
    "cp936": "gb18030",
}
#: Traditional-Chinese encodings: converting them to simplified is out of scope.
REFUSED = {"big5", "big5hkscs", "cp950", "big5-hkscs"}

ROWS_NAMED = 5  # rows quoted in a message
UNUSUAL_SHARE = 0.1  # above this share of unusual characters GB18030 text is not believed
UNUSUAL_MINIMUM = 3  # ... provided there are at least this many


class EncodingProblem(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


@functools.cache
def _suspect():
    """A regex matching any code point a correct decode of real text does not produce."""
    ranges, start = [], None
    for point in range(0x110000):
        bad = (
            (point < 0x20 and chr(point) not in "\t\n\r")
            or point == 0x7F
            or 0x80 <= point <= 0x9F
            or point == 0xFFFD
            or unicodedata.category(chr(point)) in {"Co", "Cn", "Cs"}
        )
        if bad and start is None:
            start = point
        elif not bad and start is not None:
            ranges.append((start, point - 1))
            start = None
    if start is not None:
        ranges.append((start, 0x10FFFF))
    parts = "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )
    return re.compile(f"[{parts}]")


@functools.cache
def _usual():
    """Characters expected in simplified-Chinese records: GB2312 hanzi and common punctuation."""
    chars = set()
    for lead in range(0xB0, 0xF8):
        for trail in range(0xA1, 0xFF):
            try:
                chars.add(bytes([lead, trail]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    chars.update(chr(point) for point in range(0x3000, 0x3040))  # CJK punctuation
    chars.update(chr(point) for point in range(0xFF01, 0xFF5F))  # full-width forms
    chars.update("·—–…‘’“”×÷°℃№￥")
    return frozenset(chars)


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


class _Tally:
    """What one candidate encoding made of the file: rows it failed on, and the evidence."""

    def __init__(self, codec):
        self.codec = codec
        self.bad_rows = []
        self.bad_count = 0
        self.non_ascii = 0
        self.unusual = 0

    def feed(self, number, raw, check_usual):
        try:
            text = raw.decode(self.codec)
        except UnicodeDecodeError:
            self._bad(number)
            return
        if _suspect().search(text):
            self._bad(number)
            return
        if check_usual:
            found = _NON_ASCII.findall(text)
            if found:
                usual = _usual()
                self.non_ascii += len(found)
                self.unusual += sum(1 for char in found if char not in usual)

    def _bad(self, number):
        self.bad_count += 1
        if len(self.bad_rows) < ROWS_NAMED:
            self.bad_rows.append(number)

    @property
    def implausible(self):
        return self.unusual >= UNUSUAL_MINIMUM and self.unusual > UNUSUAL_SHARE * self.non_ascii

    @property
    def accepted(self):
        return not self.bad_count and not self.implausible


def _lines(path):
    """(line number, bytes) of the file at ``path``, one line at a time."""
    with Path(path).open("rb") as file:
        yield from _numbered(file)


def _numbered(file):
    for number, line in enumerate(file, start=1):
        if number == 1:
            line = line.removeprefix(codecs.BOM_UTF8)
        if b"\x00" in line:
            raise EncodingProblem(_("This is not a CSV file or an XLSX workbook."))
        yield number, line


def _tally(source, codec, check_usual=False):
    tally = _Tally(codec)
    for number, line in _lines(source):
        tally.feed(number, line, check_usual)
    return tally


def _rows(tally):
    return ", ".join(str(number) for number in tally.bad_rows)


def choose(source, forced=None):
    """The codec to read ``source`` with, or EncodingProblem saying why none fits.

    ``forced`` is the encoding the clerk named; only that one is then tried.
    """
    if forced:
        return _check_forced(source, forced)
    utf8 = _tally(source, "utf-8")
    if utf8.accepted:
        return "utf-8-sig"
    gb = _tally(source, "gb18030", check_usual=True)
    if gb.accepted:
        return "gb18030"
    if _mostly_utf8(source, utf8):
        raise EncodingProblem(
            _(
                "The file is UTF-8 text except for %(count)d row(s) with bytes that are not "
                "UTF-8 (first rows affected: %(rows)s). Nothing was imported. Fix those rows "
                "or save the file again as CSV (UTF-8)."
            )
            % {"count": utf8.bad_count, "rows": _rows(utf8)}
        )
    if _looks_like_big5(source, gb):
        raise EncodingProblem(_big5_message())
    rows = _rows(gb) or _rows(utf8)
    raise EncodingProblem(
        _(
            "The file is neither clean UTF-8 nor GB18030 text: read either way it gives "
            "characters no real record contains (first rows affected: %(rows)s). Nothing "
            "was imported. Save it as CSV (UTF-8) or XLSX, or name its encoding with "
            "--encoding."
        )
        % {"rows": rows}
    )


def header_codec(path, forced=None):
    """The codec the first line of ``path`` reads cleanly in, or None when unsure.

    Lets the header be checked before the rest of the file is read; ``choose``
    then settles the encoding of the whole file before any row is.
    """
    with Path(path).open("rb") as file:
        first = next(_numbered(file), None)
    if first is None:
        return "utf-8-sig"
    number, line = first
    candidates = [_codec(forced)] if forced else ["utf-8-sig", "gb18030"]
    for codec in candidates:
        if codec is None:
            return None
        tally = _Tally(codec)
        tally.feed(number, line, check_usual=codec == "gb18030")
        if tally.accepted:
            return codec
    return None


def _codec(forced):
    name = forced.strip().lower().replace("_", "-")
    return None if name in REFUSED else ACCEPTED.get(name)


def _check_forced(source, forced):
    name = forced.strip().lower().replace("_", "-")
    if name in REFUSED:
        raise EncodingProblem(_big5_message())
    codec = ACCEPTED.get(name)
    if codec is None:
        raise EncodingProblem(
            _("“%(name)s” is not an encoding this import reads: use utf-8 or gb18030.")
            % {"name": forced}
        )
    # The clerk's word settles UTF-8 against GB18030, not whether the bytes fit it.
    tally = _tally(source, codec)
    if tally.bad_count:
        raise EncodingProblem(
            _(
                "The file is not clean %(encoding)s text: %(count)d row(s) have bytes or "
                "characters that cannot be %(encoding)s (first rows affected: %(rows)s). "
                "Nothing was imported."
            )
            % {"encoding": name.upper(), "count": tally.bad_count, "rows": _rows(tally)}
        )
    return codec


def _mostly_utf8(source, utf8):
    """UTF-8 with a few broken rows: most rows that need more than ASCII are good UTF-8."""
    good = 0
    for _number, line in _lines(source):
        if _NON_ASCII_BYTES.search(line):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                continue
            good += 1
    return good > utf8.bad_count


_NON_ASCII_BYTES = re.compile(rb"[\x80-\xff]")


def _looks_like_big5(source, gb):
    if not gb.implausible and not gb.bad_count:
        return False
    return not _tally(source, "big5").bad_count


def _big5_message():
    return _(
        "This file looks like Big5 (traditional Chinese). Big5 is not imported, because "
        "converting traditional to simplified characters changes names. Save the file as "
        "CSV (UTF-8) or XLSX and import that."
    )
