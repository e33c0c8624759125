#!/usr/bin/env python3
"""The benchmark suite: every benchmark of issue 12 in one command, one table, one JSON line.

    DATABASE_URL=postgres://root@127.0.0.1:5432/test .venv/bin/python benchmarks/suite.py
    ... benchmarks/suite.py --quick      # small, a few minutes, for CI

It runs, one after the other, each as its own process with the same DATABASE_URL (each
creates its own database on that server, named after its process, fills it with COPY or
generate_series, and drops it at the end; the database in the URL is never touched):

- benchmarks/api_list.py: the article list against the raw psycopg+orjson floor, DRF by the
  book and DRF as the tutorial writes it;
- benchmarks/search.py: ten mixed queries against raw SQL on the stored tsvector;
- benchmarks/conditional.py: a 304 against an empty view through the same stack;
- benchmarks/moderation_queue.py: the admin queue at a million comments against a naive admin;
- benchmarks/import_pages.py: `import_pages` on generated 2-10 KB pages, pages per CPU second
  and peak RSS, beside storing the raw rows only and segmenting without storing.

Each of them times interleaved pairs (contender, anchor, contender, anchor, ...) and checks,
before timing, that the contender serves what its anchor serves; a benchmark that finds a
drift, or fails in any other way, exits non-zero, and so does the suite (after running the
others). `--quick` passes each its own quick mode.

It prints the sub-benchmarks' own tables as they run, then one table of the issue's goals
(what, measured, anchor, ratio, goal, met?) and, last, one JSON line: every goal with its
measured value and whether it is met, each benchmark's full figures, the load average before
and after, and how long the suite took. A goal not met does not fail the suite (absolute
milliseconds follow the machine's load); a failed benchmark does.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: `benchmarks` is importable
BENCHMARKS = ("api_list", "search", "conditional", "moderation_queue", "import_pages")


def fail(message: str) -> None:
    print(f"benchmark suite: {message}", file=sys.stderr)
    sys.exit(2)


def check_server() -> str:
    """The server's address (for the report), after refusing anything but PostgreSQL."""
    from benchmarks.server import postgres_server

    needs = "the suite needs PostgreSQL (each benchmark builds its own database on the server)"
    parts = postgres_server("benchmark suite", needs)
    return f"{parts.hostname}:{parts.port or 5432}"


@dataclass
class Run:
    name: str
    returncode: int
    seconds: float
    figures: dict[str, Any] | None
    error: str = ""


def last_words(stderr: str, lines: int = 15, chars: int = 3000) -> str:
    """The end of a benchmark's stderr without Python's warnings (a missing staticfiles
    directory, ...), each a line naming the warning and an indented line of source."""
    kept: list[str] = []
    skip_source = False
    for line in stderr.splitlines():
        if "Warning: " in line:
            skip_source = True
            continue
        if skip_source and line.startswith(" "):
            skip_source = False
            continue
        skip_source = False
        kept.append(line)
    return "\n".join(kept[-lines:])[-chars:]


def run_benchmark(name: str, quick: bool, timeout: float) -> Run:
    """Run one benchmark as its own process; echo its output, keep its last line's JSON."""
    command = [sys.executable, str(ROOT / "benchmarks" / f"{name}.py")]
    if quick:
        command.append("--quick")
    print(f"== {name}: {' '.join(command[1:])}", flush=True)
    started = time.perf_counter()
    lines: list[str] = []
    # stderr to a file: a pipe left unread could fill and stall the benchmark.
    with (
        tempfile.TemporaryFile("w+") as stderr,
        subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.PIPE, stderr=stderr, text=True, bufsize=1
        ) as process,
    ):
        stopped: list[bool] = []

        def stop() -> None:
            stopped.append(True)
            process.kill()

        watchdog = threading.Timer(timeout, stop)
        watchdog.start()
        try:
            assert process.stdout is not None
            for line in process.stdout:  # the benchmark's own progress and tables, as they come
                lines.append(line.rstrip("\n"))
                if not line.startswith("{"):
                    print(f"   {line}", end="", flush=True)
            returncode = process.wait()
        finally:
            watchdog.cancel()
        timed_out = bool(stopped)
        stderr.seek(0)
        errors = stderr.read()
    seconds = round(time.perf_counter() - started, 1)
    figures = None
    error = ""
    if lines:
        try:
            figures = json.loads(lines[-1])
        except json.JSONDecodeError:
            figures = None
    if timed_out:
        error = f"stopped after {timeout:.0f} s"
    if returncode != 0 or figures is None:
        error = error or last_words(errors) or "no JSON on the last line"
        print(f"   FAILED ({returncode}): {error}", flush=True)
    print(f"   ({seconds} s)", flush=True)
    return Run(name, returncode, seconds, figures, error)


# The goals --------------------------------------------------------------------------------


@dataclass
class Goal:
    key: str
    what: str
    measured: float | None
    measured_text: str
    anchor: str
    ratio: str
    goal: str
    met: bool | None  # None: its benchmark did not report

    def row(self) -> list[str]:
        met = {True: "yes", False: "NO", None: "-"}[self.met]
        return [self.what, self.measured_text, self.anchor, self.ratio, self.goal, met]


def list_goals(f: dict[str, Any]) -> list[Goal]:
    book, tutorial = f["drf"]["by_the_book"], f["drf"]["tutorial"]
    goals = [
        Goal(
            "list_vs_floor",
            "article list, 50 items, via WSGI",
            f["ratio"],
            f"{f['endpoint_median_ms']:.2f} ms, {f['queries']} queries",
            f"raw psycopg+orjson floor {f['floor_median_ms']:.2f} ms",
            f"{f['ratio']:.2f}x",
            "<= 1.3x the floor",
            f["ratio"] <= 1.3,
        )
    ]
    deep = f["deep"]
    goals.append(
        Goal(
            "list_deep_vs_page_1",
            f"cursor page {deep['page']} of the same list",
            deep["ratio"],
            f"{deep['deep_median_ms']:.2f} ms, {deep['queries']} queries",
            f"page 1 {deep['page_1_median_ms']:.2f} ms",
            f"{deep['ratio']:.2f}x",
            "<= 1.2x page 1",
            deep["ratio"] <= 1.2,
        )
    )
    for key, row, label, times in (
        ("list_vs_drf_by_the_book", book, "DRF by the book", 4.0),
        ("list_vs_drf_tutorial", tutorial, "DRF as the tutorial writes it", 30.0),
    ):
        goals.append(
            Goal(
                key,
                f"same list vs {label}",
                row["we_are_faster"],
                f"{row['endpoint_median_ms']:.2f} ms",
                f"{label} {row['median_ms']:.2f} ms, {row['queries']} queries "
                f"({row['ratio_to_floor']:.1f}x floor)",
                f"we are {row['we_are_faster']:.1f}x faster",
                f">= {times:g}x faster",
                row["we_are_faster"] >= times,
            )
        )
    return goals


def conditional_goals(f: dict[str, Any]) -> list[Goal]:
    row = f["pairs"]["304, shortcut"]
    return [
        Goal(
            "conditional_304_vs_empty_view",
            "304 on If-None-Match, via WSGI",
            row["ratio"],
            f"{row['ms']:.3f} ms, {f['queries']['304, shortcut']} queries",
            f"empty view, same stack {row['empty_view_ms']:.3f} ms",
            f"{row['ratio']:.2f}x",
            "<= 1.1x the empty view",
            row["ratio"] <= 1.1,
        )
    ]


def search_goals(f: dict[str, Any]) -> list[Goal]:
    goals = []
    for p, limit in (("p50", 20.0), ("p95", 100.0)):
        ours, anchor = f[f"endpoint_{p}_ms"], f[f"anchor_{p}_ms"]
        goals.append(
            Goal(
                f"search_{p}",
                f"search q=, {f['articles']:,} articles, ten queries, {p}",
                ours,
                f"{ours:.1f} ms",
                f"raw SQL on the stored tsvector {anchor:.1f} ms",
                f"{f[f'ratio_{p}']:.2f}x",
                f"<= {limit:g} ms",
                ours <= limit,
            )
        )
    return goals


def queue_goals(f: dict[str, Any]) -> list[Goal]:
    first = [c for c in f["cases"] if c["case"].startswith("page 1") and "cold" not in c["case"]]
    deep = [c for c in f["cases"] if "deep_ratio" in c]
    slowest = max(first, key=lambda c: c["ms"])
    most = max(first, key=lambda c: c["queries"])
    deepest = max(deep, key=lambda c: c["deep_ratio"])
    scale = f"{f['comments']:,} comments"
    return [
        Goal(
            "queue_page_1_ms",
            f"moderation queue, {scale}, page 1 (worst filter)",
            slowest["ms"],
            f"{slowest['ms']:.1f} ms ({slowest['case'].removeprefix('page 1, ')})",
            f"naive admin {slowest['anchor_ms']:.1f} ms",
            f"{slowest['ratio']:.2f}x",
            "<= 40 ms",
            all(c["ms"] <= 40.0 for c in first),
        ),
        Goal(
            "queue_page_1_queries",
            f"moderation queue, {scale}, page 1 queries (most)",
            most["queries"],
            f"{most['queries']} queries",
            f"naive admin {most['anchor_queries']} queries",
            "-",
            "<= 5 queries",
            all(c["queries"] <= 5 for c in first),
        ),
        Goal(
            "queue_deepest_vs_page_1",
            f"moderation queue, {scale}, deepest linked page",
            deepest["deep_ratio"],
            f"{deepest['ms']:.1f} ms = {deepest['deep_ratio']:.2f}x page 1 "
            f"({deepest['case'].removeprefix('deepest linked, ')})",
            f"naive admin {deepest['anchor_deep_ratio']:.2f}x its page 1",
            "-",
            "<= 2x page 1",
            all(c["deep_ratio"] <= 2.0 for c in deep),
        ),
    ]


def import_goals(f: dict[str, Any]) -> list[Goal]:
    sizes = f["sizes"]
    smallest, largest = f["by_size"][str(sizes[0])], f["by_size"][str(sizes[-1])]
    raw, analysed = largest.get("raw", {}), largest.get("analyse", {})
    return [
        Goal(
            "import_pages_per_cpu_s",
            f"import_pages, {sizes[-1]:,} pages of 2-10 KB, one process",
            f["pages_per_cpu_s"],
            f"{f['pages_per_cpu_s']:.0f} pages/CPU s ({f['pages_per_s']:.0f}/s wall), "
            f"{f['queries']['queries_per_page']} queries a page",
            f"raw rows only {raw.get('pages_per_cpu_s', 0):.0f}, segment+analyse only "
            f"{analysed.get('pages_per_cpu_s', 0):.0f} pages/CPU s",
            f"{largest['import']['pages_per_cpu_s'] / smallest['import']['pages_per_cpu_s']:.2f}x "
            f"{sizes[0]:,} pages",
            ">= 250 pages/s",
            f["goals_met"]["pages_per_s"],
        ),
        Goal(
            "import_peak_rss_mb",
            f"import_pages, {sizes[-1]:,} pages, peak RSS",
            f["peak_rss_mb"],
            f"{f['peak_rss_mb']:.0f} MB",
            f"raw rows only {raw.get('peak_rss_mb', 0):.0f} MB",
            "-",
            "<= 300 MB",
            f["goals_met"]["rss"],
        ),
    ]


GOALS: dict[str, tuple[Callable[[dict[str, Any]], list[Goal]], list[tuple[str, str, str]]]] = {
    "api_list": (
        list_goals,
        [
            ("list_vs_floor", "article list, 50 items, via WSGI", "<= 1.3x the floor"),
            ("list_deep_vs_page_1", "cursor page 200 of the same list", "<= 1.2x page 1"),
            ("list_vs_drf_by_the_book", "same list vs DRF by the book", ">= 4x faster"),
            ("list_vs_drf_tutorial", "same list vs DRF as the tutorial", ">= 30x faster"),
        ],
    ),
    "conditional": (
        conditional_goals,
        [("conditional_304_vs_empty_view", "304 on If-None-Match", "<= 1.1x the empty view")],
    ),
    "search": (
        search_goals,
        [
            ("search_p50", "search q=, p50", "<= 20 ms"),
            ("search_p95", "search q=, p95", "<= 100 ms"),
        ],
    ),
    "moderation_queue": (
        queue_goals,
        [
            ("queue_page_1_ms", "moderation queue, page 1", "<= 40 ms"),
            ("queue_page_1_queries", "moderation queue, page 1 queries", "<= 5 queries"),
            ("queue_deepest_vs_page_1", "moderation queue, deepest page", "<= 2x page 1"),
        ],
    ),
    "import_pages": (
        import_goals,
        [
            ("import_pages_per_cpu_s", "import_pages, pages per CPU second", ">= 250 pages/s"),
            ("import_peak_rss_mb", "import_pages, peak RSS", "<= 300 MB"),
        ],
    ),
}
ORDER = ("api_list", "conditional", "search", "moderation_queue", "import_pages")


def goals_of(runs: dict[str, Run]) -> list[Goal]:
    goals: list[Goal] = []
    for name in ORDER:
        build, placeholders = GOALS[name]
        run = runs.get(name)
        if run is not None and run.returncode == 0 and run.figures is not None:
            goals += build(run.figures)
        else:
            status = "did not run" if run is None else "failed"
            goals += [Goal(k, w, None, status, "-", "-", g, None) for k, w, g in placeholders]
    return goals


def print_table(goals: list[Goal]) -> None:
    header = ["what", "measured", "anchor", "ratio", "goal", "met?"]
    rows = [header, *(goal.row() for goal in goals)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for n, row in enumerate(rows):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
        if n == 0:
            print("  ".join("-" * width for width in widths))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="each benchmark's quick mode (CI)")
    parser.add_argument(
        "--only",
        action="append",
        choices=BENCHMARKS,
        help="run only this benchmark (repeatable); the others' goals show as not run",
    )
    parser.add_argument(
        "--timeout", type=float, default=None, help="seconds per benchmark (600 quick, 5400 full)"
    )
    args = parser.parse_args()
    server = check_server()
    timeout = args.timeout or (600.0 if args.quick else 5400.0)
    started = time.perf_counter()
    load_before = [round(x, 2) for x in os.getloadavg()]
    runs: dict[str, Run] = {}
    for name in BENCHMARKS:
        if args.only and name not in args.only:
            continue
        runs[name] = run_benchmark(name, args.quick, timeout)
    goals = goals_of(runs)
    seconds = round(time.perf_counter() - started, 1)
    load_after = [round(x, 2) for x in os.getloadavg()]
    failed = [run.name for run in runs.values() if run.returncode != 0 or run.figures is None]
    print()
    print_table(goals)
    met = [goal.met for goal in goals if goal.met is not None]
    print(
        f"goals met: {sum(met)} of {len(goals)}; "
        f"{'failed: ' + ', '.join(failed) if failed else 'every benchmark ran and checked'}; "
        f"the suite took {seconds} s (load average {load_before} before, {load_after} after)",
        flush=True,
    )
    report = {
        "quick": args.quick,
        "server": server,
        "goals": [asdict(goal) for goal in goals],
        "all_met": bool(met) and len(met) == len(goals) and all(met),
        "failed": failed,
        "benchmarks": {
            run.name: {
                "returncode": run.returncode,
                "seconds": run.seconds,
                "error": run.error,
                "figures": run.figures,
            }
            for run in runs.values()
        },
        "load_average_before": load_before,
        "load_average_after": load_after,
        "seconds": seconds,
    }
    print(json.dumps(report, ensure_ascii=False))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
