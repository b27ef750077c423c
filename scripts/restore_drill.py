"""Backup and restore drill: dump a database, restore it into a throwaway cluster, compare.

A backup counts only once a restore from it has worked. This takes a logical
backup (``pg_dump --format=custom``, what the nightly job runs), makes a fresh
PostgreSQL cluster on its own port with Debian's pg_createcluster, restores
into it with ``pg_restore``, compares the row count of every table with the
source, and drops the cluster. Needs root (the cluster is made as postgres).

    .venv/bin/python scripts/restore_drill.py --source-url postgres://…/chengxin [--port 5447]
"""

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests import clusters  # noqa: E402


def row_counts(url):
    with psycopg.connect(url) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "select tablename from pg_tables where schemaname = 'public' order by tablename"
            )
        ]
        return {
            table: connection.execute(
                sql.SQL("select count(*) from {}").format(sql.Identifier(table))
            ).fetchone()[0]
            for table in tables
        }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source-url", required=True)
    parser.add_argument("--port", type=int, default=5447)
    parser.add_argument("--keep-dump", type=Path, help="also keep the dump file here")
    args = parser.parse_args()
    reason = clusters.unavailable()
    if reason:
        sys.exit(f"cannot make a PostgreSQL cluster here: {reason}")

    dump = Path(tempfile.mkdtemp(prefix="chengxin-drill-")) / "chengxin.dump"
    started = time.monotonic()
    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", "--file", str(dump), args.source_url],
        check=True,
    )
    dumped = time.monotonic() - started
    print(f"pg_dump: {dump.stat().st_size / 1024 / 1024:.1f} MiB in {dumped:.1f} s")
    if args.keep_dump:
        args.keep_dump.write_bytes(dump.read_bytes())

    target = clusters.Cluster("chengxin_restore_drill", args.port)
    try:
        target.create()
        target.start()
        target.create_database("chengxin")
        started = time.monotonic()
        subprocess.run(
            ["pg_restore", "--no-owner", "--jobs", "2", "--exit-on-error",
             "--dbname", target.url("chengxin"), str(dump)],
            check=True,
        )  # fmt: skip
        print(f"pg_restore into a fresh cluster: {time.monotonic() - started:.1f} s")
        source, restored = row_counts(args.source_url), row_counts(target.url("chengxin"))
    finally:
        target.drop()

    differing = {t: (source.get(t), restored.get(t)) for t in source.keys() | restored.keys()}
    differing = {t: pair for t, pair in differing.items() if pair[0] != pair[1]}
    print(f"tables: {len(source)}, rows: {sum(source.values())}")
    if differing:
        print(f"RESTORE DIFFERS: {differing}")
        return 1
    print("restore matches the source row for row count in every table")
    return 0


if __name__ == "__main__":
    sys.exit(main())
