"""Which file column feeds which field, whatever the exporting system called it.

Headers differ between our own files and the national double-publicity (双公示)
exchange format, and between exports of the same format: full- or half-width
brackets, stray spaces, ``_1`` suffixes. Every header and alias is compared by
``header_key``; an alias also matches a header that only adds a bracketed note,
such as a unit: "罚款金额(万元)" matches "罚款金额".
"""

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from . import values

_SUFFIX = re.compile(r"_\d+(?=\(|$)")
_NOTE = re.compile(r"\([^()]*\)$")


def header_key(header):
    """NFKC-folded, lower-cased, without whitespace or a numbered ``_1`` suffix."""
    key = unicodedata.normalize("NFKC", values.text(header)).lower()
    key = re.sub(r"\s+", "", key).lstrip("\ufeff")
    return _SUFFIX.sub("", key)


def _without_note(key):
    return _SUFFIX.sub("", _NOTE.sub("", key))


@dataclass(frozen=True)
class Column:
    """One importable column: its documented name, other spellings and how to read it.

    ``name`` is the English header of our own format and the key of the value
    read. ``read`` turns the raw cell into the value; ``for_header`` may adapt
    it to the header found (a unit in brackets, say).
    """

    name: str
    aliases: tuple = ()
    read: Any = values.text
    required: bool = False
    max_length: int | None = None
    for_header: Any = None

    def reader(self, header):
        if self.for_header is not None:
            return self.for_header(header)
        return self.read


class Layout:
    """The columns found in one file's header row, with the position each is read from."""

    def __init__(self, headers, columns):
        keys = [header_key(header) for header in headers]
        taken = set()
        self.found = []
        self.missing = []
        for column in columns:
            position = self._position(column, keys, taken)
            if position is None:
                if column.required:
                    self.missing.append(column)
                continue
            taken.add(position)
            header = values.text(headers[position])
            self.found.append((column, position, header, column.reader(header)))
        self.unused = [
            values.text(header)
            for position, header in enumerate(headers)
            if position not in taken and values.text(header)
        ]

    @staticmethod
    def _position(column, keys, taken):
        wanted = [header_key(alias) for alias in (column.name, *column.aliases)]
        for compare in (lambda key: key, _without_note):
            for alias in wanted:
                for position, key in enumerate(keys):
                    if position not in taken and compare(key) == alias:
                        return position
        return None

    def read(self, cells):
        """(values, problems) of one row; a problem is (header, reason)."""
        found, problems = {}, []
        for column, position, header, reader in self.found:
            raw = cells[position] if position < len(cells) else None
            if column.required and values.is_blank(raw):
                problems.append((header, _("This column needs a value.")))
                continue
            try:
                value = reader(raw)
            except values.BadValue as error:
                problems.append((header, error.message))
                continue
            if column.max_length and isinstance(value, str) and len(value) > column.max_length:
                problems.append(
                    (
                        header,
                        _("At most %(limit)d characters; this has %(count)d.")
                        % {"limit": column.max_length, "count": len(value)},
                    )
                )
                continue
            found[column.name] = value
        return found, problems
