"""What every desk service shares: the acting user, refusals a person can act on, the permission
check and the audit row."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone


class Actor(Protocol):
    """The acting user: anything with a primary key and Django's permission check."""

    @property
    def pk(self) -> Any: ...

    def has_perm(self, perm: str, obj: Any = ...) -> bool: ...


class NamedActor(Actor, Protocol):
    """An actor whose name goes into records that keep a name rather than a user row."""

    def get_username(self) -> str: ...


@dataclass(frozen=True)
class SystemActor:
    """A named process acting without a user account, such as a management command run without
    --user. It has no user row, so no LogEntry can name it: the records that keep a name (an
    import report) carry `name`. It holds no permission, so a service that checks one refuses it.
    """

    name: str
    pk: None = None

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return False

    def get_username(self) -> str:
        return self.name

    def __str__(self) -> str:
        return self.name


class ServiceError(Exception):
    """A change refused, with a message a person can act on. Nothing was written."""


def require_perm(actor: Actor, perm: str, doing: str) -> None:
    if not actor.has_perm(perm):
        raise PermissionDenied(f"You are not allowed to {doing} (needs the {perm} permission).")


def record_audit(actor: Actor, obj: models.Model, message: str, *, flag: int = CHANGE) -> LogEntry:
    """Write the audit row for a change: an admin LogEntry naming who did what."""
    return LogEntry.objects.create(
        user_id=actor.pk,
        content_type_id=ContentType.objects.get_for_model(obj, for_concrete_model=False).pk,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        action_flag=flag,
        change_message=message,
    )


def describe_time(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S %Z")


def and_list(items: Iterable[str]) -> str:
    """The items joined as a person writes them: "a, b and c"."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


__all__ = [
    "Actor",
    "NamedActor",
    "ServiceError",
    "SystemActor",
    "and_list",
    "describe_time",
    "record_audit",
    "require_perm",
]
