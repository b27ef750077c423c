"""One import: read, check every row, then write all of it in one transaction.

Nothing is written until every row has been checked, so a file with a bad row
changes nothing unless the caller asks to skip bad rows. Writing uses bulk
inserts and updates, which bypass AuditedModel.save(); the audit entries it
would have written are built here and bulk-inserted alongside.
"""

import functools
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from tqdm import tqdm

from merchants.audit import AuditEntry, Change, acting_as
from merchants.signals import archive_changed

from . import files, values
from .columns import Layout
from .kinds import KINDS, WRITE_BATCH, Row, chunked
from .report import ImportStopped, Report

AUDIT_SOURCE = "import"
no_progress = functools.partial(tqdm, disable=True)


@dataclass
class Plan:
    creates: list = field(default_factory=list)
    updates: list = field(default_factory=list)


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
):
    """Import ``path`` as ``kind_name`` on behalf of ``user``; returns the Report.

    Raises ImportStopped. Every audit entry names a person or a system account,
    so an import without a user is refused before the file is opened. ``kinds``
    maps names to Kind classes: the archive's own by default; an app above the
    archive passes its own on top (ratings' indicator scores).
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
        rows = _read_rows(kind, layout, table, report, progress)
    finally:
        table.close()
    rows = kind.resolve(rows, report)
    rows = _drop_duplicates(kind, rows, report)
    plan = _plan(kind, rows, report, progress)
    if (report.problems and not skip_bad_rows) or dry_run:
        return report
    try:
        with transaction.atomic(), acting_as(user, AUDIT_SOURCE):
            _write(kind, plan, progress)
    except IntegrityError:
        raise ImportStopped(
            _("The archive changed while this import ran; nothing was written. Run it again.")
        ) from None
    report.written = True
    return report


def _missing_column(column):
    if column.aliases:
        return _("The file has no “%(column)s” column (also accepted: %(aliases)s).") % {
            "column": column.name,
            "aliases": ", ".join(column.aliases),
        }
    return _("The file has no “%(column)s” column.") % {"column": column.name}


def _read_rows(kind, layout, table, report, progress):
    rows = []
    for number, cells in progress(table.rows, desc=_("Checking"), unit=_("rows")):
        if all(values.is_blank(cell) for cell in cells):
            continue
        report.rows += 1
        found, problems = layout.read(cells)
        for header, reason in problems:
            report.bad(number, reason, header)
        if not problems:
            rows.append(Row(number, found))
    return rows


def _drop_duplicates(kind, rows, report):
    first_row = {}
    kept = []
    for row in rows:
        key = kind.key(row.values)
        if key in first_row:
            report.bad(
                row.number,
                _("Same %(key)s as row %(row)d.") % {"key": kind.key_label, "row": first_row[key]},
            )
        else:
            first_row[key] = row.number
            kept.append(row)
    return kept


def _plan(kind, rows, report, progress):
    """Match each row with its stored record and sort it into created, changed or unchanged."""
    plan = Plan()
    stored = kind.existing({kind.key(row.values) for row in rows})
    for row in progress(rows, desc=_("Comparing"), unit=_("rows")):
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


def _write(kind, plan, progress):
    now = timezone.now()
    with progress(total=len(plan.creates) + len(plan.updates), desc=_("Writing")) as bar:
        for batch in kind.create(plan.creates):
            AuditEntry.objects.record_many(Change.created(obj) for obj in batch)
            _announce(kind, batch)
            bar.update(len(batch))
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
            kind.model.objects.bulk_update(batch, [*names, "updated_at"])
            AuditEntry.objects.record_many(entries)
            _announce(kind, batch)
            bar.update(len(batch))


def _announce(kind, batch):
    """Tell listeners (the scan-page cache) once the batch is committed, as save() would."""
    merchant_ids = kind.affected_merchant_ids(batch)
    if merchant_ids:
        transaction.on_commit(
            functools.partial(archive_changed.send, sender=kind.model, merchant_ids=merchant_ids)
        )
