"""Absolute API URLs, reversed once per request and then built by string joining.

A list of 100 articles needs several hundred links; reversing each one would cost more than
the database work, so each route's prefix is reversed once and keys are appended.
"""

from __future__ import annotations

import datetime
import functools
from typing import Any

from django.urls import get_script_prefix, get_urlconf, reverse
from rest_framework.request import Request

ROUTES = {
    "article": "api:article-list",
    "source": "api:source-list",
    "official": "api:official-list",
    "round": "api:round-list",
    "meeting": "api:meeting-list",
    "measure": "api:tariffmeasure-list",
}


@functools.cache
def _reversed(kind: str, urlconf: Any, script_prefix: str) -> str:
    return reverse(ROUTES[kind], urlconf=urlconf)


def route_path(kind: str) -> str:
    """The route's path, reversed once per URLconf and script prefix (both fixed in practice)."""
    return _reversed(kind, get_urlconf(), get_script_prefix())


class Links:
    def __init__(self, request: Request | None) -> None:
        self.request = request
        self._prefixes: dict[str, str] = {}

    def prefix(self, kind: str) -> str:
        if kind not in self._prefixes:
            path = route_path(kind)
            self._prefixes[kind] = self.request.build_absolute_uri(path) if self.request else path
        return self._prefixes[kind]

    def to(self, kind: str, key: Any) -> str:
        return f"{self.prefix(kind)}{key}/"

    def comments(self, slug: str) -> str:
        return f"{self.prefix('article')}{slug}/comments/"


def links_for(context: dict[str, Any]) -> Links:
    """The request's Links, made once and shared by every serializer in the response."""
    links = context.get("links")
    if links is None:
        links = context["links"] = Links(context.get("request"))
    return links


def iso(value: datetime.datetime | datetime.date | None) -> str | None:
    """Dates as ISO 8601; date-times in UTC with 'Z', as DRF renders them."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        text = value.isoformat()
        if text.endswith("+00:00"):  # already UTC (what the database returns): no conversion
            return text[:-6] + "Z"
        text = value.astimezone(datetime.UTC).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    return value.isoformat()
