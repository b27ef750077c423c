"""`make serve`: the production stack on this machine, behind nothing.

On first run it writes the env file (``serve.env`` by default, mode 0600, never
committed) with fresh random secrets; it refuses to read one that other users
may read. Then, with ``chengxin.settings.production`` and that file's
variables: creates the database if missing, applies migrations, collects the
static files (hashed and compressed for WhiteNoise), and runs gunicorn
(``deploy/gunicorn.conf.py``: workers from the CPU count) beside the
django-tasks database worker (print batches and rating rounds). Ctrl-C stops
both. The task worker is started again whenever it exits (it does when
PostgreSQL restarts); if gunicorn stops, so does everything.

    .venv/bin/python scripts/serve.py [--port 8000] [--env-file serve.env]
"""

import argparse
import os
import secrets
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def fresh_env_file(path, port):
    """Write a new env file with random secrets, readable by its owner only."""
    values = {
        "DJANGO_SETTINGS_MODULE": "chengxin.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "PLACARD_SECRET": secrets.token_urlsafe(40),
        "DATABASE_URL": os.environ.get(
            "SERVE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/chengxin_serve"
        ),
        "REDIS_URL": os.environ.get("SERVE_REDIS_URL", "redis://127.0.0.1:6379/0"),
        # Rate-limit counters in a Redis database of their own (never evicted).
        "RATELIMIT_REDIS_URL": os.environ.get(
            "SERVE_RATELIMIT_REDIS_URL", "redis://127.0.0.1:6379/1"
        ),
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Plain HTTP on this machine, reached directly: no TLS redirect, no HSTS, no proxy.
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "TRUSTED_PROXY_COUNT": "0",
    }
    text = "".join(f"{key}={value}\n" for key, value in values.items())
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write("# Written by `make serve` with fresh secrets. Never commit this file.\n")
        handle.write(text)
    print(f"wrote {path} with fresh secrets (mode 0600)")


def read_env_file(path):
    """KEY=VALUE lines; refuses a file that users other than its owner may read."""
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        sys.exit(
            f"{path} is readable by other users (mode {stat.filemode(mode)}): it holds "
            f"secrets. Run: chmod 600 {path}"
        )
    values = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.strip():
            sys.exit(f"{path}:{number}: expected KEY=VALUE")
        values[key.strip()] = value.strip()
    return values


def run(env, *args):
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--env-file", type=Path, default=ROOT / "serve.env")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: 2 per CPU + 1)")
    args = parser.parse_args()

    if not args.env_file.exists():
        fresh_env_file(args.env_file, args.port)
    env = dict(os.environ)
    env.update(read_env_file(args.env_file))
    env["GUNICORN_BIND"] = f"127.0.0.1:{args.port}"
    if args.workers:
        env["GUNICORN_WORKERS"] = str(args.workers)

    subprocess.run(
        [str(BIN / "python"), "scripts/ensure_database.py"], cwd=ROOT, env=env, check=True
    )
    run(env, "migrate", "--noinput", "-v0")
    run(env, "collectstatic", "--noinput", "-v0")
    gunicorn = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py"], cwd=ROOT, env=env
    )
    worker_command = [
        str(BIN / "python"), "manage.py", "db_worker", "--queue-name", "*", "--no-reload",
    ]  # fmt: skip
    worker = subprocess.Popen(worker_command, cwd=ROOT, env=env)
    print(f"serving http://127.0.0.1:{args.port}/ (gunicorn + db_worker); Ctrl-C stops")

    def stop(*_):
        for child in (gunicorn, worker):
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in (gunicorn, worker):
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        while gunicorn.poll() is None:
            if worker.poll() is not None:
                # The task worker exits when PostgreSQL goes away (a restart, a
                # failover); queued tasks wait in the database, so start it again.
                print(f"db_worker exited ({worker.returncode}); restarting it", file=sys.stderr)
                time.sleep(2)
                worker = subprocess.Popen(worker_command, cwd=ROOT, env=env)
            time.sleep(0.5)
        print("gunicorn stopped; stopping the task worker", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, SystemExit):
        return 0
    finally:
        stop()


if __name__ == "__main__":
    sys.exit(main())
