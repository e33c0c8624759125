"""The PostgreSQL server the benchmarks build their databases on (DATABASE_URL)."""

from __future__ import annotations

import os
import sys
from urllib.parse import SplitResult, urlsplit, urlunsplit

POSTGRES_SCHEMES = frozenset({"postgres", "postgresql", "pgsql"})


def postgres_server(program: str, needs: str) -> SplitResult:
    """DATABASE_URL, split; anything but PostgreSQL is refused (exit 2) with `needs`, the
    reason, e.g. "this benchmark needs PostgreSQL (COPY, realistic plans)"."""
    url = os.environ.get("DATABASE_URL", "")
    problem = ""
    if not url:
        problem = (
            "set DATABASE_URL to a PostgreSQL server, e.g. postgres://root@127.0.0.1:5432/test"
        )
    elif urlsplit(url).scheme not in POSTGRES_SCHEMES:
        scheme = urlsplit(url).scheme or "not a URL"
        problem = f"DATABASE_URL is {scheme}: {needs}. SQLite is refused."
    if problem:
        print(f"{program}: {problem}", file=sys.stderr)
        sys.exit(2)
    return urlsplit(url)


def database_urls(program: str, needs: str, database: str) -> tuple[str, str]:
    """(URL of the server's maintenance database, URL of `database` on the same server)."""
    parts = postgres_server(program, needs)
    return (
        urlunsplit(parts._replace(path="/postgres")),
        urlunsplit(parts._replace(path=f"/{database}")),
    )


def maintenance(url: str, sql: str) -> None:
    """Run `sql` (CREATE or DROP DATABASE) on the server's maintenance database."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)


def setup_django_on(bench_url: str, cache_dir: str) -> None:
    """Django on the benchmark's own database, production-like (no query log, persistent
    connections), with the embedded cache in a directory of the run's own."""
    os.environ["DATABASE_URL"] = bench_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ["DJANGO_DEBUG"] = "0"  # production-like: no query log
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-" + os.urandom(16).hex())
    os.environ.setdefault("DJANGO_CONN_MAX_AGE", "600")
    os.environ.pop("REDIS_URL", None)  # the embedded cache, in a directory of the run's own
    os.environ["NEWSROOM_CACHE_DIR"] = cache_dir
    import django

    django.setup()


__all__ = ["database_urls", "maintenance", "postgres_server", "setup_django_on"]
