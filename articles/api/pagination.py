"""Keyset (cursor) pagination over a whitelisted ordering that always ends in a unique key.

A cursor is the position of the last (or first) row shown: the values of every ordering key
for that row. The next page is "rows after that position", so pages never skip or repeat a
row when rows are added meanwhile, and deep pages cost what the first one costs. Ordering keys
that may be empty put empty values last, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db.models import BooleanField, Expression, F, OrderBy, Q, QuerySet, Value
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from articles.api.problems import InvalidParam, InvalidParameters
from articles.api.querysets import fetch_values

KeyKind = Literal["datetime", "int", "float", "str"]

# A stand-in value of each kind: a cursor page's SQL is compiled once with these in the
# cursor's places, then run with the cursor's own values (querysets.fetch_values).
PLACEHOLDERS: dict[str, Any] = {
    "datetime": datetime.datetime(1999, 12, 31, 23, 59, 58, 424242, tzinfo=datetime.UTC),
    "int": -(2**62) + 424242,
    "float": -4.24242e300,
    "str": "\x00keyset-placeholder\x00",
}


class RowComparison(Expression):
    """`(a, b, ...) < (x, y, ...)` (or `>`): a row-value comparison, which PostgreSQL matches
    against an index on the same columns in the same order as one range condition, and
    SQLite (3.15+) evaluates as written."""

    conditional = True

    def __init__(self, columns: Sequence[Any], values: Sequence[Any], operator: str) -> None:
        super().__init__(output_field=BooleanField())
        if operator not in ("<", ">") or len(columns) != len(values):
            raise ValueError(operator)
        self.columns, self.values, self.operator = list(columns), list(values), operator

    def get_source_expressions(self) -> list[Any]:
        return [*self.columns, *self.values]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        n = len(self.columns)
        self.columns, self.values = list(exprs[:n]), list(exprs[n:])

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        sides, params = [], []
        for side in (self.columns, self.values):
            parts = []
            for expression in side:
                sql, part_params = compiler.compile(expression)
                parts.append(sql)
                params.extend(part_params)
            sides.append(f"({', '.join(parts)})")
        return f"{sides[0]} {self.operator} {sides[1]}", params


@dataclass(frozen=True)
class SortKey:
    field: str
    descending: bool
    kind: KeyKind
    nullable: bool = False

    def order_by(self, *, backwards: bool) -> OrderBy:
        descending = self.descending != backwards
        expression = F(self.field)
        if not self.nullable:
            return expression.desc() if descending else expression.asc()
        # Empty values come last going forwards, so first when walking back.
        nulls = {"nulls_first": True} if backwards else {"nulls_last": True}
        return expression.desc(**nulls) if descending else expression.asc(**nulls)

    def beyond(self, value: Any, *, backwards: bool) -> Q | None:
        """Rows strictly past `value` on this key in the walking direction; None if none."""
        field = self.field
        if not backwards:
            if value is None:
                return None
            step = Q(**{f"{field}__lt" if self.descending else f"{field}__gt": value})
            return step | Q(**{f"{field}__isnull": True}) if self.nullable else step
        if value is None:
            return Q(**{f"{field}__isnull": False}) if self.nullable else None
        return Q(**{f"{field}__gt" if self.descending else f"{field}__lt": value})

    def equal(self, value: Any) -> Q:
        return Q(**{f"{self.field}__isnull": True}) if value is None else Q(**{self.field: value})

    def encode(self, value: Any) -> Any:
        if isinstance(value, datetime.datetime):
            return value.isoformat()
        return value

    def decode(self, raw: Any) -> Any:
        if raw is None:
            if not self.nullable:
                raise ValueError
            return None
        if self.kind == "datetime":
            value = datetime.datetime.fromisoformat(raw)
            if value.tzinfo is None:
                raise ValueError
            try:  # "0001-01-01T00:00:00+14:00" has no instant a database can hold
                return value.astimezone(datetime.UTC)
            except OverflowError:
                raise ValueError from None
        if self.kind == "int" and isinstance(raw, int) and not isinstance(raw, bool):
            if abs(raw) >= 2**63:
                raise ValueError
            return raw
        if self.kind == "float" and isinstance(raw, int | float) and not isinstance(raw, bool):
            if not math.isfinite(raw):
                raise ValueError
            return float(raw)
        if self.kind == "str" and isinstance(raw, str):
            return raw
        raise ValueError


@dataclass(frozen=True)
class Ordering:
    """A public ordering name and the keys behind it; the last key is unique (the id)."""

    name: str
    keys: tuple[SortKey, ...]
    description: str = ""

    def order_by(self, *, backwards: bool = False) -> list[OrderBy]:
        return [key.order_by(backwards=backwards) for key in self.keys]

    def row_comparable(self, values: Sequence[Any]) -> bool:
        """Whether `after` is one row-value comparison: every key in one direction, none
        that may be empty, no empty value."""
        return (
            len({key.descending for key in self.keys}) == 1
            and not any(key.nullable for key in self.keys)
            and all(value is not None for value in values)
        )

    def after(
        self, values: Sequence[Any], *, backwards: bool, model: Any = None
    ) -> Q | RowComparison:
        """Rows past the position `values`.

        Given the model, and when `row_comparable`: `(k1, k2, ...) < (v1, v2, ...)` (`>` going
        up), one condition the database answers as one index range, however deep the page.
        Otherwise (keys that may be empty, mixed directions): (k1 > v1) or (k1 = v1 and
        k2 > v2) or ..."""
        if model is not None and self.row_comparable(values):
            columns = [F(key.field) for key in self.keys]
            typed = [
                Value(value, output_field=self.output_field(model, key.field))
                for key, value in zip(self.keys, values, strict=True)
            ]
            operator = "<" if self.keys[0].descending != backwards else ">"
            return RowComparison(columns, typed, operator)
        clauses: list[Q] = []
        prefix = Q()
        for key, value in zip(self.keys, values, strict=True):
            step = key.beyond(value, backwards=backwards)
            if step is not None:
                clauses.append(prefix & step)
            prefix &= key.equal(value)
        if not clauses:
            return Q(pk__in=[])
        condition = reduce(or_, clauses)
        first, value = self.keys[0], values[0]
        if value is not None and not first.nullable:
            # A redundant bound the database can use as an index range start.
            bound = "lte" if first.descending != backwards else "gte"
            condition = Q(**{f"{first.field}__{bound}": value}) & condition
        return condition

    @staticmethod
    def output_field(model: Any, name: str) -> Any:
        """The model field behind a key; None for an annotation (a search rank)."""
        try:
            return model._meta.get_field(name)
        except FieldDoesNotExist:  # an annotation: the value's own type
            return None

    def placeholders(self) -> list[Any]:
        return [PLACEHOLDERS[key.kind] for key in self.keys]

    def position(self, row: Any) -> list[Any]:
        if isinstance(row, dict):
            return [row[key.field] for key in self.keys]
        return [getattr(row, key.field) for key in self.keys]


def newest_first(*, nullable: bool) -> Ordering:
    return Ordering(
        "-published_at",
        (SortKey("published_at", True, "datetime", nullable), SortKey("id", True, "int")),
        "Newest first (the default).",
    )


@dataclass(frozen=True)
class Cursor:
    ordering: str
    values: list[Any]
    backwards: bool


class KeysetPagination(BasePagination):
    """Cursor pagination with a bounded page size: over the maximum is a 400, never clamped."""

    cursor_query_param = "cursor"
    page_size_query_param = "page_size"

    def __init__(self) -> None:
        self.has_next = False
        self.has_previous = False
        self.rows: list[Any] = []
        self.page_size = self.default_page_size()

    @staticmethod
    def default_page_size() -> int:
        return int(getattr(settings, "NEWSROOM_API_PAGE_SIZE", 20))

    @staticmethod
    def max_page_size() -> int:
        return int(getattr(settings, "NEWSROOM_API_MAX_PAGE_SIZE", 100))

    def read_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param) or ""
        if not raw:
            return self.default_page_size()
        maximum = self.max_page_size()
        if not (raw.isascii() and raw.isdigit() and len(raw) < 6) or not 1 <= int(raw) <= maximum:
            reason = f"Must be a whole number from 1 to {maximum}; got {raw[:40]!r}."
            raise InvalidParameters.from_params([InvalidParam("page_size", reason)])
        return int(raw)

    def read_cursor(self, request: Request, ordering: Ordering) -> Cursor | None:
        raw = request.query_params.get(self.cursor_query_param)
        if not raw:
            return None
        try:
            data = json.loads(base64.urlsafe_b64decode(raw.encode("ascii") + b"=" * 4))
            name, raw_values, backwards = data["o"], data["v"], data["b"]
            if name != ordering.name:
                raise InvalidParameters.from_params(
                    [
                        InvalidParam(
                            "cursor",
                            f"This cursor belongs to ordering={name}, not "
                            f"ordering={ordering.name}. Keep the ordering while paging.",
                        )
                    ]
                )
            if not isinstance(raw_values, list) or len(raw_values) != len(ordering.keys):
                raise ValueError
            values = [k.decode(v) for k, v in zip(ordering.keys, raw_values, strict=True)]
        except InvalidParameters:
            raise
        except (ValueError, TypeError, KeyError, UnicodeError, binascii.Error):
            reason = (
                "Not a cursor this endpoint issued. Follow the `next` and `previous` links "
                "(or the Link header) instead of building cursors."
            )
            raise InvalidParameters.from_params([InvalidParam("cursor", reason)]) from None
        return Cursor(name, values, bool(backwards))

    def encode_cursor(self, ordering: Ordering, row: Any, *, backwards: bool) -> str:
        values = [k.encode(v) for k, v in zip(ordering.keys, ordering.position(row), strict=True)]
        data = {"o": ordering.name, "v": values, "b": int(backwards)}
        raw = json.dumps(data, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")

    def paginate_queryset(
        self,
        queryset: QuerySet[Any] | Callable[[], QuerySet[Any]],
        request: Request,
        view: Any = None,
    ) -> list[Any]:
        """A page of `queryset` (or of what the callable builds, when it must be built)."""
        self.request = request
        self.ordering: Ordering = view.get_ordering()
        self.page_size = self.read_page_size(request)
        cursor = self.read_cursor(request, self.ordering)
        backwards = bool(cursor and cursor.backwards)

        def page(values: Sequence[Any] | None) -> QuerySet[Any]:
            ordered = (queryset() if callable(queryset) else queryset).order_by(
                *self.ordering.order_by(backwards=backwards)
            )
            if values is not None:
                after = self.ordering.after(values, backwards=backwards, model=ordered.model)
                ordered = ordered.filter(after)
            return ordered[: self.page_size + 1]

        memo_key = getattr(view, "page_query_key", None)
        key = (*(memo_key or ()), self.ordering.name, self.page_size)
        if memo_key is not None and cursor is None:
            # The view vouches the query depends on the key alone: its SQL can be kept.
            rows = fetch_values(lambda: page(None), key)
        elif memo_key is not None and cursor and self.ordering.row_comparable(cursor.values):
            # A cursor page: the same SQL for every position, compiled once with stand-ins
            # and run with the cursor's values, so page 200 costs what page 1 costs.
            rows = fetch_values(
                page,
                (*key, "after", backwards),
                slots=(self.ordering.placeholders(), cursor.values),
            )
        else:
            rows = list(page(cursor.values if cursor else None))
        more = len(rows) > self.page_size
        rows = rows[: self.page_size]
        if backwards:
            rows.reverse()
            self.has_previous, self.has_next = more, True
        else:
            self.has_previous, self.has_next = cursor is not None, more
        self.rows = rows
        return rows

    def link(self, *, backwards: bool) -> str | None:
        if not self.rows or not (self.has_previous if backwards else self.has_next):
            return None
        row = self.rows[0] if backwards else self.rows[-1]
        url = self.request.build_absolute_uri()
        token = self.encode_cursor(self.ordering, row, backwards=backwards)
        return replace_query_param(url, self.cursor_query_param, token)

    def first_page_link(self) -> str:
        return remove_query_param(self.request.build_absolute_uri(), self.cursor_query_param)

    def get_paginated_response(self, data: Any) -> Response:
        next_url, previous_url = self.link(backwards=False), self.link(backwards=True)
        links = [f'<{url}>; rel="{rel}"' for rel, url in [("next", next_url)] if url]
        links += [f'<{url}>; rel="prev"' for url in [previous_url] if url]
        headers = {"Link": ", ".join(links)} if links else {}
        body = {"next": next_url, "previous": previous_url, "results": data}
        return Response(body, headers=headers)

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {**link, "description": "The next page, or null on the last."},
                "previous": {**link, "description": "The previous page, or null on the first."},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        maximum = self.max_page_size()
        return [
            {
                "name": self.cursor_query_param,
                "in": "query",
                "required": False,
                "description": "Opaque position from a `next`/`previous` link.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "in": "query",
                "required": False,
                "description": (
                    f"Items per page, 1 to {maximum} (default {self.default_page_size()}); "
                    f"more than {maximum} is refused with 400, not clamped."
                ),
                "schema": {"type": "integer", "minimum": 1, "maximum": maximum},
            },
        ]
