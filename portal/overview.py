"""What a merchant sees of its own business in the portal, hidden parts included.

The public page shows ``Merchant.public_archive``; the portal shows every
record with why it is hidden or withdrawn, which records are under objection,
what can be repaired and from when, the placards with their daily scans, the
reviews with replies and the rating breakdown.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Sum

from merchants import dates
from merchants.models import Licence, Objection, RepairApplication
from merchants.objections import target_kind_of
from print_templates.models import Placard, PlacardScan
from ratings.definitions import Source
from ratings.merchant_page import shown_reviews
from ratings.models import Result, Score

CHART_DAYS = 30


@dataclass
class ScanDay:
    day: datetime.date
    count: int
    percent: int


def scans_per_day(merchant, day, days=CHART_DAYS):
    """The last ``days`` days of scans of all the merchant's placards (one query)."""
    start = day - datetime.timedelta(days=days - 1)
    counts = dict(
        PlacardScan.objects.filter(placard__merchant=merchant, day__gte=start, day__lte=day)
        .values_list("day")
        .annotate(total=Sum("count"))
    )
    peak = max(counts.values(), default=0)
    return [
        ScanDay(
            current,
            counts.get(current, 0),
            round(100 * counts.get(current, 0) / peak) if peak else 0,
        )
        for current in (start + datetime.timedelta(days=n) for n in range(days))
    ]


def _mark(records, open_objections):
    for record in records:
        record.objection_kind = target_kind_of(record)
        record.open_objection = open_objections.get((record.objection_kind, record.pk))
    return records


def rating_breakdown(merchant, result, open_objections):
    """The result's aspects and indicators, each entered score with its id (to object to)
    and its open objection; the result's own open objection."""
    scores = dict(
        Score.objects.filter(scheme=result.round.scheme_id, merchant=merchant).values_list(
            "indicator", "pk"
        )
    )
    parts = result.breakdown()
    for part in parts:
        for indicator in part.indicators:
            indicator.score_id = (
                scores.get(indicator.key) if indicator.source == Source.ENTERED else None
            )
            indicator.open_objection = open_objections.get(("indicator_score", indicator.score_id))
    result.open_objection = open_objections.get(("rating", result.pk))
    return parts


def build(merchant, day=None):
    day = day or dates.today()
    objections = list(Objection.objects.filter(merchant=merchant).order_by("-filed_on", "-pk"))
    repairs = list(
        RepairApplication.objects.filter(merchant=merchant)
        .select_related("penalty")
        .order_by("-filed_on", "-pk")
    )
    open_objections = {(o.target_kind, o.target_id): o for o in objections if o.is_open}
    open_repairs = {r.penalty_id: r for r in repairs if r.is_open}
    penalties = _mark(list(merchant.penalties.order_by("-decided_on", "-pk")), open_objections)
    for penalty in penalties:
        penalty.hidden = penalty.hidden_reason(day)
        penalty.open_repair = open_repairs.get(penalty.pk)
        penalty.repair_problem = RepairApplication.problem_for(penalty, day)
    licences = _mark(
        list(merchant.licences.with_status(day).order_by("-issued_on", "-pk")), open_objections
    )
    for licence in licences:
        licence.status_label = Licence.Status(licence.public_status).label
    reviews = shown_reviews(merchant)
    rating = Result.objects.latest_published_for(merchant)
    return {
        "rating": rating.public_dict() if rating else None,
        "rating_result": rating,
        "rating_parts": rating_breakdown(merchant, rating, open_objections) if rating else [],
        "merchant": merchant,
        "today": day,
        "licences": licences,
        "inspections": _mark(
            list(merchant.inspections.order_by("-inspected_on", "-pk")), open_objections
        ),
        "penalties": penalties,
        "list_entries": _mark(
            list(merchant.list_entries.order_by("-listed_on", "-pk")), open_objections
        ),
        "objections": objections,
        "repairs": repairs,
        "placards": list(Placard.objects.filter(merchant=merchant).with_scan_totals()),
        "scan_days": scans_per_day(merchant, day),
        **reviews,
        "unanswered": [review for review in reviews["reviews"] if not hasattr(review, "reply")],
        "repairable": [p for p in penalties if p.repair_problem is None],
    }
