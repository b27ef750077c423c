"""The public JSON API: the facts of the merchant page, as data.

It mirrors the page and is composed the same way, in the open: the archive
(``merchants``) and the review summary (``ratings``).
"""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from merchants import dates
from merchants.models import Merchant
from ratings.merchant_page import review_summary


def _licence(licence, day):
    return {
        "kind": licence.kind,
        "number": licence.number,
        "issuer": licence.issuer,
        "issued_on": licence.issued_on,
        "expires_on": licence.expires_on,
        "status": licence.status_on(day),
    }


def _inspection(inspection, day):
    return {
        "inspected_on": inspection.inspected_on,
        "days_ago": inspection.days_ago(day),
        "authority": inspection.authority,
        "kind": inspection.kind,
        "result": inspection.result,
        "findings": inspection.findings,
    }


def _penalty(penalty):
    return {
        "decision_number": penalty.decision_number,
        "decided_on": penalty.decided_on,
        "authority": penalty.authority,
        "violation": penalty.violation,
        "penalty_types": penalty.penalty_types,
        "outcome": penalty.outcome,
        "fine_amount": None if penalty.fine_amount is None else str(penalty.fine_amount),
        "severity": penalty.severity,
        "shown_until": penalty.shown_until,
    }


def _list_entry(entry):
    return {
        "list": entry.list_name,
        "colour": entry.colour,
        "reason": entry.reason,
        "authority": entry.authority,
        "from": entry.listed_on,
        "until": entry.until,
    }


@require_safe
@cache_control(public=True, max_age=60)
def merchant_json(request, code):
    """GET (or HEAD) /api/v1/merchants/<code>: exactly what the public may see of one merchant."""
    lookup = Merchant.objects.select_related("precinct").lookup(code)
    if lookup.problem:
        return JsonResponse({"error": "malformed_code", "detail": str(lookup.problem)}, status=400)
    merchant = lookup.merchant
    if merchant is None:
        detail = _("No merchant with this credit code is in the archive.")
        return JsonResponse({"error": "not_found", "detail": detail}, status=404)
    day = dates.today()
    archive = merchant.public_archive(day)
    body = {
        "code": merchant.code,
        "name_zh": merchant.name_zh,
        "name_en": merchant.name_en,
        "kind": merchant.kind,
        "category": merchant.category,
        "stall": merchant.stall,
        "address": merchant.address,
        "precinct": {
            "slug": merchant.precinct.slug,
            "name_zh": merchant.precinct.name_zh,
            "name_en": merchant.precinct.name_en,
        },
        "as_of": day,
        "licences": [_licence(licence, day) for licence in archive.licences],
        "inspections": [_inspection(item, day) for item in archive.inspections],
        "penalties": [_penalty(penalty) for penalty in archive.penalties],
        "list_entries": [_list_entry(entry) for entry in archive.list_entries],
    }
    body["reviews"] = review_summary(merchant)
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})
