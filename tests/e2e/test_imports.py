"""End to end, in a real browser: an editor imports two files through the admin and watches the
job finish, with the worker running as in production (`manage.py db_worker`, its own process);
axe-core finds no critical or serious problem on the import form and the job's page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from articles.models import ImportJob, RawDocument
from tests.articles.admin_support import role_user
from tests.articles.imports_support import SEEDS, worker
from tests.e2e.axe import axe_violations as shared_axe_violations
from tests.e2e.test_desk import log_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """The critical and serious axe-core violations on the page."""
    found = shared_axe_violations(page)
    return found["critical"] + found["serious"]


def test_an_editor_imports_two_files_and_watches_the_job_finish(
    page: Any, live_server: Any, reference_data: None
) -> None:
    role_user("Editors", "erin")
    seeds = sorted(SEEDS.glob("*.txt"))[:2]
    process = worker()
    try:
        log_in(page, live_server, "erin")
        page.goto(f"{live_server.url}/admin/articles/rawdocument/")
        page.click("text=Import pages")
        page.wait_for_selector("#id_uploads")
        assert axe_violations(page) == []

        page.set_input_files("#id_uploads", [str(path) for path in seeds])
        page.click('input[type="submit"][value="Import"]')
        page.wait_for_selector("#job-progress")
        assert "Import started: 2 files" in page.inner_text(".messagelist")
        # The page follows the worker without a reload.
        # (A locator, not wait_for_function: that evals a string, which the page's CSP refuses.)
        expect(page.locator("#job-state")).to_have_text(
            re.compile(r"^\s*Finished"), timeout=120_000
        )
        assert page.get_attribute("#job-progress", "value") == "2"
        assert page.get_attribute("#job-progress", "max") == "2"
        assert page.inner_text("#job-count-created") == "2"
        assert page.locator(".import-page h3").all_inner_texts() == [
            f"{path.name}: Created" for path in seeds
        ]
        assert "Japan says there is no easy concession" in page.inner_text("#job-pages")
        assert axe_violations(page) == []

        page.click("text=Raw page as received >> nth=0")
        page.wait_for_selector("#content")
        assert "/admin/articles/rawdocument/" in page.url
    finally:
        process.kill()
        process.wait(timeout=30)
    job = ImportJob.objects.get()
    assert job.started_by_name == "erin"
    assert RawDocument.objects.count() == 2
