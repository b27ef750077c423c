"""Benchmark: the staff admin pages issue 13 added, on the demo archive, in queries and time.

    .venv/bin/python bench/admin_pages.py [--copies 1] [--runs 7] [--keep]

It (re)creates the database named by BENCH_ADMIN_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/chengxin_admin_bench; the name must contain
"bench", because it is dropped first) and uses Redis from BENCH_ADMIN_REDIS_URL
(default database 4), migrates with the test settings and loads the demo
archive (2,400 merchants with their records). ``--copies N`` loads it N times
under other credit codes and licence numbers, to see what grows with the
archive. Then, signed in as a superuser through Django's test client (no
server, no port), it requests each page ``--runs`` times and reports the
number of SQL queries and the median time.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from databases import recreate_database

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/chengxin_admin_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/4"
PAGES = [
    ("dashboard", "/admin/"),
    ("merchant list", "/admin/archive/merchants/"),
    ("merchants, expired licence", "/admin/archive/merchants/?licence_status=expired"),
    ("merchants, public penalties", "/admin/archive/merchants/?public_penalties=true"),
    ("merchant edit page", "/admin/archive/merchants/edit/{merchant}/"),
    ("audit trail", "/admin/archive/audit/"),
    ("penalty withdraw form", "/admin/archive/penalties/withdraw/{penalty}/"),
]


def copy_archive(copy):
    """The demo's merchants and records again under new codes and numbers (bulk, audited)."""
    from merchants.credit_code import complete
    from merchants.models import Licence, Merchant, Penalty

    merchants = list(Merchant.objects.filter(code__startswith="9").order_by("pk")[:2400])
    old_pks = [merchant.pk for merchant in merchants]
    clones = []
    for index, merchant in enumerate(merchants):
        merchant.pk = None
        merchant._state.adding = True
        merchant.code = complete(f"93{copy:02d}{index:013d}")
        clones.append(merchant)
    Merchant.objects.bulk_create(clones, batch_size=1000)
    by_old = dict(zip(old_pks, clones, strict=True))
    for model, number in ((Licence, "number"), (Penalty, "decision_number")):
        records = list(model.objects.filter(merchant__in=by_old.keys()))
        for record in records:
            record.pk = None
            record._state.adding = True
            record.merchant = by_old[record.merchant_id]
            setattr(record, number, f"C{copy}-{getattr(record, number)}")
        model.objects.bulk_create(records, batch_size=1000)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=1, help="times the demo archive is loaded")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    args = parser.parse_args()

    url = os.environ.get("BENCH_ADMIN_DATABASE_URL", DEFAULT_URL)
    os.environ["DATABASE_URL"] = url
    os.environ["REDIS_URL"] = os.environ.get("BENCH_ADMIN_REDIS_URL", DEFAULT_REDIS)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chengxin.settings.test")
    sys.path[:0] = [str(ROOT), str(ROOT / "site")]
    recreate_database(url)

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from merchants import demo_data
    from merchants.models import Licence, Merchant, Penalty

    call_command("migrate", verbosity=0)
    demo_data.load()
    for copy in range(1, args.copies):
        copy_archive(copy)
    with connection.cursor() as cursor:
        cursor.execute("analyze")
    boss = get_user_model().objects.create_superuser("bench", password=None)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(boss)
    ids = {
        "merchant": Merchant.objects.filter(penalties__isnull=False).first().pk,
        "penalty": Penalty.objects.filter(withdrawn_on__isnull=True).first().pk,
    }
    print(
        f"{Merchant.objects.count():,} merchants, {Licence.objects.count():,} licences, "
        f"{Penalty.objects.count():,} penalties; {args.runs} runs per page, median"
    )
    print(f"{'page':<30} {'queries':>8} {'ms':>8}")
    for label, path in PAGES:
        path = path.format(**ids)
        client.get(path)  # warm the caches Wagtail and Django fill once
        timings = []
        for _ in range(args.runs):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        print(f"{label:<30} {len(queries):>8} {statistics.median(timings):>8.0f}")
    connection.close()
    if not args.keep:
        recreate_database(url, drop_only=True)


if __name__ == "__main__":
    main()
