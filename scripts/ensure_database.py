"""Create the PostgreSQL database named in DATABASE_URL if it does not exist yet.

The test suite creates its own test_<name> database, but ``manage.py check``
and ``makemigrations --check`` connect to the named one first.
"""

import os
import sys
from urllib.parse import urlsplit

import psycopg
from psycopg import sql


def main():
    url = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/chengxin"))
    if not url.scheme.startswith("postgres"):
        return 0
    name = url.path.lstrip("/")
    with psycopg.connect(
        host=url.hostname,
        port=url.port or 5432,
        user=url.username,
        password=url.password,
        dbname="postgres",
        autocommit=True,
    ) as connection:
        exists = connection.execute("select 1 from pg_database where datname = %s", (name,))
        if exists.fetchone() is None:
            connection.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
            print(f"created database {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
