"""The "needs review" view of the article list: what an editor must still establish."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest

from articles.models import Article, CoverageLink
from articles.services.workflow import LINK_MODELS


def _open_suggestions(model: Any) -> Exists:
    return Exists(
        model.objects.filter(article=OuterRef("pk"), status=CoverageLink.Status.SUGGESTED)
    )


def review_conditions() -> dict[str, Q]:
    """What puts an article on the "needs review" list, by name."""
    return {
        "headline": Q(headline=""),
        "published_at": Q(published_at__isnull=True),
        "outlet": Q(outlet__isnull=True),
        "suggestions": Q(*[_open_suggestions(model) for model in LINK_MODELS], _connector=Q.OR),
        "source_changed": Q(source_changed=True),
        "importer": ~Q(needs_review=[]),
    }


def needing_review(queryset: QuerySet[Article]) -> QuerySet[Article]:
    """Articles missing a headline, a date or an outlet, with unconfirmed suggestions, with a
    changed raw page, or with fields the importer could not establish."""
    conditions = Q()
    for condition in review_conditions().values():
        conditions |= condition
    return queryset.filter(conditions)


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
            return needing_review(queryset)
        conditions = review_conditions()
        if value not in conditions:
            messages.error(request, f"Unknown review filter “{value}”.")
            return queryset.none()
        return queryset.filter(conditions[value])
