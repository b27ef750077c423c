"""The audit layer: who changed what, when, from what to what; and nothing deleted.

Every archive model derives from ``AuditedModel``: ``save()`` writes an
``AuditEntry`` and ``delete()`` (on instances and querysets) raises
``DeletionRefused``. Bulk paths (imports, the demo loader, placard batches)
skip ``save()`` for speed and hand their changes to
``AuditEntry.objects.record_many()``, so every path leaves the same trail.

Who acted comes from a context variable: ``AuditActorMiddleware`` sets it for
a web request, commands wrap their work in ``acting_as(user, source)``.
"""

import contextlib
import contextvars
import datetime
import decimal
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .signals import announce_change


@dataclass(frozen=True)
class Actor:
    user: object = None
    source: str = "system"


_current = contextvars.ContextVar("audit_actor", default=None)


def current_actor():
    return _current.get() or Actor()


@contextlib.contextmanager
def acting_as(user=None, source="system"):
    token = _current.set(Actor(user=user, source=source))
    try:
        yield
    finally:
        _current.reset(token)


class AuditActorMiddleware:
    """Attribute archive changes made during a request to its signed-in user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Without a session cookie nobody is signed in; not touching the session
        # then keeps "Vary: Cookie" off answers no cookie changes (the API).
        user = None
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            user = request.user
        with acting_as(user, "admin" if request.path.startswith("/admin/") else "web"):
            return self.get_response(request)


@dataclass(frozen=True)
class Change:
    """One audited change for ``record_many``: the object, what happened, before and after."""

    obj: object
    action: str
    before: dict | None = None
    after: dict | None = None
    reason: str = ""

    @classmethod
    def created(cls, obj):
        return cls(obj, AuditEntry.Action.CREATE, after=obj.audit_snapshot())


NOT_LOADED = "(not loaded)"


class DeletionRefused(Exception):
    """Raised instead of deleting a credit record: withdraw or correct it."""


def _json_value(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


class NoDeleteQuerySet(models.QuerySet):
    def delete(self):
        raise DeletionRefused("Credit records are withdrawn or corrected, never deleted.")


class AuditEntryQuerySet(NoDeleteQuerySet):
    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            object_id=str(obj.pk),
        )

    def build(self, obj, action, before=None, after=None, reason="", actor=None):
        """An unsaved entry; ``record`` and ``record_many`` save it."""
        actor = actor or current_actor()
        return AuditEntry(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            object_id=str(obj.pk),
            object_repr=str(obj)[:200],
            action=action,
            actor=actor.user,
            source=actor.source,
            before=before,
            after=after,
            reason=reason,
        )

    def record(self, obj, action, before=None, after=None, reason="", actor=None):
        """Write one entry now."""
        entry = self.build(obj, action, before, after, reason, actor)
        entry.save()
        return entry

    def record_many(self, changes, batch_size=1000, actor=None):
        """Write the entries of many ``Change``s in batches; returns how many were written.

        ``changes`` may be a generator: entries are built and inserted a batch
        at a time, so memory stays bounded however large the bulk operation.
        """
        actor = actor or current_actor()
        written, batch = 0, []
        for change in changes:
            batch.append(
                self.build(
                    change.obj, change.action, change.before, change.after, change.reason, actor
                )
            )
            if len(batch) >= batch_size:
                written += len(self.bulk_create(batch))
                batch = []
        if batch:
            written += len(self.bulk_create(batch))
        return written


class AuditEntry(models.Model):
    """One create, change or withdrawal of an archive record: who, when, before, after."""

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        CHANGE = "change", _("changed")
        WITHDRAW = "withdraw", _("withdrawn")
        PRINT = "print", _("printed")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(_("through"), max_length=20)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=40)
    object_repr = models.CharField(_("record"), max_length=200)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    #: What ``source`` names, in words: where the change came from.
    SOURCES = {
        "admin": _("staff admin"),
        "web": _("public site"),
        "import": _("import"),
        "demo": _("demo data"),
        "command": _("command line"),
        "system": _("system"),
    }

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="audit_object_idx")]

    def __str__(self):
        at = timezone.localtime(self.at)
        return f"{at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.object_repr}"

    def delete(self, *args, **kwargs):
        raise DeletionRefused("The audit trail is append-only.")

    def get_source_display(self):
        return self.SOURCES.get(self.source, self.source)


class AuditedModel(models.Model):
    """Writes an audit entry on every create and change; refuses deletion."""

    audit_exclude = ("created_at", "updated_at")

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NoDeleteQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, audit_action=None, audit_reason="", **kwargs):
        creating = self._state.adding or self.pk is None
        before, after = self.audit_diff()
        super().save(*args, **kwargs)
        self._audit_loaded = self.audit_snapshot()
        if creating:
            action, before = AuditEntry.Action.CREATE, None
        elif not after:
            return
        else:
            action = audit_action or AuditEntry.Action.CHANGE
        AuditEntry.objects.record(self, action, before, after, audit_reason)
        affected = self.affected_merchant_ids()
        if affected:
            announce_change(type(self), affected, self.former_public_codes(before))

    def audit_snapshot(self):
        """Field values as JSON, leaving out fields deferred by ``only()``/``defer()``.

        Reading a deferred field would load it from the database, which calls
        ``from_db`` again; skipping them keeps the snapshot a plain read.
        """
        deferred = self.get_deferred_fields()
        return {
            field.attname: _json_value(getattr(self, field.attname))
            for field in self._meta.concrete_fields
            if not field.primary_key
            and field.attname not in self.audit_exclude
            and field.attname not in deferred
        }

    def audit_diff(self):
        """(before, after) of the fields that changed since load; both None when new."""
        loaded = getattr(self, "_audit_loaded", None)
        now = self.audit_snapshot()
        if loaded is None:
            return None, now
        # A field deferred at load and set since has no known "before".
        changed = [name for name, value in now.items() if loaded.get(name, NOT_LOADED) != value]
        before = {name: loaded.get(name, NOT_LOADED) for name in changed}
        return before, {name: now[name] for name in changed}

    def delete(self, *args, **kwargs):
        raise DeletionRefused("Credit records are withdrawn or corrected, never deleted.")

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._audit_loaded = instance.audit_snapshot()
        return instance

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        """Reloaded fields (including deferred ones read later) are the new "before"."""
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        loaded = getattr(self, "_audit_loaded", None)
        if loaded is None:
            return
        snapshot = self.audit_snapshot()
        if fields is None:
            loaded.update(snapshot)
            return
        names = {self._meta.get_field(name).attname for name in fields}
        loaded.update({name: value for name, value in snapshot.items() if name in names})

    def audit_entries(self):
        return AuditEntry.objects.for_object(self)

    def affected_merchant_ids(self):
        """Merchants whose public page may show this record; none by default."""
        return ()

    def former_public_codes(self, before):
        """Credit codes whose public pages this change made obsolete; none by default."""
        return ()
