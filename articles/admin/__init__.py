"""Admin of the editorial desk, one module per concern.

- `base`: what the admins share (service-audited, read-only and append-only, refusals shown as
  messages).
- `sources`: outlets and wires; raw pages (read-only).
- `coverage`: coverage links (inlines, bulk accept/reject) and the articles covering a round,
  meeting, official or measure on those pages.
- `articles`: the article page and list, with edit conflicts; `workflow`: its buttons and bulk
  actions (driven by the services' table of transitions); `cards`: suggested links as cards;
  `history`: revisions with diffs, revert and recovery.
- `imports`: import pages from the admin (a background job per import) and follow the job.
- `review`: the "needs review" filter; `corrections`: corrections on published articles.
- `moderation`: the comment queue with one-click decisions, undo and confirmed bulk decisions
  (`queue`: its filters and paginator); `decisions`: the decision log; `inbox` and
  `inbox_moderation`: the editor's and the moderator's inbox.

Importing this package registers nothing: `register(site)` does, from
`ArticlesConfig.ready()`, after `negotiations` registered its own pages.
"""

from __future__ import annotations

from typing import Any

from django.contrib.admin import AdminSite, ModelAdmin
from django.db.models import Model

from articles.admin.articles import ArticleAdmin
from articles.admin.corrections import CorrectionAdmin
from articles.admin.coverage import (
    COVERED_ADMINS,
    MeasureLinkAdmin,
    MeetingLinkAdmin,
    OfficialLinkAdmin,
    RoundLinkAdmin,
)
from articles.admin.decisions import ModerationDecisionAdmin
from articles.admin.imports import ImportJobAdmin
from articles.admin.moderation import CommentAdmin
from articles.admin.sources import RawDocumentAdmin, SourceAdmin
from articles.models import (
    Article,
    Comment,
    Correction,
    ImportJob,
    MeasureLink,
    MeetingLink,
    ModerationDecision,
    OfficialLink,
    RawDocument,
    RoundLink,
    Source,
)

ADMINS: tuple[tuple[type[Model], type[ModelAdmin[Any]]], ...] = (
    (Article, ArticleAdmin),
    (Correction, CorrectionAdmin),
    (RoundLink, RoundLinkAdmin),
    (MeetingLink, MeetingLinkAdmin),
    (OfficialLink, OfficialLinkAdmin),
    (MeasureLink, MeasureLinkAdmin),
    (Source, SourceAdmin),
    (RawDocument, RawDocumentAdmin),
    (ImportJob, ImportJobAdmin),
    (Comment, CommentAdmin),
    (ModerationDecision, ModerationDecisionAdmin),
)


def register(site: AdminSite) -> None:
    """Register the desk's admins on `site`; the negotiation's record gets the pages that show
    its coverage in place of its own (`COVERED_ADMINS`)."""
    for model, model_admin in ADMINS:
        site.register(model, model_admin)
    for model, model_admin in COVERED_ADMINS:
        if site.is_registered(model):
            site.unregister(model)
        site.register(model, model_admin)


__all__ = ["ADMINS", "register"]
