"""Benchmark: database size per 100,000 merchants with 10 years of records and reviews.

Builds a sample in a throwaway database (``BENCH_DATABASE_URL``, default
chengxin_production_bench_size; the name must contain "bench"), with the audit
entries every archive write leaves, then measures each table with its indexes
and TOAST (``pg_total_relation_size``) and scales to 100,000 merchants.

Per merchant over 10 years (assumptions, printed with the result): 3 licences
(renewed), 20 inspections (two a year), 1 penalty, 1 list entry, 2 placards
(one reissue), 100 reviews (ten a year: about a million a year for 100,000
merchants) with a 40-character comment and their keyed hashes.

    .venv/bin/python bench/database_size.py [--merchants 2000] [--keep]
"""

import argparse
import datetime
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site"), str(ROOT / "bench")]
from databases import recreate_database  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/chengxin_production_bench_size"
PER_MERCHANT = {
    "licences": 3,
    "inspections": 20,
    "penalties": 1,
    "list entries": 1,
    "placards": 2,
    "reviews": 100,
}
TABLES = [
    "merchants_merchant",
    "merchants_licence",
    "merchants_inspection",
    "merchants_penalty",
    "merchants_listentry",
    "merchants_auditentry",
    "print_templates_placard",
    "ratings_review",
]


def build(count):
    from django.utils import timezone

    from merchants.audit import AuditEntry, Change
    from merchants.models import Inspection, Licence, ListEntry, Merchant, Penalty, Precinct
    from print_templates.models import Placard
    from ratings.models import Review
    from tests.factories import make_code

    precinct = Precinct.objects.create(slug="size", name_zh="规模街", name_en="Size Street")

    def audited(objects):
        created = type(objects[0]).objects.bulk_create(objects, batch_size=2000)
        AuditEntry.objects.record_many(Change.created(obj) for obj in created)
        return created

    merchants = audited(
        [
            Merchant(
                code=make_code(),
                name_zh=f"规模茶行{i}",
                name_en=f"Size Tea House {i}",
                kind="shop",
                category="tea",
                stall=f"A{i:05d}",
                address="北京路 1 号",
                precinct=precinct,
            )
            for i in range(count)
        ]
    )
    start = datetime.date(2016, 1, 1)
    authority = "越秀区市场监督管理局"
    for merchant in merchants:
        audited(
            [
                Licence(
                    merchant=merchant,
                    kind="business",
                    number=f"JY1440104{merchant.pk:06d}{n}",
                    issuer=authority,
                    issued_on=start.replace(year=2016 + 4 * n),
                    expires_on=start.replace(year=2020 + 4 * n),
                )
                for n in range(3)
            ]
        )
        audited(
            [
                Inspection(
                    merchant=merchant,
                    inspected_on=start + datetime.timedelta(days=180 * n),
                    authority=authority,
                    kind="random",
                    result="pass",
                    findings="未发现问题，经营场所整洁，明码标价",
                )
                for n in range(20)
            ]
        )
    audited(
        [
            Penalty(
                merchant=m,
                decision_number=f"穗越市监罚〔2020〕{m.pk}号",
                decided_on=datetime.date(2020, 6, 1),
                authority=authority,
                violation="未明码标价",
                penalty_types=["fine"],
                outcome="罚款人民币 2000 元",
                fine_amount=2000,
                severity="general",
            )
            for m in merchants
        ]
    )
    audited(
        [
            ListEntry(
                merchant=m,
                list_name="a_taxpayer",
                reason="2024 年度 A 级纳税人",
                authority="国家税务总局广州市越秀区税务局",
                listed_on=datetime.date(2025, 4, 1),
                until=datetime.date(2026, 3, 31),
            )
            for m in merchants
        ]
    )
    Placard.objects.issue(merchants, "window-sticker")
    placards = Placard.objects.issue(merchants, "window-sticker")
    by_merchant = {placard.merchant_id: placard for placard in placards}
    now = timezone.now()
    for merchant in merchants:
        Review.objects.bulk_create(
            [
                Review(
                    merchant=merchant,
                    placard=by_merchant[merchant.pk],
                    scanned_at=now,
                    created_at=now - datetime.timedelta(days=36 * n),
                    language="zh-hans",
                    overall=4,
                    product_quality=5,
                    service_attitude=4,
                    comment="老板很热情，价格清楚，茶叶新鲜，下次还会再来。" * 2,
                    device_hash="d" * 32,
                    ip_hash="e" * 32,
                    hash_period=datetime.date(2026, 11, 1),
                )
                for n in range(100)
            ],
            batch_size=2000,
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--merchants", type=int, default=2000)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chengxin.settings.test")
    recreate_database(url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    build(args.merchants)
    with connection.cursor() as cursor:
        cursor.execute("vacuum analyze")
        sizes = {}
        for table in TABLES:
            cursor.execute(f"select count(*), pg_total_relation_size('{table}') from {table}")  # noqa: S608
            sizes[table] = cursor.fetchone()
        cursor.execute("select pg_database_size(current_database())")
        whole = cursor.fetchone()[0]
    scale = 100_000 / args.merchants
    print(f"sample: {args.merchants} merchants; per merchant over 10 years: {PER_MERCHANT}")
    print(f"{'table':28} {'rows':>10} {'bytes/row':>10} {'GiB per 100,000 merchants':>27}")
    total = 0
    for table, (rows, size) in sizes.items():
        total += size
        per_row = size / rows if rows else 0
        print(f"{table:28} {rows:10d} {per_row:10.0f} {size * scale / 2**30:27.2f}")
    print(f"{'these tables':28} {'':10} {'':10} {total * scale / 2**30:27.2f}")
    print(f"whole database (sample): {whole / 2**20:.0f} MiB")
    if not args.keep:
        connection.close()
        recreate_database(url, drop_only=True)


if __name__ == "__main__":
    main()
