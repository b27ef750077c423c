"""The public JSON API: the facts of the merchant page, as data.

It mirrors the page and is composed the same way, in the open: the archive
(``merchants``), the review summary and the latest published star rating
(``ratings``); and a precinct's published ratings of a year as JSON or CSV.
"""

import csv
import functools
import json
from pathlib import Path

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from merchants import dates, glossary
from merchants.models import Merchant, Precinct
from ratings.merchant_page import review_summary
from ratings.models import Result, Round
from ratings.rounds import CSV_COLUMNS, public_rows, round_summary

from . import shared_cache


def _english(terms, vocabulary, value):
    """The glossary's English for an archive value, or None when staff keep none."""
    return terms.english(vocabulary, value) or None


def _licence(licence, day, terms):
    return {
        "kind": licence.kind,
        "number": licence.number,
        "issuer": licence.issuer,
        "issuer_en": _english(terms, "authority", licence.issuer),
        "issued_on": licence.issued_on,
        "expires_on": licence.expires_on,
        "status": licence.status_on(day),
    }


def _inspection(inspection, day, terms):
    return {
        "inspected_on": inspection.inspected_on,
        "days_ago": inspection.days_ago(day),
        "authority": inspection.authority,
        "authority_en": _english(terms, "authority", inspection.authority),
        "kind": inspection.kind,
        "result": inspection.result,
        "findings": inspection.findings,
        "summary_en": inspection.summary_en,
    }


def _penalty(penalty, terms):
    return {
        "decision_number": penalty.decision_number,
        "decided_on": penalty.decided_on,
        "authority": penalty.authority,
        "authority_en": _english(terms, "authority", penalty.authority),
        "violation": penalty.violation,
        "summary_en": penalty.summary_en,
        "penalty_types": penalty.penalty_types,
        "outcome": penalty.outcome,
        "fine_amount": None if penalty.fine_amount is None else str(penalty.fine_amount),
        "severity": penalty.severity,
        "shown_until": penalty.shown_until,
    }


def _list_entry(entry, terms):
    return {
        "list": entry.list_name,
        "colour": entry.colour,
        "reason": entry.reason,
        "summary_en": entry.summary_en,
        "authority": entry.authority,
        "authority_en": _english(terms, "authority", entry.authority) if entry.authority else None,
        "from": entry.listed_on,
        "until": entry.until,
    }


# Read-only: an unsafe method gets 405, not the CSRF refusal meant for forms.
@csrf_exempt
@require_safe
def merchant_json(request, code):
    """GET (or HEAD) /api/v1/merchants/<code>: exactly what the public may see of one merchant.

    Every answer may be kept by shared caches (no cookie changes it); a 200 is
    the same in every language, the errors' detail follows Accept-Language.
    """
    response = _merchant_json(request, code)
    shared_cache.mark(request, response, browser_seconds=60, per_visitor=False)
    if response.status_code == 200:
        shared_cache.language_independent(response)
    return response


def _merchant_json(request, code):
    lookup = Merchant.objects.select_related("precinct").lookup(code)
    if lookup.problem:
        return JsonResponse({"error": "malformed_code", "detail": str(lookup.problem)}, status=400)
    merchant = lookup.merchant
    if merchant is None:
        detail = _("No merchant with this credit code is in the archive.")
        return JsonResponse({"error": "not_found", "detail": detail}, status=404)
    day = dates.today()
    archive = merchant.public_archive(day)
    terms = glossary.current()
    body = {
        "code": merchant.code,
        "name_zh": merchant.name_zh,
        "name_en": merchant.name_en,
        "kind": merchant.kind,
        "category": merchant.category,
        "stall": merchant.stall,
        "address": merchant.address,
        "address_en": merchant.address_en,
        "specialties": merchant.specialty_list(),
        "specialties_en": [
            _english(terms, "specialty", specialty) for specialty in merchant.specialty_list()
        ],
        "precinct": {
            "slug": merchant.precinct.slug,
            "name_zh": merchant.precinct.name_zh,
            "name_en": merchant.precinct.name_en,
        },
        "as_of": day,
        "licences": [_licence(licence, day, terms) for licence in archive.licences],
        "inspections": [_inspection(item, day, terms) for item in archive.inspections],
        "penalties": [_penalty(penalty, terms) for penalty in archive.penalties],
        "list_entries": [_list_entry(entry, terms) for entry in archive.list_entries],
    }
    body["reviews"] = review_summary(merchant)
    rating = Result.objects.latest_published_for(merchant)
    body["rating"] = rating.public_dict() if rating else None
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


class _Echo:
    """A file-like object whose write returns the line, for streaming csv.writer output."""

    def write(self, value):
        return value


def _csv_cell(value):
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return "" if value is None else value


def _csv_lines(rounds):
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(CSV_COLUMNS)  # the BOM makes spreadsheets read UTF-8
    for round_ in rounds:
        for row in public_rows(round_):
            yield writer.writerow([_csv_cell(row[name]) for name in CSV_COLUMNS])


@csrf_exempt  # read-only: an unsafe method gets 405, not a CSRF refusal
@require_safe
@cache_control(public=True, max_age=300)
def precinct_ratings(request, slug, year):
    """GET /api/v1/precincts/<slug>/ratings/<year>[?format=csv]: the published round(s)."""
    if not (year.isascii() and year.isdigit() and len(year) <= 4):
        detail = _("No rating of this precinct is published for this year.")
        return JsonResponse({"error": "not_published", "detail": detail}, status=404)
    year = int(year)
    wanted = request.GET.get("format", "json")
    if wanted not in ("json", "csv"):
        detail = _("Ask for format=json or format=csv.")
        return JsonResponse({"error": "bad_format", "detail": detail}, status=400)
    precinct = Precinct.objects.filter(slug=slug).first()
    if precinct is None:
        detail = _("No precinct has this slug.")
        return JsonResponse({"error": "not_found", "detail": detail}, status=404)
    rounds = list(Round.objects.published_for_precinct(precinct, year))
    if not rounds:
        detail = _("No rating of this precinct is published for this year.")
        return JsonResponse({"error": "not_published", "detail": detail}, status=404)
    if wanted == "csv":
        response = StreamingHttpResponse(_csv_lines(rounds), content_type="text/csv; charset=utf-8")
        filename = f"{precinct.slug}-ratings-{year}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    body = {
        "precinct": {
            "slug": precinct.slug,
            "name_zh": precinct.name_zh,
            "name_en": precinct.name_en,
        },
        "year": year,
        "rounds": [
            {**round_summary(round_), "results": list(public_rows(round_))} for round_ in rounds
        ],
    }
    return JsonResponse(body, encoder=DjangoJSONEncoder, json_dumps_params={"ensure_ascii": False})


@functools.cache
def _openapi_bytes():
    return Path(__file__).with_name("openapi.json").read_bytes()


@csrf_exempt
@require_safe
@cache_control(public=True, max_age=3600)
def openapi_document(request):
    """GET /api/v1/openapi.json: the contract above, checked against a live server by the suite."""
    return HttpResponse(_openapi_bytes(), content_type="application/json")
