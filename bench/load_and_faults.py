"""Load with faults: the production stack (`scripts/serve.py`) under a mixed load for minutes,
while Redis and then PostgreSQL are restarted under it.

Everything runs on throwaway services of its own: a PostgreSQL cluster made with
Debian's pg_createcluster (``tests/clusters.py``, port 5441 by default) and a
redis-server without persistence (port 6391), both dropped at the end; the
stack is `scripts/serve.py` with its own env file (port 8781). Needs root.

Traffic (Python threads, one connection per request, bounded by time and count):
80% merchant pages (90% from 50 hot merchants, the rest from all of them, so
some are cold), 15% precinct pages and API answers, 5% a visitor who scans a
placard, opens the page and posts a review. At 1/3 of the run Redis is
stopped and started 3 s later; at 2/3 PostgreSQL is restarted (fast mode).

Reports throughput, p50/p99 and errors by status overall and per phase, how long
errors lasted after each fault, 5xx after recovery (must be 0), the resident
memory of every gunicorn worker at start and end, that every accepted review
is stored exactly once and nothing else was, and that a device's review limit
still refuses the 6th review in an hour after Redis came back.

    .venv/bin/python bench/load_and_faults.py [--seconds 200] [--threads 6]
"""

import argparse
import http.client
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests import clusters  # noqa: E402

# A worker's resident memory may grow this much over the run (caches filling:
# the per-process page and placard copies are bounded by count); more is a leak.
RSS_GROWTH_BOUND_MIB = 30
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REVIEW = {"overall": "4", "product_quality": "5", "service_attitude": "4", "comment": "bench"}


class Client:
    """A browser-ish visitor: keeps cookies, one connection per request."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, body=None):
        headers = {"Accept-Language": "zh-CN,zh;q=0.9"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key] = rest.split(";", 1)[0]
            return response.status, text, response.getheader("Location")
        finally:
            connection.close()


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.events = []  # (seconds since start, kind, status, milliseconds)
        self.accepted_reviews = 0

    def add(self, started_at, kind, status, milliseconds):
        with self.lock:
            self.events.append((started_at, kind, status, milliseconds))


def timed(recorder, origin, kind, func):
    started = time.monotonic()
    try:
        result = func()
        status = result[0]
    except (OSError, http.client.HTTPException):
        result, status = None, 0  # connection refused or reset: the stack was unreachable
    recorder.add(started - origin, kind, status, (time.monotonic() - started) * 1000)
    return result


def scan_and_review(port, placard, recorder, origin):
    token, code = placard
    visitor = Client(port)
    scanned = timed(recorder, origin, "scan", lambda: visitor.request("GET", f"/q/{token}"))
    if not scanned or scanned[0] != 302:
        return
    page = timed(recorder, origin, "page", lambda: visitor.request("GET", f"/m/{code}/"))
    if not page or page[0] != 200:
        return
    found = CSRF_FIELD.search(page[1])
    if not found:
        return
    body = urlencode({**REVIEW, "csrfmiddlewaretoken": found.group(1)})
    posted = timed(
        recorder, origin, "review", lambda: visitor.request("POST", f"/m/{code}/review/", body)
    )
    if posted and posted[0] == 303:
        with recorder.lock:
            recorder.accepted_reviews += 1


def worker(port, seed, recorder, origin, stop_at, max_requests, placards):
    rng = random.Random(threading.get_ident())
    hot = seed["codes"][:50]
    anonymous = Client(port)
    while time.monotonic() < stop_at and len(recorder.events) < max_requests:
        anonymous.cookies.clear()
        roll = rng.random()
        if roll < 0.80:
            code = rng.choice(hot) if rng.random() < 0.9 else rng.choice(seed["codes"])
            path = f"/en/m/{code}/" if rng.random() < 0.3 else f"/m/{code}/"
            timed(recorder, origin, "merchant", lambda p=path: anonymous.request("GET", p))
        elif roll < 0.95:
            if rng.random() < 0.5:
                path = rng.choice(seed["precincts"])
                kind = "precinct"
            else:
                path, kind = f"/api/v1/merchants/{rng.choice(seed['codes'])}", "api"
            timed(recorder, origin, kind, lambda p=path: anonymous.request("GET", p))
        else:
            with recorder.lock:
                placard = placards.pop() if placards else None
            if placard:
                scan_and_review(port, placard, recorder, origin)


def rss_of_workers(master_pid):
    """{pid: resident MiB} of the gunicorn master's children."""
    found = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == str(master_pid):
            found[int(status.parent.name)] = int(fields["VmRSS"].split()[0]) / 1024
    return found


def gunicorn_master(serve_pid):
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
            cmdline = (status.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if f"PPid:\t{serve_pid}\n" in text and b"gunicorn" in cmdline:
            return int(status.parent.name)
    return None


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else 0.0


def summarise(events, start, end):
    chosen = [event for event in events if start <= event[0] < end]
    if not chosen:
        return "no requests"
    latencies = [event[3] for event in chosen]
    statuses = {}
    for event in chosen:
        statuses[event[2]] = statuses.get(event[2], 0) + 1
    errors = {s: n for s, n in statuses.items() if s == 0 or s >= 500}  # 0: refused
    return (
        f"{len(chosen) / (end - start):7.1f} req/s  p50 {statistics.median(latencies):6.1f} ms  "
        f"p99 {percentile(latencies, 0.99):7.1f} ms  errors {errors or 0}  "
        f"(statuses {dict(sorted(statuses.items()))})"
    )


def error_window(events, fault_at, until):
    """(first, last) seconds after ``fault_at``, before ``until``, with a 5xx or refusal."""
    failing = [e[0] for e in events if fault_at <= e[0] < until and (e[2] == 0 or e[2] >= 500)]
    if not failing:
        return None
    # The window ends at the last failure followed by 5 clean seconds.
    failing.sort()
    last = failing[0]
    for moment in failing:
        if moment - last > 5:
            break
        last = moment
    return failing[0] - fault_at, last - fault_at


def check_limit_after_recovery(port, placards):
    """One device reviews 6 merchants within the hour: the 6th must be refused (429)."""
    visitor = Client(port)
    statuses = []
    for token, code in placards[:6]:
        visitor.request("GET", f"/q/{token}")
        status, html, _ = visitor.request("GET", f"/m/{code}/")
        found = CSRF_FIELD.search(html)
        if not found:
            statuses.append(status)
            continue
        body = urlencode({**REVIEW, "csrfmiddlewaretoken": found.group(1)})
        statuses.append(visitor.request("POST", f"/m/{code}/review/", body)[0])
    return statuses


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=200)
    parser.add_argument("--threads", type=int, default=6)
    parser.add_argument("--max-requests", type=int, default=2_000_000)
    parser.add_argument("--port", type=int, default=8781)
    parser.add_argument("--postgres-port", type=int, default=5441)
    parser.add_argument("--redis-port", type=int, default=6391)
    args = parser.parse_args()
    if args.seconds < 60:
        sys.exit("run for at least a minute: faults come at 1/3 and 2/3 of the run")
    reason = clusters.unavailable()
    if reason:
        sys.exit(f"cannot make a PostgreSQL cluster here: {reason}")

    workdir = Path(tempfile.mkdtemp(prefix="chengxin-load-"))
    database = clusters.Cluster("chengxin_load_bench", args.postgres_port)
    redis_command = [
        "redis-server", "--port", str(args.redis_port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--dir", str(workdir),
    ]  # fmt: skip
    redis = None
    serve = None
    try:
        database.create()
        database.start()
        database.create_database("chengxin")
        redis = subprocess.Popen(redis_command, stdout=subprocess.DEVNULL)
        env_file = workdir / "serve.env"
        values = {
            "DJANGO_SETTINGS_MODULE": "chengxin.settings.production",
            "SECRET_KEY": "load-bench-" + "s" * 60,
            "PLACARD_SECRET": "load-bench-" + "p" * 40,
            "DATABASE_URL": database.url("chengxin"),
            "REDIS_URL": f"redis://127.0.0.1:{args.redis_port}/0",
            "RATELIMIT_REDIS_URL": f"redis://127.0.0.1:{args.redis_port}/1",
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{args.port}",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_HSTS_SECONDS": "0",
            "TRUSTED_PROXY_COUNT": "0",
            "LOG_LEVEL": "ERROR",
            "GUNICORN_ACCESS_LOG": "off",
            # Every request comes from 127.0.0.1: the per-address limit would
            # refuse the bench's reviews; the device limit is checked at the end.
            "REVIEW_RATE_IP": "1000000/10m",
            "REVIEW_RATE_MERCHANT_BURST": "1000000/10m",
        }
        env_file.write_text("".join(f"{k}={v}\n" for k, v in values.items()))
        env_file.chmod(0o600)
        env = {**os.environ, **values}
        seeded = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT, env=env, check=True,
        )  # fmt: skip
        seeded = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c",
             "import runpy; runpy.run_path('bench/load_seed.py')"],
            cwd=ROOT, env=env, check=True, capture_output=True, text=True,
        )  # fmt: skip
        seed = json.loads(re.search(r"^SEED=(.*)$", seeded.stdout, re.M).group(1))
        serve = subprocess.Popen(
            [sys.executable, "scripts/serve.py", "--port", str(args.port),
             "--env-file", str(env_file)],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=open(workdir / "serve.log", "w"),  # noqa: SIM115
        )  # fmt: skip
        probe = Client(args.port)
        for _ in range(300):
            try:
                if probe.request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            sys.exit(f"the stack did not come up; see {workdir}/serve.log")
        for code in seed["codes"][:50]:  # warm the hot pages in every worker
            for _ in range(3):
                probe.request("GET", f"/m/{code}/")
        master = gunicorn_master(serve.pid)
        rss_start = rss_of_workers(master)

        recorder = Recorder()
        placards = list(seed["placards"][6:])
        random.Random(7).shuffle(placards)
        origin = time.monotonic()
        stop_at = origin + args.seconds
        threads = [
            threading.Thread(
                target=worker,
                args=(args.port, seed, recorder, origin, stop_at, args.max_requests, placards),
            )
            for _ in range(args.threads)
        ]
        for thread in threads:
            thread.start()
        redis_fault = args.seconds / 3
        postgres_fault = 2 * args.seconds / 3
        time.sleep(max(0, origin + redis_fault - time.monotonic()))
        redis.terminate()
        redis.wait(timeout=20)
        time.sleep(3)
        redis = subprocess.Popen(redis_command, stdout=subprocess.DEVNULL)
        redis_back = time.monotonic() - origin
        time.sleep(max(0, origin + postgres_fault - time.monotonic()))
        database.restart()
        postgres_back = time.monotonic() - origin
        for thread in threads:
            thread.join(timeout=args.seconds + 60)
        duration = time.monotonic() - origin
        rss_end = rss_of_workers(master)
        limit_statuses = check_limit_after_recovery(args.port, seed["placards"])

        check = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c",
             "from ratings.models import Review; print('REVIEWS=%d' % Review.objects.count())"],
            cwd=ROOT, env=env, check=True, capture_output=True, text=True,
        )  # fmt: skip
        stored = int(re.search(r"REVIEWS=(\d+)", check.stdout).group(1))
    finally:
        if serve is not None:
            serve.send_signal(signal.SIGINT)
            try:
                serve.wait(timeout=60)
            except subprocess.TimeoutExpired:
                serve.kill()
        if redis is not None:
            redis.terminate()
            redis.wait(timeout=20)
        database.drop()

    events = recorder.events
    print(f"run: {duration:.0f} s, {args.threads} client threads, {len(events)} requests")
    print(f"whole run        {summarise(events, 0, duration)}")
    for kind in ("merchant", "precinct", "api", "scan", "page", "review"):
        chosen = [e for e in events if e[1] == kind]
        print(f"  {kind:9}      {summarise(chosen, 0, duration)}")
    print(f"before faults    {summarise(events, 0, redis_fault)}")
    print(f"Redis restart    stopped at {redis_fault:.0f} s, back at {redis_back:.0f} s")
    print(f"  errors after   {error_window(events, redis_fault, postgres_fault)} s (first, last)")
    print(
        f"  reviews while Redis was down: "
        f"{ {e[2] for e in events if e[1] == 'review' and redis_fault <= e[0] < redis_back} }"
    )
    print(f"PostgreSQL restart at {postgres_fault:.0f} s, back at {postgres_back:.0f} s")
    print(f"  errors after   {error_window(events, postgres_fault, duration)} s (first, last)")
    recovered = postgres_back + 5
    after = [e for e in events if e[0] >= recovered and (e[2] == 0 or e[2] >= 500)]
    print(f"5xx or refused after {recovered:.0f} s (recovery + 5 s): {len(after)}")
    print(f"after recovery   {summarise(events, recovered, duration)}")
    print(
        f"reviews accepted (303): {recorder.accepted_reviews}, stored: {stored} "
        f"(+5 expected from the limit check)"
    )
    print(f"device limit after Redis returned, 6 reviews from one device: {limit_statuses}")
    print("worker RSS MiB at start: " + ", ".join(f"{v:.0f}" for v in rss_start.values()))
    print("worker RSS MiB at end:   " + ", ".join(f"{v:.0f}" for v in rss_end.values()))
    same = set(rss_start) & set(rss_end)
    growth = max((rss_end[pid] - rss_start[pid] for pid in same), default=0.0)
    print(
        f"workers replaced: {len(set(rss_start) - set(rss_end))}; largest growth {growth:.1f} MiB"
    )
    ok = (
        growth < RSS_GROWTH_BOUND_MIB
        and not after
        and stored == recorder.accepted_reviews + limit_statuses.count(303)
        and limit_statuses[:5] == [303] * 5
        and limit_statuses[5] == 429
    )
    print("RESULT: " + ("pass" if ok else "FAIL"))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
