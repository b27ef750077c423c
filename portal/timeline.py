"""One timeline per business: every record, change, objection, repair, placard, review and reply.

The audit trail (``merchants.audit``) is the source: every archive record,
objection, repair application, placard and reply writes an entry on each
change. A credit record appears on the day it happened (issued, inspected,
decided, listed), not the day it was typed in or imported; its later changes
on the day they were made. Reviews are written by visitors without an entry, so they are added
from their own rows. The association's scores and vetoes keep audit entries like the
archive; each published star rating (and each published revision of it) is an event on
the day it was published, from the merchant's result in that round.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from merchants.audit import AuditEntry
from merchants.models import Objection, RepairApplication
from print_templates.models import Placard
from ratings.definitions import localized_name
from ratings.models import (
    AssociationVeto,
    Result,
    Review,
    ReviewReply,
    Round,
    Scheme,
    Score,
)
from ratings.schemes import plain_points

LIMIT = 500


@dataclass
class Event:
    at: object
    kind: str
    title: str
    action: str
    reason: str = ""
    actor: object = None
    changes: list = field(default_factory=list)
    recorded_at: object = None


#: The date each kind of credit record happened on.
RECORD_DATES = {
    "licences": "issued_on",
    "inspections": "inspected_on",
    "penalties": "decided_on",
    "list_entries": "listed_on",
}


def _start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _record_dates(merchant):
    """{(model, pk as text): the day it happened} for the merchant's credit records."""
    found = {}
    for related, date_field in RECORD_DATES.items():
        manager = getattr(merchant, related)
        for pk, day in manager.values_list("pk", date_field):
            found[(manager.model, str(pk))] = day
    return found


def _audited_objects(merchant, record_dates):
    """(model, primary keys) of everything about ``merchant`` that keeps an audit trail."""
    by_model = {}
    for model, pk in record_dates:
        by_model.setdefault(model, []).append(pk)
    return [
        (type(merchant), [merchant.pk]),
        *by_model.items(),
        (Objection, Objection.objects.filter(merchant=merchant).values_list("pk", flat=True)),
        (
            RepairApplication,
            RepairApplication.objects.filter(merchant=merchant).values_list("pk", flat=True),
        ),
        (Placard, Placard.objects.filter(merchant=merchant).values_list("pk", flat=True)),
        (Review, Review.objects.filter(merchant=merchant).values_list("pk", flat=True)),
        (
            ReviewReply,
            ReviewReply.objects.filter(review__merchant=merchant).values_list("pk", flat=True),
        ),
        (Score, Score.objects.filter(merchant=merchant).values_list("pk", flat=True)),
        (
            AssociationVeto,
            AssociationVeto.objects.filter(merchant=merchant).values_list("pk", flat=True),
        ),
    ]


def rating_events(merchant, limit=LIMIT):
    """One event per published round (or revision) that rated ``merchant``: the level or
    outcome, the points, and for a revision why it was made."""
    results = (
        Result.objects.filter(merchant=merchant, round__status__in=Round.FROZEN)
        .select_related("round__scheme")
        .order_by("-round__published_at")[:limit]
    )
    events = []
    for result in results:
        round_ = result.round
        level = result.level_info
        outcome = localized_name(level) if level else result.get_status_display()
        if result.points is not None:
            outcome = _("%(outcome)s, %(points)s points") % {
                "outcome": outcome,
                "points": plain_points(result.points),
            }
        action = (
            _("revision %(n)d published") % {"n": round_.revision}
            if round_.revises_id
            else _("published")
        )
        events.append(
            Event(
                at=round_.published_at,
                kind=capfirst(_("star rating")),
                title=f"{result.scheme_name}: {outcome}",
                action=action,
                reason=round_.reason if round_.revises_id else "",
                actor=round_.published_by,
            )
        )
    return events


def _changed_fields(entry):
    model = entry.content_type.model_class()
    names = sorted((entry.after or {}).keys() | (entry.before or {}).keys())
    labels = (
        {f.attname: capfirst(f.verbose_name) for f in model._meta.concrete_fields} if model else {}
    )
    return [str(labels.get(name, name)) for name in names if name in labels]


def _score_titles(merchant):
    """{(Score, id): "scheme: indicator"} in the reader's language; a score's audit entries
    name it by its indicator key, which only the scheme's definition puts into words."""
    scores = list(Score.objects.filter(merchant=merchant))
    schemes = Scheme.objects.in_bulk({score.scheme_id for score in scores})
    titles = {}
    for score in scores:
        score.scheme = schemes[score.scheme_id]  # one parsed definition per scheme
        titles[(Score, str(score.pk))] = score.label()
    return titles


def for_merchant(merchant, limit=LIMIT):
    """The newest ``limit`` events about ``merchant``, newest first."""
    record_dates = _record_dates(merchant)
    where = Q(pk__in=[])
    for model, pks in _audited_objects(merchant, record_dates):
        pks = [str(pk) for pk in pks]
        if pks:
            content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
            where |= Q(content_type=content_type, object_id__in=pks)
    entries = AuditEntry.objects.filter(where).select_related("actor", "content_type")[: 2 * limit]
    titles = _score_titles(merchant)

    def happened(entry):
        if entry.action != AuditEntry.Action.CREATE:
            return entry.at
        day = record_dates.get((entry.content_type.model_class(), entry.object_id))
        return _start_of(day) if day else entry.at

    events = [
        Event(
            at=happened(entry),
            recorded_at=entry.at,
            kind=capfirst(entry.content_type.model_class()._meta.verbose_name),
            title=titles.get(
                (entry.content_type.model_class(), entry.object_id), entry.object_repr
            ),
            action=entry.get_action_display(),
            reason=entry.reason,
            actor=entry.actor,
            changes=[] if entry.action == AuditEntry.Action.CREATE else _changed_fields(entry),
        )
        for entry in entries
    ]
    for review in Review.objects.filter(merchant=merchant).order_by("-created_at")[:limit]:
        events.append(
            Event(
                at=review.created_at,
                kind=capfirst(Review._meta.verbose_name),
                title=f"#{review.pk} {review.overall}★",
                action=str(review.get_status_display()),
            )
        )
    events.extend(rating_events(merchant, limit))
    events.sort(key=lambda event: event.at, reverse=True)
    return events[:limit]
