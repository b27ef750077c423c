"""Benchmark: peak memory and time of reading a 500,000-row import, CSV and XLSX.

    .venv/bin/python bench/import_streaming.py [--rows 500000] [--full]

It (re)creates the database named by BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/chengxin_bench_streaming; the name must
contain "bench"), migrates it, writes a merchants file of --rows rows as CSV
(UTF-8 and GB18030) and as XLSX, each also with a wrong header, and runs
``import_credit merchants FILE --dry-run`` on each in a fresh Python process,
reporting that process's peak resident memory (ru_maxrss) and wall time:

- wrong header: the file is refused on its header, before any row is read;
- dry run: every row is decoded, checked and compared with the archive;
  nothing is written;
- full import (with ``--full``, CSV only): the same file imported for real,
  every row written and audited in one transaction.

The database is dropped at the end.
"""

import argparse
import csv
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from databases import recreate_database
from import_merchants import DISTRICT, HEADER, MARKETS, STREET, merchant_rows

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/chengxin_bench_streaming"
BENCH_USER = "bench-import"
WRONG_HEADER = ["代码", *HEADER[1:]]
DIMENSION = True
# Peak resident memory of the measuring process itself. Not ru_maxrss: Linux
# carries it over from the parent across fork and exec, so a child would
# report this script's own peak after it has written a large workbook.
PEAK_KB = (
    "def peak_kb():\n"
    "    for line in open('/proc/self/status'):\n"
    "        if line.startswith('VmHWM:'):\n"
    "            return int(line.split()[1])\n"
)


def write_csv(path, header, rows, encoding):
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def write_xlsx(path, header, rows, count):
    """A workbook as Excel and WPS write it: with the sheet's <dimension> up front.

    openpyxl's write-only mode leaves <dimension> out, and openpyxl's reader
    then scans the whole sheet once on opening to look for it (constant
    memory, but linear time); files from Excel or WPS have it. ``--no-dimension``
    measures that case.
    """
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    if DIMENSION:
        _add_dimension(path, f"A1:{chr(ord('A') + len(header) - 1)}{count + 1}")


def _add_dimension(path, ref):
    import shutil
    import zipfile

    rewritten = path.with_suffix(".tmp")
    with (
        zipfile.ZipFile(path) as source,
        zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    b"<sheetData>", f'<dimension ref="{ref}"/><sheetData>'.encode(), 1
                )
            target.writestr(item, data)
    shutil.move(rewritten, path)


def measure(path, dry_run=True):
    """Run one import in a child process: (seconds, peak MB, last line)."""
    dry = "'--dry-run'," if dry_run else ""
    script = (
        PEAK_KB + "import io, sys, django; django.setup();"
        "from django.core.management import call_command;"
        "from django.core.management.base import CommandError;"
        "out = io.StringIO()\n"
        "try:\n"
        f"    call_command('import_credit', 'merchants', {str(path)!r}, {dry}"
        f" '--no-progress', '--user', {BENCH_USER!r}, stdout=out); code = 0\n"
        "except CommandError as error:\n"
        "    out.write(str(error)); code = 1\n"
        "print(out.getvalue().strip().splitlines()[-1][:110])\n"
        "print(peak_kb())\n"
    )
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": f"{ROOT / 'site'}:{ROOT}"},
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if result.returncode:
        sys.exit(result.stderr)
    summary, peak_kb = result.stdout.strip().splitlines()[-2:]
    return seconds, int(peak_kb) / 1024, summary


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=500_000)
    parser.add_argument("--formats", default="csv,xlsx", help="csv, xlsx or both")
    parser.add_argument("--encodings", default="utf-8,gb18030", help="the CSV encodings")
    parser.add_argument(
        "--full", action="store_true", help="also import the CSV files for real, after the dry run"
    )
    parser.add_argument(
        "--no-dimension", action="store_true", help="XLSX without <dimension> (see write_xlsx)"
    )
    args = parser.parse_args()
    global DIMENSION
    DIMENSION = not args.no_dimension
    formats = set(args.formats.split(","))

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

    from merchants.models import Precinct

    call_command("migrate", verbosity=0)
    get_user_model().objects.create(username=BENCH_USER)
    district = Precinct.objects.create(slug=DISTRICT, name_zh="越秀区", kind="district")
    Precinct.objects.create(slug=STREET, name_zh="北京路步行街", kind="street", parent=district)
    for slug in MARKETS:
        Precinct.objects.create(slug=slug, name_zh=f"一德路市场{slug[-2:]}", kind="market")
    connection.close()

    idle = subprocess.run(
        [
            sys.executable,
            "-c",
            PEAK_KB + "import django; django.setup(); print(peak_kb())",
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": f"{ROOT / 'site'}:{ROOT}"},
        capture_output=True,
        text=True,
        check=True,
    )
    baseline = int(idle.stdout.strip().splitlines()[-1]) / 1024
    results = []
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        files = []
        for header, label in ((WRONG_HEADER, "wrong header"), (HEADER, "dry run")):
            for encoding in args.encodings.split(",") if "csv" in formats else ():
                path = folder / f"{label.replace(' ', '-')}-{encoding}.csv"
                write_csv(path, header, merchant_rows(args.rows), encoding)
                files.append((f"CSV {encoding}, {label}", path, True))
                if args.full and header is HEADER:
                    files.append((f"CSV {encoding}, full import", path, False))
            if "xlsx" in formats:
                path = folder / f"{label.replace(' ', '-')}.xlsx"
                write_xlsx(path, header, merchant_rows(args.rows), args.rows)
                suffix = "" if DIMENSION else " (no <dimension>)"
                files.append((f"XLSX{suffix}, {label}", path, True))
        for label, path, dry_run in files:
            size = path.stat().st_size / 1024 / 1024
            seconds, peak, summary = measure(path, dry_run)
            results.append((label, size, seconds, peak, summary))
            print(f"{label:<26} {size:6.1f} MB {seconds:7.1f} s {peak:7.0f} MB  {summary}")

    print(
        f"\n{args.rows:,} rows; Python {platform.python_version()}; {os.cpu_count()} CPUs; "
        f"an idle child process with Django loaded peaks at about {baseline:.0f} MB"
    )
    print(f"{'file':<26} {'size':>9} {'seconds':>9} {'peak RSS':>10}  last line")
    for label, size, seconds, peak, summary in results:
        print(f"{label:<26} {size:6.1f} MB {seconds:7.1f} s {peak:7.0f} MB  {summary}")
    recreate_database(url, drop_only=True)


if __name__ == "__main__":
    main()
