"""axe-core in the browser tests: injected from the npm package in tests/e2e/js/ (`npm ci
--prefix tests/e2e/js`; no CDN), run on the page, violations grouped by impact."""

from __future__ import annotations

from pathlib import Path
from typing import Any

AXE = Path(__file__).parent / "js" / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page: Any, context: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """Run axe on `page` (or the element matching the CSS selector `context`); the violations
    by impact ("critical", "serious", ...), each with its rule id, help and failing targets."""
    if not AXE.exists():
        raise FileNotFoundError(f"{AXE} is missing: run `npm ci --prefix tests/e2e/js`")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        raise RuntimeError(
            "axe-core did not load: under the site's Content-Security-Policy the browser "
            "context needs bypass_csp=True"
        )
    results = page.evaluate("async (context) => await window.axe.run(context || document)", context)
    grouped: dict[str, list[dict[str, Any]]] = {}
    for violation in results["violations"]:
        grouped.setdefault(violation["impact"] or "unknown", []).append(
            {
                "id": violation["id"],
                "help": violation["help"],
                "targets": [node["target"] for node in violation["nodes"]],
            }
        )
    return grouped
