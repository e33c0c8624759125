#!/usr/bin/env python3
"""Benchmark: article search (`?q=`) on PostgreSQL, English and Japanese, beside raw SQL.

    DATABASE_URL=postgres://root@127.0.0.1:5432/test .venv/bin/python benchmarks/search.py
    ... benchmarks/search.py --quick      # small, for CI

DATABASE_URL names the PostgreSQL server; the benchmark creates its own database,
`newsroom_bench_search_<its process id>`, migrates it, fills it with COPY (100,000 articles
by default, 20% of them Japanese, the search trigger building every vector), ANALYZEs it, and
drops it at the end.

Ten mixed queries (common, rare, phrase, "section 232", OR with an exclusion, Japanese short
and long, a Japanese name, mixed script, a Latin name inside Japanese text) are each timed
two ways, interleaved (endpoint, anchor, endpoint, anchor, ...):

- the endpoint: GET /api/v1/articles/?q=... through Django's WSGI application, anonymous,
  first page (20), ordered by relevance;
- the anchor: raw psycopg running the textbook search on the stored tsvector with the very
  same tsquery: every match ranked with ts_rank_cd, sorted, first 20.

Before timing, each query's endpoint page is checked against the anchor: where the query has
no more matches than the candidate bound, the two pages must be the same articles in the same
order; otherwise every article the endpoint returns must match. A stop-word-only query ("the")
is timed too and must return nothing.

It prints a table (p50 and p95 per query, both sides, and their ratio) and, last, one JSON
line: the endpoint's p50/p95 over all ten queries' samples, the anchor's, the ratios, and the
goals (p50 <= 20 ms, p95 <= 100 ms), with how long the whole run took.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.api_list import copy_rows, setup_django, wsgi_call  # noqa: E402

BENCH_DB = f"newsroom_bench_search_{os.getpid()}"  # two runs at once never meet
PAGE = 20
GOAL_P50_MS, GOAL_P95_MS = 20.0, 100.0

QUERIES: list[tuple[str, str]] = [
    ("common", "tariffs"),
    ("common pair", "Japan trade"),
    ("rare", "soybeans"),
    ("phrase", '"auto tariffs"'),
    ("section 232", "section 232"),
    ("or / not", "steel OR aluminum -rice"),
    ("ja short", "関税"),
    ("ja name", "赤沢"),
    ("ja long", "自動車関税 15%"),
    ("mixed", "赤沢 Lutnick"),
]
STOP_WORDS = ("stop words", "the")

EN_SENTENCES = [
    "Japan and the United States resumed trade talks in Washington on {day}.",
    "Economy Minister Ryosei Akazawa met Commerce Secretary Howard Lutnick for {n} minutes.",
    "Officials said auto tariffs remained the main sticking point.",
    "The section 232 duties on steel and aluminum were not on the table.",
    "Tariffs on autos and auto parts would fall to {n} percent under the proposal.",
    "Treasury Secretary Scott Bessent called the meeting constructive.",
    "Rice imports and farm access were raised by the American side.",
    "Investment pledges of {n} billion dollars were discussed.",
    "Markets in Tokyo rose after the statement.",
    "Negotiators will meet again next week, a spokesperson said.",
    "Trade Representative Jamieson Greer joined by video.",
    "Steel makers warned of job losses.",
]
EN_RARE = "Soybeans and corn purchases were also mentioned."
JA_SENTENCES = [
    "赤沢亮正経済再生担当相は{day}、ワシントンでLutnick長官と会談した。",
    "日米の関税交渉は{n}回目を迎えた。",
    "自動車関税を15%に引き下げることで合意した。",
    "自動車関税は25%のまま維持される見通しだ。",
    "ラトニック商務長官は鉄鋼とアルミニウムの関税について述べた。",
    "ベッセント財務長官も会談に同席した。",
    "コメの輸入拡大が議題に上った。",
    "東京株式市場は声明を受けて上昇した。",
    "政府関係者によると、次回の協議は来週開かれる。",
    "対米投資は{n}億ドル規模となる。",
]


def fail(message: str) -> None:
    print(f"search benchmark: {message}", file=sys.stderr)
    sys.exit(2)


def server_urls() -> tuple[str, str]:
    from benchmarks.server import database_urls

    return database_urls("search benchmark", "this benchmark needs PostgreSQL", BENCH_DB)


def admin(maintenance_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(maintenance_url, autocommit=True) as conn:
        conn.execute(sql)


def article(i: int, rng: random.Random, japanese: bool, start: datetime.datetime) -> dict:
    day = (start + datetime.timedelta(days=i % 200)).strftime("%d %B")
    if japanese:
        picks = rng.sample(JA_SENTENCES, 5)
        body = "".join(s.format(day=f"{i % 28 + 1}日", n=rng.randint(2, 90)) for s in picks) * 3
        headline = picks[0].format(day="", n=rng.randint(2, 9))[:60] + f"({i})"
    else:
        picks = rng.sample(EN_SENTENCES, 6)
        if i % 700 == 1:
            picks.append(EN_RARE)
        body = " ".join(s.format(day=day, n=rng.randint(2, 90)) for s in picks) * 3
        headline = picks[0].format(day=day, n=rng.randint(2, 9)).rstrip(".") + f" ({i})"
    now = datetime.datetime.now(datetime.UTC)
    return {
        "headline": headline,
        "slug": f"bench-search-{i}",
        "dek": "",
        "body": body,
        "language": "ja" if japanese else "en",
        "published_at": start + datetime.timedelta(minutes=5 * i),
        "published_time_known": True,
        "status": "published" if i % 10 else "draft",
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }


def fill(n_articles: int) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection

    from articles.models import Article, Source

    call_command("migrate", verbosity=0)
    outlet = Source.objects.create(name="Bench Outlet", slug="bench-outlet", kind="outlet")
    rng = random.Random(13)
    start = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    t0 = time.perf_counter()
    rows = []
    for i in range(n_articles):
        row = article(i, rng, japanese=i % 5 == 0, start=start)  # 20% Japanese
        rows.append({**row, "outlet_id": outlet.pk})
    with connection.cursor() as cursor:
        copy_rows(cursor.cursor, Article, rows)
        cursor.execute("ANALYZE articles_article")
    seconds = round(time.perf_counter() - t0, 1)
    counts = {
        "articles": Article.objects.count(),
        "japanese": Article.objects.filter(language="ja").count(),
        "published": Article.objects.published().count(),
        "fill_seconds": seconds,
    }
    print(f"filled in {seconds}s: {counts}", flush=True)
    return counts


def anchor_sql(q: str) -> tuple[str, list[Any]]:
    """The textbook search with the endpoint's own tsquery: rank every match, sort, cut."""
    from django.db import connection

    from articles.search import pg_tsquery

    query = pg_tsquery(q)
    assert query is not None
    with connection.cursor():
        tsquery_sql, params = query.as_sql(None, connection)  # type: ignore[arg-type]
    sql = (
        f"SELECT slug FROM articles_article, (SELECT {tsquery_sql}) AS q(query) "
        "WHERE status = 'published' AND search_vector @@ query "
        "ORDER BY ts_rank_cd(search_vector, query, 1) DESC, published_at DESC, id DESC "
        f"LIMIT {PAGE}"
    )
    return sql, list(params)


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return round(ordered[index] * 1000, 2)


def check(label: str, q: str, endpoint: Any, anchor: Any, conn: Any) -> int:
    """The endpoint's page agrees with the anchor; returns the query's number of matches."""
    from articles.search import search_candidates

    sql, params = anchor_sql(q)
    count_sql = sql.split(" ORDER BY ")[0].replace("SELECT slug", "SELECT count(*)", 1)
    with conn.cursor() as cursor:
        matches = cursor.execute(count_sql, params).fetchone()[0]
    page = [item["slug"] for item in json.loads(endpoint())["results"]]
    expected = anchor()
    if matches <= search_candidates():
        assert page == expected, (label, page, expected)
    else:
        assert len(page) == PAGE, (label, len(page))
        with conn.cursor() as cursor:
            rows = cursor.execute(
                sql.replace(f"LIMIT {PAGE}", "").replace(
                    "AND search_vector @@ query", "AND search_vector @@ query AND slug = ANY(%s)"
                ),
                [*params, page],
            ).fetchall()
        assert len(rows) == len(page), (label, "the endpoint returned non-matches")
    return int(matches)


def measure(repetitions: int, bench_url: str) -> dict[str, Any]:
    import psycopg

    conn = psycopg.connect(bench_url.replace("postgres://", "postgresql://", 1), autocommit=True)
    results: dict[str, Any] = {}
    all_endpoint: list[float] = []
    all_anchor: list[float] = []
    for label, q in [*QUERIES, STOP_WORDS]:
        endpoint = wsgi_call(f"/api/v1/articles/?q={quote(q)}")
        sql, params = anchor_sql(q)

        def anchor(sql: str = sql, params: list[Any] = params) -> list[str]:
            with conn.cursor() as cursor:
                return [row[0] for row in cursor.execute(sql, params).fetchall()]

        if (label, q) == STOP_WORDS:
            assert json.loads(endpoint())["results"] == [], "a stop word matched"
            matches = 0
        else:
            matches = check(label, q, endpoint, anchor, conn)
        for _ in range(2):  # warm both
            endpoint()
            anchor()
        samples: dict[str, list[float]] = {"endpoint": [], "anchor": []}
        for _ in range(repetitions):
            for name, run in (("endpoint", endpoint), ("anchor", anchor)):
                t0 = time.perf_counter()
                run()
                samples[name].append(time.perf_counter() - t0)
        if (label, q) != STOP_WORDS:
            all_endpoint += samples["endpoint"]
            all_anchor += samples["anchor"]
        e50, e95 = percentile(samples["endpoint"], 0.5), percentile(samples["endpoint"], 0.95)
        a50, a95 = percentile(samples["anchor"], 0.5), percentile(samples["anchor"], 0.95)
        results[label] = {
            "q": q,
            "matches": matches,
            "endpoint_p50_ms": e50,
            "endpoint_p95_ms": e95,
            "anchor_p50_ms": a50,
            "anchor_p95_ms": a95,
            "ratio_p50": round(e50 / a50, 2) if a50 else None,
        }
    conn.close()
    summary = {
        "endpoint_p50_ms": percentile(all_endpoint, 0.5),
        "endpoint_p95_ms": percentile(all_endpoint, 0.95),
        "anchor_p50_ms": percentile(all_anchor, 0.5),
        "anchor_p95_ms": percentile(all_anchor, 0.95),
    }
    summary["ratio_p50"] = round(summary["endpoint_p50_ms"] / summary["anchor_p50_ms"], 2)
    summary["ratio_p95"] = round(summary["endpoint_p95_ms"] / summary["anchor_p95_ms"], 2)
    return {"queries": results, **summary}


def print_table(figures: dict[str, Any]) -> None:
    head = f"{'query':<12} {'q':<26} {'matches':>8} {'endpoint p50/p95 ms':>20} "
    print(head + f"{'raw SQL p50/p95 ms':>20} {'ratio p50':>9}")
    for label, row in figures["queries"].items():
        endpoint = f"{row['endpoint_p50_ms']:.1f} / {row['endpoint_p95_ms']:.1f}"
        anchor = f"{row['anchor_p50_ms']:.1f} / {row['anchor_p95_ms']:.1f}"
        print(
            f"{label:<12} {row['q']:<26} {row['matches']:>8} {endpoint:>20} {anchor:>20} "
            f"{row['ratio_p50'] if row['ratio_p50'] is not None else '-':>9}"
        )
    endpoint = f"{figures['endpoint_p50_ms']:.1f} / {figures['endpoint_p95_ms']:.1f}"
    anchor = f"{figures['anchor_p50_ms']:.1f} / {figures['anchor_p95_ms']:.1f}"
    print(f"{'all ten':<12} {'':<26} {'':>8} {endpoint:>20} {anchor:>20} {figures['ratio_p50']:>9}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--repetitions", type=int, default=40)
    parser.add_argument("--quick", action="store_true", help="2,000 articles, 5 repetitions")
    parser.add_argument(
        "--candidates",
        type=int,
        default=None,
        help="rank at most this many newest matches (NEWSROOM_SEARCH_CANDIDATES)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the database afterwards (for EXPLAIN)"
    )
    args = parser.parse_args()
    if args.quick:
        args.articles, args.repetitions = 2_000, 5
    started = time.perf_counter()
    maintenance, bench = server_urls()
    admin(maintenance, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
    admin(maintenance, f"CREATE DATABASE {BENCH_DB}")
    try:
        setup_django(bench)
        if args.candidates:
            from django.conf import settings

            settings.NEWSROOM_SEARCH_CANDIDATES = args.candidates
        counts = fill(args.articles)
        figures = measure(args.repetitions, bench)
    finally:
        from django.db import connections

        connections.close_all()
        if args.keep:
            print(f"kept the database {BENCH_DB}", flush=True)
        else:
            admin(maintenance, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
    print_table(figures)
    figures.update(counts)
    figures["repetitions"] = args.repetitions
    from articles.search import search_candidates

    figures["candidates"] = search_candidates()
    figures["goal_p50_ms"], figures["goal_p95_ms"] = GOAL_P50_MS, GOAL_P95_MS
    figures["goals_met"] = (
        figures["endpoint_p50_ms"] <= GOAL_P50_MS and figures["endpoint_p95_ms"] <= GOAL_P95_MS
    )
    figures["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
