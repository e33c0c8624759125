"""Import jobs: a batch of pages sent from the admin (or imported on the command line), who sent
it, and what became of each page.

A job's counts are never stored twice: they are counted from its pages (`ImportJobQuerySet.
with_counts`). Each page's outcome is written in the same transaction as the raw document and
draft it produced (`articles.imports.jobs`), so a page is either done with its rows or still
pending without them.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone

from negotiations.models import choices_check


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Waiting for a worker"
    RUNNING = "running", "Running"
    FINISHED = "finished", "Finished"
    INTERRUPTED = "interrupted", "Interrupted"


class PageOutcome(models.TextChoices):
    PENDING = "pending", "Waiting"
    CREATED = "created", "Created"
    CHANGED = "changed", "Changed"
    UNCHANGED = "unchanged", "Unchanged"
    FAILED = "failed", "Failed"
    REFUSED = "refused", "Refused"


DONE_OUTCOMES = (PageOutcome.CREATED, PageOutcome.CHANGED, PageOutcome.UNCHANGED)
RETRYABLE_OUTCOMES = (PageOutcome.PENDING, PageOutcome.FAILED)


class ImportJobQuerySet(models.QuerySet["ImportJob"]):
    def get_by_natural_key(self, uuid_value: str) -> ImportJob:
        return self.get(uuid=uuid_value)

    def with_counts(self) -> ImportJobQuerySet:
        """Each job with its pages counted by outcome, in the same query."""
        counts: dict[str, Any] = {"pages_total": Count("pages")}
        for outcome in PageOutcome:
            counts[f"pages_{outcome.value}"] = Count("pages", filter=Q(pages__outcome=outcome))
        return self.annotate(**counts)


class ImportJob(models.Model):
    """Pages sent together for import, and who sent them."""

    Status = JobStatus

    # A job's stable name across databases (backups and natural-key dumps renumber ids).
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="import_jobs",
        help_text="The editor who started it; empty for a command-line import without --user.",
    )
    started_by_name = models.CharField(
        max_length=200,
        help_text="Who started it, as recorded in each page's import report.",
    )
    via = models.CharField(max_length=20, default="admin")  # "admin" or "command line"
    status = models.CharField(
        max_length=12, choices=JobStatus.choices, default=JobStatus.QUEUED, db_index=True
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="Last word from the worker running it."
    )
    attempts = models.PositiveIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True)
    problem = models.TextField(blank=True, help_text="Why the job stopped, when it did.")

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        # One name on every page of the desk: "Imports", "Add import", "Import 3".
        verbose_name = "import"
        verbose_name_plural = "imports"
        ordering = ["-created_at", "-id"]
        constraints = [
            choices_check("status", JobStatus, "importjob_status_valid"),
            models.CheckConstraint(
                condition=~Q(started_by_name=""), name="importjob_names_who_started_it"
            ),
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True) | Q(status__in=["finished", "interrupted"]),
                name="importjob_finished_only_when_over",
            ),
        ]

    def __str__(self) -> str:
        return f"Import {self.pk} by {self.started_by_name}"

    def is_stale(self, now: datetime.datetime | None = None) -> bool:
        """Running, but its worker has not been heard from for too long (killed or lost)."""
        if self.status != JobStatus.RUNNING:
            return False
        last = self.heartbeat_at or self.started_at or self.created_at
        limit = datetime.timedelta(seconds=settings.NEWSROOM_IMPORT_STALE_SECONDS)
        return (now or timezone.now()) - last > limit

    def is_over(self) -> bool:
        return self.status in (JobStatus.FINISHED, JobStatus.INTERRUPTED) or self.is_stale()

    def natural_key(self) -> tuple[str]:
        return (str(self.uuid),)


class ImportJobPageManager(models.Manager["ImportJobPage"]):
    def get_by_natural_key(self, job_uuid: str, position: int) -> ImportJobPage:
        return self.get(job__uuid=job_uuid, position=position)


class ImportJobPage(models.Model):
    """One page of a job: what was sent, and what became of it."""

    Outcome = PageOutcome

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="pages")
    position = models.PositiveIntegerField()
    file_name = models.CharField(max_length=500)
    data = models.BinaryField(
        blank=True, help_text="The bytes sent, kept until the page is imported (for a retry)."
    )
    outcome = models.CharField(
        max_length=10, choices=PageOutcome.choices, default=PageOutcome.PENDING, db_index=True
    )
    reason = models.TextField(blank=True)
    raw_document = models.ForeignKey(
        "articles.RawDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="import_job_pages",
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ImportJobPageManager()

    class Meta:
        ordering = ["job", "position"]
        constraints = [
            choices_check("outcome", PageOutcome, "importjobpage_outcome_valid"),
            models.UniqueConstraint(fields=["job", "position"], name="importjobpage_position"),
            models.CheckConstraint(
                condition=~Q(outcome__in=[o.value for o in DONE_OUTCOMES])
                | Q(raw_document__isnull=False),
                name="importjobpage_done_has_raw_document",
            ),
            models.CheckConstraint(
                condition=~Q(outcome__in=["failed", "refused"]) | ~Q(reason=""),
                name="importjobpage_failure_says_why",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.outcome})"

    def natural_key(self) -> tuple[str, int]:
        return (str(self.job.uuid), self.position)
