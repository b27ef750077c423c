"""The demo's star ratings: the three sample schemes, scored, vetoed, run and published.

Called by ``load_demo`` (in cms) after the archive demo. The samples are
loaded for the current year with today as the rating day, so the archive's
dated records fall in the year as they do in the archive demo; the two
association schemes also get last year's published round to compare with. Scores are
drawn from one seeded random.Random over members in code order: every load
scores the same members the same way. Scores and vetoes are written in bulk,
each with its create audit entry (source "demo"), then each round is run and
published through the same code as ``run_ratings --publish``.
"""

import datetime
import decimal
import pathlib
import random

import yaml
from django.db import transaction

from merchants import dates
from merchants.audit import AuditEntry, Change, acting_as

from . import computation
from .definitions import Definition
from .rounds import Round
from .schemes import AssociationVeto, Scheme, Score

SEED = 20261231
SOURCE = "demo"
SAMPLES = pathlib.Path(__file__).resolve().parent.parent / "samples" / "schemes"
SAMPLE_YEAR = 2026
# sample file, share of members the association scored
SCHEMES = (
    ("yide-road-2026.yaml", 0.92),
    ("beijing-road-2026.yaml", 0.95),
    ("yuexiu-credit-grade-2026.yaml", 0.3),
)
# How well a scored member did: full marks, good, fair, poor (share of each item's maximum).
TIERS = ((1.0, 0.22), (0.9, 0.38), (0.78, 0.28), (0.6, 0.12))
VETOES = {
    "yide-road": (
        ("quality_safety", "抽检发现霉变干货仍在销售", "市场监管所抽检报告及现场照片"),
        ("media", "以次充好、缺斤少两被电视台曝光", "广州电视台新闻报道截图"),
        ("serious_violation", "销售无合法来源的海产品", "商会调查记录及进货单据"),
    ),
    "beijing-road": (("media", "强迫游客购物被媒体报道", "羊城晚报报道及游客投诉记录"),),
}


def definition_for(filename, today):
    """A sample scheme moved to ``today``'s year, rated as of ``today``."""
    return _moved(filename, today, today)


def _moved(filename, today, rating_day):
    data = yaml.safe_load((SAMPLES / filename).read_text(encoding="utf-8"))
    year = str(today.year)
    data["slug"] = data["slug"].replace(str(SAMPLE_YEAR), year)
    data["name_zh"] = data["name_zh"].replace(str(SAMPLE_YEAR), year)
    data["name_en"] = data["name_en"].replace(str(SAMPLE_YEAR), year)
    data["year"] = today.year
    data["rating_day"] = rating_day.isoformat()
    return Definition.from_data(data)


def _points(rng, indicator, tier):
    """An entered score for a member of ``tier``; deductions only for weaker members."""
    low, high = indicator.minimum, indicator.maximum
    if high <= 0:  # a deduction item: most members have none
        if tier >= 0.9 or rng.random() < 0.8:
            return None
        share = decimal.Decimal(rng.choice((25, 50, 100))) / 100
        return (low * share).quantize(decimal.Decimal("0.01"))
    share = tier if tier == 1.0 else min(1.0, max(0.0, rng.gauss(tier, 0.08)))
    points = decimal.Decimal(str(round(float(high) * share * 2) / 2))
    return max(low, min(high, points))


def load(today=None):
    """Load, score, run and publish the sample schemes; returns {scheme slug: Round}.

    The two association schemes also get last year's round (rated on 31
    December), so this year's shows members moving up and down.
    """
    today = today or dates.today()
    rng = random.Random(SEED)  # noqa: S311  fictional data, not a secret
    last_year_end = datetime.date(today.year - 1, 12, 31)
    rounds = {}
    with acting_as(None, SOURCE):
        for filename, scored_share in SCHEMES[:2]:
            round_ = _publish(_moved(filename, last_year_end, last_year_end), rng, scored_share)
            rounds[round_.scheme.slug] = round_
        for filename, scored_share in SCHEMES:
            round_ = _publish(definition_for(filename, today), rng, scored_share)
            rounds[round_.scheme.slug] = round_
    return rounds


def _publish(definition, rng, scored_share):
    with transaction.atomic():
        scheme, _created = Scheme.objects.load(definition)
        _score(scheme, definition, rng, scored_share)
        _veto(scheme, rng, definition.rating_day)
    round_ = Round(scheme=scheme)
    round_.save()
    computation.run(round_)
    round_.publish()
    return round_


def _score(scheme, definition, rng, scored_share):
    scores = []
    members = scheme.members().order_by("code").values_list("pk", flat=True)
    for merchant_id in members:
        if rng.random() >= scored_share:
            continue  # not scored: "not rated" where the scheme needs entries
        tier = rng.choices([share for share, _w in TIERS], [weight for _s, weight in TIERS])[0]
        for indicator in definition.entered_indicators:
            points = _points(rng, indicator, tier)
            if points is None:
                continue
            scores.append(
                Score(
                    scheme=scheme,
                    merchant_id=merchant_id,
                    indicator=indicator.key,
                    points=points,
                    evidence="商会年度现场评审记录",
                )
            )
    for start in range(0, len(scores), 2000):
        batch = Score.objects.bulk_create(scores[start : start + 2000])
        AuditEntry.objects.record_many(Change.created(score) for score in batch)


def _veto(scheme, rng, today):
    reasons = VETOES.get(scheme.precinct.slug, ())
    if not reasons:
        return
    members = list(scheme.members().order_by("code").values_list("pk", flat=True))
    chosen = rng.sample(members, min(len(reasons), len(members)))
    for merchant_id, (kind, reason, evidence) in zip(chosen, reasons, strict=False):
        day = today.replace(month=1, day=1) + (today - today.replace(month=1, day=1)) * rng.random()
        AssociationVeto(
            scheme=scheme,
            merchant_id=merchant_id,
            kind=kind,
            decided_on=day,
            reason=reason,
            evidence=evidence,
        ).save()
