"""The import report kept on each RawDocument: how every line was classified, what was found,
what needs review, what was suggested and on what evidence, and what could not be resolved."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict
from typing import Any

from django.utils import timezone

from articles.importer.metadata import ArticleDraft
from articles.importer.reader import Page
from articles.importer.segmenter import LineClass, Segmentation
from articles.importer.suggest import Suggestions
from articles.models import Article

IMPORTER_VERSION = 2  # 2: prose blocks, stacked comment headers, author boxes


def differences(article: Article, draft: ArticleDraft) -> list[str]:
    """Fields whose value on the changed page differs from the article as it stands."""
    pairs = {
        "headline": (article.headline, draft.headline),
        "body": (article.body, draft.body),
        "byline": (article.byline, draft.byline),
        "dateline": (article.dateline, draft.dateline),
        "photo_caption": (article.photo_caption, draft.photo_caption),
        "copyright_line": (article.copyright_line, draft.copyright_line),
    }
    return [name for name, (now, page) in pairs.items() if page and now != page]


def import_report(
    page: Page,
    seg: Segmentation,
    draft: ArticleDraft,
    found: Suggestions,
    outcome: str,
    actor: Any,
    comments: int,
    links: dict[str, int],
) -> dict[str, Any]:
    counters = [
        line.extra["count"] for line in seg.lines if line.extra.get("reason") == "comment counter"
    ]
    notes = list(draft.notes)
    if counters and counters[-1] != len(seg.comments):
        notes.append(
            f"the page's comment counter says {counters[-1]}, {len(seg.comments)} comments found"
        )
    if seg.comments and not any(block.posted_label for block in seg.comments):
        notes.append("comments: the page shows no posting times")
    elif any(block.posted_label for block in seg.comments):
        notes.append(
            "comments: posted_at left empty; the page shows times relative to the day it was "
            "viewed ('Today 06:39 pm JST'), kept as posted_label"
        )
    chrome = [
        {"line": line.number, "reason": line.extra.get("reason", "")}
        for line in seg.lines
        if line.cls == LineClass.CHROME
    ]
    return {
        "importer": IMPORTER_VERSION,
        "outcome": outcome,
        "file_name": page.file_name,
        "encoding": page.encoding,
        "size_bytes": len(page.data),
        "sha256": page.sha256,
        "imported_by": actor.get_username() if actor is not None else None,
        "imported_at": timezone.now().isoformat(),
        "lines": {
            "total": len(seg.lines),
            "by_class": dict(Counter(line.cls for line in seg.lines)),
            "runs": seg.summary(),
        },
        "chrome": chrome,
        "fields": draft.report(),
        "needs_review": draft.needs_review,
        "notes": notes,
        "comments": {"found": len(seg.comments), "created": comments},
        "suggestions": [asdict(item) for item in found.items],
        "links_created": links,
        "unresolved": found.unresolved,
    }
