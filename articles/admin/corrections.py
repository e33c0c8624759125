"""Corrections, clarifications and updates: added to published articles, never edited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from articles.admin.base import AppendOnlyMixin, ServiceAuditedAdmin
from articles.forms import CorrectionAdminForm, CorrectionInlineForm
from articles.models import Article, Correction
from articles.services.workflow import add_correction


class CorrectionInline(admin.TabularInline):
    """Corrections shown on the article; new ones are added (published articles only), never
    edited or removed."""

    model = Correction
    form = CorrectionInlineForm
    fields = ("kind", "text", "created_at", "created_by")
    readonly_fields = ("created_at", "created_by")
    extra = 0
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Correction]:
        return super().get_queryset(request).select_related("article", "created_by")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None or obj.status != Article.Status.PUBLISHED:
            return False
        return super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CorrectionAdmin(AppendOnlyMixin, ServiceAuditedAdmin):
    """Corrections are published notes: added (through the service), never edited."""

    form = CorrectionAdminForm
    list_display = ("article", "kind", "excerpt", "created_at", "created_by")
    list_filter = ("kind", "created_at")
    list_select_related = ("article", "created_by")
    search_fields = ("text", "article__headline", "article__slug")
    autocomplete_fields = ("article",)
    fields = ("article", "kind", "text", "created_at", "created_by")
    readonly_fields = ("created_at", "created_by")
    show_full_result_count = False

    @admin.display(description="Text")
    def excerpt(self, obj: Correction) -> str:
        return obj.text[:120]

    def save_model(self, request: HttpRequest, obj: Correction, form: Any, change: bool) -> None:
        created = add_correction(obj.article, editor=request.user, kind=obj.kind, text=obj.text)
        obj.pk = created.pk
        obj.created_at = created.created_at
