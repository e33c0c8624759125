"""The background task that runs an import job (django-tasks; `manage.py db_worker` runs it)."""

from __future__ import annotations

from django_tasks import task

from articles.imports.jobs import run_job
from newsroom.routers import pinned_to_primary


@task()
def run_import_job(job_id: int) -> dict[str, int]:
    """Import the job's pending pages; returns the job's pages counted by outcome. Reads from
    the primary (with a replica configured): the job and its pages were written a moment ago."""
    with pinned_to_primary():
        return run_job(job_id)
