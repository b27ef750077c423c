"""What a precinct's published ratings add up to: levels, averages, the best, the movers.

A precinct page shows, for the latest year with a published round covering
its members, each round's distribution of levels, the average stars and the
share of 4- and 5-star members, the top-rated members and those who moved up
since the year before; a district page also ranks its streets and markets.
Everything comes from grouped queries whose number does not depend on how
many members the precinct has (it grows only with the number of schemes).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, FilteredRelation, Q, Sum

from merchants.models import Merchant

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
    def label_width(self):
        """Room for the level names beside the bars: "A (trustworthy)" needs more than "5 stars"."""
        longest = max(
            (
                max(len(bar.level.name_en or ""), 2 * len(bar.level.name_zh or ""))
                for bar in self.bars
            ),
            default=0,
        )
        return max(80, min(150, 10 + 7 * longest))

    @property
    def bar_room(self):
        """The longest bar, leaving room for its number on a 320-wide chart."""
        return 320 - self.label_width - 44

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


#: What a list of members (the top rated, the movers) shows; not the breakdown's JSON.
LISTED = (
    "round_id",
    "merchant_id",
    "status",
    "points",
    "level",
    "level_rank",
    "stars",
    "merchant__code",
    "merchant__name_zh",
    "merchant__name_en",
    "merchant__stall",
    "merchant__precinct_id",
)


class Tally:
    """Members of the rounds per round, precinct, status, level and stars: one grouped query.

    The statistics of a page and its ranking both add these rows up, so the
    members' results are read once.
    """

    def __init__(self, rounds, precinct_ids):
        self.rows = (
            list(
                Result.objects.filter(round__in=rounds, merchant__precinct__in=precinct_ids)
                .order_by()
                .values_list("round", "merchant__precinct", "status", "level", "stars")
                .annotate(n=Count("pk"), points=Sum("points"))
            )
            if rounds
            else []
        )


def for_precincts(precinct_ids, rounds=None, tally=None):
    """[RoundStatistics] of the latest year's published rounds, restricted to these precincts.

    ``rounds``: ``latest_rounds(precinct_ids)`` and ``tally``: their ``Tally``,
    when the caller has them already.
    """
    rounds = latest_rounds(precinct_ids) if rounds is None else rounds
    if not rounds:
        return []
    tally = tally or Tally(rounds, precinct_ids)
    counts, figures = {}, {}
    for round_id, _precinct, status, level, stars, n, points in tally.rows:
        counts.setdefault(round_id, []).append((status, level, n))
        if status != Status.RATED:
            continue
        row = figures.setdefault(
            round_id, {"rated_n": 0, "top_n": 0, "stars": [0, 0], "points": [Decimal(0), 0]}
        )
        row["rated_n"] += n
        if stars is not None:
            row["stars"][0] += stars * n
            row["stars"][1] += n
            row["top_n"] += n if stars >= 4 else 0
        if points is not None:
            row["points"][0] += points
            row["points"][1] += n
    for row in figures.values():
        total, n = row.pop("stars")
        row["mean_stars"] = total / n if n else None
        total, n = row.pop("points")
        row["mean_points"] = total / n if n else None
    previous = _previous_rounds(rounds)
    found = []
    for round_ in rounds:
        rules = round_.rules
        by_level, by_status = {}, {Status.RATED: 0, Status.NOT_RATED: 0, Status.VETOED: 0}
        for status, level, n in counts.get(round_.pk, []):
            by_status[status] = by_status.get(status, 0) + n
            if status == Status.RATED and level:
                by_level[level] = by_level.get(level, 0) + n
        bars = [Bar(level, by_level.get(level.key, 0)) for level in rules.levels]
        for bar in bars:
            bar.percent = (
                round(100 * bar.members / by_status[Status.RATED]) if by_status[Status.RATED] else 0
            )
        row = figures.get(round_.pk, {})
        uses_stars = any(level.stars for level in rules.levels)
        found.append(
            RoundStatistics(
                round=round_,
                bars=bars,
                rated=by_status[Status.RATED],
                not_rated=by_status[Status.NOT_RATED],
                vetoed=by_status[Status.VETOED],
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
                movers=_movers(round_, precinct_ids, previous.get(round_.pk, [])),
            )
        )
    return found


def _top(round_, precinct_ids):
    results = (
        round_.results.filter(status=Status.RATED, merchant__precinct__in=precinct_ids)
        .select_related("merchant")
        .only(*LISTED)
        .order_by("level_rank", "-points", "merchant__code")[:TOP]
    )
    return _sharing_round(results, round_)


def _previous_rounds(rounds):
    """{round id: [ids of the published rounds of its scheme's precinct a year earlier]}.

    One query for all the rounds, none when there is nothing to compare.
    """
    if not rounds:
        return {}
    years = {round_.scheme.year - 1 for round_ in rounds}
    precincts = {round_.scheme.precinct_id for round_ in rounds}
    earlier = {}
    for pk, precinct, year in (
        Round.objects.published()
        .filter(scheme__precinct__in=precincts, scheme__year__in=years)
        .values_list("pk", "scheme__precinct", "scheme__year")
    ):
        earlier.setdefault((precinct, year), []).append(pk)
    return {
        round_.pk: earlier.get((round_.scheme.precinct_id, round_.scheme.year - 1), [])
        for round_ in rounds
    }


def _movers(round_, precinct_ids, previous):
    """Members whose level rose since the scheme's precinct's previous year's published round."""
    if not previous:
        return []
    # A join on the member's earlier result, not a subquery per member.
    results = (
        round_.results.filter(status=Status.RATED, merchant__precinct__in=precinct_ids)
        .annotate(
            earlier=FilteredRelation(
                "merchant__rating_results",
                condition=Q(
                    merchant__rating_results__round__in=previous,
                    merchant__rating_results__status=Status.RATED,
                ),
            ),
            rank_before=F("earlier__level_rank"),
        )
        .filter(rank_before__gt=F("level_rank"))
        .select_related("merchant")
        .only(*LISTED)
        .order_by(F("level_rank") - F("rank_before"), "merchant__code")[: 2 * MOVERS]
    )
    # Two schemes of that year over the same precinct: the member's first earlier result.
    once = {}
    for result in results:
        once.setdefault(result.merchant_id, result)
    found = _sharing_round(list(once.values())[:MOVERS], round_)
    for result in found:
        result.level_before = round_.rules.levels[result.rank_before]
    return found


def _sharing_round(results, round_):
    found = list(results)
    for result in found:
        result.round = round_  # share the parsed scheme
    return found


def by_precinct(precinct_ids, rounds=None, tally=None):
    """{precinct id: (rated members, average stars)} in the latest year's published rounds."""
    rounds = latest_rounds(precinct_ids) if rounds is None else rounds
    if not rounds:
        return {}
    tally = tally or Tally(rounds, precinct_ids)
    sums = {}
    for _round, precinct_id, status, _level, stars, n, _points in tally.rows:
        if status != Status.RATED:
            continue
        row = sums.setdefault(precinct_id, [0, 0, 0])
        row[0] += n
        if stars is not None:
            row[1] += stars * n
            row[2] += n
    return {
        precinct_id: (rated, total / starred if starred else None)
        for precinct_id, (rated, total, starred) in sums.items()
    }


@dataclass
class RankingRow:
    precinct: object
    members: int
    average_stars: float | None
    penalised_percent: int


def ranking(tree, ranked, precinct_ids, rounds=None, day=None, tally=None):
    """[RankingRow] of the precincts ``ranked``, best first: average stars, then fewest penalised.

    ``tree`` is a ``merchants.models.PrecinctTree``; every member of
    ``precinct_ids`` counts for the nearest of ``ranked`` at or above its own
    precinct (a market's stalls for the market, a district's for the
    district). The share penalised is of all members, rated or not. Two
    grouped queries, whatever the number of members.
    """
    ranked = set(ranked)
    if not ranked:
        return []
    totals = {}
    for precinct_id, (members, penalised) in (
        Merchant.objects.filter(precinct__in=precinct_ids).penalised_counts(day).items()
    ):
        top = tree.nearest(precinct_id, ranked)
        if top is not None:
            row = totals.setdefault(top, [0, 0, 0, 0.0])
            row[0] += members
            row[1] += penalised
    for precinct_id, (rated, stars) in by_precinct(precinct_ids, rounds, tally).items():
        top = tree.nearest(precinct_id, ranked)
        if top is not None and stars is not None:
            row = totals.setdefault(top, [0, 0, 0, 0.0])
            row[2] += rated
            row[3] += stars * rated
    rows = [
        RankingRow(
            precinct=tree.precincts[pk],
            members=members,
            average_stars=round(star_sum / rated, 2) if rated else None,
            penalised_percent=round(100 * penalised / members) if members else 0,
        )
        for pk, (members, penalised, rated, star_sum) in totals.items()
    ]
    rows.sort(key=lambda row: (-(row.average_stars or 0), row.penalised_percent))
    return rows
