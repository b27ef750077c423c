"""One import: read and check the file a chunk at a time, write it in one transaction.

The file is streamed in chunks of ``CHUNK_ROWS`` rows. Each chunk is checked
(cells, references, duplicates of earlier rows, the model's rules) and, while
no row so far is bad (or bad rows are to be skipped), written at once, inside
the one transaction the whole import runs in. Checking goes on to the end of
the file whatever it finds, so the report lists every bad row. The
transaction then commits only if the file is to be written (no bad row, or
--skip-bad-rows, and not a dry run) and is rolled back otherwise, taking the
chunks already written with it: all or nothing, as before, but an import holds
one chunk, the natural keys seen so far (for duplicates within the file), the
ids of the merchants written and the bad rows' reasons, never the whole file.

Writing uses bulk inserts and updates, which bypass AuditedModel.save(); the
audit entries it would have written are built here and bulk-inserted
alongside. The merchants whose pages the import changes are announced
(``archive_changed``) after the commit only: a rolled-back import announces
nothing and leaves every cached page alone.
"""

import functools
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from tqdm import tqdm

from merchants.audit import AuditEntry, Change, acting_as
from merchants.signals import announced_after_commit, archive_changed

from . import files, values
from .columns import Layout
from .kinds import KINDS, WRITE_BATCH, Row, chunked
from .report import ImportStopped, Report

AUDIT_SOURCE = "import"
#: Rows checked and written together: what an import holds of the file at once.
CHUNK_ROWS = 5000
no_progress = functools.partial(tqdm, disable=True)


@dataclass
class Plan:
    creates: list = field(default_factory=list)
    updates: list = field(default_factory=list)


@dataclass
class BadCells:
    """A row whose cells could not be read: its number and (column, reason) pairs."""

    number: int
    problems: list


def import_file(
    kind_name,
    path,
    *,
    user,
    dry_run=False,
    skip_bad_rows=False,
    encoding=None,
    progress=no_progress,
    kinds=KINDS,
    chunk_rows=CHUNK_ROWS,
):
    """Import ``path`` as ``kind_name`` on behalf of ``user``; returns the Report.

    Raises ImportStopped. Every audit entry names a person or a system account,
    so an import without a user is refused before the file is opened. ``kinds``
    maps names to Kind classes: the archive's own by default; an app above the
    archive passes its own on top (ratings' indicator scores). ``chunk_rows``
    rows are checked and written at a time; a kind whose rows may refer to
    rows anywhere in the file (precincts: a parent may come later) is checked
    whole.
    """
    if user is None or not getattr(user, "pk", None):
        raise ImportStopped(_("An import needs the user it is done for (--user)."))
    kind = kinds[kind_name]()
    kind.user = user
    report = Report(kind_name)
    table = files.read_table(path, encoding)
    try:
        layout = Layout(table.headers, kind.columns)
        report.unused_columns = layout.unused
        for column in layout.missing:
            report.file_errors.append(_missing_column(column))
        if report.file_errors:
            # The header decides: no row of a file with the wrong columns is read.
            return report
        kind.headers = {column.name: header for column, _position, header, _read in layout.found}
        desc = _("Checking") if dry_run else _("Checking and writing")
        numbered = progress(table.rows, desc=desc, unit=_("rows"))
        run = Run(kind, report, writes=not dry_run, skip_bad_rows=skip_bad_rows)
        try:
            with transaction.atomic(), acting_as(user, AUDIT_SOURCE), announced_after_commit():
                for rows in chunked(
                    _read_rows(layout, numbered), chunk_rows if kind.streamed else None
                ):
                    run.take(rows)
                run.finish()
        except IntegrityError:
            raise ImportStopped(
                _("The archive changed while this import ran; nothing was written. Run it again.")
            ) from None
    finally:
        table.close()
    report.written = run.writing
    return report


class Run:
    """One pass over a file, chunk by chunk; keeps from one chunk to the next only what it must."""

    def __init__(self, kind, report, *, writes, skip_bad_rows):
        self.kind = kind
        self.report = report
        self.writes = writes
        self.skip_bad_rows = skip_bad_rows
        #: natural key -> the row it was first seen on (a one-field key kept bare).
        self.first_row = {}
        #: merchants whose pages the rows written change, announced after the commit.
        self.merchant_ids = set()

    @property
    def writing(self):
        """Whether the rows checked so far are to be written (and, at the end, committed)."""
        return self.writes and (self.skip_bad_rows or not self.report.problems)

    def take(self, rows):
        """Check one chunk of read rows; write what passes while the file is to be written."""
        kind, report = self.kind, self.report
        checked = []
        for row in rows:
            report.rows += 1
            if isinstance(row, BadCells):
                for header, reason in row.problems:
                    report.bad(row.number, reason, header)
            else:
                checked.append(row)
        checked = self._drop_duplicates(kind.resolve(checked, report))
        plan = _plan(kind, checked, report)
        if self.writing:
            _write(kind, plan, self.merchant_ids)

    def finish(self):
        """Inside the transaction: roll it back, or announce the change for after the commit."""
        if not self.writing:
            transaction.set_rollback(True)
        elif self.merchant_ids:
            transaction.on_commit(
                functools.partial(
                    archive_changed.send,
                    sender=self.kind.model,
                    merchant_ids=sorted(self.merchant_ids),
                )
            )

    def _drop_duplicates(self, rows):
        kept = []
        for row in rows:
            key = self.kind.key(row.values)
            first = self.first_row.setdefault(key[0] if len(key) == 1 else key, row.number)
            if first == row.number:
                kept.append(row)
            else:
                self.report.bad(
                    row.number,
                    _("Same %(key)s as row %(row)d.") % {"key": self.kind.key_label, "row": first},
                )
        return kept


def _missing_column(column):
    if column.aliases:
        return _("The file has no “%(column)s” column (also accepted: %(aliases)s).") % {
            "column": column.name,
            "aliases": ", ".join(column.aliases),
        }
    return _("The file has no “%(column)s” column.") % {"column": column.name}


def _read_rows(layout, numbered_cells):
    """The file's non-blank rows read into values: a Row each, or BadCells."""
    for number, cells in numbered_cells:
        if all(values.is_blank(cell) for cell in cells):
            continue
        found, problems = layout.read(cells)
        yield BadCells(number, problems) if problems else Row(number, found)


def _plan(kind, rows, report):
    """Match each row with its stored record and sort it into created, changed or unchanged."""
    plan = Plan()
    stored = kind.existing({kind.key(row.values) for row in rows})
    for row in rows:
        found = stored.get(kind.key(row.values))
        if found is not None and not kind.differs(found, row.values):
            _count_unchanged(report, found)
            continue
        if found is None:
            obj = kind.new(row.values)
        else:
            obj = kind.load(found)
            kind.apply(obj, row.values)
        try:
            kind.validate(obj)
        except ValidationError as error:
            _report_invalid(kind, row, error, report)
            continue
        if found is None:
            plan.creates.append(obj)
            report.created += 1
        elif kind.pending(obj) or obj.audit_diff()[1]:
            plan.updates.append(obj)
            report.changed += 1
            _count_withdrawn(report, found)
        else:
            _count_unchanged(report, found)
    return plan


def _count_unchanged(report, stored):
    report.unchanged += 1
    _count_withdrawn(report, stored)


def _count_withdrawn(report, stored):
    # An import never withdraws or reinstates: the withdrawal fields are not columns.
    if stored.get("withdrawn_on") is not None:
        report.withdrawn += 1


def _report_invalid(kind, row, error, report):
    for name, messages in error.message_dict.items():
        column = "" if name == NON_FIELD_ERRORS else kind.header(name)
        for message in messages:
            report.bad(row.number, message, column)


def _write(kind, plan, merchant_ids):
    now = timezone.now()
    for batch in kind.create(plan.creates):
        AuditEntry.objects.record_many(Change.created(obj) for obj in batch)
        merchant_ids |= kind.affected_merchant_ids(batch)
    kind.settle(plan.updates)
    for batch in chunked(plan.updates, WRITE_BATCH):
        entries, changed = [], set()
        for obj in batch:
            before, after = obj.audit_diff()
            changed.update(after)
            # bulk_update skips pre_save, so auto_now does not apply: set it here.
            obj.updated_at = now
            entries.append(Change(obj, AuditEntry.Action.CHANGE, before, after))
        names = sorted(kind.model._meta.get_field(attname).name for attname in changed)
        # ArchiveQuerySet.update, under bulk_update, announces the merchants a moved
        # record leaves as well as those it joins (after the commit, as above).
        kind.model.objects.bulk_update(batch, [*names, "updated_at"])
        AuditEntry.objects.record_many(entries)
        merchant_ids |= kind.affected_merchant_ids(batch)
