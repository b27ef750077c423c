"""Factories for archive data; codes are valid GB 32100 codes by construction."""

import datetime
import itertools

import factory
from django.contrib.auth import get_user_model

from merchants import credit_code
from merchants.models import (
    Association,
    Inspection,
    Licence,
    ListEntry,
    Merchant,
    Penalty,
    Precinct,
)

_serial = itertools.count(1)


def make_code(prefix="9244010400"):
    """A fresh valid credit code: stalls (92…) in Yuexiu (440104) by default."""
    body = f"{prefix}{next(_serial):07d}"[:17]
    body = "".join(ch if ch in credit_code.VALUES else "0" for ch in body)
    return credit_code.complete(body)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PrecinctFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Precinct
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"precinct-{n}")
    name_zh = factory.Sequence(lambda n: f"示范街{n}")
    name_en = factory.Sequence(lambda n: f"Model Street {n}")
    kind = Precinct.Kind.STREET


class AssociationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Association

    slug = factory.Sequence(lambda n: f"association-{n}")
    name_zh = factory.Sequence(lambda n: f"海味干果商会{n}")
    name_en = factory.Sequence(lambda n: f"Dried Seafood Chamber {n}")


class MerchantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Merchant

    code = factory.LazyFunction(make_code)
    name_zh = factory.Sequence(lambda n: f"诚信茶行{n}")
    name_en = factory.Sequence(lambda n: f"Honest Tea House {n}")
    kind = Merchant.Kind.SHOP
    category = Merchant.Category.TEA
    stall = factory.Sequence(lambda n: f"A{n:03d}")
    address = "北京路 1 号"
    precinct = factory.SubFactory(PrecinctFactory)


class ClinicFactory(MerchantFactory):
    name_zh = factory.Sequence(lambda n: f"越秀口腔门诊部{n}")
    name_en = factory.Sequence(lambda n: f"Yuexiu Dental Clinic {n}")
    kind = Merchant.Kind.CLINIC
    category = Merchant.Category.DENTAL
    stall = ""


class LicenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Licence

    merchant = factory.SubFactory(MerchantFactory)
    kind = Licence.Kind.BUSINESS
    number = factory.Sequence(lambda n: f"JY1440104{n:08d}")
    issuer = "越秀区市场监督管理局"
    issued_on = datetime.date(2022, 1, 1)
    expires_on = datetime.date(2027, 1, 1)


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection

    merchant = factory.SubFactory(MerchantFactory)
    inspected_on = factory.Sequence(lambda n: datetime.date(2025, 1, 1) + datetime.timedelta(n))
    authority = "越秀区市场监督管理局"
    kind = Inspection.Kind.RANDOM
    result = Inspection.Result.PASS
    findings = "未发现问题"


class PenaltyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Penalty

    merchant = factory.SubFactory(MerchantFactory)
    decision_number = factory.Sequence(lambda n: f"穗越市监罚〔2025〕{n}号")
    decided_on = datetime.date(2025, 6, 1)
    authority = "越秀区市场监督管理局"
    violation = "未明码标价"
    penalty_types = factory.LazyFunction(lambda: [Penalty.Type.FINE])
    outcome = "罚款人民币 2000 元"
    fine_amount = 2000
    severity = Penalty.Severity.GENERAL


class ListEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ListEntry

    merchant = factory.SubFactory(MerchantFactory)
    list_name = ListEntry.List.A_TAXPAYER
    reason = "2024 年度 A 级纳税人"
    authority = "国家税务总局广州市越秀区税务局"
    listed_on = datetime.date(2025, 4, 1)
    until = datetime.date(2026, 3, 31)
