#!/usr/bin/env python3
"""Benchmark: what a conditional GET of the API costs, beside an empty view through the very
same stack.

    DATABASE_URL=postgres://root@127.0.0.1:5432/test .venv/bin/python benchmarks/conditional.py
    ... benchmarks/conditional.py --quick   # small, for CI (tests/test_conditional_benchmark.py)

DATABASE_URL names the PostgreSQL server; the benchmark creates its own database,
`newsroom_bench_conditional_<its process id>`, fills it as `benchmarks/api_list.py` does
(COPY; 20,000 articles and 20,000 comments by default), and drops it at the end. Every
request goes through Django's WSGI application with the whole middleware stack, as gunicorn
calls it, anonymous, body read.

Pairs, each timed interleaved (contender, anchor, contender, anchor, ...):

- the anchor: an empty view (an empty 200) at /bench/empty/, mounted beside the project's URLs
  for this run only, so it pays for every middleware and nothing else;
- "304, shortcut": GET /api/v1/articles/?page_size=50 with the ETag the endpoint gave, answered
  by `articles.api.shortcut` (one cache call, no query). Goal: at most 1.1x the anchor;
- "304, full check": the same with the shortcut turned off (the view computes the validators
  from one aggregate query and answers 304 before building any payload);
- "200": the same page without a validator (what a 304 saves).

It prints a table (medians in ms and the ratio to the anchor) and, last, one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import api_list  # noqa: E402
from benchmarks.wsgi import wsgi_get  # noqa: E402

api_list.BENCH_DB = f"newsroom_bench_conditional_{os.getpid()}"
URL = "/api/v1/articles/?page_size=50"
EMPTY = "/bench/empty/"
GOAL_RATIO = 1.1


def interleave(repetitions: int, runs: dict[str, Callable[[], bytes]]) -> dict[str, float]:
    """Each callable once per round, in turn; the median of each in ms, to the microsecond
    (these requests take a fraction of a millisecond)."""
    samples: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repetitions):
        for name, run in runs.items():
            t0 = time.perf_counter()
            run()
            samples[name].append(time.perf_counter() - t0)
    return {name: round(statistics.median(values) * 1000, 3) for name, values in samples.items()}


def mount_empty_view() -> None:
    from django.conf import settings
    from django.http import HttpRequest, HttpResponse
    from django.urls import clear_url_caches, include, path

    def empty(request: HttpRequest) -> HttpResponse:
        return HttpResponse(b"")

    module = type(sys)("newsroom_bench_urls")
    module.urlpatterns = [  # type: ignore[attr-defined]
        path(EMPTY.strip("/") + "/", empty),
        path("", include(settings.ROOT_URLCONF)),
    ]
    sys.modules["newsroom_bench_urls"] = module
    settings.ROOT_URLCONF = "newsroom_bench_urls"
    clear_url_caches()


def shortcut_off(run: Callable[[], bytes]) -> Callable[[], bytes]:
    from django.conf import settings

    def call() -> bytes:
        settings.NEWSROOM_API_SHORTCUT_SECONDS = 0
        try:
            return run()
        finally:
            settings.NEWSROOM_API_SHORTCUT_SECONDS = 60

    return call


def measure(repetitions: int) -> dict[str, Any]:
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.NEWSROOM_API_SHORTCUT_SECONDS = 60
    mount_empty_view()
    empty = wsgi_get(EMPTY, {}, "200")
    full = wsgi_get(URL, {}, "200")
    full()
    etag = full.headers["ETag"]  # type: ignore[attr-defined]
    shortcut = wsgi_get(URL, {"If-None-Match": etag}, "304")
    checked = shortcut_off(wsgi_get(URL, {"If-None-Match": etag}, "304"))

    queries: dict[str, int] = {}
    for name, run in (("304, shortcut", shortcut), ("304, full check", checked)):
        with CaptureQueriesContext(connection) as captured:
            run()
        queries[name] = len(captured.captured_queries)
    if queries["304, shortcut"] != 0:
        raise SystemExit(f"the shortcut ran {queries['304, shortcut']} queries; expected none")

    for run in (empty, full, shortcut, checked):  # warm every path
        for _ in range(20):
            run()
    pairs: dict[str, dict[str, float]] = {}
    for name, run in (("304, shortcut", shortcut), ("304, full check", checked), ("200", full)):
        medians = interleave(repetitions, {name: run, "empty view": empty})
        pairs[name] = {
            "ms": medians[name],
            "empty_view_ms": medians["empty view"],
            "ratio": round(medians[name] / medians["empty view"], 2),
        }
    return {"pairs": pairs, "queries": queries}


def print_table(figures: dict[str, Any]) -> None:
    print(f"{'request':18} {'median ms':>10} {'empty view ms':>14} {'ratio':>6}")
    for name, row in figures["pairs"].items():
        print(f"{name:18} {row['ms']:>10} {row['empty_view_ms']:>14} {row['ratio']:>6}")
    ratio = figures["pairs"]["304, shortcut"]["ratio"]
    met = "met" if ratio <= GOAL_RATIO else "not met"
    print(f"goal: a 304 costs at most {GOAL_RATIO}x an empty view: {ratio}x, {met}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--comments", type=int, default=20_000)
    parser.add_argument("--repetitions", type=int, default=2000)
    parser.add_argument("--quick", action="store_true", help="small data, few repetitions (CI)")
    args = parser.parse_args()
    if args.quick:
        args.articles, args.comments, args.repetitions = 200, 200, 30
    started = time.perf_counter()
    maintenance, bench = api_list.server_urls()
    api_list.recreate_database(maintenance)
    try:
        api_list.setup_django(bench)
        counts = api_list.fill(args.articles, args.comments)
        figures = measure(args.repetitions)
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # Django may not be set up yet
            pass
        api_list.drop_database(maintenance)
    figures["goal_ratio"] = GOAL_RATIO
    figures["goal_met"] = figures["pairs"]["304, shortcut"]["ratio"] <= GOAL_RATIO
    figures["seconds"] = round(time.perf_counter() - started, 1)
    print_table(figures)
    print(json.dumps({"url": URL, **counts, "repetitions": args.repetitions, **figures}))


if __name__ == "__main__":
    main()
