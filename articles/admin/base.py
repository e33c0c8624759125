"""What the desk's admins share.

- `ServiceAuditedAdmin`: changes go through the services, which write the audit rows; the admin
  writes none of its own (`not_logged`).
- `ReadOnlyMixin` and `AppendOnlyMixin`: records kept as they were (decisions, raw pages,
  corrections), never changed or deleted in the admin; read-only ones are not added either.
- `RefusalAsMessageMixin` and `attempt`: a service's refusal (`ServiceError`) is shown to the
  person as the service worded it, on the page they were on, and nothing was written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from articles.services.audit import ServiceError

T = TypeVar("T")


def not_logged(obj: Any, message: Any) -> LogEntry:
    """An unsaved entry: the service already wrote the audit row for this change."""
    return LogEntry(object_id=str(obj.pk), change_message=message)


class ServiceAuditedAdmin(admin.ModelAdmin):
    """Changes here go through services, which write the audit rows; the admin adds none."""

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> LogEntry:
        return not_logged(obj, message)

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> LogEntry:
        return not_logged(obj, message)


class AppendOnlyMixin:
    """Rows that are never changed or deleted in the admin, once they exist."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyMixin(AppendOnlyMixin):
    """Rows only shown in the admin: written elsewhere (by a service), never added here."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False


def attempt(request: HttpRequest, step: Callable[[], T]) -> T | None:
    """Run one service call and return what it returns (the object it changed); None if the
    service refused, the refusal shown as an error message in the service's words."""
    try:
        return step()
    except ServiceError as refusal:
        messages.error(request, str(refusal))
        return None


class RefusalAsMessageMixin(admin.ModelAdmin):
    """A save the service refuses after the form's own checks (a decision or edit that lost a
    race; no row locks on SQLite) comes back to the same page with the refusal as an error
    message, rather than failing; the service's transaction wrote nothing."""

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: Any = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceError as refusal:
            messages.error(request, str(refusal))
            return redirect(request.get_full_path())


__all__ = [
    "AppendOnlyMixin",
    "ReadOnlyMixin",
    "RefusalAsMessageMixin",
    "ServiceAuditedAdmin",
    "attempt",
    "not_logged",
]
