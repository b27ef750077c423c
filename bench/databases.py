"""Throwaway PostgreSQL databases for the benchmarks, which drop and recreate their own."""

import sys
from urllib.parse import urlsplit

import psycopg
from psycopg import sql


def recreate_database(url, drop_only=False):
    """Drop the database named in ``url`` and create it empty (or only drop it).

    Refuses any name without "bench", so a mistyped URL cannot wipe real data.
    """
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"refusing to drop {name!r}: the benchmark database name must contain 'bench'")
    with psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname="postgres",
        autocommit=True,
    ) as connection:
        connection.execute(
            sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name))
        )
        if not drop_only:
            connection.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
