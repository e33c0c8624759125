"""Dependencies point one way: articles knows negotiations, never the reverse."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_negotiations_never_imports_articles():
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            m for m in imported_modules(path) if m.split(".")[0] == "articles"
        )
        for path in (ROOT / "negotiations").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_negotiations_names_no_articles_model_in_strings():
    for path in (ROOT / "negotiations").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        assert '"articles.' not in path.read_text(), path
