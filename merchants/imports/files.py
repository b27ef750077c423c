"""Reading an uploaded table: CSV in UTF-8 (with or without BOM) or GB18030, or XLSX.

Chinese government systems export CSV in GB18030 as often as in UTF-8. GB18030
"decodes" almost any bytes, so a Big5 file or a UTF-8 file with one stray byte
would turn into plausible-looking garbage; a file is therefore accepted in an
encoding only when the decode is clean *and* plausible (``encodings``), and
otherwise the import stops naming the problem and the first rows it affects.

Both formats are streamed: the header is returned before any row is read, so
a file with the wrong columns is refused without reading the rest, and a large
file is never held in memory as bytes or text. Rows are numbered as a
spreadsheet shows them: the header is row 1.
"""

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from . import encodings
from .report import ImportStopped

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the pre-2007 .xls format
DELIMITERS = ",\t;"
# A CSV field longer than this is a broken file, not a credit record.
FIELD_LIMIT = 1_000_000


class FileProblem(ImportStopped):
    """The file as a whole cannot be read."""


@dataclass
class Table:
    headers: list
    rows: Iterator  # of (row number, cells), read lazily
    encoding: str = ""

    def close(self):
        close = getattr(self.rows, "close", None)
        if close is not None:
            close()


def read_table(path, encoding=None):
    """The header of ``path`` and an iterator over its rows; ``encoding`` forces a CSV encoding."""
    path = Path(path)
    try:
        with path.open("rb") as file:
            start = file.read(len(ZIP_MAGIC))
    except FileNotFoundError:
        raise FileProblem(_("There is no file %(path)s.") % {"path": path}) from None
    except IsADirectoryError:
        raise FileProblem(_("%(path)s is a folder, not a file.") % {"path": path}) from None
    except OSError as error:
        raise FileProblem(
            _("Cannot read %(path)s: %(reason)s") % {"path": path, "reason": error.strerror}
        ) from None
    if start.startswith(ZIP_MAGIC):
        table = _read_xlsx(path)
    elif start.startswith(OLE_MAGIC):
        raise FileProblem(_("This is an old Excel .xls file; save it as .xlsx or CSV first."))
    elif path.suffix.lower() in {".xlsx", ".xlsm"} and start:
        raise FileProblem(_("This file is named .xlsx but is not an Excel workbook."))
    else:
        table = _read_csv(path, encoding)
    if not any(str(header or "").strip() for header in table.headers):
        table.close()
        raise FileProblem(_("The file is empty: it needs a header row and rows below it."))
    return table


def _choose(path, forced):
    try:
        return encodings.choose(path, forced)
    except encodings.EncodingProblem as problem:
        raise FileProblem(problem.message) from None


def _read_csv(path, forced):
    # The header is read from the first line alone; the whole file's encoding
    # is settled (one streamed pass) only once the header has passed.
    try:
        codec = encodings.header_codec(path, forced)
    except encodings.EncodingProblem as problem:
        raise FileProblem(problem.message) from None
    codec = codec or _choose(path, forced)
    with path.open(encoding=codec, newline="", errors="replace") as file:
        first_line = file.readline()
    delimiter = max(DELIMITERS, key=first_line.count)
    csv.field_size_limit(FIELD_LIMIT)
    try:
        headers = next(csv.reader([first_line], delimiter=delimiter), [])
    except csv.Error as error:
        raise _malformed(error) from None
    return Table(headers, _csv_rows(path, forced, delimiter), codec)


def _malformed(error):
    return FileProblem(_("This CSV file is malformed: %(reason)s") % {"reason": error})


def _csv_rows(path, forced, delimiter):
    encoding = _choose(path, forced)
    with path.open(encoding=encoding, newline="") as file:
        reader = csv.reader(file, delimiter=delimiter)
        try:
            next(reader, None)  # the header, read already
            # Numbered by record; a quoted field spanning lines still counts once.
            yield from enumerate(reader, start=2)
        except csv.Error as error:
            raise _malformed(error) from None


def _read_xlsx(path):
    # Imported here: openpyxl is only needed for workbooks.
    import openpyxl

    unreadable = FileProblem(_("This file is not an Excel workbook that can be read."))
    try:
        # read_only streams the sheet's XML instead of building every cell.
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    # A damaged workbook fails deep inside openpyxl in many ways (zip, XML, KeyError…).
    except Exception:
        raise unreadable from None
    try:
        if not workbook.worksheets:
            workbook.close()
            return Table([], iter(()))
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        headers = list(next(rows, None) or [])
    except Exception:
        workbook.close()
        raise unreadable from None
    return Table(headers, _xlsx_rows(workbook, rows, unreadable), "xlsx")


def _xlsx_rows(workbook, rows, unreadable):
    try:
        for number, cells in enumerate(rows, start=2):
            yield number, list(cells)
    except ImportStopped:
        raise
    except Exception:
        raise unreadable from None
    finally:
        workbook.close()
