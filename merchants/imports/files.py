"""Reading an uploaded table: CSV in UTF-8 (with or without BOM) or GB18030, or XLSX.

Chinese government systems export CSV in GB18030 as often as in UTF-8, so the
bytes are tried as UTF-8 first (a BOM is dropped) and then as GB18030. An XLSX
workbook is read from its first sheet. Either way the first row is the header
and rows are numbered as a spreadsheet shows them: the header is row 1.
"""

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from .report import ImportStopped

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the pre-2007 .xls format
DELIMITERS = ",\t;"


class FileProblem(ImportStopped):
    """The file as a whole cannot be read."""


@dataclass
class Table:
    headers: list
    rows: list  # of (row number, cells)


def read_table(path):
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise FileProblem(_("There is no file %(path)s.") % {"path": path}) from None
    except OSError as error:
        raise FileProblem(
            _("Cannot read %(path)s: %(reason)s") % {"path": path, "reason": error.strerror}
        ) from None
    if data.startswith(ZIP_MAGIC):
        table = _read_xlsx(data)
    elif data.startswith(OLE_MAGIC):
        raise FileProblem(_("This is an old Excel .xls file; save it as .xlsx or CSV first."))
    elif path.suffix.lower() in {".xlsx", ".xlsm"} and data:
        raise FileProblem(_("This file is named .xlsx but is not an Excel workbook."))
    else:
        table = _read_csv(data)
    if not any(str(header or "").strip() for header in table.headers):
        raise FileProblem(_("The file is empty: it needs a header row and rows below it."))
    return table


def _decode(data):
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileProblem(
        _("The file is neither UTF-8 nor GB18030 text. Save it as CSV (UTF-8) or XLSX.")
    )


def _read_csv(data):
    text = _decode(data)
    if "\x00" in text:
        raise FileProblem(_("This is not a CSV file or an XLSX workbook."))
    first_line = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first_line.count)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise FileProblem(_("This CSV file is malformed: %(reason)s") % {"reason": error}) from None
    if not records:
        return Table([], [])
    return Table(records[0], list(enumerate(records[1:], start=2)))


def _read_xlsx(data):
    # Imported here: openpyxl is only needed for workbooks.
    import openpyxl

    unreadable = FileProblem(_("This file is not an Excel workbook that can be read."))
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    # A damaged workbook fails deep inside openpyxl in many ways (zip, XML, KeyError…).
    except Exception:
        raise unreadable from None
    try:
        if not workbook.worksheets:
            return Table([], [])
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        headers = list(next(rows, None) or [])
        return Table(headers, [(number, list(cells)) for number, cells in enumerate(rows, start=2)])
    except Exception:
        raise unreadable from None
    finally:
        workbook.close()
