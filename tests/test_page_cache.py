"""The per-merchant page cache: Redis shared by all workers, plus a short per-process copy."""

import datetime
import io

import pytest
from django.core.cache import cache, caches
from django.core.management import call_command
from django.db import connection

from cms import page_cache
from merchants.models import Merchant, Penalty
from tests.admin_pages import penalty_form
from tests.factories import MerchantFactory, PenaltyFactory, UserFactory

pytestmark = pytest.mark.django_db


def another_worker_forgets(code):
    """What a change in another process does: delete from Redis, not from our memory."""
    cache.delete_many([page_cache.key(code, language) for language in page_cache.languages()])


def another_worker_renames(shop, name_en):
    """Another process writes the row; nothing is announced in this one."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE merchants_merchant SET name_en = %s WHERE id = %s", [name_en, shop.pk]
        )


def test_pages_are_stored_in_redis_until_local_midnight(client):
    shop = MerchantFactory()
    client.get(f"/en/m/{shop.code}/")
    redis = cache.client.get_client()
    ttl = redis.ttl(cache.make_key(page_cache.key(shop.code, "en")))
    assert 0 < ttl <= 24 * 3600
    assert abs(ttl - page_cache.seconds_until_midnight()) <= 2


def test_a_change_in_another_worker_shows_once_the_local_copy_expires(client, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 23, 4, tzinfo=datetime.UTC), tick=False)
    shop = MerchantFactory(name_en="Before")
    assert "Before" in client.get(f"/en/m/{shop.code}/").content.decode()

    another_worker_renames(shop, "After")
    another_worker_forgets(shop.code)

    time_machine.shift(4)
    assert "Before" in client.get(f"/en/m/{shop.code}/").content.decode()
    time_machine.shift(2)
    assert "After" in client.get(f"/en/m/{shop.code}/").content.decode()


def test_with_the_local_copy_off_every_request_reads_redis(client, settings):
    settings.SCAN_PAGE_LOCAL_SECONDS = 0
    shop = MerchantFactory(name_en="Before")
    client.get(f"/en/m/{shop.code}/")
    type(shop).objects.filter(pk=shop.pk).update(name_en="After")
    another_worker_forgets(shop.code)
    assert "After" in client.get(f"/en/m/{shop.code}/").content.decode()


def test_the_local_copy_is_bounded(client, settings):
    settings.CACHES = {
        **settings.CACHES,
        "local": {**settings.CACHES["local"], "OPTIONS": {"MAX_ENTRIES": 3}},
    }
    for _ in range(5):
        client.get(f"/en/m/{MerchantFactory().code}/")
    assert len(caches["local"]) <= 3


def test_a_page_rendered_from_old_rows_before_the_commit_is_dropped_after_it(
    client, django_capture_on_commit_callbacks
):
    """A visitor's request between a staff save and its commit must not keep stale facts."""
    shop = MerchantFactory(name_en="Before")
    with django_capture_on_commit_callbacks(execute=True):
        shop.name_en = "After"
        shop.save()
        # Another request renders and caches from the rows it still sees as old.
        page_cache.store(shop.code, "en", b"<p>Before (stale)</p>")
    assert "After" in client.get(f"/en/m/{shop.code}/").content.decode()


def test_a_corrected_code_drops_the_page_at_the_old_code(client):
    shop = MerchantFactory(code="91350100M000100Y43")
    assert client.get("/en/m/91350100M000100Y43/").status_code == 200
    shop = type(shop).objects.get(pk=shop.pk)
    shop.code = "91110108551385082Q"
    shop.save()
    assert client.get("/en/m/91350100M000100Y43/").status_code == 404
    assert client.get("/en/m/91110108551385082Q/").status_code == 200


def test_a_page_rendered_for_a_day_that_has_ended_is_not_kept(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 23, 15, 59, 59, tzinfo=datetime.UTC))
    yesterday = datetime.date(2026, 11, 22)  # 23:59:59 in Guangzhou is still the 23rd
    page_cache.store("91350100M000100Y43", "en", b"<p>old day</p>", yesterday)
    assert page_cache.get("91350100M000100Y43", "en") is None


def test_seconds_until_midnight_follows_the_clock_across_days(time_machine):
    """Worked out once a day for speed, yet right after midnight and after a jump back."""
    guangzhou = datetime.timezone(datetime.timedelta(hours=8))
    time_machine.move_to(datetime.datetime(2026, 11, 23, 23, 59, 0, tzinfo=guangzhou))
    assert page_cache.seconds_until_midnight() == 60
    time_machine.move_to(datetime.datetime(2026, 11, 24, 0, 0, 30, tzinfo=guangzhou))
    assert page_cache.seconds_until_midnight() == 86_370
    time_machine.move_to(datetime.datetime(2026, 11, 23, 12, 0, 0, tzinfo=guangzhou))
    assert page_cache.seconds_until_midnight() == 43_200


def test_publishing_a_precinct_page_refreshes_its_merchants_pages(client):
    from django.core.management import call_command

    from cms.models import PrecinctPage
    from tests.factories import PrecinctFactory

    street = PrecinctFactory(slug="beijing-road", name_zh="北京路", name_en="Beijing Road")
    shop = MerchantFactory(precinct=street)
    assert "/en/beijing-road/" not in client.get(f"/en/m/{shop.code}/").content.decode()
    call_command("sync_precinct_pages")
    page = PrecinctPage.objects.get(locale__language_code="en")
    page.save_revision().publish()
    assert "/en/beijing-road/" in client.get(f"/en/m/{shop.code}/").content.decode()


# --- records moved between merchants, codes changed: every path --------------


@pytest.fixture
def moved(on_a_fixed_day):
    """A penalty on shop A whose pages are cached, and shop B it will be moved to."""
    old, new = MerchantFactory(name_en="Old Shop"), MerchantFactory(name_en="New Shop")
    penalty = PenaltyFactory(
        merchant=old, decision_number="穗越市监罚〔2026〕7号", decided_on=datetime.date(2026, 11, 1)
    )
    return old, new, penalty


def shows(client, shop, text):
    return text in client.get(f"/en/m/{shop.code}/").content.decode()


def api_decisions(client, shop):
    body = client.get(f"/api/v1/merchants/{shop.code}").json()
    return [penalty["decision_number"] for penalty in body["penalties"]]


def assert_moved(client, old, new):
    number = "穗越市监罚〔2026〕7号"
    assert not shows(client, old, number)
    assert shows(client, new, number)
    assert api_decisions(client, old) == []
    assert api_decisions(client, new) == [number]


def test_a_penalty_moved_in_the_admin_leaves_the_old_page(client, owner, moved):
    old, new, penalty = moved
    assert shows(client, old, penalty.decision_number)
    assert not shows(client, new, penalty.decision_number)
    client.force_login(owner)
    response = client.post(
        f"/admin/archive/penalties/edit/{penalty.pk}/", penalty_form(penalty, merchant=new.pk)
    )
    assert response.status_code == 302
    assert_moved(client, old, new)


def test_a_penalty_moved_in_the_shell_leaves_the_old_page(client, moved):
    old, new, penalty = moved
    assert shows(client, old, penalty.decision_number)
    penalty.merchant = new
    penalty.save()
    assert_moved(client, old, new)


def test_a_penalty_moved_by_a_queryset_update_leaves_the_old_page(client, moved):
    old, new, penalty = moved
    assert shows(client, old, penalty.decision_number)
    Penalty.objects.filter(pk=penalty.pk).update(merchant=new)
    assert_moved(client, old, new)


def test_a_penalty_moved_by_an_import_row_leaves_the_old_page(
    client, moved, tmp_path, django_capture_on_commit_callbacks
):
    old, new, penalty = moved
    UserFactory(username="clerk")
    assert shows(client, old, penalty.decision_number)
    path = tmp_path / "penalties.csv"
    path.write_text(
        "code,decision_number,decided_on,authority,violation,penalty_types,outcome,fine_amount\n"
        f"{new.code},{penalty.decision_number},{penalty.decided_on},{penalty.authority},"
        f"{penalty.violation},罚款,罚款 2000 元,2000\n",
        encoding="utf-8",
    )
    # An import announces its changes once committed (the test's transaction never is).
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "import_credit",
            "penalties",
            str(path),
            "--user",
            "clerk",
            "--no-progress",
            stdout=io.StringIO(),
        )
    assert Penalty.objects.get(pk=penalty.pk).merchant == new
    assert_moved(client, old, new)


def test_a_code_changed_by_a_queryset_update_drops_the_old_code_page(client):
    shop = MerchantFactory(code="91350100M000100Y43")
    assert client.get("/en/m/91350100M000100Y43/").status_code == 200
    Merchant.objects.filter(pk=shop.pk).update(code="91110108551385082Q")
    assert client.get("/en/m/91350100M000100Y43/").status_code == 404
    assert client.get("/en/m/91110108551385082Q/").status_code == 200


def test_canonical_url_and_json_ld_come_from_the_public_base_url(client, settings):
    settings.PUBLIC_BASE_URL = "https://xy.example.gov.cn"
    settings.ALLOWED_HOSTS = ["*"]
    shop = MerchantFactory()
    client.get(f"/en/m/{shop.code}/", HTTP_HOST="evil.example")
    html = client.get(f"/en/m/{shop.code}/").content.decode()
    canonical = f"https://xy.example.gov.cn/en/m/{shop.code}/"
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert f'"url": "{canonical}"' in html
    assert "evil.example" not in html
