"""axe-core in the browser tests: injected from npm's copy in tests/e2e/js/node_modules (installed
by `npm ci --prefix tests/e2e/js`, pinned in package-lock.json), never from a CDN.

    violations = axe_violations(page)
    assert violations["critical"] == [] and violations["serious"] == []

axe is evaluated through the DevTools protocol rather than added as a <script>, so the page's
own Content-Security-Policy (scripts from this site only) stays in force while axe looks at it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

AXE = Path(__file__).resolve().parent / "js" / "node_modules" / "axe-core" / "axe.min.js"
IMPACTS = ("critical", "serious", "moderate", "minor")


def axe_script() -> Path:
    """The axe-core file; a missing install skips, or fails under NEWSROOM_REQUIRE_BROWSER=1."""
    if not AXE.exists():
        reason = f"needs axe-core at {AXE}: run npm ci --prefix tests/e2e/js"
        if os.environ.get("NEWSROOM_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return AXE


def axe_violations(page: Any, context: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """Run axe on `page` (or the element matching the CSS selector `context`); the violations by
    impact (every impact a key), each with its rule id, help and failing targets."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_script().read_text(encoding="utf-8"))
    results = page.evaluate(
        """async (context) => {
            const target = context ? document.querySelector(context) : document;
            return await window.axe.run(target, {resultTypes: ["violations"]});
        }""",
        context,
    )
    found: dict[str, list[dict[str, Any]]] = {impact: [] for impact in IMPACTS}
    for violation in results["violations"]:
        found.setdefault(violation["impact"] or "unknown", []).append(
            {
                "id": violation["id"],
                "help": violation["help"],
                "targets": [node["target"] for node in violation["nodes"]],
            }
        )
    return found
