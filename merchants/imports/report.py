"""What an import found: file errors, bad rows with their reasons, and the counts."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _


class ImportStopped(Exception):
    """The import cannot go on at all; ``message`` says why, for the person importing."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Problem:
    """One reason a row cannot be imported; ``row`` is 1-based with the header as row 1."""

    row: int
    reason: str
    column: str = ""

    def __str__(self):
        if self.column:
            return _("Row %(row)d, %(column)s: %(reason)s") % {
                "row": self.row,
                "column": self.column,
                "reason": self.reason,
            }
        return _("Row %(row)d: %(reason)s") % {"row": self.row, "reason": self.reason}


@dataclass
class Report:
    kind: str
    rows: int = 0
    file_errors: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    unused_columns: list = field(default_factory=list)
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    written: bool = False

    def bad(self, row, reason, column=""):
        self.problems.append(Problem(row, str(reason), column))

    @property
    def bad_rows(self):
        return sorted({problem.row for problem in self.problems})

    @property
    def ok(self):
        return not self.file_errors and not self.problems
