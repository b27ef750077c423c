"""A rating scheme's rules as data: parsed from YAML or JSON, checked, and applied to one merchant.

The same definition is read by ``load_scheme``, the scheme admin and a rating
round (which keeps a copy of it with its results), so a number in a scheme is
never in code. ``Definition.rate()`` is pure: it turns one merchant's inputs
(entered points, review sums, archive measures) into a ``Rating``; the round
gathers those inputs for every merchant in a few grouped queries.
The format is documented in docs/ratings.md.
"""

import datetime
import decimal
import itertools
import json
from dataclasses import dataclass, field

import yaml
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

CENT = decimal.Decimal("0.01")
STAR_RANGE = (1, 5)


class Source:
    ENTERED = "entered"
    REVIEWS = "reviews"
    ARCHIVE = "archive"
    ALL = (ENTERED, REVIEWS, ARCHIVE)


#: What the archive (and the association's vetoes) says of a merchant in the
#: scheme's year, counted by grouped queries in ``ratings.measures``.
MEASURES = {
    "licence_valid": _("every licence valid on the rating day (1) or not (0)"),
    "licences_invalid": _("licences expired, suspended or revoked on the rating day"),
    "inspections_passed": _("inspections passed in the year"),
    "inspections_rectify": _("inspections in the year that required rectification"),
    "inspections_failed": _("inspections failed in the year"),
    "penalties": _("penalties decided in the year, public or not"),
    "public_penalties": _("public penalties decided in the year"),
    "serious_penalties": _("serious penalties decided in the year"),
    "red_list": _("red-list entries in force on the rating day"),
    "black_list": _("black-list entries in force on the rating day"),
    "association_vetoes": _("vetoes entered by the association"),
}

#: Review fields a ``reviews`` indicator may read.
REVIEW_FIELDS = (
    "overall",
    "product_quality",
    "service_attitude",
    "honest_pricing",
    "explanation",
    "hygiene",
)


def localized_name(item):
    """``name_zh`` when the active language is Chinese, else ``name_en`` (or ``name_zh``)."""
    language = translation.get_language() or ""
    if language.startswith("zh") or not item.name_en:
        return item.name_zh
    return item.name_en


def to_points(value, where):
    """A number of points as a Decimal to the cent; a clear error otherwise."""
    if isinstance(value, bool) or value is None:
        raise ValidationError(_("%(where)s: a number is needed.") % {"where": where})
    try:
        number = decimal.Decimal(str(value))
    except decimal.InvalidOperation:
        raise ValidationError(
            _("%(where)s: “%(value)s” is not a number.") % {"where": where, "value": value}
        ) from None
    if not number.is_finite():
        raise ValidationError(_("%(where)s: a number is needed.") % {"where": where})
    return number.quantize(CENT, rounding=decimal.ROUND_HALF_UP)


@dataclass(frozen=True)
class Indicator:
    key: str
    name_zh: str
    name_en: str
    source: str
    maximum: decimal.Decimal
    minimum: decimal.Decimal = decimal.Decimal("0.00")
    measure: str = ""
    each: decimal.Decimal = decimal.Decimal("0.00")
    start: decimal.Decimal | None = None
    review_field: str = "overall"

    @property
    def is_entered(self):
        return self.source == Source.ENTERED

    def entry_problem(self, points):
        """Why ``points`` cannot be entered for this indicator, or None."""
        if not self.minimum <= points <= self.maximum:
            return _("%(indicator)s takes %(min)s to %(max)s points, not %(points)s.") % {
                "indicator": self.key,
                "min": self.minimum,
                "max": self.maximum,
                "points": points,
            }
        return None

    def clamp(self, points):
        return min(max(points, self.minimum), self.maximum)

    def from_archive(self, value):
        """start + each × measure, within [minimum, maximum]."""
        start = self.start
        if start is None:
            start = self.maximum if self.each < 0 else self.minimum
        return self.clamp(start + self.each * value)

    def from_reviews(self, count, total, prior_weight, prior_mean):
        """The shrunk mean of the reviews mapped from 1–5 stars onto [minimum, maximum].

        shrunk = (w·m + Σ stars) / (w + n); points = min + (max − min)·(shrunk − 1)/4.
        With no reviews the shrunk mean is the prior m itself.
        """
        shrunk = (decimal.Decimal(prior_weight) * decimal.Decimal(str(prior_mean)) + total) / (
            decimal.Decimal(prior_weight) + count
        )
        share = (shrunk - 1) / 4
        points = self.minimum + (self.maximum - self.minimum) * share
        return self.clamp(points.quantize(CENT, rounding=decimal.ROUND_HALF_UP))


@dataclass(frozen=True)
class Aspect:
    key: str
    name_zh: str
    name_en: str
    indicators: tuple
    maximum: decimal.Decimal | None = None
    minimum: decimal.Decimal | None = None

    @property
    def ceiling(self):
        """The most this aspect can add: its cap, else the sum of its indicators' maxima."""
        total = sum((indicator.maximum for indicator in self.indicators), decimal.Decimal(0))
        return total if self.maximum is None else min(total, self.maximum)

    def clamp(self, points):
        if self.maximum is not None:
            points = min(points, self.maximum)
        if self.minimum is not None:
            points = max(points, self.minimum)
        return points


@dataclass(frozen=True)
class Level:
    key: str
    name_zh: str
    name_en: str
    minimum: decimal.Decimal | None
    stars: int | None = None


@dataclass(frozen=True)
class Rule:
    """A cap or a veto: applies when ``measure`` reaches ``at_least``."""

    measure: str
    at_least: int = 1
    level: str | None = None

    def applies(self, measures):
        return measures.get(self.measure, 0) >= self.at_least


@dataclass
class Rating:
    """One merchant's outcome: a status, points, level and the reason for a cap or veto."""

    status: str
    points: decimal.Decimal | None = None
    level: Level | None = None
    level_rank: int | None = None
    indicators: dict = field(default_factory=dict)
    aspects: dict = field(default_factory=dict)
    cap: dict | None = None
    veto: dict | None = None


class Status:
    RATED = "rated"
    NOT_RATED = "not_rated"
    VETOED = "vetoed"


def _text(spec, key, where, required=True):
    value = spec.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str | int):
        raise ValidationError(
            _("%(where)s: “%(key)s” must be text.") % {"where": where, "key": key}
        )
    value = str(value).strip()
    if required and not value:
        raise ValidationError(_("%(where)s: “%(key)s” is missing.") % {"where": where, "key": key})
    return value


def _mapping(spec, where):
    if not isinstance(spec, dict):
        raise ValidationError(
            _("%(where)s must be a mapping of keys to values.") % {"where": where}
        )
    return spec


def _list(spec, key, where, required=True):
    value = spec.get(key) or []
    if not isinstance(value, list) or (required and not value):
        raise ValidationError(
            _("%(where)s: “%(key)s” must be a non-empty list.") % {"where": where, "key": key}
        )
    return value


def _optional_points(spec, key, where):
    return None if spec.get(key) is None else to_points(spec[key], f"{where}.{key}")


@dataclass(frozen=True)
class Definition:
    """A whole scheme: who and what it covers, its aspects, levels, caps and vetoes."""

    slug: str
    name_zh: str
    name_en: str
    year: int
    precinct: str
    association: str
    base: decimal.Decimal
    aspects: tuple
    levels: tuple
    caps: tuple
    vetoes: tuple
    rate_without_entries: bool
    rating_day: datetime.date
    raw: dict
    # Points of review and archive indicators repeat across members: kept per input.
    _points: dict = field(default_factory=dict, compare=False, repr=False)

    # -- reading ---------------------------------------------------------------------------

    @classmethod
    def from_text(cls, text):
        """Parse YAML (JSON is YAML too); every problem is a ValidationError with a location."""
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f" (line {mark.line + 1})" if mark else ""
            raise ValidationError(
                _("The scheme is not valid YAML or JSON%(where)s.") % {"where": where}
            ) from None
        return cls.from_data(data)

    @classmethod
    def from_data(cls, data):
        data = _mapping(data, "scheme")
        # Round-trip through JSON so the copy kept with a round holds plain values only.
        try:
            raw = json.loads(json.dumps(data, default=str))
        except (TypeError, ValueError):
            raise ValidationError(_("The scheme holds values that are not plain data.")) from None
        year = data.get("year")
        if not isinstance(year, int) or not 2000 <= year <= 2100:
            raise ValidationError(_("scheme: “year” must be a year such as 2026."))
        aspects = tuple(cls._aspect(spec, n) for n, spec in enumerate(_list(data, "aspects", "")))
        keys = [ind.key for aspect in aspects for ind in aspect.indicators]
        repeated = sorted({key for key in keys if keys.count(key) > 1})
        if repeated:
            raise ValidationError(
                _("Indicator keys must be unique; repeated: %(keys)s.")
                % {"keys": ", ".join(repeated)}
            )
        aspect_keys = [aspect.key for aspect in aspects]
        if len(set(aspect_keys)) != len(aspect_keys):
            raise ValidationError(_("Aspect keys must be unique."))
        levels = tuple(cls._level(spec, n) for n, spec in enumerate(_list(data, "levels", "")))
        cls._check_levels(levels)
        level_keys = {level.key for level in levels}
        caps = tuple(
            cls._rule(spec, f"caps[{n}]", level_keys, needs_level=True)
            for n, spec in enumerate(_list(data, "caps", "", required=False))
        )
        vetoes = tuple(
            cls._rule(spec, f"vetoes[{n}]", level_keys, needs_level=False)
            for n, spec in enumerate(_list(data, "vetoes", "", required=False))
        )
        rating_day = data.get("rating_day") or datetime.date(year, 12, 31)
        if isinstance(rating_day, str):
            try:
                rating_day = datetime.date.fromisoformat(rating_day)
            except ValueError:
                raise ValidationError(
                    _("scheme: “rating_day” must be a date YYYY-MM-DD.")
                ) from None
        if not isinstance(rating_day, datetime.date) or rating_day.year != year:
            raise ValidationError(_("scheme: “rating_day” must be a day of the scheme's year."))
        return cls(
            slug=_text(data, "slug", "scheme"),
            name_zh=_text(data, "name_zh", "scheme"),
            name_en=_text(data, "name_en", "scheme", required=False),
            year=year,
            precinct=_text(data, "precinct", "scheme"),
            association=_text(data, "association", "scheme", required=False),
            base=to_points(data.get("base", 0), "scheme.base"),
            aspects=aspects,
            levels=levels,
            caps=caps,
            vetoes=vetoes,
            rate_without_entries=bool(data.get("rate_without_entries", False)),
            rating_day=rating_day,
            raw=raw,
        )

    @classmethod
    def _aspect(cls, spec, number):
        where = f"aspects[{number}]"
        spec = _mapping(spec, where)
        indicators = tuple(
            cls._indicator(item, f"{where}.indicators[{n}]")
            for n, item in enumerate(_list(spec, "indicators", where))
        )
        return Aspect(
            key=_text(spec, "key", where),
            name_zh=_text(spec, "name_zh", where),
            name_en=_text(spec, "name_en", where, required=False),
            indicators=indicators,
            maximum=_optional_points(spec, "max", where),
            minimum=_optional_points(spec, "min", where),
        )

    @classmethod
    def _indicator(cls, spec, where):
        spec = _mapping(spec, where)
        key = _text(spec, "key", where)
        where = f"{where} ({key})"
        source = spec.get("source", Source.ENTERED)
        if source not in Source.ALL:
            raise ValidationError(
                _("%(where)s: source must be one of %(choices)s.")
                % {"where": where, "choices": ", ".join(Source.ALL)}
            )
        maximum = to_points(spec.get("max"), f"{where}.max")
        minimum = to_points(spec.get("min", 0), f"{where}.min")
        if minimum > maximum:
            raise ValidationError(_("%(where)s: min is above max.") % {"where": where})
        options = {}
        if source == Source.ARCHIVE:
            measure = spec.get("measure")
            if measure not in MEASURES:
                raise ValidationError(
                    _("%(where)s: measure must be one of %(choices)s.")
                    % {"where": where, "choices": ", ".join(MEASURES)}
                )
            options = {
                "measure": measure,
                "each": to_points(spec.get("each"), f"{where}.each"),
                "start": _optional_points(spec, "start", where),
            }
        elif source == Source.REVIEWS:
            review_field = spec.get("field", "overall")
            if review_field not in REVIEW_FIELDS:
                raise ValidationError(
                    _("%(where)s: field must be one of %(choices)s.")
                    % {"where": where, "choices": ", ".join(REVIEW_FIELDS)}
                )
            options = {"review_field": review_field}
        return Indicator(
            key=key,
            name_zh=_text(spec, "name_zh", where),
            name_en=_text(spec, "name_en", where, required=False),
            source=source,
            maximum=maximum,
            minimum=minimum,
            **options,
        )

    @classmethod
    def _level(cls, spec, number):
        where = f"levels[{number}]"
        spec = _mapping(spec, where)
        stars = spec.get("stars")
        if stars is not None and (
            not isinstance(stars, int) or not STAR_RANGE[0] <= stars <= STAR_RANGE[1]
        ):
            raise ValidationError(_("%(where)s: stars must be 1 to 5.") % {"where": where})
        return Level(
            key=_text(spec, "key", where),
            name_zh=_text(spec, "name_zh", where),
            name_en=_text(spec, "name_en", where, required=False),
            minimum=_optional_points(spec, "min", where),
            stars=stars,
        )

    @staticmethod
    def _check_levels(levels):
        keys = [level.key for level in levels]
        if len(set(keys)) != len(keys):
            raise ValidationError(_("Level keys must be unique."))
        if levels[-1].minimum is not None:
            raise ValidationError(
                _("The last (lowest) level must have no minimum: it takes every total below.")
            )
        thresholds = [level.minimum for level in levels[:-1]]
        if any(value is None for value in thresholds):
            raise ValidationError(_("Only the lowest level may have no minimum."))
        if any(high <= low for high, low in itertools.pairwise(thresholds)):
            raise ValidationError(_("Levels go from best to worst with falling minimum points."))

    @staticmethod
    def _rule(spec, where, level_keys, needs_level):
        spec = _mapping(spec, where)
        measure = spec.get("measure")
        if measure not in MEASURES:
            raise ValidationError(
                _("%(where)s: measure must be one of %(choices)s.")
                % {"where": where, "choices": ", ".join(MEASURES)}
            )
        level = spec.get("level")
        level = None if level is None else str(level)
        if (needs_level and level is None) or (level is not None and level not in level_keys):
            raise ValidationError(
                _("%(where)s: level must be one of the scheme's level keys.") % {"where": where}
            )
        at_least = spec.get("at_least", 1)
        if not isinstance(at_least, int) or at_least < 1:
            raise ValidationError(_("%(where)s: at_least must be 1 or more.") % {"where": where})
        return Rule(measure=measure, at_least=at_least, level=level)

    # -- what a round needs to know --------------------------------------------------------

    @property
    def indicators(self):
        return [indicator for aspect in self.aspects for indicator in aspect.indicators]

    @property
    def entered_indicators(self):
        return [indicator for indicator in self.indicators if indicator.is_entered]

    def indicator(self, key):
        return next((ind for ind in self.indicators if ind.key == key), None)

    def level(self, key):
        return next((level for level in self.levels if level.key == key), None)

    def rank(self, key):
        return next(n for n, level in enumerate(self.levels) if level.key == key)

    @property
    def measures_used(self):
        used = {ind.measure for ind in self.indicators if ind.source == Source.ARCHIVE}
        used.update(rule.measure for rule in (*self.caps, *self.vetoes))
        return used

    @property
    def review_fields_used(self):
        return sorted({ind.review_field for ind in self.indicators if ind.source == Source.REVIEWS})

    @property
    def period(self):
        """The days whose events count: 1 January to the rating day."""
        return datetime.date(self.year, 1, 1), self.rating_day

    # -- rating one merchant ---------------------------------------------------------------

    def rate(self, entered, reviews, measures, prior_weight, prior_mean, veto_details=None):
        """Rate one merchant.

        ``entered``: {indicator key: Decimal points} of the association's scores;
        ``reviews``: {field: (count, sum of stars)}; ``measures``: {measure: int};
        ``veto_details``: {measure: {"on": date, "detail": text}} for the reason.
        """
        for rule in self.vetoes:
            if rule.applies(measures):
                detail = (veto_details or {}).get(rule.measure, {})
                veto = {"measure": rule.measure, **detail}
                level = self.level(rule.level) if rule.level else None
                return Rating(
                    status=Status.VETOED,
                    level=level,
                    level_rank=self.rank(level.key) if level else None,
                    veto=veto,
                )
        if not entered and self.entered_indicators and not self.rate_without_entries:
            return Rating(status=Status.NOT_RATED)
        indicators, aspects = {}, {}
        total = self.base
        cache = self._points
        zero = decimal.Decimal("0.00")
        for aspect in self.aspects:
            subtotal = zero
            for indicator in aspect.indicators:
                source = indicator.source
                if source == Source.ENTERED:
                    points = indicator.clamp(entered.get(indicator.key, zero))
                else:
                    if source == Source.REVIEWS:
                        given = reviews.get(indicator.review_field, (0, 0))
                    else:
                        given = measures.get(indicator.measure, 0)
                    memo = (indicator.key, given)
                    points = cache.get(memo)
                    if points is None:
                        if source == Source.REVIEWS:
                            points = indicator.from_reviews(*given, prior_weight, prior_mean)
                        else:
                            points = indicator.from_archive(given)
                        cache[memo] = points
                indicators[indicator.key] = points
                subtotal += points
            subtotal = aspect.clamp(subtotal)
            aspects[aspect.key] = subtotal
            total += subtotal
        rank = next(
            n
            for n, level in enumerate(self.levels)
            if level.minimum is None or total >= level.minimum
        )
        cap = None
        for rule in self.caps:
            capped = self.rank(rule.level)
            if rule.applies(measures) and rank < capped:
                rank, cap = capped, {"measure": rule.measure, "level": rule.level}
        return Rating(
            status=Status.RATED,
            points=total,
            level=self.levels[rank],
            level_rank=rank,
            indicators=indicators,
            aspects=aspects,
            cap=cap,
        )
