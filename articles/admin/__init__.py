"""Admin of the editorial desk, one module per concern.

- `sources`: outlets and wires; raw pages (read-only).
- `coverage`: coverage links (inlines, bulk accept/reject) and the articles covering a round,
  meeting, official or measure on those pages.
- `articles`: the article page and list, with edit conflicts; `workflow`: its buttons and bulk
  actions; `history`: revisions with diffs, revert and recovery.
- `imports`: import pages from the admin (a background job per import) and follow the job.
- `review`: the "needs review" filter; `corrections`: corrections on published articles.
- `moderation`: the comment queue with one-click decisions, undo and confirmed bulk decisions
  (`queue`: its filters and paginator); `decisions`: the decision log; `inbox_moderation`: the
  moderator's inbox.
"""

from articles.admin import (
    articles,
    corrections,
    coverage,
    decisions,
    history,
    imports,
    moderation,
    queue,
    review,
    sources,
    workflow,
)

__all__ = [
    "articles",
    "corrections",
    "coverage",
    "decisions",
    "history",
    "imports",
    "moderation",
    "queue",
    "review",
    "sources",
    "workflow",
]
