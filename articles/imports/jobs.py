"""The services of import jobs: start one, run it (in the worker), retry it, and record an import
run on the command line.

A page is imported and its outcome recorded in one transaction: a worker that dies mid-page
leaves that page pending with nothing of it stored, and the pages done before it done. A job
whose worker stopped answering (`ImportJob.is_stale`) is reported as interrupted, and a retry
queues its pending and failed pages again; pages already imported are not touched.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from articles.importer.reader import PageRefused, decode_page
from articles.importer.reference import Reference, load_reference
from articles.importer.store import ImportRun, PageResult, import_page
from articles.imports.uploads import Entry
from articles.models import ImportJob, ImportJobPage
from articles.models.imports import DONE_OUTCOMES, RETRYABLE_OUTCOMES, JobStatus, PageOutcome
from articles.services.audit import (
    NamedActor,
    ServiceError,
    SystemActor,
    record_audit,
    require_perm,
)
from articles.text import printable

logger = logging.getLogger(__name__)


def start_import(actor: NamedActor, entries: Sequence[Entry]) -> ImportJob:
    """Record the pages sent as a job and queue it for a worker; refused entries are recorded
    with their reasons. Returns at once: the pages are imported in the background."""
    require_perm(actor, "articles.add_importjob", "import pages")
    if not entries:
        raise ServiceError("Nothing to import: choose files, or paste a page and name it.")
    now = timezone.now()
    pending = any(not entry.refusal for entry in entries)
    with transaction.atomic():
        job = ImportJob.objects.create(
            started_by_id=actor.pk,
            started_by_name=actor.get_username(),
            via="admin",
            status=JobStatus.QUEUED if pending else JobStatus.FINISHED,
            finished_at=None if pending else now,
        )
        ImportJobPage.objects.bulk_create(
            ImportJobPage(
                job=job,
                position=position,
                file_name=entry.file_name,
                data=entry.data,
                outcome=PageOutcome.REFUSED if entry.refusal else PageOutcome.PENDING,
                reason=entry.refusal,
                finished_at=now if entry.refusal else None,
            )
            for position, entry in enumerate(entries, start=1)
        )
        record_audit(actor, job, f"Started an import of {len(entries)} files.", flag=ADDITION)
        if pending:
            transaction.on_commit(lambda: enqueue(job.pk))
    return job


def enqueue(job_id: int) -> None:
    """Hand the job to the task backend (a worker picks it up)."""
    from articles.imports.tasks import run_import_job

    result = run_import_job.enqueue(job_id)
    ImportJob.objects.filter(pk=job_id).update(task_id=str(result.id)[:64])


def can_retry(job: ImportJob) -> bool:
    """Over (finished, interrupted, or its worker silent too long), or never taken up by a
    worker for as long, with pages left to import."""
    waited = (timezone.now() - job.created_at).total_seconds()
    over = job.is_over() or (
        job.status == JobStatus.QUEUED and waited > settings.NEWSROOM_IMPORT_STALE_SECONDS
    )
    return over and job.pages.filter(outcome__in=RETRYABLE_OUTCOMES).exists()


def retry_import(actor: NamedActor, job_id: int) -> int:
    """Queue the job's pending and failed pages again; returns how many."""
    require_perm(actor, "articles.change_importjob", "retry an import")
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        if not can_retry(job):
            if job.pages.filter(outcome__in=RETRYABLE_OUTCOMES).exists():
                raise ServiceError(
                    "This import is still running (or waiting for a worker); it can be retried "
                    "once it has stopped."
                )
            raise ServiceError("Nothing to retry: every page of this import was imported.")
        job.pages.filter(outcome=PageOutcome.FAILED).update(
            outcome=PageOutcome.PENDING, reason="", finished_at=None
        )
        count = job.pages.filter(outcome=PageOutcome.PENDING).count()
        job.status, job.finished_at, job.heartbeat_at = JobStatus.QUEUED, None, None
        job.problem = ""
        job.save(update_fields=["status", "finished_at", "heartbeat_at", "problem"])
        record_audit(actor, job, f"Retried {count} pages.", flag=CHANGE)
        transaction.on_commit(lambda: enqueue(job.pk))
    return count


def run_job(job_id: int) -> dict[str, int]:
    """Import the job's pending pages, one transaction each (run by the worker)."""
    now = timezone.now()
    ImportJob.objects.filter(pk=job_id).update(
        status=JobStatus.RUNNING,
        started_at=now,
        heartbeat_at=now,
        finished_at=None,
        attempts=F("attempts") + 1,
        problem="",
    )
    job = ImportJob.objects.select_related("started_by").get(pk=job_id)
    actor: NamedActor = job.started_by or SystemActor(job.started_by_name)
    try:
        reference = load_reference()
        pending = job.pages.filter(outcome=PageOutcome.PENDING).order_by("position")
        for page_id in list(pending.values_list("pk", flat=True)):
            run_page(job_id, page_id, actor, reference)
    except Exception as error:
        logger.exception("import job %s stopped", job_id)
        ImportJob.objects.filter(pk=job_id).update(
            status=JobStatus.INTERRUPTED,
            finished_at=timezone.now(),
            problem=f"The import stopped: {type(error).__name__}: {str(error)[:300]}",
        )
        raise
    ImportJob.objects.filter(pk=job_id).update(
        status=JobStatus.FINISHED, finished_at=timezone.now()
    )
    counts = ImportJob.objects.with_counts().get(pk=job_id)
    return {o.value: getattr(counts, f"pages_{o.value}") for o in PageOutcome}


def run_page(job_id: int, page_id: int, actor: NamedActor, reference: Reference) -> None:
    """Import one page and record its outcome, in one transaction."""
    with transaction.atomic():
        page = (
            ImportJobPage.objects.select_for_update()
            .filter(pk=page_id, outcome=PageOutcome.PENDING)
            .first()
        )
        if page is None:
            return  # another worker took it
        result = import_bytes(page.file_name, bytes(page.data), actor, reference)
        page.outcome = result.outcome
        page.reason = result.reason[:2000]
        page.raw_document_id = result.raw_document_id
        page.finished_at = timezone.now()
        if result.outcome in DONE_OUTCOMES:
            page.data = b""  # the raw document keeps the page now
        page.save(update_fields=["outcome", "reason", "raw_document", "finished_at", "data"])
        ImportJob.objects.filter(pk=job_id).update(heartbeat_at=timezone.now())


def import_bytes(
    file_name: str, data: bytes, actor: NamedActor, reference: Reference
) -> PageResult:
    """One page from its bytes, as `import_paths` imports one from a file: a refusal or a
    surprise fails that page only, with the reason, and nothing of it is saved."""
    try:
        with transaction.atomic():  # a savepoint: whatever goes wrong leaves nothing behind
            page = decode_page(file_name, data, max_bytes=settings.NEWSROOM_IMPORT_MAX_BYTES)
            return import_page(page, actor=actor, reference=reference)
    except PageRefused as refusal:
        return PageResult(file_name=file_name, outcome="failed", reason=str(refusal))
    except Exception as error:
        logger.exception("import of %s failed", file_name)
        return PageResult(
            file_name=file_name,
            outcome="failed",
            reason=f"could not be imported, nothing was saved ({type(error).__name__}: "
            f"{str(error)[:200]})",
        )


def record_run(actor: NamedActor, run: ImportRun, *, started_at: Any, via: str) -> ImportJob:
    """Record an import run outside a job (the command line), so the desk sees who ran it and
    what became of each page."""
    now = timezone.now()
    with transaction.atomic():
        job = ImportJob.objects.create(
            started_by_id=actor.pk,
            started_by_name=actor.get_username()[:200],
            via=via,
            status=JobStatus.FINISHED,
            created_at=started_at,
            started_at=started_at,
            heartbeat_at=now,
            finished_at=now,
            attempts=1,
        )
        ImportJobPage.objects.bulk_create(
            ImportJobPage(
                job=job,
                position=position,
                file_name=printable(result.file_name)[:500],
                outcome=result.outcome,
                # A reason may quote a file name that is not UTF-8: its lone surrogates escaped.
                reason=result.reason.encode("utf-8", "backslashreplace").decode()[:2000],
                raw_document_id=result.raw_document_id,
                finished_at=now,
            )
            for position, result in enumerate(run.results, start=1)
        )
    return job
