"""Benchmark: a precinct page over 2,100 members, rendered uncached, and its query count.

Migrates its own PostgreSQL database (``chengxin_bench_precinct`` by default;
dropped and recreated each run), seeds the Yide Road area with 14 markets of
150 stalls and a street of 200 shops in one district, scores the stalls under
the sample scheme for two years and publishes both rounds
(``bench/precinct_page_seed.py``), analyses the tables, gives every precinct
its pages, then renders the home, district, street, area (all 2,100 members:
statistics, ranking, first page of the directory), market and exposure-board
pages with the cached precinct pages dropped before each request (as a
published round drops them), through Django's test client in one process
with the production settings. Prints the median and worst time, the median
CPU time of the process, the number of queries and the page size.

    .venv/bin/python bench/precinct_page.py [--runs 15]
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

from databases import recreate_database

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/chengxin_bench_precinct"
    )
    args = parser.parse_args()
    recreate_database(args.database_url)
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="chengxin.settings.production",
        SECRET_KEY="bench-only-" + "s" * 60,
        PLACARD_SECRET="bench-only-" + "p" * 40,
        PUBLIC_BASE_URL="http://127.0.0.1",
        ALLOWED_HOSTS="testserver,127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=args.database_url,
        REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/9"),
        RATELIMIT_REDIS_URL=os.environ.get("RATELIMIT_REDIS_URL", "redis://127.0.0.1:6379/10"),
        CACHE_KEY_PREFIX="bench-precinct",
        LOG_LEVEL="WARNING",
        BENCH_RUNS=str(args.runs),
    )

    def manage(*command):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)

    manage("migrate", "--noinput", "-v0")
    manage("collectstatic", "--noinput", "-v0")
    manage("shell", "-c", "import runpy; runpy.run_path('bench/precinct_page_seed.py')")
    manage("sync_precinct_pages")
    manage("shell", "-c", "import runpy; runpy.run_path('bench/precinct_page_measure.py')")


if __name__ == "__main__":
    main()
