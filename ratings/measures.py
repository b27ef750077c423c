"""The archive-derived measures of a scheme's members, in grouped queries.

Each function runs one query over all members (never one per merchant) through
the archive's own querysets, so "public on the rating day" means exactly what
the scan page shows. Only the measures a scheme uses are queried.
"""

from collections import defaultdict

from django.db.models import Count, Q

from merchants.models import Inspection, Licence, ListEntry, Penalty

from .schemes import AssociationVeto

BLACK_LISTS = [name for name in ListEntry.List.values if name not in ListEntry.RED_LISTS]
INVALID = [Licence.Status.EXPIRED, Licence.Status.SUSPENDED, Licence.Status.REVOKED]


def gather(scheme_id, members, rules):
    """({merchant id: {measure: value}}, {merchant id: {measure: veto detail}}) for ``members``.

    ``members`` is a Merchant queryset; it is used as a subquery.
    """
    used = rules.measures_used
    start, day = rules.period
    values = defaultdict(dict)
    details = defaultdict(dict)
    member_ids = members.values("pk")

    if used & {"licence_valid", "licences_invalid"}:
        rows = (
            Licence.objects.current()
            .filter(merchant__in=member_ids, issued_on__lte=day)
            .with_status(day)
            .values("merchant_id")
            .annotate(total=Count("pk"), invalid=Count("pk", filter=Q(public_status__in=INVALID)))
            .values_list("merchant_id", "total", "invalid")
        )
        for merchant_id, total, invalid in rows:
            values[merchant_id]["licence_valid"] = 1 if total and not invalid else 0
            values[merchant_id]["licences_invalid"] = invalid

    if used & {"inspections_passed", "inspections_rectify", "inspections_failed"}:
        rows = (
            Inspection.objects.current()
            .filter(merchant__in=member_ids, inspected_on__range=(start, day))
            .values("merchant_id")
            .annotate(
                passed=Count("pk", filter=Q(result=Inspection.Result.PASS)),
                rectify=Count("pk", filter=Q(result=Inspection.Result.RECTIFY)),
                failed=Count("pk", filter=Q(result=Inspection.Result.FAIL)),
            )
            .values_list("merchant_id", "passed", "rectify", "failed")
        )
        for merchant_id, passed, rectify, failed in rows:
            values[merchant_id].update(
                inspections_passed=passed,
                inspections_rectify=rectify,
                inspections_failed=failed,
            )

    if "public_penalties" in used:
        rows = (
            Penalty.objects.public(day)
            .filter(merchant__in=member_ids, decided_on__gte=start)
            .values("merchant_id")
            .annotate(n=Count("pk"))
            .values_list("merchant_id", "n")
        )
        for merchant_id, count in rows:
            values[merchant_id]["public_penalties"] = count

    if "penalties" in used:
        rows = (
            Penalty.objects.current()
            .filter(merchant__in=member_ids, decided_on__range=(start, day))
            .values("merchant_id")
            .annotate(n=Count("pk"))
            .values_list("merchant_id", "n")
        )
        for merchant_id, count in rows:
            values[merchant_id]["penalties"] = count

    if "serious_penalties" in used:
        # Withdrawn ones do not count; a serious penalty vetoes whether or not it is public.
        rows = (
            Penalty.objects.current()
            .filter(
                merchant__in=member_ids,
                severity=Penalty.Severity.SERIOUS,
                decided_on__range=(start, day),
            )
            .order_by("merchant_id", "decided_on")
            .values_list("merchant_id", "decided_on", "decision_number", "violation")
        )
        for merchant_id, decided_on, number, violation in rows:
            values[merchant_id]["serious_penalties"] = (
                values[merchant_id].get("serious_penalties", 0) + 1
            )
            details[merchant_id]["serious_penalties"] = {
                "on": decided_on.isoformat(),
                "record": number,
                "detail": violation[:300],
            }

    if "red_list" in used:
        rows = (
            ListEntry.objects.public(day)
            .filter(merchant__in=member_ids, list_name__in=ListEntry.RED_LISTS)
            .values("merchant_id")
            .annotate(n=Count("pk"))
            .values_list("merchant_id", "n")
        )
        for merchant_id, count in rows:
            values[merchant_id]["red_list"] = count

    if "black_list" in used:
        rows = (
            ListEntry.objects.public(day)
            .filter(merchant__in=member_ids, list_name__in=BLACK_LISTS)
            .order_by("merchant_id", "listed_on")
            .values_list("merchant_id", "listed_on", "list_name", "reason")
        )
        for merchant_id, listed_on, list_name, reason in rows:
            values[merchant_id]["black_list"] = values[merchant_id].get("black_list", 0) + 1
            details[merchant_id]["black_list"] = {
                "on": listed_on.isoformat(),
                "kind": list_name,
                "detail": reason[:300],
            }

    if "association_vetoes" in used:
        rows = (
            AssociationVeto.objects.in_force()
            .filter(scheme_id=scheme_id, merchant__in=member_ids, decided_on__lte=day)
            .order_by("merchant_id", "decided_on")
            .values_list("merchant_id", "decided_on", "kind", "reason")
        )
        for merchant_id, decided_on, kind, reason in rows:
            values[merchant_id]["association_vetoes"] = (
                values[merchant_id].get("association_vetoes", 0) + 1
            )
            details[merchant_id]["association_vetoes"] = {
                "on": decided_on.isoformat(),
                "kind": kind,
                "detail": reason[:300],
            }
    return values, details
