"""Measurement for bench/precinct_page.py (run inside ``manage.py shell``).

Beside the wall time, the CPU time of this process (Python, templates; not
PostgreSQL's own work): on a shared machine it moves less with the load.
"""

import os
import statistics
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cms import precinct_cache

RUNS = int(os.environ.get("BENCH_RUNS", "15"))
client = Client()


def measure(path):
    times, cpu, queries, size = [], [], set(), 0
    for _ in range(RUNS):
        precinct_cache.forget_all()
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, response.status_code
        queries.add(len(captured))
        size = len(response.content)
    started = time.perf_counter()
    for _ in range(RUNS):
        client.get(path)
    cached = (time.perf_counter() - started) * 1000 / RUNS
    print(
        f"{path:42} uncached median {statistics.median(times):6.1f} ms, "
        f"worst {max(times):6.1f} ms, CPU median {statistics.median(cpu):5.1f} ms, "
        f"queries {sorted(queries)}, "
        f"{size / 1024:.1f} KB; cached {cached:.1f} ms"
    )


client.get("/en/yuexiu/yide-road/")  # warm imports and templates
for path in (
    "/en/",
    "/",
    "/en/yuexiu/",
    "/yuexiu/",
    "/en/yuexiu/beijing-road/",
    "/en/yuexiu/yide-road/",
    "/yuexiu/yide-road/",
    "/en/yuexiu/yide-road/market-3/",
    "/yuexiu/yide-road/?page=20",
    "/en/yuexiu/yide-road/exposure/",
):
    measure(path)
