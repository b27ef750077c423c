"""Computing a round: every member's result from a fixed number of grouped queries.

The inputs are read as three ordered streams merged on the merchant id (the
members, their entered scores pivoted to one row each, their review sums
pivoted likewise) plus the sparse archive measures of ``ratings.measures``.
Results go to a spooled temporary file and into the table in one ``COPY``
on PostgreSQL (batched inserts on the SQLite demo), so neither the number of
queries nor the memory held grows with the number of scores or reviews.
"""

import datetime
import decimal
import json
import tempfile

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .rounds import Result, Round
from .schemes import Score

STREAM_CHUNK = 5000
INSERT_BATCH = 2000
PROGRESS_STEPS = 13  # 1 archive, 10 while rating, 1 writing, 1 done
SPOOL_BYTES = 32 * 1024 * 1024
COLUMNS = (
    "round_id",
    "merchant_id",
    "status",
    "points",
    "level",
    "level_rank",
    "stars",
    "aspects",
    "indicators",
    "inputs",
    "cap",
    "veto",
    "vetoed_on",
)


def _raw_rows(queryset):
    """The rows of ``queryset`` as the database driver returns them, fetched in chunks.

    A server-side cursor on PostgreSQL; Django's per-value converters are
    skipped (they cost more than the rating itself), so callers take numbers
    as the driver gives them (Decimal, or float on SQLite).
    """
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(STREAM_CHUNK):
            yield from rows


def _decimal(value):
    if value is None or isinstance(value, decimal.Decimal):
        return value
    return decimal.Decimal(str(value))


def _merge(stream, width):
    """A function giving the row of ``stream`` for ascending merchant ids, or None."""
    iterator = iter(stream)
    pending = [next(iterator, None)]

    def row_for(merchant_id):
        row = pending[0]
        while row is not None and row[0] < merchant_id:
            row = next(iterator, None)
        pending[0] = row
        if row is not None and row[0] == merchant_id:
            return row[1 : width + 1]
        return None

    return row_for


def _day_bounds(start, day):
    zone = timezone.get_default_timezone()
    begin = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    return begin, end


def score_stream(scheme, members, keys):
    """(merchant id, points of each entered indicator or None), ordered by merchant."""
    pivot = {f"i{n}": Max("points", filter=Q(indicator=key)) for n, key in enumerate(keys)}
    return (
        Score.objects.filter(scheme=scheme, merchant__in=members.values("pk"))
        .values("merchant_id")
        .annotate(**pivot)
        .order_by("merchant_id")
        .values_list("merchant_id", *pivot)
    )


def review_stream(members, fields, start, day):
    """(merchant id, count and sum of stars per field), published reviews of the period."""
    from .models import Review

    begin, end = _day_bounds(start, day)
    sums = {}
    for name in fields:
        sums[f"n_{name}"] = Count(name)
        sums[f"s_{name}"] = Sum(name)
    return (
        Review.objects.published()
        .filter(
            merchant__in=members.values("pk"),
            placard__isnull=False,  # scan-verified: written after scanning a placard
            created_at__gte=begin,
            created_at__lt=end,
        )
        .values("merchant_id")
        .annotate(**sums)
        .order_by("merchant_id")
        .values_list("merchant_id", *sums)
    )


def _number(value):
    return None if value is None else float(value)


def _json(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def result_row(round_id, merchant_id, rules, entered, reviews, measures, details):
    weight, prior = settings.REVIEW_PRIOR_WEIGHT, settings.REVIEW_PRIOR_MEAN
    rating = rules.rate(entered, reviews, measures, weight, prior, details)
    used = {name: count for name, (count, _total) in reviews.items()}
    inputs = {
        "entered": {key: str(value) for key, value in entered.items()},
        "reviews": {name: [count, total] for name, (count, total) in reviews.items()},
        "measures": measures,
        "reviews_used": max(used.values(), default=0),
    }
    level = rating.level
    return (
        round_id,
        merchant_id,
        rating.status,
        rating.points,
        level.key if level else "",
        rating.level_rank,
        level.stars if level else None,
        {key: _number(value) for key, value in rating.aspects.items()},
        {key: _number(value) for key, value in rating.indicators.items()},
        inputs,
        rating.cap,
        rating.veto,
        (rating.veto or {}).get("on"),
    )


def _copy_field(value):
    """One value in COPY's text format: \\N for NULL, JSON for dicts, specials escaped."""
    if value is None:
        return "\\N"
    text = _json(value) if isinstance(value, dict) else str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
        text = text.replace("\r", "\\r")
    return text


def _copy_line(values):
    return "\t".join([_copy_field(value) for value in values]) + "\n"


def compute(round_, progress=None):
    """Rate every member of the round's scheme; replaces the unpublished results. Returns count."""
    from . import measures as archive

    scheme = round_.scheme
    rules = scheme.rules
    members = scheme.members()
    start, day = rules.period

    def step(n, label):
        round_.record_progress(n, PROGRESS_STEPS, label)
        if progress is not None:
            progress(n, PROGRESS_STEPS, label)

    step(0, _("Reading the archive"))
    measures, details = archive.gather(scheme.pk, members, rules)
    total = members.count()
    step(1, _("Rating members"))

    keys = [indicator.key for indicator in rules.entered_indicators]
    fields = rules.review_fields_used
    scores_for = _merge(_raw_rows(score_stream(scheme, members, keys)), len(keys))
    reviews_for = _merge(_raw_rows(review_stream(members, fields, start, day)), 2 * len(fields))
    # Progress at each tenth of the members: nine updates, however many members there are.
    tenths = [-(-total * k // 10) for k in range(1, 10)]
    rated = 0
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES, mode="w+", encoding="utf-8") as spool:
        member_ids = members.order_by("pk").values_list("pk", flat=True)
        for merchant_id in member_ids.iterator(chunk_size=STREAM_CHUNK):
            row = scores_for(merchant_id) or ()
            entered = {
                key: _decimal(points)
                for key, points in zip(keys, row, strict=False)
                if points is not None
            }
            sums = reviews_for(merchant_id)
            reviews = {}
            if sums:
                for n, name in enumerate(fields):
                    reviews[name] = (sums[2 * n], int(sums[2 * n + 1] or 0))
            values = result_row(
                round_.pk,
                merchant_id,
                rules,
                entered,
                reviews,
                measures.get(merchant_id, {}),
                details.get(merchant_id),
            )
            spool.write(_copy_line(values))
            rated += 1
            while tenths and tenths[0] <= rated:
                step(11 - len(tenths), _("Rating members"))
                tenths.pop(0)
        for _tenth in tenths:  # members left the precinct since they were counted
            step(2, _("Rating members"))
        step(11, _("Writing results"))
        spool.seek(0)
        with transaction.atomic():
            Result.objects.filter(round=round_).discard_unpublished()
            _write(spool)
    return rated


def _write(spool):
    table = Result._meta.db_table
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            sql = f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                while chunk := spool.read(1 << 20):
                    copy.write(chunk)
        return
    batch = []
    for line in spool:
        batch.append(_result_from_line(line))
        if len(batch) >= INSERT_BATCH:
            Result.objects.bulk_create(batch)
            batch = []
    if batch:
        Result.objects.bulk_create(batch)


def _unescape(text):
    if text == "\\N":
        return None
    out, chars = [], iter(text)
    for char in chars:
        if char == "\\":
            following = next(chars, "")
            out.append({"t": "\t", "n": "\n", "r": "\r"}.get(following, following))
        else:
            out.append(char)
    return "".join(out)


def _result_from_line(line):
    values = dict(
        zip(COLUMNS, (_unescape(part) for part in line.rstrip("\n").split("\t")), strict=True)
    )
    for name in ("aspects", "indicators", "inputs", "cap", "veto"):
        if values[name] is not None:
            values[name] = json.loads(values[name])
    for name in ("aspects", "indicators", "inputs"):
        values[name] = values[name] or {}
    return Result(**values)


def run(round_, user=None, progress=None):
    """Claim, compute and record one round; a failure is recorded on the round and re-raised."""
    if not round_.claim():
        raise RoundBusy(_("This round is running, or published, and cannot be run now."))
    try:
        count = compute(round_, progress)
    except Exception as error:
        Round.objects.filter(pk=round_.pk).update(
            status=Round.Status.FAILED, error=f"{type(error).__name__}: {error}"[:2000]
        )
        raise
    rules = round_.scheme.rules
    round_.status = Round.Status.COMPUTED
    round_.definition = rules.raw
    round_.scheme_version = round_.scheme.version
    round_.rating_day = rules.rating_day
    round_.members = count
    round_.computed_at = timezone.now()
    round_.requested_by = user or round_.requested_by
    round_.progress_step = round_.progress_steps = PROGRESS_STEPS
    round_.progress_label = str(_("Done"))
    round_.save(audit_reason=str(_("Computed %(count)d results.") % {"count": count}))
    round_.rules = rules
    return count


class RoundBusy(Exception):
    """The round cannot be claimed: it is running elsewhere, or frozen."""
