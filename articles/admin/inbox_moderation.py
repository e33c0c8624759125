"""The moderator's inbox: how many comments wait, how long the oldest has waited, and the
decisions made today (the desk's and the moderator's own), with the way into the queue.

Its own view and template (`admin/articles/comment/inbox.html`), apart from the editor's inbox.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from articles.models import Comment
from articles.services.moderation import moderation_summary


def describe_wait(seconds: float) -> str:
    """A wait as a person says it: "3 days 4 hours", "2 hours 5 minutes", "under a minute"."""
    minutes = int(seconds // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [(days, "day"), (hours, "hour"), (minutes, "minute")]
    shown = [f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in parts if n][:2]
    return " ".join(shown) or "under a minute"


def moderator_inbox(user: Any) -> dict[str, Any]:
    """The figures of the moderator's inbox (shown on its page and on the desk's landing page)."""
    now = timezone.now()
    summary = moderation_summary(user, now=now)
    oldest = summary.oldest_pending
    return {
        "summary": summary,
        "oldest_wait": describe_wait((now - oldest).total_seconds()) if oldest else None,
    }


def moderation_inbox(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("articles.moderate_comment"):
        raise PermissionDenied
    context = {
        **admin.site.each_context(request),
        "title": "Moderation inbox",
        "moderation": moderator_inbox(request.user),
        "opts": Comment._meta,
    }
    return TemplateResponse(request, "admin/articles/comment/inbox.html", context)
