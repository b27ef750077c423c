"""Benchmark: import a district's 110,000 merchants from CSV into PostgreSQL.

    .venv/bin/python bench/import_merchants.py [--rows 110000] [--keep]

It (re)creates the database named by BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/chengxin_bench_import; the name must contain
"bench", because it is dropped first), migrates it with the test settings,
adds the precincts, writes a deterministic merchants CSV with valid credit
codes into a temporary directory, and times through ``import_credit``:

1. the first import (every row created, one audit entry each);
2. the same file again (nothing changes, no audit entries);
3. the file with 1% of the addresses changed (those rows updated and audited);
4. a dry run of the original file (checking only).

The database is dropped at the end unless --keep is given.
"""

import argparse
import csv
import io
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

from databases import recreate_database

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/chengxin_bench_import"

MARKETS = [f"yide-market-{n:02d}" for n in range(1, 15)]
STREET = "beijing-road"
DISTRICT = "yuexiu"
SHOP_CATEGORIES = ["tea", "souvenirs", "clothing", "food", "jewellery"]
STALL_CATEGORIES = ["dried_seafood", "dry_goods"]
CLINIC_CATEGORIES = ["dental", "ophthalmology", "cosmetic_surgery", "general_clinic"]
BENCH_USER = "bench-import"  # the account the audit entries name
HEADER = ["code", "name_zh", "name_en", "kind", "category", "precinct", "stall", "address"]


def merchant_rows(count, changed_every=None):
    """Deterministic rows; with ``changed_every`` every n-th address differs."""
    from merchants.credit_code import complete

    for n in range(count):
        if n % 50 == 0:
            kind, category, precinct, stall = "clinic", CLINIC_CATEGORIES[n // 50 % 4], DISTRICT, ""
            code, name_zh, name_en = complete(f"91440104{n:09d}"), f"越秀第{n}门诊部", f"Clinic {n}"
        elif n % 5 == 1:
            kind, category, precinct, stall = "shop", SHOP_CATEGORIES[n % 5], STREET, ""
            code, name_zh, name_en = complete(f"92440104{n:09d}"), f"北京路商店{n}", f"Shop {n}"
        else:
            kind, category = "stall", STALL_CATEGORIES[n % 2]
            precinct, stall = MARKETS[n % len(MARKETS)], f"{'ABCDEF'[n % 6]}{n % 1000:03d}"
            code, name_zh, name_en = complete(f"92440104{n:09d}"), f"海味档口{n}", f"Stall {n}"
        address = f"越秀区一德路 {n % 400 + 1} 号"
        if changed_every and n % changed_every == 0:
            address += "（已搬迁）"
        yield [code, name_zh, name_en, kind, category, precinct, stall, address]


def write_csv(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)


def timed_import(path, *extra):
    from django.core.management import call_command

    out = io.StringIO()
    started, cpu = time.perf_counter(), time.process_time()
    call_command(
        "import_credit",
        "merchants",
        str(path),
        "--no-progress",
        "--user",
        BENCH_USER,
        *extra,
        stdout=out,
    )
    return time.perf_counter() - started, time.process_time() - cpu, out.getvalue().strip()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=110_000)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    args = parser.parse_args()

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chengxin.settings.test")
    sys.path[:0] = [str(ROOT), str(ROOT / "site")]
    recreate_database(url)

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from merchants.audit import AuditEntry
    from merchants.models import Merchant, Precinct

    call_command("migrate", verbosity=0)
    get_user_model().objects.create(username=BENCH_USER)
    district = Precinct.objects.create(slug=DISTRICT, name_zh="越秀区", kind="district")
    Precinct.objects.create(slug=STREET, name_zh="北京路步行街", kind="street", parent=district)
    for slug in MARKETS:
        Precinct.objects.create(slug=slug, name_zh=f"一德路市场{slug[-2:]}", kind="market")
    baseline_entries = AuditEntry.objects.count()

    figures = []
    with tempfile.TemporaryDirectory() as folder:
        original = Path(folder) / "merchants.csv"
        changed = Path(folder) / "merchants-changed.csv"
        started = time.perf_counter()
        write_csv(original, merchant_rows(args.rows))
        write_csv(changed, merchant_rows(args.rows, changed_every=100))
        print(
            f"generated 2 CSV files of {args.rows:,} rows in {time.perf_counter() - started:.1f} s"
        )

        seconds, cpu, summary = timed_import(original)
        entries = AuditEntry.objects.count() - baseline_entries
        assert Merchant.objects.count() == args.rows and entries == args.rows, (summary, entries)
        figures.append(("first import", seconds, cpu, summary))

        seconds, cpu, summary = timed_import(original)
        assert AuditEntry.objects.count() - baseline_entries == entries, "re-import wrote entries"
        figures.append(("re-import, unchanged", seconds, cpu, summary))

        seconds, cpu, summary = timed_import(changed)
        new_entries = AuditEntry.objects.count() - baseline_entries - entries
        assert new_entries == len(range(0, args.rows, 100)), (summary, new_entries)
        figures.append(("re-import, 1% changed", seconds, cpu, summary))

        seconds, cpu, summary = timed_import(original, "--dry-run")
        figures.append(("dry run", seconds, cpu, summary))

    with connection.cursor() as cursor:
        cursor.execute("select version()")
        version = cursor.fetchone()[0].split(" on ")[0]
    print(
        f"{args.rows:,} merchants; {version}; Python {platform.python_version()}; "
        f"{os.cpu_count()} CPUs"
    )
    print(f"{'step':<24} {'seconds':>8} {'cpu s':>6} {'rows/s':>8}  summary")
    for label, seconds, cpu, summary in figures:
        print(f"{label:<24} {seconds:8.1f} {cpu:6.1f} {args.rows / seconds:8,.0f}  {summary}")
    print("seconds: wall clock; cpu s: this Python process only (PostgreSQL works besides)")
    connection.close()
    if not args.keep:
        recreate_database(url, drop_only=True)


if __name__ == "__main__":
    main()
