"""Throwaway PostgreSQL clusters on this machine: a primary and its streaming replica.

Debian's ``pg_createcluster`` makes a cluster on its own port (trust
authentication on loopback, as on the machine's main cluster);
``pg_basebackup -R`` copies the primary into the replica's data directory and
configures it to stream. Used by the router tests and by
``bench/load_and_faults.py``; every cluster is dropped again at the end. Needs
root (it acts as the postgres user); ``unavailable()`` says why it cannot run.
"""

import os
import shutil
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import psycopg


def version():
    versions = sorted(
        (int(path.name) for path in Path("/usr/lib/postgresql").glob("*") if path.name.isdigit()),
        reverse=True,
    )
    return str(versions[0]) if versions else None


def unavailable():
    """None when clusters can be made here, else the reason in words."""
    tools = ("pg_createcluster", "pg_ctlcluster", "pg_basebackup", "runuser")
    missing = [tool for tool in tools if not shutil.which(tool)]
    if missing:
        return f"missing {', '.join(missing)} (Debian's postgresql-common and postgresql)"
    if not version():
        return "no PostgreSQL server under /usr/lib/postgresql"
    if os.geteuid() != 0:
        return "creating PostgreSQL clusters needs root"
    return None


def _run(*args):
    result = subprocess.run(args, capture_output=True, text=True, timeout=180, check=False)
    if result.returncode:
        raise RuntimeError(f"{' '.join(args)} failed: {result.stdout}{result.stderr}")
    return result


class Cluster:
    def __init__(self, name, port):
        self.name = name
        self.port = port
        self.version = version()
        self.data = Path(f"/var/lib/postgresql/{self.version}/{name}")

    def url(self, database):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def exists(self):
        return Path(f"/etc/postgresql/{self.version}/{self.name}").exists()

    def create(self, **settings):
        self.drop()
        _run(
            "pg_createcluster", self.version, self.name, "-p", str(self.port),
            "--start-conf", "manual", "--", "--auth=trust",
        )  # fmt: skip
        lines = [
            f"{key} = '{value}'"
            for key, value in {"listen_addresses": "127.0.0.1", **settings}.items()
        ]
        conf = Path(f"/etc/postgresql/{self.version}/{self.name}/conf.d/chengxin.conf")
        conf.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def ctl(self, action, *extra):
        _run("pg_ctlcluster", "--skip-systemctl-redirect", self.version, self.name, action, *extra)

    def start(self):
        self.ctl("start")
        self.wait_ready()

    def stop(self, mode="fast"):
        self.ctl("stop", "-m", mode)

    def restart(self, mode="fast"):
        self.ctl("restart", "-m", mode)
        self.wait_ready()

    def wait_ready(self, seconds=30):
        deadline = time.monotonic() + seconds
        while True:
            try:
                with psycopg.connect(self.url("postgres"), connect_timeout=2) as connection:
                    connection.execute("select 1")
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def create_database(self, name):
        with psycopg.connect(self.url("postgres"), autocommit=True) as connection:
            connection.execute(f'create database "{name}"')

    def drop(self):
        if self.exists():
            subprocess.run(
                ["pg_dropcluster", "--stop", self.version, self.name],
                capture_output=True,
                check=False,
                timeout=120,
            )

    def follow(self, primary):
        """Replace this (stopped, fresh) cluster's data with a streaming copy of ``primary``."""
        for entry in self.data.iterdir():
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        _run(
            "runuser", "-u", "postgres", "--", "pg_basebackup", "-h", "127.0.0.1",
            "-p", str(primary.port), "-U", "postgres", "-D", str(self.data),
            "-R", "-X", "stream", "-c", "fast",
        )  # fmt: skip


def free_ports(count):
    """``count`` TCP ports nothing listens on now, for clusters made by this process."""
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


@contextmanager
def streaming_pair(prefix, primary_port, replica_port, database, **settings):
    """A started primary with ``database`` in it and a started replica streaming from it."""
    primary = Cluster(f"{prefix}_primary", primary_port)
    replica = Cluster(f"{prefix}_replica", replica_port)
    try:
        primary.create(**settings)
        primary.start()
        primary.create_database(database)
        replica.create(**settings)
        replica.follow(primary)
        replica.start()
        yield primary, replica
    finally:
        replica.drop()
        primary.drop()


def wait_replayed(primary, replica, database, seconds=30):
    """Block until the replica has replayed everything the primary has written so far."""
    with psycopg.connect(primary.url(database), autocommit=True) as connection:
        target = connection.execute("select pg_current_wal_lsn()").fetchone()[0]
    deadline = time.monotonic() + seconds
    with psycopg.connect(replica.url(database), autocommit=True) as connection:
        while True:
            caught_up = connection.execute(
                "select pg_last_wal_replay_lsn() >= %s::pg_lsn", (target,)
            ).fetchone()[0]
            if caught_up:
                return
            if time.monotonic() > deadline:
                raise TimeoutError("the replica did not catch up")
            time.sleep(0.1)
