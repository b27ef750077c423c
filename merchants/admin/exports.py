"""Spreadsheet exports that cannot run formulas in the reader's spreadsheet program.

Archive exports carry text typed by others (merchant names, addresses, review
comments). A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is read as a formula by Excel and LibreOffice when the CSV is
opened (``=HYPERLINK(…)``, ``-2+3+cmd|…``), so such text gets a leading ``'``:
shown as typed, never evaluated. Numbers and dates are left as they are.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defuse(value):
    """``value`` with a leading ``'`` if a spreadsheet would take it for a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class FormulaSafeExportMixin:
    """Mix into a Wagtail IndexView before it: every exported text cell is defused."""

    def preprocess_field_value(self, field, value, export_format):
        return defuse(super().preprocess_field_value(field, value, export_format))
