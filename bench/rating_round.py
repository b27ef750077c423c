"""Benchmark: one rating round over a district of 110,000 merchants.

    .venv/bin/python bench/rating_round.py [--merchants 110000] [--reviews 1000000] [--keep]

It (re)creates the database named by BENCH_RATINGS_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/chengxin_ratings_bench; the name must
contain "bench", because it is dropped first), migrates it with the test
settings (Redis: REDIS_URL, default database 8), and fills it with SQL
``generate_series`` inserts (deterministic, no randomness):

- a district with 20 streets and the merchants spread over them;
- a scheme of 4 aspects: 12 entered indicators, 2 consumer-review indicators
  and 3 archive indicators, with the Yide Road sample's levels, caps and vetoes;
- 12 entered scores per merchant (1.32 M at the default size);
- the archive: a licence per merchant (some expired), an inspection per
  merchant in the year (some failed), 5,000 penalties (a tenth serious) and
  3,000 list entries (half black);
- 1 M published reviews in the year (on one placard: the round reads reviews
  by merchant, never by placard).

Then it runs the round in a child process, so its peak memory is its own, and
reports wall time, the CPU time of the rating process itself (the rest is
waiting for PostgreSQL), peak RSS and the number of SQL queries; then the same at a
twentieth of the merchants in the same database (a second scheme over one street)
to show that the number of queries does not grow with the merchants. The
database is dropped at the end unless --keep is given.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from databases import recreate_database

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/chengxin_ratings_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/8"
STREETS = 20
YEAR = 2026
ENTERED = [f"e{n:02d}" for n in range(1, 13)]


def definition(slug, precinct):
    def entered(keys):
        return [
            {"key": key, "name_zh": f"指标{key}", "name_en": f"Indicator {key}", "max": 5}
            for key in keys
        ]

    return {
        "slug": slug,
        "name_zh": "基准测试评级",
        "name_en": "Benchmark rating",
        "year": YEAR,
        "precinct": precinct,
        "aspects": [
            {
                "key": "basic",
                "name_zh": "基本情况",
                "indicators": [
                    *entered(ENTERED[0:3]),
                    {
                        "key": "licences",
                        "name_zh": "证照",
                        "max": 10,
                        "source": "archive",
                        "measure": "licence_valid",
                        "each": 10,
                    },
                ],
            },
            {
                "key": "trading",
                "name_zh": "诚信经营",
                "indicators": [
                    *entered(ENTERED[3:6]),
                    {
                        "key": "quality_reviews",
                        "name_zh": "品质评价",
                        "max": 10,
                        "source": "reviews",
                        "field": "product_quality",
                    },
                ],
            },
            {
                "key": "service",
                "name_zh": "服务管理",
                "indicators": [
                    *entered(ENTERED[6:9]),
                    {
                        "key": "service_reviews",
                        "name_zh": "服务评价",
                        "max": 10,
                        "source": "reviews",
                        "field": "service_attitude",
                    },
                ],
            },
            {
                "key": "complaints",
                "name_zh": "投诉处罚",
                "indicators": [
                    *entered(ENTERED[9:12]),
                    {
                        "key": "inspections",
                        "name_zh": "检查",
                        "max": 5,
                        "source": "archive",
                        "measure": "inspections_failed",
                        "each": -5,
                    },
                    {
                        "key": "penalties",
                        "name_zh": "处罚",
                        "max": 5,
                        "source": "archive",
                        "measure": "public_penalties",
                        "each": -5,
                    },
                ],
            },
        ],
        "levels": [
            {"key": "5", "name_zh": "五星", "stars": 5, "min": 90},
            {"key": "4", "name_zh": "四星", "stars": 4, "min": 80},
            {"key": "3", "name_zh": "三星", "stars": 3, "min": 70},
            {"key": "2", "name_zh": "二星", "stars": 2, "min": 60},
            {"key": "1", "name_zh": "一星", "stars": 1},
        ],
        "caps": [
            {"measure": "public_penalties", "level": "4"},
            {"measure": "inspections_failed", "level": "3"},
        ],
        "vetoes": [
            {"measure": "serious_penalties"},
            {"measure": "black_list"},
            {"measure": "association_vetoes"},
        ],
    }


def seed(merchants, reviews):
    """Fill the archive, the scores and the reviews with set-based inserts."""
    from django.db import connection

    from merchants.models import Precinct
    from print_templates.models import Placard
    from ratings.definitions import Definition
    from ratings.models import Scheme

    district = Precinct.objects.create(slug="district", name_zh="越秀区", kind="district")
    for n in range(STREETS):
        Precinct.objects.create(
            slug=f"street-{n:02d}", name_zh=f"街道{n}", kind="street", parent=district
        )
    steps = [
        # merchants: codes unique, not check-digit valid (the round never reads them)
        """insert into merchants_merchant (created_at, updated_at, code, name_zh, name_en, kind,
               category, stall, address, specialties, precinct_id, association_id)
           select now(), now(), '92' || lpad(i::text, 16, '0'), '商户' || i, '', 'stall',
               'dry_goods', 'S' || i, '', '',
               (select id from merchants_precinct
                where slug = 'street-' || lpad((i %% 20)::text, 2, '0')),
               null
           from generate_series(1, %(merchants)s) i""",
        # a licence each; every 17th expired before the rating day
        """insert into merchants_licence (created_at, updated_at, merchant_id, withdrawn_on,
               withdrawal_kind, withdrawal_reason, kind, number, issuer, issued_on, expires_on,
               state)
           select now(), now(), m.id, null, '', '', 'business', 'L' || m.id, '区市场监管局',
               date '2020-01-01',
               case when m.id %% 17 = 0 then date '2026-06-30' else date '2030-01-01' end,
               'active'
           from merchants_merchant m""",
        # an inspection each in the year; every 23rd failed
        """insert into merchants_inspection (created_at, updated_at, merchant_id, withdrawn_on,
               withdrawal_kind, withdrawal_reason, inspected_on, authority, kind, result, findings)
           select now(), now(), m.id, null, '', '', date '2026-01-01' + (m.id %% 300)::int,
               '区市场监管局', 'random', case when m.id %% 23 = 0 then 'fail' else 'pass' end, ''
           from merchants_merchant m""",
        # 5,000 penalties in the year, a tenth serious
        """insert into merchants_penalty (created_at, updated_at, merchant_id, withdrawn_on,
               withdrawal_kind, withdrawal_reason, decision_number, decided_on, authority,
               violation, basis, penalty_types, outcome, fine_amount, severity)
           select now(), now(), m.id, null, '', '', 'P' || m.id,
               date '2026-02-01' + (m.id %% 200)::int,
               '区市场监管局', '未明码标价', '', '["fine"]', '', 2000,
               case when m.id %% 10 = 0 then 'serious' else 'general' end
           from merchants_merchant m where m.id %% (%(merchants)s / 5000) = 1""",
        # 3,000 list entries in force, half black
        """insert into merchants_listentry (created_at, updated_at, merchant_id, withdrawn_on,
               withdrawal_kind, withdrawal_reason, list_name, reason, authority, listed_on, until)
           select now(), now(), m.id, null, '', '',
               case when m.id %% 2 = 0 then 'serious_dishonesty' else 'a_taxpayer' end,
               '基准', '', date '2026-03-01', null
           from merchants_merchant m where m.id %% (%(merchants)s / 3000) = 2""",
    ]
    with connection.cursor() as cursor:
        for statement in steps:
            cursor.execute(statement, {"merchants": merchants})
    first = Placard.objects.issue(
        [Precinct.objects.get(slug="street-00").merchants.first()], "window-sticker"
    ).pop()
    big = Scheme.objects.load(Definition.from_data(definition("bench-district", "district")))[0]
    small_def = definition("bench-one-street", "street-01")
    small = Scheme.objects.load(Definition.from_data(small_def))[0]
    with connection.cursor() as cursor:
        # 12 scores per merchant, 3 to 5 points, for the district scheme
        cursor.execute(
            """insert into ratings_score (created_at, updated_at, scheme_id, merchant_id,
                   indicator, points, evidence)
               select now(), now(), %(scheme)s, m.id, k, 3 + ((m.id + ascii(right(k, 1))) %% 3), ''
               from merchants_merchant m cross join unnest(%(keys)s::text[]) k""",
            {"scheme": big.pk, "keys": ENTERED},
        )
        cursor.execute(
            """insert into ratings_score (created_at, updated_at, scheme_id, merchant_id,
                   indicator, points, evidence)
               select now(), now(), %(scheme)s, s.merchant_id, s.indicator, s.points, ''
               from ratings_score s join merchants_merchant m on m.id = s.merchant_id
               join merchants_precinct p on p.id = m.precinct_id
               where s.scheme_id = %(big)s and p.slug = 'street-01'""",
            {"scheme": small.pk, "big": big.pk},
        )
        # reviews spread over the merchants and the year
        cursor.execute(
            """insert into ratings_review (merchant_id, placard_id, scanned_at, created_at,
                   language, overall, product_quality, service_attitude, honest_pricing,
                   explanation, hygiene, comment, status, hold_reason, open_reports,
                   moderated_at, moderated_by_id, moderation_reason, device_hash, ip_hash,
                   hash_period)
               select (select min(id) from merchants_merchant)
                       + (i::bigint * 7919) %% %(merchants)s,
                   %(placard)s, ts, ts, 'zh-hans', 1 + i %% 5, 1 + (i / 5) %% 5,
                   case when i %% 3 = 0 then null else 1 + (i / 7) %% 5 end,
                   null, null, null, '', 'published', '', 0, null, null, '', '', '', null
               from generate_series(1, %(reviews)s) i,
                   lateral (select timestamptz '2026-01-01 08:00+08'
                                   + (i %% 300) * interval '1 day' as ts) t""",
            {"merchants": merchants, "reviews": reviews, "placard": first.pk},
        )
        cursor.execute("analyze")
    return big, small


DRIVER = """
import json, resource, sys, time
import django
django.setup()
from django.db import connection
from ratings import computation
from ratings.models import Round, Scheme
scheme = Scheme.objects.get(slug=sys.argv[1])
round_ = Round(scheme=scheme)
round_.save()
connection.force_debug_cursor = True
before = len(connection.queries)
started, cpu = time.perf_counter(), time.process_time()
count = computation.run(round_)
seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
queries = len(connection.queries) - before
levels = round_.results.distribution()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"members": count, "seconds": seconds, "cpu": cpu, "queries": queries,
                  "peak_mib": peak, "levels": levels}))
"""


def timed_round(slug, env):
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, slug],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(done.stderr)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["process_seconds"] = time.perf_counter() - started
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--merchants", type=int, default=110_000)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    args = parser.parse_args()

    url = os.environ.get("BENCH_RATINGS_DATABASE_URL", DEFAULT_URL)
    os.environ["DATABASE_URL"] = url
    os.environ["REDIS_URL"] = os.environ.get("BENCH_RATINGS_REDIS_URL", DEFAULT_REDIS)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chengxin.settings.test")
    os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "site")])
    sys.path[:0] = [str(ROOT), str(ROOT / "site")]
    recreate_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    seed(args.merchants, args.reviews)
    seeded = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("select version()")
        version = cursor.fetchone()[0].split(" on ")[0]
        cursor.execute("select count(*) from ratings_score")
        scores = cursor.fetchone()[0]
        cursor.execute("select count(*) from ratings_review")
        reviews = cursor.fetchone()[0]
    connection.close()

    big = timed_round("bench-district", dict(os.environ))
    small = timed_round("bench-one-street", dict(os.environ))
    print(
        f"{args.merchants:,} merchants, {scores:,} scores, {reviews:,} reviews "
        f"(seeded in {seeded:.0f} s); {version}; Python {platform.python_version()}; "
        f"{os.cpu_count()} CPUs"
    )
    print(f"load average after the runs: {os.getloadavg()[0]:.1f}")
    print(
        f"{'round':<12} {'members':>8} {'seconds':>8} {'Python CPU s':>13} {'queries':>8} "
        f"{'peak RSS MiB':>13}"
    )
    for name, figures in (("district", big), ("one street", small)):
        print(
            f"{name:<12} {figures['members']:8,} {figures['seconds']:8.1f} {figures['cpu']:13.1f} "
            f"{figures['queries']:8d} {figures['peak_mib']:13.0f}"
        )
    print("levels (district):", json.dumps(big["levels"], sort_keys=True))
    if not args.keep:
        recreate_database(url, drop_only=True)


if __name__ == "__main__":
    main()
