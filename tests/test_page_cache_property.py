"""Property: whatever records change, through whatever path, the cached page agrees with the API.

Hypothesis draws a sequence of changes (move a penalty to another merchant,
reword it, withdraw it, correct a merchant's code) and a path for each (the
admin form, a save in the shell, a queryset update, an import file). Every
page is rendered and cached before the changes; afterwards each merchant's
page must list exactly the penalties its API lists, and no page may remain
at a code that is no longer a merchant's.
"""

import datetime
import io
import itertools
import re

import pytest
from django.core.management import call_command
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from merchants.models import Merchant, Penalty
from tests.admin_pages import penalty_form
from tests.factories import MerchantFactory, PenaltyFactory, make_code

pytestmark = pytest.mark.django_db

SHOPS = 3
PENALTIES = 3
_serial = itertools.count(1)
NUMBER = re.compile(r"穗越市监罚〔2026〕P\d+号")

record_change = st.tuples(
    st.sampled_from(["move", "reword", "withdraw"]),
    st.integers(0, PENALTIES - 1),  # which penalty
    st.integers(0, SHOPS - 1),  # which merchant it moves to
    st.sampled_from(["admin", "shell", "update", "import"]),
)
code_change = st.tuples(
    st.just("recode"), st.integers(0, SHOPS - 1), st.just(0), st.sampled_from(["shell", "update"])
)
changes = st.lists(st.one_of(record_change, code_change), min_size=1, max_size=5)


class World:
    """Three merchants with penalties, every page cached, and a staff client for the admin."""

    def __init__(self, tmp_path, owner):
        self.tmp_path = tmp_path
        self.shops = [MerchantFactory() for _ in range(SHOPS)]
        self.penalties = [
            PenaltyFactory(
                merchant=self.shops[number % SHOPS],
                decision_number=f"穗越市监罚〔2026〕P{next(_serial)}号",
                decided_on=datetime.date(2026, 11, 1),
            )
            for number in range(PENALTIES)
        ]
        self.former_codes = set()
        self.visitor = Client()
        self.staff = Client(HTTP_ACCEPT_LANGUAGE="en")
        self.staff.force_login(owner)
        self.imports = 0
        for shop in self.shops:
            self.page(shop.code)  # cached from here on

    def page(self, code):
        return self.visitor.get(f"/en/m/{code}/")

    def apply(self, what, index, target, path):
        if what == "recode":
            self._recode(self.shops[index], path)
            return
        penalty = Penalty.objects.get(pk=self.penalties[index].pk)
        if what == "withdraw":
            if not penalty.is_withdrawn:
                penalty.withdraw(Penalty.WithdrawalKind.ERROR, "录入错误")
            return
        fields = (
            {"merchant": Merchant.objects.get(pk=self.shops[target].pk)}
            if what == "move"
            else {"violation": f"改写 {self.imports}{index}{target}"}
        )
        getattr(self, f"_by_{path}")(penalty, fields)

    def _by_shell(self, penalty, fields):
        for name, value in fields.items():
            setattr(penalty, name, value)
        penalty.save()

    def _by_update(self, penalty, fields):
        Penalty.objects.filter(pk=penalty.pk).update(**fields)

    def _by_admin(self, penalty, fields):
        form = {
            name: (value.pk if isinstance(value, Merchant) else value)
            for name, value in fields.items()
        }
        response = self.staff.post(
            f"/admin/archive/penalties/edit/{penalty.pk}/", penalty_form(penalty, **form)
        )
        assert response.status_code == 302, response.content.decode()[:2000]

    def _by_import(self, penalty, fields):
        merchant = fields.get("merchant", penalty.merchant)
        violation = fields.get("violation", penalty.violation)
        self.imports += 1
        path = self.tmp_path / f"penalties-{self.imports}.csv"
        path.write_text(
            "code,decision_number,decided_on,authority,violation,penalty_types,outcome,"
            "fine_amount\n"
            f"{merchant.code},{penalty.decision_number},{penalty.decided_on},"
            f"{penalty.authority},{violation},罚款,{penalty.outcome},{penalty.fine_amount}\n",
            encoding="utf-8",
        )
        call_command(
            "import_credit",
            "penalties",
            str(path),
            "--user",
            "owner",
            "--no-progress",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )

    def _recode(self, shop, path):
        shop = Merchant.objects.get(pk=shop.pk)
        self.former_codes.add(shop.code)
        if path == "shell":
            shop.code = make_code()
            shop.save()
        else:
            Merchant.objects.filter(pk=shop.pk).update(code=make_code())

    def check(self):
        current = set()
        for shop in Merchant.objects.filter(pk__in=[shop.pk for shop in self.shops]):
            current.add(shop.code)
            page = self.page(shop.code)
            assert page.status_code == 200
            api = self.visitor.get(f"/api/v1/merchants/{shop.code}").json()
            on_page = set(NUMBER.findall(page.content.decode()))
            in_api = {penalty["decision_number"] for penalty in api["penalties"]}
            assert on_page == in_api, shop.code
            violations = {penalty["violation"] for penalty in api["penalties"]}
            for violation in violations:
                assert violation in page.content.decode()
        for code in self.former_codes - current:
            assert self.page(code).status_code == 404, code


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=changes)
def test_page_and_api_agree_after_any_changes_through_any_path(
    steps, tmp_path, owner, on_a_fixed_day
):
    world = World(tmp_path, owner)
    for step in steps:
        world.apply(*step)
    world.check()
