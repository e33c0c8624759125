"""Admin for outlets and wires, and the raw pages exactly as received (read-only)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import formats, timezone
from django.utils.html import format_html

from articles.admin.base import AppendOnlyMixin
from articles.models import RawDocument, Source
from negotiations.admin import HTTPS_URLS


class SourceAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ("name", "kind", "slug", "url", "alias_list", "article_count")
    list_filter = ("kind",)
    search_fields = ("name", "slug", "url")
    prepopulated_fields = {"slug": ("name",)}
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Source]:
        return (
            super().get_queryset(request).annotate(articles_published=Count("published_articles"))
        )

    @admin.display(description="Also seen as")
    def alias_list(self, obj: Source) -> str:
        return ", ".join(obj.aliases or [])

    @admin.display(description="Articles", ordering="articles_published")
    def article_count(self, obj: Any) -> int:
        return int(obj.articles_published)


class RawDocumentAdmin(AppendOnlyMixin, admin.ModelAdmin):
    """Raw pages are evidence: they can be read here, never altered or deleted."""

    formfield_overrides = HTTPS_URLS

    list_display = ("file_name", "short_sha", "size_bytes", "encoding", "received", "article")
    list_filter = ("encoding", "received_at")
    list_select_related = ("article",)
    search_fields = ("file_name", "=sha256")
    date_hierarchy = "received_at"
    show_full_result_count = False
    fields = (
        "file_name",
        "sha256",
        "encoding",
        "size_bytes",
        "received",
        "article",
        "page_text",  # the page first; the importer's full report (JSON) below it
        "import_report",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Raw pages arrive by import only: "add" is the import form.
        return request.user.has_perm("articles.add_importjob")

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        return redirect("admin:articles_importjob_add")

    @admin.display(description="Received", ordering="received_at")
    def received(self, obj: RawDocument) -> str:
        """When it arrived, with its zone named (the desk's zone)."""
        return formats.date_format(timezone.localtime(obj.received_at), "j M Y, H:i T")

    @admin.display(description="SHA-256")
    def short_sha(self, obj: RawDocument) -> str:
        return obj.sha256[:12]

    @admin.display(description="Text as received")
    def page_text(self, obj: RawDocument) -> str:
        return format_html(
            '<pre style="white-space: pre-wrap; max-width: 60em;">{}</pre>', obj.text
        )
