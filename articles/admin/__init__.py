"""Admin of the editorial desk, one module per concern.

- `sources`: outlets and wires; raw pages (read-only).
- `coverage`: coverage links (inlines, bulk accept/reject) and the articles covering a round,
  meeting, official or measure on those pages.
- `articles`: articles with workflow, history (diffs, revert), edit conflicts.
- `review`: the "needs review" filter; `corrections`: corrections on published articles.
- `moderation`: the comment queue and the decision log.
"""

from articles.admin import articles, corrections, coverage, moderation, review, sources

__all__ = ["articles", "corrections", "coverage", "moderation", "review", "sources"]
