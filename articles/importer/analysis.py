"""What the importer makes of a page's text, before anything is stored: one function, used by
the import service and by the benchmark alike.

`analyse_text` segments the page (every line one class), extracts the article's fields and
suggests its coverage links. It touches no database beyond the `Reference` snapshot it is given.
"""

from __future__ import annotations

from dataclasses import dataclass

from articles.importer.metadata import ArticleDraft, extract
from articles.importer.reference import Reference
from articles.importer.segmenter import Line, Segmentation, segment
from articles.importer.suggest import Suggestions, suggest


@dataclass
class Analysis:
    segmentation: Segmentation
    draft: ArticleDraft
    suggestions: Suggestions

    @property
    def lines(self) -> list[Line]:
        return self.segmentation.lines


def analyse_text(text: str, reference: Reference) -> Analysis:
    seg = segment(text, source_names=reference.source_names())
    draft = extract(seg, reference)
    day = draft.published.day if draft.published else None
    found = suggest(draft.body, headline=draft.headline, day=day, ref=reference)
    return Analysis(seg, draft, found)
