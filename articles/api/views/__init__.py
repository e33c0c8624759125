"""The v1 endpoints. Read-only except one: a reader may submit a comment (queued as pending).

Every view refuses unknown query parameters, answers conditional GETs from validators
computed before any payload is built, and reports errors as application/problem+json.
"""

from articles.api.views.articles import ArticleViewSet
from articles.api.views.comments import ArticleCommentViewSet
from articles.api.views.problems import problem_type
from articles.api.views.records import (
    MeetingViewSet,
    OfficialViewSet,
    RoundViewSet,
    SourceViewSet,
    TariffMeasureViewSet,
    TimelineViewSet,
)

__all__ = [
    "ArticleCommentViewSet",
    "ArticleViewSet",
    "MeetingViewSet",
    "OfficialViewSet",
    "RoundViewSet",
    "SourceViewSet",
    "TariffMeasureViewSet",
    "TimelineViewSet",
    "problem_type",
]
