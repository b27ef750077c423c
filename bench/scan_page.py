"""Benchmark: the merchant page through nginx's cache, from Django's cache, and after a scan.

Starts gunicorn (2 sync workers) with production settings on 127.0.0.1, a
PostgreSQL database it migrates itself (``chengxin_bench`` by default) and
Redis, and a private nginx with the shipped cache rules (deploy/nginx/) in
front of it; warms the caches, then drives each URL with wrk (Debian package)
at 32 connections: a trivial Django view (/livez, full middleware), the page
from nginx's cache, the page from Django's cache, and the private page of a
visitor who has just scanned the placard. Prints requests/s, p99 and ratios.

    .venv/bin/python bench/scan_page.py [--seconds 20] [--connections 32]
        [--port 8765] [--nginx-port 8766] [--database-url URL] [--redis-url URL]
        [--profile N]

``--profile N`` instead profiles N after-scan requests in this process with
pyinstrument (same settings and database) and prints where the time goes.
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.nginx_local import LocalNginx  # noqa: E402

CODE = "91350100M000100Y43"


def environment(database_url, redis_url, port):
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="chengxin.settings.production",
        SECRET_KEY="bench-only-" + "s" * 60,
        PLACARD_SECRET="bench-only-" + "p" * 40,
        PUBLIC_BASE_URL=f"http://127.0.0.1:{port}",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        # The rate-limit counters' own database, as production requires.
        RATELIMIT_REDIS_URL=os.environ.get("RATELIMIT_REDIS_URL", "redis://127.0.0.1:6379/10"),
        CACHE_KEY_PREFIX="bench",
        TRUSTED_PROXY_COUNT="1",
        # Every bench request comes from 127.0.0.1; the address limit would refuse the
        # profile's review posts (a fresh device each).
        REVIEW_RATE_IP="1000000/10m",
        REVIEW_RATE_MERCHANT_BURST="1000000/10m",
        LOG_LEVEL="WARNING",
    )
    return env


def manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def scan_cookie(base, token):
    """The cookie a phone gets from scanning the placard: the visitor arrived by scan."""
    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(f"{base}/q/{token}", timeout=5)
    except urllib.error.HTTPError as redirect:
        return redirect.headers["Set-Cookie"].split(";", 1)[0]
    raise RuntimeError("the scan link did not redirect")


def wrk(url, seconds, connections, cookie=None):
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    result = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", *headers, url],
        capture_output=True,
        text=True,
        check=True,
    )
    out = result.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, float(p99.group(1)) * scale, int(non2xx.group(1)) if non2xx else 0


def profile(env, token, requests):
    """Profile ``requests`` after-scan page views in this process (pyinstrument)."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT / "site"))
    import django

    django.setup()
    from django.test import Client
    from pyinstrument import Profiler

    client = Client(SERVER_NAME="127.0.0.1")
    assert client.get(f"/q/{token}").status_code == 302
    page = f"/en/m/{CODE}/"
    for _ in range(50):
        assert client.get(page).status_code == 200
    profiler = Profiler(interval=0.0002)
    started = time.perf_counter()
    profiler.start()
    for _ in range(requests):
        client.get(page)
    profiler.stop()
    elapsed = time.perf_counter() - started
    print(
        f"{requests} after-scan requests in {elapsed:.2f} s: {elapsed / requests * 1e6:.0f} µs each"
    )
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    sizing_costs(token)


def sizing_costs(token, rounds=200):
    """CPU time of one request on one core: a cold page (nothing cached) and a review post.

    Measured in this process (test client, no HTTP), so the figures are the
    application's own cost; docs/DEPLOY.md turns them into requests per core.
    """
    import re as regex

    from django.core.cache import cache, caches
    from django.test import Client

    page = f"/en/m/{CODE}/"
    anonymous = Client(SERVER_NAME="127.0.0.1")
    started = time.process_time()
    for _ in range(rounds):
        cache.clear()
        caches["local"].clear()
        assert anonymous.get(page).status_code == 200
    cold = (time.process_time() - started) / rounds
    started = time.process_time()
    for _ in range(rounds):
        assert anonymous.get(page).status_code == 200
    warm = (time.process_time() - started) / rounds
    posted = 0
    spent = 0.0
    for _ in range(rounds):
        visitor = Client(SERVER_NAME="127.0.0.1")
        visitor.get(f"/q/{token}")
        html = visitor.get(page).content.decode()
        csrf = regex.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        data = {"overall": "4", "product_quality": "5", "service_attitude": "4",
                "comment": "bench", "csrfmiddlewaretoken": csrf}  # fmt: skip
        started = time.process_time()
        response = visitor.post(f"/en/m/{CODE}/review/", data)
        spent += time.process_time() - started
        posted += response.status_code == 303
    print(
        f"CPU per request on one core: cached page {warm * 1e3:.2f} ms, cold page (Redis "
        f"and local copies empty) {cold * 1e3:.2f} ms, review post {spent / rounds * 1e3:.2f} "
        f"ms ({posted}/{rounds} accepted)"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--port", type=int, default=8765, help="gunicorn's port")
    parser.add_argument("--nginx-port", type=int, default=8766, help="the local nginx's port")
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/chengxin_bench"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/9")
    parser.add_argument("--profile", type=int, metavar="N", help="profile N after-scan requests")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")

    env = environment(args.database_url, args.redis_url, args.port)
    subprocess.run([sys.executable, "scripts/ensure_database.py"], cwd=ROOT, env=env, check=True)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    seeded = manage(env, "shell", "-c", "import runpy; runpy.run_path('bench/scan_page_seed.py')")
    token = re.search(r"TOKEN=(\w+)", seeded).group(1)
    if args.profile:
        profile(env, token, args.profile)
        return

    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c",
            "deploy/gunicorn.conf.py",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        base = f"http://127.0.0.1:{args.port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/livez", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        page = f"{base}/en/m/{CODE}/"
        for _ in range(4):  # warm both workers and the cache
            urllib.request.urlopen(page, timeout=5)  # noqa: S310
        cookie = scan_cookie(base, token)
        with LocalNginx(args.nginx_port, args.port):
            proxied = f"http://127.0.0.1:{args.nginx_port}/en/m/{CODE}/"
            with urllib.request.urlopen(proxied, timeout=5) as first:
                first.read()
            with urllib.request.urlopen(proxied, timeout=5) as second:
                cache_status = second.headers.get("X-Cache-Status")
            nginx = wrk(proxied, args.seconds, args.connections)
        trivial = wrk(f"{base}/livez", args.seconds, args.connections)
        scan = wrk(page, args.seconds, args.connections)
        scanned = wrk(page, args.seconds, args.connections, cookie)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    print(f"trivial view  /livez             {trivial[0]:9.1f} req/s  p99 {trivial[1]:7.2f} ms")
    print(
        f"nginx cache   /en/m/<code>/      {nginx[0]:9.1f} req/s  p99 {nginx[1]:7.2f} ms"
        f"  (second request: X-Cache-Status {cache_status})"
    )
    print(f"Django cache  /en/m/<code>/      {scan[0]:9.1f} req/s  p99 {scan[1]:7.2f} ms")
    print(f"  after a scan (private page)    {scanned[0]:9.1f} req/s  p99 {scanned[1]:7.2f} ms")
    print(f"ratio nginx / trivial            {nginx[0] / trivial[0]:9.2f}x")
    print(f"ratio Django cache / trivial     {scan[0] / trivial[0]:9.1%}")
    print(f"ratio after a scan / trivial     {scanned[0] / trivial[0]:9.1%}")
    if trivial[2] or scan[2] or scanned[2] or nginx[2]:
        print(
            f"non-2xx responses: trivial {trivial[2]}, nginx {nginx[2]}, "
            f"scan {scan[2]}, after a scan {scanned[2]}"
        )
        sys.exit(1)


if __name__ == "__main__":
    main()
