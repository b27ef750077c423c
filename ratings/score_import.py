"""The ``scores`` kind of ``import_credit``: indicator scores from a CSV or XLSX file.

Columns ``code,scheme,indicator,points,evidence``, read, checked and written by
the archive's importer (same encodings, row report and all-or-nothing rule).
Each row must name a member the scheme rates, an indicator the association
enters, points within its range, and a scheme still open for scoring; with
``--user``, the user must be allowed to score that member (association staff
only their own association's members). Written scores get the same create and
change audit entries as a score saved in the admin.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from merchants.imports import values
from merchants.imports.kinds import MERCHANT_CODE_ALIASES, RecordKind, column
from merchants.imports.values import BadValue
from merchants.models import Merchant

from .definitions import to_points
from .roles import RatingAccess
from .schemes import Scheme, Score


def points(raw):
    value = values.text(raw)
    if not value:
        raise BadValue(_("Points are missing."))
    try:
        return to_points(value, _("points"))
    except Exception:  # the ValidationError of to_points, as a row problem
        raise BadValue(_("“%(value)s” is not a number of points.") % {"value": value}) from None


class ScoreKind(RecordKind):
    name = "scores"
    model = Score
    key_fields = ("merchant_id", "scheme_id", "indicator")  # merchant first, as RecordKind looks up
    key_label = gettext_lazy("merchant, scheme and indicator")
    columns = (
        column(Score, "code", *MERCHANT_CODE_ALIASES, read=values.code, required=True),
        column(Score, "scheme", "评价方案", read=values.slug, required=True),
        column(Score, "indicator", "指标", "评分指标", read=values.slug, required=True),
        column(Score, "points", "得分", "分值", read=points, required=True),
        column(Score, "evidence", "依据", "佐证材料"),
    )

    def resolve(self, rows, report):
        rows = super().resolve(rows, report)
        slugs = {row.values["scheme"] for row in rows}
        self.schemes = {scheme.slug: scheme for scheme in Scheme.objects.filter(slug__in=slugs)}
        self.by_pk = {scheme.pk: scheme for scheme in self.schemes.values()}
        access = RatingAccess.of(self.user) if self.user is not None else None
        members = {
            scheme.pk: set(scheme.members().values_list("pk", flat=True))
            for scheme in self.schemes.values()
        }
        open_schemes = {scheme.pk for scheme in self.schemes.values() if scheme.scoring_open}
        associations = dict(
            Merchant.objects.filter(pk__in={row.values["merchant_id"] for row in rows}).values_list(
                "pk", "association_id"
            )
        )
        good = []
        for row in rows:
            slug = row.values.pop("scheme")
            scheme = self.schemes.get(slug)
            merchant_id = row.values["merchant_id"]
            if scheme is None:
                problem = _("No rating scheme has the slug “%(slug)s”.") % {"slug": slug}
                report.bad(row.number, problem, self.header("scheme"))
                continue
            if self.user is not None and not self._may_score(
                access, scheme, merchant_id, associations
            ):
                report.bad(
                    row.number,
                    _("You may not score this merchant in %(scheme)s.") % {"scheme": slug},
                    self.header("code"),
                )
                continue
            if merchant_id not in members[scheme.pk]:
                report.bad(
                    row.number,
                    _("This merchant is not rated by %(scheme)s.") % {"scheme": slug},
                    self.header("code"),
                )
                continue
            if scheme.pk not in open_schemes:
                report.bad(
                    row.number,
                    _("%(scheme)s is published: its scores are frozen.") % {"scheme": slug},
                    self.header("scheme"),
                )
                continue
            row.values["scheme_id"] = scheme.pk
            row.values.setdefault("evidence", "")
            good.append(row)
        return good

    @staticmethod
    def _may_score(access, scheme, merchant_id, associations):
        if access is None or not access.may_see_scheme(scheme):
            return False
        return access.is_regulator or associations.get(merchant_id) == access.association.pk

    def existing(self, keys):
        found = super().existing(keys)
        wanted = set(keys)
        return {key: stored for key, stored in found.items() if key in wanted}

    def new(self, row_values):
        obj = super().new(row_values)
        obj.scheme = self.by_pk[obj.scheme_id]  # Score.clean reads the scheme's rules
        return obj

    def load(self, stored):
        obj = super().load(stored)
        obj.scheme = self.by_pk[obj.scheme_id]
        return obj

    def affected_merchant_ids(self, objs):
        """Scores are not public until a round is published: no page changes."""
        return set()
