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
