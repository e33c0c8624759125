"""Browser tests: Playwright (Python) driving Debian's Chromium against pytest-django's live
server. Chromium is never downloaded: install it with `apt-get install chromium`.

Without /usr/bin/chromium these tests skip, unless NEWSROOM_REQUIRE_BROWSER=1 (as in CI), where
they fail.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("NEWSROOM_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="package")  # the event loop must not outlive the browser tests
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        reason = f"needs Chromium at {CHROMIUM}: apt-get install chromium"
        if os.environ.get("NEWSROOM_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the tests still query the
    # database from it, which Django would otherwise refuse.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # Inside a running event loop asgiref gives this thread new connection objects; they
    # must keep the database snapshot that `serialized_rollback` restores between tests.
    snapshots = {
        alias: connections[alias]._test_serialized_contents  # type: ignore[attr-defined]
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    try:
        with sync_playwright() as playwright:
            for alias, snapshot in snapshots.items():
                connections[alias]._test_serialized_contents = snapshot  # type: ignore[attr-defined]
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(20_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    """Each browser test starts with an empty database (the live server's flush) and so with
    an empty cache: numbers cached from the last test's data (the queue's counts, which the
    desk's writers keep current, not the factories) must not carry over."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
