"""benchmarks/import_pages.py refuses SQLite. Its quick mode on PostgreSQL (100 generated
pages through `import_paths` beside its two anchors, every page imported, the figures the
suite's goals are read from) is checked where the suite runs it, in
tests/test_benchmark_suite.py, so that CI runs it once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHMARK = ROOT / "benchmarks" / "import_pages.py"


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
