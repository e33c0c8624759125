"""Reads from a replica, writes to the primary (`DATABASE_REPLICA_URL`).

With `DATABASE_REPLICA_URL` set, settings add the `replica` database and this router:

- writes, migrations and everything inside a transaction on the primary go to `default`;
- other reads go to `replica`, except while the request is pinned to the primary:
  - a request that may write (POST, PUT, PATCH, DELETE) reads from the primary throughout;
  - after such a request, `ReadAfterWriteMiddleware` sets a short-lived cookie
    (`NEWSROOM_REPLICA_PIN_SECONDS`, default 10), and requests carrying it read from the
    primary too, so an editor who saves sees their save on the page that follows, whatever
    the replica's lag.

Without a replica the router answers nothing and Django uses `default` for everything.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest
from django.http.response import HttpResponseBase

REPLICA = "replica"
PIN_COOKIE = "newsroom_primary"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

_pinned: contextvars.ContextVar[bool] = contextvars.ContextVar("newsroom_pinned", default=False)


def has_replica() -> bool:
    return REPLICA in settings.DATABASES


# The task queue is read to be claimed (its worker opens a transaction on the database a read
# of it names, then locks rows there): always the primary.
PRIMARY_ONLY_APPS = frozenset({"django_tasks_database"})  # django-tasks-db's app label


class PrimaryReplicaRouter:
    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        if not has_replica():
            return None
        if (
            _pinned.get()
            or connections["default"].in_atomic_block
            or model._meta.app_label in PRIMARY_ONLY_APPS
        ):
            return "default"
        return REPLICA

    def db_for_write(self, model: type[Any], **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # one database, two copies of it

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db == "default"  # the replica follows the primary's schema by replication


class pinned_to_primary:
    """Read from the primary inside this block (read-after-write outside a request)."""

    def __enter__(self) -> None:
        self._token = _pinned.set(True)

    def __exit__(self, *exc: object) -> None:
        _pinned.reset(self._token)


def pin_seconds() -> int:
    return int(getattr(settings, "NEWSROOM_REPLICA_PIN_SECONDS", 10))


class ReadAfterWriteMiddleware:
    """Pins a request's reads to the primary when it may write, or when the client wrote a
    moment ago (the cookie this middleware sets after a write)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not has_replica():
            return self.get_response(request)
        writes = request.method in WRITE_METHODS
        token = _pinned.set(writes or PIN_COOKIE in request.COOKIES)
        try:
            response = self.get_response(request)
        finally:
            _pinned.reset(token)
        if writes:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=pin_seconds(),
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response


__all__ = [
    "PIN_COOKIE",
    "PrimaryReplicaRouter",
    "ReadAfterWriteMiddleware",
    "has_replica",
    "pinned_to_primary",
]
