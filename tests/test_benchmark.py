"""benchmarks/api_list.py keeps working: a small run on PostgreSQL, not a timing.

The benchmark checks itself before it times anything (the endpoint's 50 items equal the
floor's and both DRF anchors', the test Client sees what the WSGI application serves); this
runs it small so a change to the list's SQL or shape that the floor or DRF no longer matches
fails here, not on the day someone measures.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_list_benchmark_runs_and_reports_its_figures(requires_postgres):
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "api_list.py"),
            *("--articles", "120", "--comments", "300", "--repetitions", "3"),
        ],
        cwd=ROOT,  # DATABASE_URL names the PostgreSQL server the tests run on
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["articles"] == 120
    assert figures["comments"] == 300
    assert figures["queries"] == 3
    assert figures["endpoint_median_ms"] > 0 and figures["floor_median_ms"] > 0
    assert figures["ratio"] == round(figures["endpoint_median_ms"] / figures["floor_median_ms"], 2)
    # The DRF anchors served the endpoint's 50 items (checked before timing) and were timed
    # in the same rounds as the endpoint and the floor.
    assert set(figures["drf"]) == {"by_the_book", "tutorial"}
    for row in figures["drf"].values():
        assert row["median_ms"] > 0 and row["endpoint_median_ms"] > 0
        assert row["ratio_to_floor"] == round(row["median_ms"] / row["floor_median_ms"], 2)
        assert row["we_are_faster"] == round(row["median_ms"] / row["endpoint_median_ms"], 2)
    # select_related + prefetch_related: the page and one query per link kind; the tutorial's
    # bare queryset: a query per row for each relation (N+1).
    assert figures["drf"]["by_the_book"]["queries"] == 5
    assert figures["drf"]["tutorial"]["queries"] > 50 * 5
    assert set(figures["compared"]) == {
        "test_client",
        "floor_unprepared",
        "django_default_cursors",
        "django_default_cursors_floor_unprepared",
    }


def test_the_benchmark_refuses_sqlite():
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "api_list.py")],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": "sqlite:///db.sqlite3"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "needs PostgreSQL" in result.stderr
