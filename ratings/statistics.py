"""What a precinct's published ratings add up to: levels, averages, the best, the movers.

A precinct page shows, for the latest year with a published round covering
its members, each round's distribution of levels, the average stars and the
share of 4- and 5-star members, the top-rated members and those who moved up
since the year before; a district page also ranks its streets and markets.
Everything comes from grouped queries whose number does not depend on how
many members the precinct has (it grows only with the number of schemes).
"""

from dataclasses import dataclass, field

from django.db.models import Avg, Count, F, OuterRef, Q, Subquery

from .definitions import Status
from .rounds import Result, Round

TOP = 5
MOVERS = 5


@dataclass
class Bar:
    """One level of the distribution: its name, stars, members and share of the rated."""

    level: object
    members: int
    percent: int = 0


@dataclass
class RoundStatistics:
    round: object
    bars: list
    rated: int
    not_rated: int
    vetoed: int
    average_stars: float | None
    top_share: int | None
    average_points: float | None
    top: list = field(default_factory=list)
    movers: list = field(default_factory=list)

    @property
    def members(self):
        return self.rated + self.not_rated + self.vetoed

    @property
    def uses_stars(self):
        return any(bar.level.stars for bar in self.bars)

    @property
    def chart_height(self):
        """Height of the bar chart: 30 units per level."""
        return 30 * len(self.bars) + 4

    @property
    def largest(self):
        return max((bar.members for bar in self.bars), default=0)


def latest_rounds(precinct_ids):
    """The published rounds of the latest year that rated members of these precincts."""
    rounds = list(
        Round.objects.published()
        .filter(pk__in=Result.objects.filter(merchant__precinct__in=precinct_ids).values("round"))
        .select_related("scheme")
        .order_by("-scheme__year", "scheme__slug")
    )
    if not rounds:
        return []
    year = rounds[0].scheme.year
    return [round_ for round_ in rounds if round_.scheme.year == year]


def for_precincts(precinct_ids):
    """[RoundStatistics] of the latest year's published rounds, restricted to these precincts."""
    rounds = latest_rounds(precinct_ids)
    if not rounds:
        return []
    results = Result.objects.filter(round__in=rounds, merchant__precinct__in=precinct_ids)
    counts = {}
    for round_id, status, level, n in results.values_list("round", "status", "level").annotate(
        n=Count("pk")
    ):
        counts.setdefault(round_id, []).append((status, level, n))
    rated = Q(status=Status.RATED)
    figures = {
        row["round"]: row
        for row in results.values("round").annotate(
            mean_stars=Avg("stars", filter=rated),
            mean_points=Avg("points", filter=rated),
            top_n=Count("pk", filter=rated & Q(stars__gte=4)),
            rated_n=Count("pk", filter=rated),
        )
    }
    found = []
    for round_ in rounds:
        rules = round_.rules
        by_level, tally = {}, {Status.RATED: 0, Status.NOT_RATED: 0, Status.VETOED: 0}
        for status, level, n in counts.get(round_.pk, []):
            tally[status] = tally.get(status, 0) + n
            if status == Status.RATED and level:
                by_level[level] = by_level.get(level, 0) + n
        bars = [Bar(level, by_level.get(level.key, 0)) for level in rules.levels]
        for bar in bars:
            bar.percent = (
                round(100 * bar.members / tally[Status.RATED]) if tally[Status.RATED] else 0
            )
        row = figures.get(round_.pk, {})
        uses_stars = any(level.stars for level in rules.levels)
        found.append(
            RoundStatistics(
                round=round_,
                bars=bars,
                rated=tally[Status.RATED],
                not_rated=tally[Status.NOT_RATED],
                vetoed=tally[Status.VETOED],
                average_stars=round(row["mean_stars"], 1)
                if uses_stars and row.get("mean_stars")
                else None,
                top_share=round(100 * row["top_n"] / row["rated_n"])
                if uses_stars and row.get("rated_n")
                else None,
                average_points=round(row["mean_points"], 1)
                if row.get("mean_points") is not None
                else None,
                top=_top(round_, precinct_ids),
                movers=_movers(round_, precinct_ids),
            )
        )
    return found


def _top(round_, precinct_ids):
    results = (
        round_.results.filter(status=Status.RATED, merchant__precinct__in=precinct_ids)
        .select_related("merchant__precinct")
        .order_by("level_rank", "-points", "merchant__code")[:TOP]
    )
    return _sharing_round(results, round_)


def _movers(round_, precinct_ids):
    """Members whose level rose since the scheme's precinct's previous year's published round."""
    previous = Round.objects.published().filter(
        scheme__precinct=round_.scheme.precinct_id, scheme__year=round_.scheme.year - 1
    )
    before = Result.objects.filter(
        round__in=previous.values("pk"),
        merchant=OuterRef("merchant"),
        status=Status.RATED,
    ).values("level_rank")[:1]
    results = (
        round_.results.filter(status=Status.RATED, merchant__precinct__in=precinct_ids)
        .annotate(rank_before=Subquery(before))
        .filter(rank_before__gt=F("level_rank"))
        .select_related("merchant__precinct")
        .order_by(F("level_rank") - F("rank_before"), "merchant__code")[:MOVERS]
    )
    found = _sharing_round(results, round_)
    for result in found:
        result.level_before = round_.rules.levels[result.rank_before]
    return found


def _sharing_round(results, round_):
    found = list(results)
    for result in found:
        result.round = round_  # share the parsed scheme
    return found


def by_precinct(precinct_ids):
    """{precinct id: (rated members, average stars)} in the latest year's published rounds."""
    rounds = latest_rounds(precinct_ids)
    rows = (
        Result.objects.filter(
            round__in=rounds, merchant__precinct__in=precinct_ids, status=Status.RATED
        )
        .values("merchant__precinct")
        .annotate(rated_n=Count("pk"), mean_stars=Avg("stars"))
    )
    return {row["merchant__precinct"]: (row["rated_n"], row["mean_stars"]) for row in rows}
