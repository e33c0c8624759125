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


__all__ = ["database_urls", "postgres_server"]
