"""An article's history in admin: revisions with diffs (django-reversion-compare), revert, and
recovery of deleted articles.

- The article's revisions follow its coverage links, so a link change is in the history and a
  revert restores the links.
- A revert restores the revision's data and links; the version counter and the status stay as
  they are now, so an open form elsewhere still conflicts and the workflow is not bypassed
  (`articles.services.history.hold_for_revert` and `restore_live_state`).
- Each article an action changes gets a revision of its own (not one for the whole request), so
  reverting one never reverts another.
"""

from __future__ import annotations

import json
from typing import Any

import reversion
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from django.http import HttpRequest, HttpResponse
from reversion import RevertError
from reversion_compare.admin import CompareVersionAdmin

from articles.admin.base import RefusalAsMessageMixin, not_logged
from articles.models import Article
from articles.services.history import hold_for_revert, restore_live_state
from articles.services.workflow import ServiceError

REVERT_STATE = "_newsroom_revert_live_state"


def _change_message_text(message: Any) -> str:
    if isinstance(message, list):
        message = json.dumps(message)
    return LogEntry(change_message=message).get_change_message()


class ArticleHistoryAdmin(RefusalAsMessageMixin, CompareVersionAdmin):
    """History, diffs, revert and recovery for articles; `ArticleAdmin` builds on it."""

    # Compare what an editor can change and the links; not derived or bookkeeping fields, and
    # never reader comments.
    compare_exclude = (
        "search_vector",
        "updated_at",
        "version",
        "rounds",
        "meetings",
        "officials",
        "measures",
        "comments",
        "raw_documents",
        "corrections",
    )

    def compare(self, obj: Any, version1: Any, version2: Any) -> tuple[list[Any], bool]:
        """The diff, without foreign keys that point to the same row in both versions
        (reversion-compare reports those as changed whenever anything else changed)."""
        diff, has_unfollowed_fields = super().compare(obj, version1, version2)
        before, after = version1.field_dict, version2.field_dict
        kept = [
            entry
            for entry in diff
            if not (
                getattr(entry["field"], "many_to_one", False)
                and getattr(entry["field"], "concrete", False)
                and before.get(entry["field"].attname) == after.get(entry["field"].attname)
            )
        ]
        return kept, has_unfollowed_fields

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        # Not inside one revision for the whole request (as VersionAdmin does): each article an
        # action changes gets a revision of its own, so reverting one never reverts another.
        context = {"has_change_permission": self.has_change_permission(request)}
        context.update(extra_context or {})
        return admin.ModelAdmin.changelist_view(self, request, context)

    def recoverlist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        # Recovering a deleted article restores its status too, outside the workflow: only
        # for superusers (who alone may delete articles).
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(
        self, request: HttpRequest, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().recover_view(request, version_id, extra_context)

    def revision_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        """Revert (or preview) an earlier revision. The revision's data and links come back;
        the version counter and the status stay as they are now."""
        with transaction.atomic(using=router.db_for_write(Article)):
            live = hold_for_revert(unquote(object_id), editor=request.user)
            setattr(request, REVERT_STATE, live)
            return super().revision_view(request, object_id, version_id, extra_context)

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: Any = None,
    ) -> HttpResponse:
        live = getattr(request, REVERT_STATE, None)
        if live is not None and object_id is not None:
            # Inside django-reversion's revert, which rolls everything back on a refusal.
            try:
                restore_live_state(unquote(object_id), live)
                return CompareVersionAdmin.changeform_view(
                    self, request, object_id, form_url, extra_context
                )
            except ServiceError as refusal:
                raise RevertError(str(refusal)) from refusal
        # Otherwise a refusal that slipped past the form's check becomes a message.
        return super().changeform_view(request, object_id, form_url, extra_context)

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> LogEntry:
        return self._history_comment(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> LogEntry:
        return self._history_comment(request, obj, message)

    def _history_comment(self, request: HttpRequest, obj: Any, message: Any) -> LogEntry:
        """The services wrote the audit rows; the revision takes the admin's fuller message
        (fields and inline rows changed)."""
        text = _change_message_text(message)
        if reversion.is_active():
            reversion.set_comment(text)
        return not_logged(obj, text)


__all__ = ["REVERT_STATE", "ArticleHistoryAdmin"]
