"""Benchmark: print Yide Road's 2,100 stalls as a label sheet and as A5 window stickers.

    .venv/bin/python bench/print_batches.py [--stalls 2100] [--keep]

It (re)creates the database named by BENCH_PRINT_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/chengxin_bench_print; the name must contain
"bench", because it is dropped first), migrates it with the test settings,
adds the ``yide-road`` area with 14 markets and the stalls spread over them,
then runs, each in its own process so its peak memory is its own:

1. ``print_placards --precinct yide-road --template label-sheet``
2. ``print_placards --precinct yide-road --template window-sticker``

and reports wall time, peak RSS (the main process from wait4, and the whole
process tree including the QR workers, sampled), pages and file size. The PDFs
are written to bench/out/ (ignored by git). The database is dropped at the end
unless --keep is given.
"""

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from databases import recreate_database

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/chengxin_bench_print"
PUBLIC_BASE_URL = "https://xinyong.yuexiu.gz.gov.cn"  # a realistically long host
MARKETS = 14
BATCHES = [("label-sheet", "labels.pdf"), ("window-sticker", "stickers.pdf")]


def create_stalls(count):
    """The Yide Road area: 14 markets and ``count`` dried-goods stalls with valid codes."""
    from merchants.credit_code import complete
    from merchants.models import Association, Merchant, Precinct

    area = Precinct.objects.create(
        slug="yide-road", name_zh="一德路", name_en="Yide Road", kind="area"
    )
    association = Association.objects.create(
        slug="yide-dried-seafood", name_zh="一德路海味干果商会", precinct=area
    )
    markets = [
        Precinct.objects.create(
            slug=f"yide-market-{n:02d}",
            name_zh=f"一德路海味干果第{n}市场",
            name_en=f"Yide Road Dried Seafood Market {n}",
            kind="market",
            parent=area,
        )
        for n in range(1, MARKETS + 1)
    ]
    Merchant.objects.bulk_create(
        [
            Merchant(
                code=complete(f"92440104{n:09d}"),
                name_zh=f"一德路老字号海味干果档口{n}",
                name_en=f"Yide Road Dried Seafood Stall {n}",
                kind="stall",
                category="dried_seafood" if n % 2 else "dry_goods",
                stall=f"{'ABCDEF'[n % 6]}{n % 1000:03d}",
                address=f"越秀区一德路 {n % 400 + 1} 号",
                precinct=markets[n % MARKETS],
                association=association,
            )
            for n in range(count)
        ],
        batch_size=1000,
    )


def tree_rss(root):
    """Resident memory in KiB of ``root`` and every process below it (its QR workers)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
    tree, frontier = {root}, [root]
    while frontier:
        frontier = [pid for pid, parent in parents.items() if parent in frontier]
        tree.update(frontier)
    total = 0
    for pid in tree:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


def timed_batch(template, out, env):
    """Run one batch in a child process.

    Returns (seconds, peak RSS of the main process in MiB as wait4 reports it,
    peak RSS of the whole process tree in MiB sampled every 0.1 s).
    """
    command = [
        sys.executable,
        str(ROOT / "manage.py"),
        "print_placards",
        "--precinct",
        "yide-road",
        "--template",
        template,
        "--out",
        str(out),
        "--verbosity",
        "0",
    ]
    started = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    tree_peak = 0
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        tree_peak = max(tree_peak, tree_rss(child.pid))
        time.sleep(0.1)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"print_placards --template {template} failed")
    return seconds, usage.ru_maxrss / 1024, tree_peak / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stalls", type=int, default=2100)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    args = parser.parse_args()

    url = os.environ.get("BENCH_PRINT_DATABASE_URL", DEFAULT_URL)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chengxin.settings.test")
    os.environ.setdefault("PLACARD_BASE_URL", PUBLIC_BASE_URL)
    sys.path[:0] = [str(ROOT), str(ROOT / "site")]
    recreate_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    create_stalls(args.stalls)
    with connection.cursor() as cursor:
        cursor.execute("select version()")
        version = cursor.fetchone()[0].split(" on ")[0]
    connection.close()

    out_dir = ROOT / "bench" / "out"
    out_dir.mkdir(parents=True, exist_ok=True)
    import pypdfium2

    rows = []
    for template, name in BATCHES:
        out = out_dir / name
        seconds, peak, tree_peak = timed_batch(template, out, dict(os.environ))
        pages = len(pypdfium2.PdfDocument(str(out)))
        rows.append((template, seconds, peak, tree_peak, pages, out.stat().st_size / 2**20))

    print(
        f"{args.stalls:,} stalls; {version}; Python {platform.python_version()}; "
        f"{os.cpu_count()} CPUs; base URL {os.environ['PLACARD_BASE_URL']}"
    )
    print(
        f"{'template':<16} {'seconds':>8} {'peak RSS MiB':>13} {'with workers':>13} "
        f"{'pages':>6} {'PDF MiB':>8}"
    )
    for template, seconds, peak, tree_peak, pages, size in rows:
        print(
            f"{template:<16} {seconds:8.1f} {peak:13.0f} {tree_peak:13.0f} {pages:6d} {size:8.1f}"
        )
    if not args.keep:
        recreate_database(url, drop_only=True)


if __name__ == "__main__":
    main()
