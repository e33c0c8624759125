"""What the importer makes of a page before anything is stored: one path, used by the import
service and by the benchmark alike.

A page is segmented (every line one class: `segmenter` for text, `html` for markup), then
`analyse` extracts the article's fields and suggests its coverage links. Nothing here touches
the database beyond the `Reference` snapshot it is given.
"""

from __future__ import annotations

from dataclasses import dataclass

from articles.importer.html import segment_html
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


def analyse(seg: Segmentation, reference: Reference) -> Analysis:
    draft = extract(seg, reference)
    day = draft.published.day if draft.published else None
    found = suggest(draft.body, headline=draft.headline, day=day, ref=reference)
    return Analysis(seg, draft, found)


def analyse_text(text: str, reference: Reference) -> Analysis:
    return analyse(segment(text, source_names=reference.source_names()), reference)


def analyse_html(html: str, reference: Reference) -> Analysis:
    """PageRefused when the markup holds no article text."""
    return analyse(segment_html(html, source_names=reference.source_names()), reference)
