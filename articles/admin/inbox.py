"""The editor's half of the desk's inbox: what waits for an editor, each with a count and a
link to the list that shows it. A fixed number of queries whatever the number of rows.

- articles needing review, grouped by reason (the reasons of `ArticleQuerySet.review_conditions`,
  one aggregate query), with what is only optional (a byline) counted apart;
- suggested links awaiting a decision, per kind of link;
- articles whose raw page changed;
- recent imports and how each went;
- the editor's own drafts (drafts and articles in review they have worked on).
"""

from __future__ import annotations

from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, Exists, OuterRef, Q
from django.db.models.functions import Cast
from django.urls import reverse

from articles.admin.review import NeedsReviewFilter
from articles.models import LINK_KINDS, Article, CoverageLink, RawDocument
from articles.models.articles import OPTIONAL_REVIEW_ITEMS

RECENT_IMPORTS = 8
REVIEW_WORDS = {"published_at": "published time", "source_changed": "a look at its changed page"}
OWN_DRAFTS = 10


def editor_inbox(user: Any) -> dict[str, Any]:
    changelist = reverse("admin:articles_article_changelist")
    conditions = Article.objects.review_conditions()
    labels = dict(NeedsReviewFilter.LOOKUPS)
    open_articles = Article.objects.exclude(status=Article.Status.RETRACTED)
    counts = open_articles.aggregate(
        any=Count("pk", filter=Q(*conditions.values(), _connector=Q.OR)),
        optional=Count(
            "pk",
            filter=Q(
                *(Q(needs_review__icontains=f'"{item}"') for item in OPTIONAL_REVIEW_ITEMS),
                _connector=Q.OR,
            ),
        ),
        **{name: Count("pk", filter=condition) for name, condition in conditions.items()},
    )
    reasons = [
        {
            "name": name,
            "label": labels.get(name, name),
            "count": counts[name],
            "url": f"{changelist}?{NeedsReviewFilter.parameter_name}={name}",
        }
        for name in conditions
        if counts[name]
    ]
    # One count per kind of link: four queries, whatever the number of rows.
    links = [
        {
            "label": kind.model._meta.verbose_name_plural,
            "url": reverse(f"admin:articles_{kind.model._meta.model_name}_changelist")
            + "?status__exact=suggested",
            "count": kind.model.objects.filter(status=CoverageLink.Status.SUGGESTED).count(),
        }
        for kind in LINK_KINDS.values()
    ]
    article_type = ContentType.objects.get_for_model(Article)
    touched = LogEntry.objects.filter(
        user_id=user.pk,
        content_type_id=article_type.pk,
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
    )
    own = list(
        Article.objects.filter(
            Exists(touched), status__in=[Article.Status.DRAFT, Article.Status.IN_REVIEW]
        )
        .only("id", "headline", "slug", "status", "updated_at")
        .order_by("-updated_at", "-pk")[:OWN_DRAFTS]
    )
    imports = list(
        RawDocument.objects.select_related("article")
        .only(
            "id",
            "file_name",
            "received_at",
            "import_report",
            "article__id",
            "article__headline",
            "article__slug",
            "article__needs_review",
        )
        .order_by("-received_at", "-pk")[:RECENT_IMPORTS]
    )
    return {
        "review_total": counts["any"],
        "review_url": f"{changelist}?{NeedsReviewFilter.parameter_name}=any",
        "review_reasons": reasons,
        "optional_total": counts["optional"],
        "suggested_links": links,
        "changed_pages": counts["source_changed"],
        "changed_pages_url": f"{changelist}?{NeedsReviewFilter.parameter_name}=source_changed",
        "recent_imports": [
            {
                "raw": raw,
                "outcome": (raw.import_report or {}).get("outcome", "—"),
                # What the article still needs now (the import's gaps an editor has not yet
                # filled), not what it lacked when imported.
                "missing": ", ".join(
                    REVIEW_WORDS.get(item, item.replace("_", " "))
                    for item in (raw.article.needs_review if raw.article else [])
                ),
                "imported_by": (raw.import_report or {}).get("imported_by") or "command line",
            }
            for raw in imports
        ],
        "own_drafts": own,
    }


__all__ = ["editor_inbox"]
