"""benchmarks/conditional.py keeps working: its quick mode on PostgreSQL, not a timing.

Before it times anything the benchmark checks that the shortcut's 304 ran no query and the
full check's one; here its report must hold every pair, each beside the empty view."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.postgres
def test_the_conditional_get_benchmark_quick_mode_runs_and_reports_its_figures(
    requires_postgres,
):
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "conditional.py"), "--quick"],
        cwd=ROOT,  # DATABASE_URL names the PostgreSQL server the tests run on
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["queries"] == {"304, shortcut": 0, "304, full check": 1}
    assert set(figures["pairs"]) == {"304, shortcut", "304, full check", "200"}
    for row in figures["pairs"].values():
        assert row["ms"] > 0 and row["empty_view_ms"] > 0
        assert row["ratio"] == round(row["ms"] / row["empty_view_ms"], 2)
    assert "goal_met" in figures


def test_the_conditional_get_benchmark_refuses_sqlite():
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "conditional.py"), "--quick"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": "sqlite:///db.sqlite3"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "needs PostgreSQL" in result.stderr
