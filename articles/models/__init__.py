"""Sources, raw pages, articles, coverage links, reader comments and their moderation."""

from articles.models.articles import Article, ArticleQuerySet, Correction
from articles.models.comments import Comment, CommentQuerySet, ModerationDecision
from articles.models.coverage import (
    LINK_KINDS,
    LINK_MODELS,
    CoverageLink,
    CoverageLinkQuerySet,
    LinkKind,
    MeasureLink,
    MeetingLink,
    OfficialLink,
    RoundLink,
)
from articles.models.imports import ImportJob, ImportJobPage
from articles.models.sources import RawDocument, Source

__all__ = [
    "LINK_KINDS",
    "LINK_MODELS",
    "Article",
    "ArticleQuerySet",
    "Comment",
    "CommentQuerySet",
    "Correction",
    "CoverageLink",
    "CoverageLinkQuerySet",
    "ImportJob",
    "ImportJobPage",
    "LinkKind",
    "MeasureLink",
    "MeetingLink",
    "ModerationDecision",
    "OfficialLink",
    "RawDocument",
    "RoundLink",
    "Source",
]
