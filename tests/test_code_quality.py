"""ruff (lint and format) and mypy with django-stubs stay clean, as configured in pyproject.toml."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CODE = ["newsroom", "negotiations", "articles", "tests", "benchmarks", "dev.py", "manage.py"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    present = [p for p in CODE if (ROOT / p).exists()]
    return subprocess.run([*args, *present], cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff_lint_is_clean():
    result = run(str(BIN / "ruff"), "check", "--output-format", "concise")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean():
    result = run(str(BIN / "ruff"), "format", "--check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_is_clean():
    result = subprocess.run(
        [
            str(BIN / "mypy"),
            "newsroom",
            "negotiations",
            "articles",
            "benchmarks",
            "dev.py",
            "manage.py",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
