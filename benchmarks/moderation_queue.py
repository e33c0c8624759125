#!/usr/bin/env python3
"""Benchmark: the moderation queue in Django admin at a million comments, beside a naive admin.

    DATABASE_URL=postgres://root@127.0.0.1:5432/test python benchmarks/moderation_queue.py
    ... benchmarks/moderation_queue.py --quick      # 2,000 comments, for CI

DATABASE_URL names the PostgreSQL server; the benchmark creates its own database (named
after its process, never the one in the URL), migrates it, fills it in SQL (20,000 articles
by COPY, 1,000,000 comments by INSERT ... SELECT generate_series: 10% pending, 80% approved,
7% rejected, 3% spam, the pending ones scattered through time; half imported with a tally,
one in 25 quoting an earlier comment), VACUUM ANALYZEs it, and drops it at the end.

A moderator (group Moderators, logged in with a real session) GETs the changelist through
Django's WSGI application with the whole middleware stack, debug off, as a server would:

- page 1 of each status filter: pending (the default), approved, rejected, spam, all;
- page 1 of pending right after a decision (the moderator's usual next page load; the
  decision is taken through the moderation service outside the timer);
- page 1 of pending with an empty cache (what one load a minute costs, when the queue's
  cached numbers expire; not one of the goals' cases);
- the deepest page the queue links, for pending and for all.

The anchor, timed in the same rounds (ours, anchor, ours, anchor, ...), is a naive admin: a
plain ModelAdmin for Comment on its own AdminSite (registered only here), with Django's
default Paginator, list_filter on status, 50 a page. Its "deepest page" is the last page its
paginator links. Query counts are captured once per case, outside the timed rounds.

It prints one table (median ms of each side, queries, ratio ours/anchor, and for the deep
pages the ratio to page 1 of the same filter) and, last, one JSON line with the figures, the
goals (page 1 <= 40 ms and <= 5 queries for every filter, deepest <= 2x page 1) and how long
the run took.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
import types
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.server import maintenance  # noqa: E402

QUEUE = "/admin/articles/comment/"
NAIVE = "/naive-admin/articles/comment/"
PER_PAGE = 50
GOAL_MS, GOAL_QUERIES, GOAL_DEEP_RATIO = 40.0, 5, 2.0
# Out of every 100 comments (by a hash of the row number, so each status is scattered); the
# % doubled, as the statement it goes into has parameters.
STATUS_SQL = (
    "CASE WHEN (i * 7919) %% 100 < 10 THEN 'pending' WHEN (i * 7919) %% 100 < 90 THEN 'approved' "
    "WHEN (i * 7919) %% 100 < 97 THEN 'rejected' ELSE 'spam' END"
)


def fail(message: str) -> None:
    print(f"queue benchmark: {message}", file=sys.stderr)
    sys.exit(2)


def server_urls(name: str) -> tuple[str, str]:
    """(URL of the server's maintenance database, URL of the benchmark's own database)."""
    from benchmarks.server import database_urls

    needs = "this benchmark needs PostgreSQL (generate_series, realistic plans)"
    return database_urls("queue benchmark", needs, name)


def setup_django(bench_url: str, cache_dir: str) -> None:
    from benchmarks.server import setup_django_on

    setup_django_on(bench_url, cache_dir)
    from django.conf import settings

    # No collectstatic here: plain static URLs, not the manifest's.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    install_naive_admin()


def install_naive_admin() -> None:
    """The anchor: Comment on a plain AdminSite of its own, as the documentation writes it."""
    from django.conf import settings
    from django.contrib import admin
    from django.urls import include, path

    from articles.models import Comment

    site = admin.AdminSite(name="naive")

    class NaiveCommentAdmin(admin.ModelAdmin):
        list_filter = ("status",)
        list_per_page = PER_PAGE

    site.register(Comment, NaiveCommentAdmin)
    urls = types.ModuleType("queue_benchmark_urls")
    urls.urlpatterns = [  # type: ignore[attr-defined]
        path("naive-admin/", site.urls),
        path("", include(settings.ROOT_URLCONF)),
    ]
    sys.modules[urls.__name__] = urls
    settings.ROOT_URLCONF = urls.__name__


# Filling ----------------------------------------------------------------------------------


def fill(n_articles: int, n_comments: int) -> dict[str, Any]:
    import datetime

    from django.core.management import call_command
    from django.db import connection

    from articles.models import Article, Comment, Source
    from benchmarks.api_list import copy_rows

    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    outlet = Source.objects.create(name="Bench Outlet", slug="bench-outlet", kind="outlet")
    start = datetime.datetime(2025, 4, 1, tzinfo=datetime.UTC)
    now = datetime.datetime.now(datetime.UTC)
    body = (
        "Japan's Economy Minister Ryosei Akazawa met Commerce Secretary Howard Lutnick in "
        "Washington for {n} minutes. The two sides discussed tariffs on autos and steel. "
    ) * 3
    articles = [
        {
            "headline": f"Akazawa and Lutnick hold talks, report {i}",
            "slug": f"bench-queue-{i}",
            "dek": f"Report {i} on the tariff negotiations, with reactions from Tokyo.",
            "body": body.format(n=40 + i % 100),
            "published_at": start + datetime.timedelta(minutes=20 * i),
            "published_time_known": True,
            "outlet_id": outlet.pk,
            "status": "published",
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        for i in range(n_articles)
    ]
    table = Comment._meta.db_table
    with connection.cursor() as cursor:
        copy_rows(cursor.cursor, Article, articles)
        cursor.execute("SELECT min(id) FROM articles_article")
        first_article = cursor.fetchone()[0]
        # One statement; the status, article and tally follow from the row number. Comments
        # arrive in time order (created_at grows with i), one every 10 s.
        cursor.execute(
            f"""
            INSERT INTO {table} (
                id, uuid, article_id, author_handle, body, posted_at, posted_label, origin,
                score, votes_up, votes_down, quoted_text, quotes_comment_id, quotes_headline,
                status, version, created_at)
            SELECT i, gen_random_uuid(), %s + (i * 2654435761 %% 4294967296) %% %s,
                'reader' || (i %% 5000),
                'Reader comment ' || i || ': the talks on autos should go on, and the steel '
                    || 'duties are a separate question for the next round.',
                %s::timestamptz + i * interval '10 seconds', '',
                CASE WHEN i %% 2 = 0 THEN 'imported' ELSE 'api' END,
                CASE WHEN i %% 2 = 0 THEN i %% 40 - 20 END,
                CASE WHEN i %% 2 = 0 THEN i %% 30 END,
                CASE WHEN i %% 2 = 0 THEN i %% 11 END,
                CASE WHEN i %% 25 = 0 AND i > 3 THEN 'the steel duties' ELSE '' END,
                CASE WHEN i %% 25 = 0 AND i > 3 THEN i - 3 END,
                false,
                {STATUS_SQL},
                1,
                %s::timestamptz + i * interval '10 seconds'
            FROM generate_series(1::bigint, %s) AS i
            """,
            [first_article, n_articles, start, start, n_comments],
        )
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
        )
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {table}")
        cursor.execute("VACUUM ANALYZE articles_article")
    seconds = round(time.perf_counter() - t0, 1)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT status, count(*) FROM {table} GROUP BY status ORDER BY status")
        by_status = dict(cursor.fetchall())
    counts = {
        "articles": n_articles,
        "comments": sum(by_status.values()),
        "by_status": by_status,
        "fill_seconds": seconds,
    }
    print(f"filled in {seconds}s: {counts}", flush=True)
    return counts


def reuse() -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    from articles.models import Article, Comment

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {Comment._meta.db_table}")
    by_status = dict(Comment.objects.order_by().values_list("status").annotate(n=Count("pk")))
    return {
        "articles": Article.objects.count(),
        "comments": sum(by_status.values()),
        "by_status": by_status,
        "fill_seconds": 0.0,
    }


# Timing -----------------------------------------------------------------------------------


def moderator_cookie() -> tuple[Any, str]:
    """A moderator and the cookie of a real session of theirs (as a browser would send)."""
    from django.contrib.auth.models import Group, User
    from django.test import Client

    user, _ = User.objects.get_or_create(username="bench-moderator", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    client = Client()
    client.force_login(user)
    return user, f"sessionid={client.cookies['sessionid'].value}"


def wsgi_get(url: str, cookie: str) -> Any:
    """One GET of `url` through Django's WSGI application (`benchmarks.wsgi`), signed in by
    the session cookie, 200 expected."""
    from benchmarks.wsgi import wsgi_get as get

    return get(url, {"Cookie": cookie})


def deepest_link(html: bytes, base: str) -> str:
    """The URL of the highest-numbered page the changelist links."""
    text = html.decode()
    pages = [int(p) for p in re.findall(r'href="\?(?:[^"]*&amp;)?p=(\d+)', text)]
    if not pages:
        return base
    query = urlsplit(base).query
    joiner = "&" if query else ""
    return f"{urlsplit(base).path}?{query}{joiner}p={max(pages)}"


def rows_shown(html: bytes) -> int:
    return len(re.findall(rb'<input type="checkbox" name="_selected_action"', html)) or len(
        re.findall(rb"<tr[^>]*>\s*<t[hd] class=\"field-", html)
    )


def count_queries(run: Any) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured.captured_queries)


def measure(repetitions: int) -> list[dict[str, Any]]:
    from articles.models import Comment
    from articles.services.moderation import Choice, decide

    user, cookie = moderator_cookie()
    statuses = ["pending", "approved", "rejected", "spam", "all"]
    cases: list[dict[str, Any]] = []
    for status in statuses:
        ours = QUEUE if status == "pending" else f"{QUEUE}?status={status}"
        anchor = NAIVE if status == "all" else f"{NAIVE}?status__exact={status}"
        cases.append(
            {"case": f"page 1, {status}", "status": status, "ours": ours, "anchor": anchor}
        )
    pending_ids = iter(
        Comment.objects.filter(status="pending").order_by("-id").values_list("pk", flat=True)
    )

    decided: list[Any] = []

    def a_decision() -> None:
        """Approve the next pending comment, having returned the last one approved to pending
        (so the queue keeps its size and the pages linked stay the same)."""
        if decided:
            back = Choice(Comment.Status.PENDING)
            decide(decided.pop(), back, moderator=user, expected_version=None)
        comment = Comment.objects.get(pk=next(pending_ids))
        decide(comment, Choice(Comment.Status.APPROVED), moderator=user, expected_version=None)
        decided.append(comment)

    cases.append(
        {
            "case": "page 1, pending, after a decision",
            "status": "pending",
            "ours": QUEUE,
            "anchor": f"{NAIVE}?status__exact=pending",
            "before": a_decision,
        }
    )

    def cold_cache() -> None:
        """Drop the queue's cached numbers (kept in moderation before queue_counts existed,
        so that the same benchmark measures the code before this change)."""
        import importlib

        for name in ("articles.services.queue_counts", "articles.services.moderation"):
            try:
                module = importlib.import_module(name)
            except ImportError:
                continue
            module.forget_status_counts()
            return

    cases.append(
        {
            "case": "page 1, pending, cold cache",
            "status": "pending",
            "ours": QUEUE,
            "anchor": f"{NAIVE}?status__exact=pending",
            "before": cold_cache,
        }
    )
    for status in ("pending", "all"):
        first = next(c for c in cases if c["case"] == f"page 1, {status}")
        cases.append(
            {
                "case": f"deepest linked, {status}",
                "status": status,
                "ours": deepest_link(wsgi_get(first["ours"], cookie)(), first["ours"]),
                "anchor": deepest_link(wsgi_get(first["anchor"], cookie)(), first["anchor"]),
                "page_1": first["case"],
            }
        )
    for case in cases:
        case["run_ours"] = wsgi_get(case["ours"], cookie)
        case["run_anchor"] = wsgi_get(case["anchor"], cookie)
        for _ in range(2):  # warm: the connection, the URL resolver, the cached counts
            case["run_ours"]()
            case["run_anchor"]()
        case["rows"] = rows_shown(case["run_ours"]())
        if case.get("before"):
            case["before"]()
        case["queries"] = count_queries(case["run_ours"])
        case["anchor_queries"] = count_queries(case["run_anchor"])
        case["samples"], case["anchor_samples"] = [], []
    for _ in range(repetitions):
        for case in cases:
            for side, key in (("run_ours", "samples"), ("run_anchor", "anchor_samples")):
                # Only before ours: the anchor reads neither the cache nor the undo offer, and
                # ours, loaded last, leaves the state the next case expects (a warm cache).
                if case.get("before") and side == "run_ours":
                    case["before"]()
                t0 = time.perf_counter()
                case[side]()
                case[key].append(time.perf_counter() - t0)
    results = []
    for case in cases:
        row = {
            "case": case["case"],
            "url": case["ours"],
            "anchor_url": case["anchor"],
            "rows": case["rows"],
            "ms": round(statistics.median(case["samples"]) * 1000, 1),
            "queries": case["queries"],
            "anchor_ms": round(statistics.median(case["anchor_samples"]) * 1000, 1),
            "anchor_queries": case["anchor_queries"],
        }
        row["ratio"] = round(row["ms"] / row["anchor_ms"], 2)
        results.append(row)
    by_case = {row["case"]: row for row in results}
    for case, row in zip(cases, results, strict=True):
        if case.get("page_1"):
            first = by_case[case["page_1"]]
            row["deep_ratio"] = round(row["ms"] / first["ms"], 2)
            row["anchor_deep_ratio"] = round(row["anchor_ms"] / first["anchor_ms"], 2)
    return results


def print_table(results: list[dict[str, Any]]) -> None:
    print(
        f"{'case':<36} {'ours ms':>8} {'queries':>7} {'naive ms':>9} {'queries':>7} "
        f"{'ours/naive':>10} {'deep/page 1':>12}"
    )
    for row in results:
        deep = (
            f"{row['deep_ratio']:.2f} ({row['anchor_deep_ratio']:.2f})"
            if "deep_ratio" in row
            else ""
        )
        print(
            f"{row['case']:<36} {row['ms']:>8.1f} {row['queries']:>7} {row['anchor_ms']:>9.1f} "
            f"{row['anchor_queries']:>7} {row['ratio']:>10.2f} {deep:>12}"
        )


def goals(results: list[dict[str, Any]]) -> dict[str, bool]:
    first_pages = [
        row for row in results if row["case"].startswith("page 1") and "cold" not in row["case"]
    ]
    deep = [row for row in results if "deep_ratio" in row]
    return {
        "page_1_ms": all(row["ms"] <= GOAL_MS for row in first_pages),
        "page_1_queries": all(row["queries"] <= GOAL_QUERIES for row in first_pages),
        "deepest_ratio": all(row["deep_ratio"] <= GOAL_DEEP_RATIO for row in deep),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--repetitions", type=int, default=15)
    parser.add_argument("--quick", action="store_true", help="200 articles, 2,000 comments")
    parser.add_argument(
        "--database", default=f"newsroom_bench_queue_{os.getpid()}", help="its own database"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database (for EXPLAIN)")
    parser.add_argument(
        "--reuse", action="store_true", help="measure a database kept by --keep (migrated again)"
    )
    args = parser.parse_args()
    if args.quick:
        args.articles, args.comments, args.repetitions = 200, 2_000, 5
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", args.database):
        fail(f"--database {args.database!r}: lower-case letters, digits and _ only")
    started = time.perf_counter()
    server, bench = server_urls(args.database)
    if not args.reuse:
        maintenance(server, f"DROP DATABASE IF EXISTS {args.database} WITH (FORCE)")
        maintenance(server, f"CREATE DATABASE {args.database}")
    try:
        with tempfile.TemporaryDirectory(prefix="queue-bench-cache-") as cache_dir:
            setup_django(bench, cache_dir)
            counts = reuse() if args.reuse else fill(args.articles, args.comments)
            results = measure(args.repetitions)
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # Django may not be set up yet
            pass
        if not (args.keep or args.reuse):
            maintenance(server, f"DROP DATABASE IF EXISTS {args.database} WITH (FORCE)")
    print_table(results)
    met = goals(results)
    seconds = round(time.perf_counter() - started, 1)
    print(f"goals met: {met}; the run took {seconds} s", flush=True)
    figures = {
        **counts,
        "repetitions": args.repetitions,
        "cases": results,
        "goal_ms": GOAL_MS,
        "goal_queries": GOAL_QUERIES,
        "goal_deep_ratio": GOAL_DEEP_RATIO,
        "goals_met": met,
        "seconds": seconds,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
