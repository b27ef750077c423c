"""Staff admin for precincts, associations and merchants (Credit archive menu)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.permissions import policy_registry

from merchants.audit import AuditEntry, acting_as
from merchants.models import Merchant, Precinct
from tests.admin_pages import results
from tests.factories import (
    AssociationFactory,
    ClinicFactory,
    MerchantFactory,
    PrecinctFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

MERCHANTS = "/admin/archive/merchants/"
PRECINCTS = "/admin/archive/precincts/"
ASSOCIATIONS = "/admin/archive/associations/"
HOME = "/admin/"


@pytest.fixture(autouse=True)
def _english(english_browser):
    """These staff read the admin in English: their browser asks for it."""


@pytest.fixture
def yide():
    """Yide Road (an area) holding one market; Beijing Road is a street of its own."""
    area = PrecinctFactory(slug="yide-road", name_zh="一德路", kind=Precinct.Kind.AREA)
    market = PrecinctFactory(
        slug="yide-seafood-market", name_zh="一德海味市场", kind=Precinct.Kind.MARKET, parent=area
    )
    street = PrecinctFactory(slug="beijing-road", name_zh="北京路", kind=Precinct.Kind.STREET)
    return area, market, street


def merchant_form(merchant, **changes):
    data = {
        "code": merchant.code,
        "name_zh": merchant.name_zh,
        "name_en": merchant.name_en,
        "kind": merchant.kind,
        "category": merchant.category,
        "precinct": merchant.precinct_id,
        "stall": merchant.stall,
        "address": merchant.address,
        "association": merchant.association_id or "",
    }
    data.update(changes)
    return data


# --- who may come in ---------------------------------------------------------


@pytest.mark.parametrize("path", ["", "new/", "edit/{pk}/", "inspect/{pk}/", "history/{pk}/"])
def test_anonymous_is_sent_to_login(client, path):
    merchant = MerchantFactory()
    response = client.get(MERCHANTS + path.format(pk=merchant.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("path", ["", "edit/{pk}/", "inspect/{pk}/"])
def test_outsider_is_refused(client, outsider, path):
    merchant = MerchantFactory()
    client.force_login(outsider)
    response = client.get(MERCHANTS + path.format(pk=merchant.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_outsider_cannot_change_a_merchant(client, outsider):
    merchant = MerchantFactory(name_zh="原名")
    client.force_login(outsider)
    client.post(MERCHANTS + f"edit/{merchant.pk}/", merchant_form(merchant, name_zh="改名"))
    assert Merchant.objects.get(pk=merchant.pk).name_zh == "原名"


def test_member_can_list_and_inspect(client, member):
    merchant = MerchantFactory(name_zh="海味行")
    client.force_login(member)
    listing = client.get(MERCHANTS)
    assert listing.status_code == 200
    assert "海味行" in listing.content.decode()
    inspect = client.get(MERCHANTS + f"inspect/{merchant.pk}/")
    assert inspect.status_code == 200
    assert merchant.code in inspect.content.decode()


def test_member_sees_no_add_or_edit_links(client, member):
    merchant = MerchantFactory()
    client.force_login(member)
    html = client.get(MERCHANTS).content.decode()
    assert f"{MERCHANTS}new/" not in html
    assert f"{MERCHANTS}edit/{merchant.pk}/" not in html
    assert f"{MERCHANTS}inspect/{merchant.pk}/" in html


@pytest.mark.parametrize("path", ["new/", "edit/{pk}/"])
def test_member_cannot_open_add_or_edit(client, member, path):
    merchant = MerchantFactory()
    client.force_login(member)
    response = client.get(MERCHANTS + path.format(pk=merchant.pk))
    assert response.status_code == 302
    assert response["Location"] == HOME


def test_member_cannot_change_a_merchant(client, member):
    merchant = MerchantFactory(name_zh="原名")
    client.force_login(member)
    response = client.post(
        MERCHANTS + f"edit/{merchant.pk}/", merchant_form(merchant, name_zh="改名")
    )
    assert response["Location"] == HOME
    assert Merchant.objects.get(pk=merchant.pk).name_zh == "原名"


def test_member_cannot_add_a_merchant(client, member, yide):
    client.force_login(member)
    data = merchant_form(MerchantFactory.build(precinct=yide[2]))
    response = client.post(MERCHANTS + "new/", data)
    assert response["Location"] == HOME
    assert not Merchant.objects.filter(code=data["code"]).exists()


# --- listing, filters and search --------------------------------------------


def test_merchant_list_shows_precinct_kind_and_stall(client, owner, yide):
    _area, market, _street = yide
    MerchantFactory(name_zh="海味干货行", precinct=market, stall="B-017", kind=Merchant.Kind.STALL)
    client.force_login(owner)
    page = client.get(MERCHANTS)
    assert page.status_code == 200
    assert "Merchants" in page.content.decode()
    html = results(client, MERCHANTS)
    assert "海味干货行" in html
    assert "一德海味市场" in html
    assert "market stall" in html
    assert "B-017" in html


def test_filtering_by_an_area_includes_its_markets(client, owner, yide):
    area, market, street = yide
    MerchantFactory(name_zh="市场档口", precinct=market)
    MerchantFactory(name_zh="区内门店", precinct=area)
    MerchantFactory(name_zh="北京路商店", precinct=street)
    client.force_login(owner)
    html = results(client, MERCHANTS, {"precinct": area.pk})
    assert "市场档口" in html
    assert "区内门店" in html
    assert "北京路商店" not in html


def test_filtering_by_a_market_leaves_out_the_rest_of_the_area(client, owner, yide):
    area, market, _street = yide
    MerchantFactory(name_zh="市场档口", precinct=market)
    MerchantFactory(name_zh="区内门店", precinct=area)
    client.force_login(owner)
    html = results(client, MERCHANTS, {"precinct": market.pk})
    assert "市场档口" in html
    assert "区内门店" not in html


def test_filtering_by_kind_and_category(client, owner):
    ClinicFactory(name_zh="越秀口腔")
    MerchantFactory(name_zh="茶叶店")
    client.force_login(owner)
    html = results(client, MERCHANTS, {"kind": "clinic"})
    assert "越秀口腔" in html
    assert "茶叶店" not in html
    html = results(client, MERCHANTS, {"category": "tea"})
    assert "茶叶店" in html
    assert "越秀口腔" not in html


def test_filtering_by_association(client, owner):
    chamber = AssociationFactory()
    MerchantFactory(name_zh="商会会员", association=chamber)
    MerchantFactory(name_zh="非会员")
    client.force_login(owner)
    html = results(client, MERCHANTS, {"association": chamber.pk})
    assert "商会会员" in html
    assert "非会员" not in html


@pytest.mark.parametrize(
    "query", ["{code}", "{code_lower}", "海味干货", "Dried Goods", "B-017"], ids=str
)
def test_search_finds_a_merchant_by_code_name_or_stall(client, owner, query):
    wanted = MerchantFactory(name_zh="海味干货行", name_en="Dried Goods Trader", stall="B-017")
    MerchantFactory(name_zh="茶叶店", name_en="Tea Shop", stall="C-001")
    client.force_login(owner)
    query = query.format(code=wanted.code, code_lower=wanted.code.lower())
    html = results(client, MERCHANTS, {"q": query})
    assert "海味干货行" in html
    assert "茶叶店" not in html


def _queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_merchant_list_query_count_does_not_grow_with_rows(client, owner, yide):
    area, market, street = yide
    chamber = AssociationFactory()
    for _ in range(3):
        MerchantFactory(precinct=market, association=chamber)
    client.force_login(owner)
    _queries_for(client, MERCHANTS)  # warm caches (content types, permissions)
    few = _queries_for(client, MERCHANTS)
    for index in range(45):
        MerchantFactory(
            precinct=(area, market, street)[index % 3],
            association=AssociationFactory() if index % 5 == 0 else None,
        )
    many = _queries_for(client, MERCHANTS)
    assert many == few
    assert many <= 20


def test_merchant_list_is_paginated(client, owner):
    for _ in range(55):
        MerchantFactory()
    client.force_login(owner)
    response = client.get(MERCHANTS)
    assert len(response.context["object_list"]) == 50
    assert "Page 1 of 2" in response.content.decode()


def test_csv_export_of_the_filtered_list(client, member, yide):
    _area, market, street = yide
    in_market = MerchantFactory(precinct=market)
    on_street = MerchantFactory(precinct=street)
    client.force_login(member)
    response = client.get(MERCHANTS, {"precinct": market.pk, "export": "csv"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode()
    assert in_market.code in content
    assert on_street.code not in content


def test_precinct_list_shows_nesting_and_filters_by_kind(client, owner, yide):
    client.force_login(owner)
    html = results(client, PRECINCTS, {"kind": "market"})
    assert "一德海味市场" in html
    assert "一德路" in html  # shown as the market's parent
    assert "北京路" not in html


def test_association_list_filters_by_precinct(client, member, yide):
    area, market, street = yide
    AssociationFactory(name_zh="一德路海味商会", precinct=market)
    AssociationFactory(name_zh="北京路商会", precinct=street)
    client.force_login(member)
    html = results(client, ASSOCIATIONS, {"precinct": area.pk})
    assert "一德路海味商会" in html
    assert "北京路商会" not in html


def test_merchant_chooser_searches_by_code_and_shows_the_stall(client, owner, yide):
    wanted = MerchantFactory(name_zh="海味干货行", stall="B-017", precinct=yide[1])
    MerchantFactory(name_zh="茶叶店")
    client.force_login(owner)
    response = client.get("/admin/archive/merchant-chooser/results/", {"q": wanted.code})
    html = response.content.decode()
    assert "海味干货行" in html
    assert "B-017" in html
    assert "一德海味市场" in html
    assert "茶叶店" not in html


# --- adding and editing ------------------------------------------------------


def test_owner_adds_a_merchant(client, owner, yide):
    client.force_login(owner)
    data = merchant_form(
        MerchantFactory.build(precinct=yide[1], name_zh="新档口", kind="stall", stall="A-1")
    )
    response = client.post(MERCHANTS + "new/", data)
    assert response.status_code == 302
    merchant = Merchant.objects.get(code=data["code"])
    assert merchant.name_zh == "新档口"
    assert merchant.precinct == yide[1]


def test_owner_edits_a_merchant(client, owner):
    merchant = MerchantFactory(name_zh="原名")
    client.force_login(owner)
    response = client.post(
        MERCHANTS + f"edit/{merchant.pk}/", merchant_form(merchant, name_zh="新名")
    )
    assert response.status_code == 302
    assert Merchant.objects.get(pk=merchant.pk).name_zh == "新名"


def test_model_rules_show_on_the_form(client, owner):
    merchant = MerchantFactory()
    client.force_login(owner)
    response = client.post(
        MERCHANTS + f"edit/{merchant.pk}/", merchant_form(merchant, category="dental")
    )
    assert response.status_code == 200
    assert "Only clinics take a medical category." in response.content.decode()
    assert Merchant.objects.get(pk=merchant.pk).category == "tea"


def test_an_invalid_credit_code_is_refused_on_the_form(client, owner):
    merchant = MerchantFactory()
    client.force_login(owner)
    broken = merchant.code[:-1] + ("0" if merchant.code[-1] != "0" else "1")
    response = client.post(MERCHANTS + f"edit/{merchant.pk}/", merchant_form(merchant, code=broken))
    assert response.status_code == 200
    assert Merchant.objects.get(pk=merchant.pk).code == merchant.code


def test_edit_page_links_to_the_audit_trail(client, owner):
    merchant = MerchantFactory()
    client.force_login(owner)
    html = client.get(MERCHANTS + f"edit/{merchant.pk}/").content.decode()
    assert f"{MERCHANTS}history/{merchant.pk}/" in html


# --- nothing is deleted or copied --------------------------------------------


@pytest.mark.parametrize("view", ["delete", "copy", "usage"])
def test_there_is_no_delete_copy_or_usage_view(client, owner, view):
    merchant = MerchantFactory()
    client.force_login(owner)
    assert client.get(MERCHANTS + f"{view}/{merchant.pk}/").status_code == 404
    assert client.post(MERCHANTS + f"{view}/{merchant.pk}/").status_code == 404
    assert Merchant.objects.filter(pk=merchant.pk).exists()


def test_no_page_offers_delete(client, owner):
    merchant = MerchantFactory()
    client.force_login(owner)
    for path in ("", f"edit/{merchant.pk}/", f"inspect/{merchant.pk}/"):
        html = client.get(MERCHANTS + path).content.decode()
        assert "/delete/" not in html
        assert "/copy/" not in html


def test_policy_refuses_delete_even_to_a_superuser():
    boss = UserFactory(is_superuser=True, is_staff=True)
    policy = policy_registry.get_by_type(Merchant)
    assert policy.user_has_permission(boss, "change")
    assert not policy.user_has_permission(boss, "delete")
    assert not policy.users_with_permission("delete").exists()
    assert not policy.user_has_permission(AnonymousUser(), "view")


def test_admin_changes_are_attributed_to_the_signed_in_user(client, owner):
    with acting_as(None, "import"):
        merchant = MerchantFactory(name_zh="原名")
    client.force_login(owner)
    client.post(MERCHANTS + f"edit/{merchant.pk}/", merchant_form(merchant, name_zh="新名"))
    entry = merchant.audit_entries().get(action=AuditEntry.Action.CHANGE)
    assert entry.actor == owner
    assert entry.source == "admin"
    assert entry.before == {"name_zh": "原名"}
    assert entry.after == {"name_zh": "新名"}
