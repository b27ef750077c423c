"""Factories for reviews: every review comes from a scan of one of its merchant's placards."""

import datetime
import decimal
import pathlib

import factory
import yaml
from django.utils import timezone

from merchants.models import Association
from ratings.definitions import Definition
from ratings.models import Review, Scheme, Score
from tests.factories import AssociationFactory, MerchantFactory, PrecinctFactory
from tests.factories_print import issue


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    merchant = factory.SubFactory(MerchantFactory)
    placard = factory.LazyAttribute(lambda review: issue(review.merchant))
    created_at = factory.LazyFunction(timezone.now)
    scanned_at = factory.LazyAttribute(
        lambda review: review.created_at - datetime.timedelta(minutes=10)
    )
    language = "zh-hans"
    overall = 4
    service_attitude = 5
    comment = "老板很热情，价格清楚。"


def scan(client, merchant=None, placard=None, **extra):
    """Open the placard's QR link with ``client``, as a visitor at the counter does."""
    placard = placard or issue(merchant)
    response = client.get(f"/q/{placard.token}", **extra)
    assert response.status_code == 302, response.status_code
    return placard


def review_path(merchant, language="zh-hans"):
    prefix = "/en" if language == "en" else ""
    return f"{prefix}/m/{merchant.code}/review/"


def form_data(**changes):
    """A valid shop review: overall stars, two of three aspects and a comment."""
    data = {
        "overall": "4",
        "product_quality": "5",
        "service_attitude": "3",
        "comment": "茶叶新鲜，明码标价。",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


SAMPLE_SCHEMES = pathlib.Path(__file__).resolve().parent.parent / "samples" / "schemes"


def sample_definition(name, **changes):
    """A shipped sample scheme (``samples/schemes/<name>.yaml``) as data, with changes."""
    data = yaml.safe_load((SAMPLE_SCHEMES / f"{name}.yaml").read_text(encoding="utf-8"))
    data.update(changes)
    return data


def load_sample_scheme(name, **changes):
    """Create the sample's precinct (and association) if missing, then load the scheme."""
    data = sample_definition(name, **changes)
    precinct = PrecinctFactory(slug=data["precinct"])
    association = None
    if data.get("association"):
        association = Association.objects.filter(
            slug=data["association"]
        ).first() or AssociationFactory(slug=data["association"], precinct=precinct)
    scheme, _created = Scheme.objects.load(Definition.from_data(data))
    return scheme, precinct, association


def enter(scheme, merchant, **points):
    """Enter scores for ``merchant``: indicator=points."""
    for key, value in points.items():
        Score.objects.record(scheme, merchant, key, decimal.Decimal(str(value)), "checked on site")


#: Entered scores that give, with a valid licence and no reviews, each level of the
#: Yide Road sample scheme ("5" is full marks; the others take points away).
YIDE_SCORES = {
    "5": {
        "premises": 6,
        "purchase_records": 6,
        "pricing": 10,
        "labelling": 10,
        "after_sales": 8,
        "training": 7,
        "complaints": 10,
    },
}
YIDE_SCORES["4"] = {**YIDE_SCORES["5"], "complaints": 0}
YIDE_SCORES["3"] = {**YIDE_SCORES["4"], "pricing": 0}
YIDE_SCORES["2"] = {**YIDE_SCORES["3"], "labelling": 0}


def yide_member(scheme, precinct, association, level=None, **fields):
    """A Yide Road member with a valid licence and the scores giving ``level`` (None: unscored)."""
    from tests.factories import LicenceFactory

    merchant = MerchantFactory(precinct=precinct, association=association, **fields)
    LicenceFactory(merchant=merchant, expires_on=datetime.date(2028, 1, 1))
    if level:
        enter(scheme, merchant, **YIDE_SCORES[level])
    return merchant


def veto(scheme, merchant, reason="销售过期海味，被媒体曝光", decided_on=None):
    from ratings.models import AssociationVeto

    return AssociationVeto.objects.create(
        scheme=scheme,
        merchant=merchant,
        kind=AssociationVeto.Kind.MEDIA,
        decided_on=decided_on or datetime.date(scheme.year, 9, 1),
        reason=reason,
        evidence="广州日报 2026-09-01 报道",
    )


def publish(scheme, user=None, reason="更正评分"):
    """Compute the scheme's open round (or a revision of the published one) and publish it."""
    from ratings import computation
    from ratings.models import Round

    round_ = scheme.latest_round()
    if round_ is None:
        round_ = Round(scheme=scheme)
        round_.save()
    elif round_.is_frozen:
        round_ = round_.revise(reason)
    computation.run(round_)
    round_.refresh_from_db()
    round_.publish(user)
    return round_


def open_revision(scheme, reason="更正评分"):
    """Open a revision of the published round so scores and vetoes can change."""
    return scheme.latest_round().revise(reason)
