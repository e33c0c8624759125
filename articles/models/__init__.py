"""Sources, raw pages, articles, coverage links, reader comments and their moderation."""

from articles.models.articles import Article, ArticleQuerySet, Correction
from articles.models.comments import Comment, CommentQuerySet, ModerationDecision
from articles.models.coverage import (
    LINK_MODELS,
    CoverageLink,
    CoverageLinkQuerySet,
    MeasureLink,
    MeetingLink,
    OfficialLink,
    RoundLink,
)
from articles.models.sources import RawDocument, Source

__all__ = [
    "LINK_MODELS",
    "Article",
    "ArticleQuerySet",
    "Comment",
    "CommentQuerySet",
    "Correction",
    "CoverageLink",
    "CoverageLinkQuerySet",
    "MeasureLink",
    "MeetingLink",
    "ModerationDecision",
    "OfficialLink",
    "RawDocument",
    "RoundLink",
    "Source",
]
