"""The audit trail as staff read it: labels in their language, records by name, local time.

An ``AuditEntry`` stores what changed as JSON: attribute names (``merchant_id``),
stored values (``exposure_board``, ``2026-07-01T02:00:00+00:00``) and ids. An
``AuditReader`` turns a page of entries into rows of field label, before and
after, with choices in words, related records by name and linked when the user
may open them, and times in the site's time zone. It loads every record a page
refers to with one query per model, so a page of fifty entries costs the same
few queries as one.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext

from ..audit import NOT_LOADED, AuditEntry
from .permissions import admin_url


@dataclass(frozen=True)
class Value:
    """One before or after value in words, with a link when it names a record."""

    text: str
    url: str | None = None


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Value
    after: Value


EMPTY = Value("—")


def local_time(moment):
    """A stored moment as staff read it: local date and minute, no time zone noise."""
    return date_format(timezone.localtime(moment), "Y-m-d H:i")


def _foreign_keys(model):
    return {
        field.attname: field
        for field in model._meta.concrete_fields
        if isinstance(field, models.ForeignKey)
    }


class AuditReader:
    """Reads a page of audit entries for one user; see the module docstring."""

    def __init__(self, entries, user):
        self.entries = list(entries)
        self.user = user
        wanted = defaultdict(set)  # model -> primary keys the page refers to
        for entry in self.entries:
            model = entry.content_type.model_class()
            if model is None:
                continue
            wanted[model].add(entry.object_id)
            foreign_keys = _foreign_keys(model)
            for snapshot in (entry.before or {}, entry.after or {}):
                for name, value in snapshot.items():
                    if name in foreign_keys and value not in (None, "", NOT_LOADED):
                        wanted[foreign_keys[name].related_model].add(value)
        self.loaded = {}
        for model, keys in wanted.items():
            field = model._meta.pk
            keys = {field.to_python(key) for key in keys}
            # Names often read a related row (a placard is named with its merchant).
            for obj in model._default_manager.filter(pk__in=keys).select_related():
                self.loaded[(model, str(obj.pk))] = obj
        self._urls = {}

    def record(self, entry):
        """The record an entry is about, by its current name and linked, else as it was named."""
        model = entry.content_type.model_class()
        obj = self.loaded.get((model, entry.object_id))
        if obj is None:
            return Value(entry.object_repr)
        return Value(str(obj), self._url(obj))

    def changes(self, entry):
        """[FieldChange] for every field the entry records, in the model's field order."""
        model = entry.content_type.model_class()
        before, after = entry.before or {}, entry.after or {}
        creation = entry.action == AuditEntry.Action.CREATE
        fields = {}
        if model is not None:
            fields = {field.attname: field for field in model._meta.concrete_fields}
        order = list(fields)
        names = sorted(
            after.keys() | before.keys(),
            key=lambda name: (order.index(name) if name in order else len(order), name),
        )
        rows = []
        for name in names:
            if creation and after.get(name) in (None, "", [], {}):
                continue
            field = fields.get(name)
            label = capfirst(field.verbose_name) if field is not None else name
            rows.append(
                FieldChange(
                    label,
                    EMPTY if creation else self.value(model, field, before.get(name)),
                    self.value(model, field, after.get(name)),
                )
            )
        return rows

    def value(self, model, field, stored):
        """One stored value in words."""
        if stored is None or stored in ("", [], {}):
            return EMPTY
        if stored == NOT_LOADED:
            return Value(gettext("(not recorded)"))
        if field is None:
            return Value(str(stored))
        labels = getattr(model, "audit_value_labels", {}).get(field.name)
        if callable(labels):
            return Value(str(labels(stored)))
        if isinstance(field, models.ForeignKey):
            obj = self.loaded.get((field.related_model, str(stored)))
            if obj is None:
                return Value(gettext("#%(id)s (no longer found)") % {"id": stored})
            return Value(str(obj), self._url(obj))
        if field.choices:
            return Value(str(dict(field.flatchoices).get(stored, stored)))
        if isinstance(field, models.BooleanField):
            return Value(gettext("yes") if stored else gettext("no"))
        if isinstance(field, models.DateTimeField):
            moment = parse_datetime(str(stored))
            return Value(local_time(moment) if moment else str(stored))
        if isinstance(stored, list):
            labels = labels or {}
            return Value("、".join(str(labels.get(item, item)) for item in stored))
        if isinstance(field, models.DateField) and isinstance(stored, str):
            try:
                return Value(datetime.date.fromisoformat(stored).isoformat())
            except ValueError:
                return Value(stored)
        return Value(str(stored))

    def _url(self, obj):
        key = (type(obj), obj.pk)
        if key not in self._urls:
            self._urls[key] = admin_url(self.user, obj)
        return self._urls[key]
