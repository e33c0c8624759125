"""Articles: filtered, searched and ordered lists in cursor pages; details with coverage; JSON
or IPTC ninjs."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.db import connections, router
from django.db.models import QuerySet
from django.http.response import HttpResponseBase
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from articles.api import querysets
from articles.api.caching import fingerprint
from articles.api.filters import ArticleFilterSet
from articles.api.links import Links
from articles.api.ninjs import NinjsSerializer
from articles.api.pagination import KeysetPagination, Ordering, SortKey, newest_first
from articles.api.problems import InvalidParam, InvalidParameters
from articles.api.renderers import ApiJSONRenderer, NinjsRenderer
from articles.api.schema import ARTICLE_FORMATS, read
from articles.api.serializers.articles import (
    ArticleDetailSerializer,
    ArticleListSerializer,
    list_items,
)
from articles.api.views.base import ARTICLE_FINGERPRINT, ARTICLE_LIST_FINGERPRINT, ApiViewSet
from articles.models import Article

ORDERING_PARAMETER = OpenApiParameter(
    "ordering",
    str,
    enum=["-published_at", "published_at", "-updated_at", "updated_at", "relevance"],
    description=(
        "Sort order; each ends with the id as tie-breaker. Default: -published_at, or "
        "relevance when q is given (relevance needs q)."
    ),
)


def article_list_fingerprint() -> dict[str, Any]:
    """ARTICLE_LIST_FINGERPRINT (newest id, newest change) over the whole article table.

    On PostgreSQL the very SQL the ORM compiles it to, kept as text: compiling an aggregate
    cost a third of a millisecond per request. Elsewhere (SQLite returns date-times as text,
    which the ORM's converters turn into datetimes) through the ORM.
    """
    db = connections[router.db_for_read(Article) or "default"]  # the replica, if there is one
    if db.vendor != "postgresql":
        return fingerprint(Article.objects.all(), ARTICLE_LIST_FINGERPRINT)
    table, pk = Article._meta.db_table, Article._meta.pk.column
    updated = Article._meta.get_field("updated_at").column
    sql = f'SELECT MAX("{pk}"), MAX("{updated}") FROM "{table}"'  # noqa: S608 - metadata only
    with db.cursor() as cursor:
        cursor.execute(sql)
        top, changed = cursor.fetchone()
    return {"top": top, "changed": changed}


@extend_schema_view(
    list=extend_schema(
        summary="List articles (filter, search, order; cursor pages)",
        description=(
            "Anonymous clients see published articles only; editors also see drafts and the "
            "editor-only fields status, needs_review, version and source_changed. "
            "Send Accept: application/ninjs+json or format=ninjs for IPTC ninjs 3.1 items."
        ),
        parameters=[ARTICLE_FORMATS, ORDERING_PARAMETER],
        responses=read(
            ArticleListSerializer(many=True),
            ninjs=NinjsSerializer(many=True),
        ),
    ),
    retrieve=extend_schema(
        summary="One article with its coverage and evidence (JSON or IPTC ninjs 3.1)",
        parameters=[ARTICLE_FORMATS],
        responses=read(
            ArticleDetailSerializer,
            detail=True,
            ninjs=NinjsSerializer,
        ),
    ),
)
class ArticleViewSet(ApiViewSet):
    """Articles (reporting only) with the record they cover."""

    serializer_class = ArticleListSerializer
    detail_serializer_class = ArticleDetailSerializer
    filterset_class = ArticleFilterSet
    pagination_class = KeysetPagination
    renderer_classes = [ApiJSONRenderer, NinjsRenderer]
    list_params = frozenset({"ordering"})
    # Set by list() when the page query is determined by this key (see KeysetPagination).
    page_query_key: tuple[Any, ...] | None = None
    fingerprint_aggregates = ARTICLE_FINGERPRINT

    def get_queryset(self) -> QuerySet[Any]:
        return querysets.visible_articles(editor=self.editor)

    @property
    def ninjs(self) -> bool:
        return self.request.accepted_renderer.format == "ninjs"

    def get_serializer_class(self) -> Any:
        if getattr(self, "request", None) is not None and self.ninjs:
            return NinjsSerializer
        return super().get_serializer_class()

    def orderings(self) -> dict[str, Ordering]:
        nullable = self.editor  # drafts may have no publication time
        published = SortKey("published_at", True, "datetime", nullable)
        ident = SortKey("id", True, "int")
        choices = [
            newest_first(nullable=nullable),
            Ordering(
                "published_at",
                (SortKey("published_at", False, "datetime", nullable), SortKey("id", False, "int")),
            ),
            Ordering("-updated_at", (SortKey("updated_at", True, "datetime"), ident)),
            Ordering(
                "updated_at",
                (SortKey("updated_at", False, "datetime"), SortKey("id", False, "int")),
            ),
        ]
        if self.searching:
            choices.append(
                Ordering("relevance", (SortKey("rank", True, "float"), published, ident))
            )
        return {choice.name: choice for choice in choices}

    @cached_property
    def searching(self) -> bool:
        return bool(self.request.query_params.get("q", "").strip())

    def get_ordering(self) -> Ordering:
        default = "relevance" if self.searching else "-published_at"
        name = self.request.query_params.get("ordering") or default
        choices = self.orderings()
        if name not in choices:
            reason = f"Must be one of: {', '.join(choices)}."
            if name == "relevance":
                reason = "relevance orders search results; give q as well."
            raise InvalidParameters.from_params([InvalidParam("ordering", reason)])
        return choices[name]

    def list(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.get_ordering()  # a bad ordering is a 400 even for a conditional request
        # Without filter parameters (StrictFilterBackend would return the queryset as it is)
        # the page depends on who asks alone, so the paginator may reuse its compiled SQL and
        # the queryset is only built when it has to be compiled.
        plain = not self.ninjs and self.filterset_class.base_filters.keys().isdisjoint(
            request.query_params
        )
        queryset = None if plain else self.filter_queryset(self.get_queryset())
        not_modified = self.not_modified(None, rows=article_list_fingerprint())
        if not_modified is not None:
            return not_modified
        paginator = KeysetPagination()
        if self.ninjs:
            assert queryset is not None
            page = paginator.paginate_queryset(querysets.article_detail(queryset), request, self)
            return paginator.get_paginated_response(self.get_serializer(page, many=True).data)
        editor = self.editor
        source: Any
        if queryset is None:
            self.page_query_key = ("articles", editor)

            def source() -> QuerySet[Any]:
                return querysets.article_rows(self.get_queryset(), editor=editor)
        else:
            source = querysets.article_rows(queryset, editor=editor)
        rows = paginator.paginate_queryset(source, request, self)
        # Plain rows shaped by one function (the shape ArticleListSerializer documents).
        items = list_items(
            querysets.with_coverage_keys(rows), Links(request), editor=editor, rendered_utc=True
        )
        return paginator.get_paginated_response(items)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        queryset = self.detail_queryset()
        not_modified = self.not_modified(queryset)
        if self.fingerprint_rows.get("n", 0) == 0:
            raise NotFound(f"No article '{self.lookup_value()}' (or it is not published).")
        if not_modified is not None:
            return not_modified
        article = querysets.article_detail(queryset).get()
        return Response(self.get_serializer(article).data)
