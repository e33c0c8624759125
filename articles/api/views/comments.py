"""Reader comments on an article: approved ones to read, new ones to submit (queued pending)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.db.models import QuerySet
from django.http.response import HttpResponseBase
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from articles.api import querysets
from articles.api.caching import COMMENTS, CONTENT
from articles.api.pagination import KeysetPagination, Ordering, SortKey
from articles.api.problems import CommentsClosedProblem, InvalidParam, InvalidParameters
from articles.api.schema import JSON_FORMAT, problems, read
from articles.api.serializers.comments import CommentSerializer, CommentSubmissionSerializer
from articles.api.throttles import CommentSubmissionThrottle
from articles.api.views.base import COMMENT_FINGERPRINT, ApiViewSet
from articles.models import Article, Comment
from articles.services.comments import CommentsClosed, submit_comment


@extend_schema_view(
    list=extend_schema(
        summary="Approved reader comments on an article (cursor pages)",
        parameters=[
            JSON_FORMAT,
            OpenApiParameter(
                "ordering",
                str,
                enum=["created_at", "-created_at"],
                description="Oldest first (default) or newest first; the id breaks ties.",
            ),
        ],
        responses=read(CommentSerializer(many=True), detail=True),
    ),
    create=extend_schema(
        summary="Submit a reader comment (it waits, pending, for moderation)",
        parameters=[JSON_FORMAT],
        request=CommentSubmissionSerializer,
        responses={
            (201, "application/json"): CommentSerializer,
            **problems(400, 404, 406, 409, 415, 429),
        },
    ),
)
class ArticleCommentViewSet(ApiViewSet):
    """Reader comments on an article: approved ones to read, new ones to submit."""

    serializer_class = CommentSerializer
    pagination_class = KeysetPagination
    list_params = frozenset({"ordering"})
    fingerprint_aggregates = COMMENT_FINGERPRINT
    generation_scopes = (CONTENT, COMMENTS)
    lookup_field = "article_slug"

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no article
            return Comment.objects.none()
        return querysets.approved_comments(self.article)

    @cached_property
    def article(self) -> Article:
        slug = self.kwargs["article_slug"]
        article = querysets.visible_articles(editor=self.editor).filter(slug=slug).first()
        if article is None:
            raise NotFound(f"No article '{slug}' (or it is not published).")
        return article

    def get_throttles(self) -> list[Any]:
        if self.action == "create":
            return [CommentSubmissionThrottle()]
        return super().get_throttles()  # reads: the default ReadThrottle

    def get_ordering(self) -> Ordering:
        name = self.request.query_params.get("ordering") or "created_at"
        choices = {
            "created_at": Ordering(
                "created_at",
                (SortKey("created_at", False, "datetime"), SortKey("id", False, "int")),
            ),
            "-created_at": Ordering(
                "-created_at", (SortKey("created_at", True, "datetime"), SortKey("id", True, "int"))
            ),
        }
        if name not in choices:
            raise InvalidParameters.from_params(
                [InvalidParam("ordering", f"Must be one of: {', '.join(choices)}.")]
            )
        return choices[name]

    def list(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.get_ordering()
        queryset = self.get_queryset()
        not_modified = self.not_modified(queryset)
        if not_modified is not None:
            return not_modified
        paginator = KeysetPagination()
        page = paginator.paginate_queryset(queryset, request, self)
        return paginator.get_paginated_response(self.get_serializer(page, many=True).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        article = self.article
        submission = CommentSubmissionSerializer(data=request.data)
        submission.is_valid(raise_exception=True)
        data = submission.validated_data
        try:
            comment = submit_comment(article, author_name=data["author_name"], body=data["body"])
        except CommentsClosed as closed:
            raise CommentsClosedProblem(closed.reason) from None
        comment.quotes_comment_uuid = None  # type: ignore[attr-defined]
        return Response(self.get_serializer(comment).data, status=201)
