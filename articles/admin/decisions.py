"""The moderation decision log: read-only, one row per decision (who, from, to, reason, when)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html

from articles.admin.base import ReadOnlyMixin
from articles.models import ModerationDecision


class ModerationDecisionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The decision log: read-only."""

    list_display = (
        "decided_at",
        "comment_link",
        "moderator",
        "from_status",
        "to_status",
        "reason_code",
        "reason",
        "undoes",
    )
    list_filter = ("to_status", "from_status", "reason_code", "decided_at")
    list_select_related = ("comment", "moderator", "undoes")
    search_fields = ("reason", "comment__body", "moderator__username")
    date_hierarchy = "decided_at"
    show_full_result_count = False
    fields = (
        "comment_link",
        "moderator",
        "from_status",
        "to_status",
        "reason_code",
        "reason",
        "decided_at",
        "undoes",
    )
    readonly_fields = fields

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        context = dict(extra_context or {})
        decision = self.get_object(request, unquote(object_id))
        if decision is not None:
            context.setdefault("title", f"Decision on comment #{decision.comment_id}")
            context.setdefault(
                "subtitle",
                f"{decision.moderator.get_username()} moved it from "
                f"{decision.get_from_status_display().lower()} to "
                f"{decision.get_to_status_display().lower()}",
            )
        return super().change_view(request, object_id, form_url, context)

    @admin.display(description="Comment")
    def comment_link(self, obj: ModerationDecision) -> str:
        return format_html(
            '<a href="{}">#{}</a>: {}',
            reverse("admin:articles_comment_change", args=[obj.comment_id]),
            obj.comment_id,
            obj.comment.body[:80],
        )


__all__ = ["ModerationDecisionAdmin"]
