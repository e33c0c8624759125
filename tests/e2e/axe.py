"""axe-core in the browser tests: injected from npm's copy in tests/e2e/js/node_modules (installed
by `npm ci --prefix tests/e2e/js`, pinned in package-lock.json), never from a CDN.

    violations = axe_violations(page)
    assert violations["critical"] == [] and violations["serious"] == []
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


def axe_violations(page: Any, *, context: str = "document") -> dict[str, list[str]]:
    """Run axe on the page as it is now; the violations by impact, each as
    "rule-id: help (n nodes: selector, …)" so a failure names what to fix."""
    page.add_script_tag(path=str(axe_script()))
    results = page.evaluate(
        """async (context) => {
            const target = context === "document" ? document : document.querySelector(context);
            return await window.axe.run(target, {resultTypes: ["violations"]});
        }""",
        context,
    )
    found: dict[str, list[str]] = {impact: [] for impact in IMPACTS}
    for violation in results["violations"]:
        nodes = [", ".join(node["target"]) for node in violation["nodes"]]
        described = (
            f"{violation['id']}: {violation['help']} ({len(nodes)} nodes: {'; '.join(nodes[:5])})"
        )
        found.setdefault(violation["impact"] or "minor", []).append(described)
    return found
