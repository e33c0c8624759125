"""benchmarks/search.py keeps working: its quick mode on PostgreSQL, not a timing.

The benchmark checks the endpoint's pages against the raw-SQL anchor before it times
anything (the same articles in the same order where the candidate bound does not cut, only
matching articles where it does, nothing for a stop word), so a search that drifts from the
anchor fails here rather than on the day someone measures.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.postgres
def test_the_search_benchmark_quick_mode_runs_and_reports_its_figures(requires_postgres):
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "search.py"), "--quick"],
        cwd=ROOT,  # DATABASE_URL names the PostgreSQL server the tests run on
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["articles"] == 2000
    assert figures["japanese"] == 400  # 20%
    assert len(figures["queries"]) == 11  # ten mixed queries and a stop word
    japanese = [row for row in figures["queries"].values() if not row["q"].isascii()]
    assert len(japanese) == 4 and all(row["matches"] > 0 for row in japanese)
    assert figures["queries"]["stop words"]["matches"] == 0
    assert figures["endpoint_p50_ms"] > 0 and figures["anchor_p50_ms"] > 0
    assert figures["ratio_p50"] == round(figures["endpoint_p50_ms"] / figures["anchor_p50_ms"], 2)
    assert "goals_met" in figures


def test_the_search_benchmark_refuses_sqlite():
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "search.py"), "--quick"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": "sqlite:///db.sqlite3"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "needs PostgreSQL" in result.stderr
