"""Import from the admin: the import form (files, a zip, pasted text), the list of imports and
each job's page, which follows the worker live (a small JSON endpoint polled by a static script)
and offers a retry when the job stopped with pages left."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_POST

from articles.admin.base import attempt
from articles.admin.params import parse_id
from articles.imports.forms import ImportForm
from articles.imports.jobs import can_retry, retry_import, start_import
from articles.imports.reports import describe_page, source_names_needed
from articles.imports.uploads import unpack
from articles.models import ImportJob, ImportJobPage, Source
from articles.models.imports import DONE_OUTCOMES, JobStatus
from articles.services.audit import ServiceError

COUNTED = [
    ("created", "Created"),
    ("changed", "Changed"),
    ("unchanged", "Unchanged"),
    ("failed", "Failed"),
    ("refused", "Refused"),
    ("pending", "Waiting"),
]


def job_state(job: ImportJob) -> tuple[str, str]:
    """(code, what a person reads) for where the job stands."""
    if job.status == JobStatus.RUNNING and job.is_stale():
        return (
            "interrupted",
            "Interrupted: the worker stopped answering; the pages it had not finished were not "
            "saved. Retry imports them.",
        )
    if job.status == JobStatus.INTERRUPTED:
        return "interrupted", f"Interrupted. {job.problem} Retry imports the pages left."
    if job.status == JobStatus.QUEUED:
        return "queued", "Waiting for a worker to take it up."
    if job.status == JobStatus.RUNNING:
        return "running", "Importing…"
    failed = getattr(job, "pages_failed", 0) + getattr(job, "pages_refused", 0)
    if failed:
        return "finished", f"Finished; {failed} of the files were not imported (see below)."
    created = getattr(job, "pages_created", 0)
    changed = getattr(job, "pages_changed", 0)
    unchanged = getattr(job, "pages_unchanged", 0)
    if not created and not changed and unchanged:
        return "finished", "Finished: every page had been imported before, unchanged; nothing new."
    return "finished", "Finished: every page was read and stored."


class ImportJobAdmin(admin.ModelAdmin):
    list_display = ("__str__", "via", "created_at", "state", "pages_total", "outcome_counts")
    list_filter = ("via", "status")
    list_select_related = ("started_by",)
    show_full_result_count = False
    search_fields = ("started_by_name", "pages__file_name")

    def get_queryset(self, request: HttpRequest) -> QuerySet[ImportJob]:
        return ImportJob.objects.with_counts()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="State")
    def state(self, obj: ImportJob) -> str:
        return job_state(obj)[0]

    @admin.display(description="Pages", ordering="pages_total")
    def pages_total(self, obj: Any) -> int:
        return int(obj.pages_total)

    @admin.display(description="Outcomes")
    def outcome_counts(self, obj: Any) -> str:
        return ", ".join(
            f"{getattr(obj, f'pages_{code}')} {label.lower()}"
            for code, label in COUNTED
            if getattr(obj, f"pages_{code}")
        )

    def get_urls(self) -> list[URLPattern]:
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<int:job_id>/progress/",
                self.admin_site.admin_view(self.progress_view),
                name="{}_{}_progress".format(*info),
            ),
            path(
                "<int:job_id>/retry/",
                self.admin_site.admin_view(require_POST(self.retry_view)),
                name="{}_{}_retry".format(*info),
            ),
            *super().get_urls(),
        ]

    # The import form.

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        posted = request.method == "POST"
        form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
        if posted and form.is_valid():
            files = [(f.name or "", f.size or 0, f) for f in form.cleaned_data["uploads"]]
            entries = unpack(files, form.pasted())
            try:
                job = start_import(request.user, entries)
            except ServiceError as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(
                    request,
                    f"Import started: {len(entries)} files. This page follows it as it runs.",
                )
                return redirect(self._job_url(job.pk))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Import pages",
            "form": form,
            "recent": ImportJob.objects.with_counts().select_related("started_by")[:5],
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/articles/importjob/import_form.html", context)

    # The job's page.

    def _job_url(self, job_id: int) -> str:
        return reverse("admin:articles_importjob_change", args=[job_id])

    def _job(self, request: HttpRequest, job_id: Any) -> ImportJob:
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        pk = parse_id(str(job_id))
        jobs = ImportJob.objects.with_counts().select_related("started_by")
        found = jobs.filter(pk=pk).first() if pk is not None else None
        if found is None:
            raise Http404("No such import.")
        return found

    def _pages_context(self, job: ImportJob) -> dict[str, Any]:
        pages = list(
            ImportJobPage.objects.filter(job=job)
            .select_related("raw_document__article")
            .defer("data", "raw_document__text", "raw_document__article__body")
            .order_by("position")
        )
        slugs = source_names_needed(pages)
        sources = dict(Source.objects.filter(slug__in=slugs).values_list("slug", "name"))
        return {"pages": [(page, describe_page(page, sources)) for page in pages]}

    def _summary(self, request: HttpRequest, job: Any) -> dict[str, Any]:
        code, label = job_state(job)
        done = sum(getattr(job, f"pages_{o.value}") for o in DONE_OUTCOMES)
        settled = done + job.pages_failed + job.pages_refused
        return {
            "state": code,
            "state_label": label,
            "over": job.is_over(),
            "total": job.pages_total,
            "done": settled,
            "counts": {c: getattr(job, f"pages_{c}") for c, _ in COUNTED},
            "can_retry": self.has_change_permission(request) and can_retry(job),
            "retry_count": job.pages_failed + job.pages_pending,
        }

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        job = self._job(request, object_id)
        summary = self._summary(request, job)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Import {job.pk}",
            "job": job,
            "original": job,
            "summary": summary,
            "count_rows": [(c, label, summary["counts"][c]) for c, label in COUNTED],
            "progress_url": reverse("admin:articles_importjob_progress", args=[job.pk]),
            "retry_url": reverse("admin:articles_importjob_retry", args=[job.pk]),
            **self._pages_context(job),
        }
        return TemplateResponse(request, "admin/articles/importjob/job.html", context)

    def progress_view(self, request: HttpRequest, job_id: int) -> JsonResponse:
        job = self._job(request, job_id)
        summary = self._summary(request, job)
        summary["pages_html"] = render_to_string(
            "admin/articles/importjob/pages.html", self._pages_context(job), request=request
        )
        response = JsonResponse(summary)
        response["Cache-Control"] = "no-store"
        return response

    def retry_view(self, request: HttpRequest, job_id: int) -> HttpResponseRedirect:
        if not self.has_change_permission(request):
            raise PermissionDenied
        try:
            count = attempt(request, lambda: retry_import(request.user, job_id))
        except ImportJob.DoesNotExist:
            raise Http404("No such import.") from None
        if count is not None:
            messages.success(request, f"Retrying {count} pages.")
        return redirect(self._job_url(job_id))
