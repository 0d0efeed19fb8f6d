"""Create the benchmark's PostgreSQL database afresh (drop it first if it exists).

Run: .venv/bin/python bench/database.py postgres://postgres@127.0.0.1:5432/lcspr_bench

Refuses any database whose name does not contain "bench", so a DATABASE_URL left pointing at a
real database is never dropped.
"""

import sys
import urllib.parse

import psycopg2
from psycopg2 import sql


def recreate(url: str) -> str:
    parsed = urllib.parse.urlsplit(url)
    name = parsed.path.lstrip("/")
    if parsed.scheme not in ("postgres", "postgresql", "pgsql") or "bench" not in name:
        raise SystemExit(
            f"Refusing to recreate {name or url!r}: give a PostgreSQL *bench* database."
        )
    conn = psycopg2.connect(
        host=parsed.hostname or "127.0.0.1",
        port=parsed.port or 5432,
        user=urllib.parse.unquote(parsed.username or "postgres"),
        password=urllib.parse.unquote(parsed.password or "") or None,
        dbname="postgres",
    )
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    conn.close()
    return name


if __name__ == "__main__":
    print(f"Created the database {recreate(sys.argv[1])}")
