"""The "needs review" view of the article list: what an editor must still establish."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from articles.models import Article, ArticleQuerySet


class NeedsReviewFilter(admin.SimpleListFilter):
    title = "needs review"
    parameter_name = "review"

    LOOKUPS = (
        ("any", "Anything to review"),
        ("headline", "Missing headline"),
        ("published_at", "Missing published time"),
        ("outlet", "Missing outlet"),
        ("suggestions", "Unconfirmed link suggestions"),
        ("source_changed", "Changed raw page"),
        ("importer", "Fields the importer could not find"),
    )

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return list(self.LOOKUPS)

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if not value:
            return queryset
        if value == "any":
            return cast(ArticleQuerySet, queryset).needing_review()
        conditions = Article.objects.review_conditions()
        if value not in conditions:
            messages.error(request, f"Unknown review filter “{value}”.")
            return queryset.none()
        return queryset.filter(conditions[value])
