"""Bulk import of precincts, merchants and credit records from CSV or XLSX files.

``import_file`` is the entry point; the ``import_credit`` command is its
command line. See docs/import.md for the columns of each kind.
"""

from .importer import import_file
from .kinds import KINDS
from .report import ImportStopped, Report

__all__ = ["KINDS", "ImportStopped", "Report", "import_file"]
