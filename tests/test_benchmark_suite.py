"""benchmarks/suite.py: its quick mode on PostgreSQL runs every benchmark and reports every goal.

Not a timing: the quick data are too small for the goals' milliseconds to mean anything. What
it holds is that each benchmark still runs and still finds its contender serving what its
anchor serves (each checks that before timing, and a drift fails the suite), and that the
suite's last line carries each of the issue's goals with a measured value and a met flag.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SUITE = ROOT / "benchmarks" / "suite.py"
GOALS = {
    "list_vs_floor",
    "list_deep_vs_page_1",
    "list_vs_drf_by_the_book",
    "list_vs_drf_tutorial",
    "conditional_304_vs_empty_view",
    "search_p50",
    "search_p95",
    "queue_page_1_ms",
    "queue_page_1_queries",
    "queue_deepest_vs_page_1",
    "import_pages_per_cpu_s",
    "import_peak_rss_mb",
}


def run_suite(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SUITE), *args],
        cwd=ROOT,  # DATABASE_URL names the PostgreSQL server the tests run on
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.mark.postgres
def test_the_suite_quick_mode_runs_every_benchmark_and_reports_every_goal(requires_postgres):
    result = run_suite("--quick")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["quick"] is True
    assert report["failed"] == []
    assert set(report["benchmarks"]) == {
        "api_list",
        "search",
        "conditional",
        "moderation_queue",
        "import_pages",
    }
    for name, run in report["benchmarks"].items():
        assert run["returncode"] == 0, name
        assert run["figures"], name
    goals = {goal["key"]: goal for goal in report["goals"]}
    assert set(goals) == GOALS
    for key, goal in goals.items():
        assert isinstance(goal["measured"], int | float), key
        assert goal["met"] in (True, False), key
        assert goal["goal"] and goal["anchor"] != "-", key
    assert report["all_met"] == all(goal["met"] for goal in goals.values())
    # The figures behind the goals are the benchmarks' own.
    figures = report["benchmarks"]["api_list"]["figures"]
    assert goals["list_vs_floor"]["measured"] == figures["ratio"]
    assert goals["list_deep_vs_page_1"]["measured"] == figures["deep"]["ratio"]
    assert figures["deep"]["page"] > 1 and figures["deep"]["queries"] == figures["queries"]
    drf = figures["drf"]["tutorial"]
    assert goals["list_vs_drf_tutorial"]["measured"] == drf["we_are_faster"]
    assert goals["list_vs_drf_tutorial"]["met"] == (drf["we_are_faster"] >= 30)
    # The import benchmark's quick mode (100 generated pages) imported every page, beside its
    # two anchors, and its figures are the ones its goals are read from.
    imported = report["benchmarks"]["import_pages"]["figures"]
    assert imported["sizes"] == [100]
    generated = imported["generated"]["100"]
    assert generated["min_bytes"] >= 2048 and generated["max_bytes"] <= 10240
    row = imported["by_size"]["100"]
    assert row["import"]["counts"]["created"] == 100 and row["import"]["failures"] == 0
    for run in (row["import"], row["raw"], row["analyse"]):
        assert run["pages"] == 100 and run["pages_per_cpu_s"] > 0 and run["peak_rss_mb"] > 0
    # Storing costs more than storing the raw rows only, and more than not storing at all.
    assert row["cpu_ratio_to_raw"] < 1 and row["cpu_ratio_to_analyse"] < 1
    assert 0 < imported["queries"]["queries_per_page"] < 3
    assert set(imported["goals_met"]) == {"pages_per_s", "linear", "rss"}
    assert report["seconds"] > 0
    assert len(report["load_average_before"]) == 3
    # One table, before the JSON line.
    assert "what" in result.stdout and "met?" in result.stdout


def test_a_failed_benchmark_fails_the_suite():
    # Nothing listens on port 1: the benchmark cannot build its database and exits non-zero.
    result = run_suite(
        "--quick",
        "--only",
        "conditional",
        env={**os.environ, "DATABASE_URL": "postgres://root@127.0.0.1:1/test"},
    )
    assert result.returncode == 1, result.stdout[-2000:] + result.stderr[-2000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["failed"] == ["conditional"]
    assert report["benchmarks"]["conditional"]["returncode"] != 0
    goals = {goal["key"]: goal for goal in report["goals"]}
    assert goals["conditional_304_vs_empty_view"]["met"] is None
    assert goals["conditional_304_vs_empty_view"]["measured_text"] == "failed"
    assert report["all_met"] is False


def test_the_suite_refuses_sqlite():
    result = run_suite(
        "--quick", env={"PATH": "/usr/bin:/bin", "DATABASE_URL": "sqlite:///db.sqlite3"}
    )
    assert result.returncode == 2, result.stderr
    assert "needs PostgreSQL" in result.stderr
    assert "SQLite is refused" in result.stderr
