"""Which file column feeds which field, whatever the exporting system called it.

Headers differ between our own files and the national double-publicity (双公示)
exchange format, and between exports of the same format: full- or half-width
brackets, stray spaces, ``_1`` suffixes. A header matches an alias in the first
of three ways that works, tried for every alias before the next: exactly (so
``行政相对人代码_1`` is the credit code even when ``_2`` … ``_5`` come first);
without a numbered ``_1`` suffix; and without a bracketed note, such as a unit:
"罚款金额(万元)" matches "罚款金额".

The earlier national layout splits some columns into numbered ones (处罚类别1,
处罚类别2): a ``numbered`` column, when no single header matches, reads every
header that is an alias followed by a number and joins their values.
"""

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from . import values

_SUFFIX = re.compile(r"_\d+(?=\(|$)")
_NOTE = re.compile(r"\([^()]*\)$")


def _exact_key(header):
    """NFKC-folded, lower-cased, without whitespace."""
    key = unicodedata.normalize("NFKC", values.text(header)).lower()
    return re.sub(r"\s+", "", key).lstrip("\ufeff")


def header_key(header):
    """NFKC-folded, lower-cased, without whitespace or a numbered ``_1`` suffix."""
    return _SUFFIX.sub("", _exact_key(header))


def _without_suffix(key):
    return _SUFFIX.sub("", key)


def _without_note(key):
    return _SUFFIX.sub("", _NOTE.sub("", key))


def _numbered(key, alias):
    """``处罚类别2`` is the second part of ``处罚类别``; returns whether ``key`` is such a part."""
    return re.fullmatch(re.escape(_without_note(alias)) + r"_?\d+", _NOTE.sub("", key)) is not None


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
    #: Read from several numbered headers (处罚类别1, 处罚类别2) when no single one matches.
    numbered: bool = False

    def reader(self, header):
        if self.for_header is not None:
            return self.for_header(header)
        return self.read


class Layout:
    """The columns found in one file's header row, with the position each is read from."""

    def __init__(self, headers, columns):
        keys = [_exact_key(header) for header in headers]
        taken = set()
        self.found = []
        self.missing = []
        for column in columns:
            position = self._position(column, keys, taken)
            if position is None and column.numbered:
                positions = self._numbered_positions(column, keys, taken)
                if positions:
                    taken.update(positions)
                    header = values.text(headers[positions[0]])
                    self.found.append((column, tuple(positions), header, column.reader(header)))
                    continue
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
        wanted = [_exact_key(alias) for alias in (column.name, *column.aliases)]
        stages = (
            (_exact_key, _exact_key),
            (_without_suffix, _without_suffix),
            # The header may add a note the alias lacks, never the other way round.
            (_without_note, _without_suffix),
        )
        for header_form, alias_form in stages:
            for alias in wanted:
                for position, key in enumerate(keys):
                    if position not in taken and header_form(key) == alias_form(alias):
                        return position
        return None

    @staticmethod
    def _numbered_positions(column, keys, taken):
        for alias in (column.name, *column.aliases):
            alias = _exact_key(alias)
            positions = [
                position
                for position, key in enumerate(keys)
                if position not in taken and _numbered(key, alias)
            ]
            if positions:
                return positions
        return []

    @staticmethod
    def _cell(cells, position):
        """The raw cell; for a numbered column, its parts joined as one list."""
        if isinstance(position, tuple):
            parts = [
                values.text(cells[index])
                for index in position
                if index < len(cells) and not values.is_blank(cells[index])
            ]
            return "、".join(parts) if parts else None
        return cells[position] if position < len(cells) else None

    def read(self, cells):
        """(values, problems) of one row; a problem is (header, reason)."""
        found, problems = {}, []
        for column, position, header, reader in self.found:
            raw = self._cell(cells, position)
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
