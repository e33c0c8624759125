"""benchmarks/import_pages.py keeps working: its quick mode on PostgreSQL, not a timing.

The quick mode imports 100 generated pages through `import_paths` beside its two anchors (raw
rows only; segment and analyse only) and must import every page; its report must hold the
figures the suite's goals are read from."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCHMARK = ROOT / "benchmarks" / "import_pages.py"


@pytest.mark.postgres
def test_the_import_benchmark_quick_mode_runs_and_reports_its_figures(requires_postgres):
    result = subprocess.run(
        [sys.executable, str(BENCHMARK), "--quick"],
        cwd=ROOT,  # DATABASE_URL names the PostgreSQL server the tests run on
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["sizes"] == [100]
    generated = figures["generated"]["100"]
    assert generated["min_bytes"] >= 2048 and generated["max_bytes"] <= 10240
    row = figures["by_size"]["100"]
    assert row["import"]["counts"]["created"] == 100 and row["import"]["failures"] == 0
    for run in (row["import"], row["raw"], row["analyse"]):
        assert run["pages"] == 100 and run["pages_per_cpu_s"] > 0 and run["peak_rss_mb"] > 0
    # Storing costs more than storing the raw rows only, and more than not storing at all.
    assert row["cpu_ratio_to_raw"] < 1 and row["cpu_ratio_to_analyse"] < 1
    assert 0 < figures["queries"]["queries_per_page"] < 3
    assert set(figures["goals_met"]) == {"pages_per_s", "linear", "rss"}


def test_the_import_benchmark_refuses_sqlite():
    result = subprocess.run(
        [sys.executable, str(BENCHMARK), "--quick"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": "sqlite:///db.sqlite3"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "needs PostgreSQL" in result.stderr
