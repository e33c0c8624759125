"""What a segmented page states about its article: headline, date, outlet, wire, byline, ...

Only what the page says is filled. What it does not say stays empty and is named in
`needs_review`; how each value was found goes into `notes` for the import report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from articles.importer import vocabulary as v
from articles.importer.dates import PageDate, find_date
from articles.importer.reference import Reference, SourceRef
from articles.importer.segmenter import LineClass as C
from articles.importer.segmenter import Segmentation

LIMITS = {
    "headline": 300,
    "byline": 300,
    "dateline": 100,
    "photo_credit": 300,
    "copyright_line": 300,
}


@dataclass
class ArticleDraft:
    headline: str = ""
    dek: str = ""
    body: str = ""
    byline: str = ""
    dateline: str = ""
    published: PageDate | None = None
    published_line: str = ""
    outlet: SourceRef | None = None
    wire: SourceRef | None = None
    cited: list[SourceRef] = field(default_factory=list)
    photo_caption: str = ""
    photo_credit: str = ""
    copyright_line: str = ""
    language: str = "en"
    needs_review: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def report(self) -> dict[str, Any]:
        return {
            "headline": self.headline,
            "dek": self.dek,
            "byline": self.byline,
            "dateline": self.dateline,
            "published_at": self.published.describe() if self.published else None,
            "published_line": self.published_line,
            "time_of_day_stated": bool(self.published and self.published.has_time),
            "outlet": self.outlet.slug if self.outlet else None,
            "wire": self.wire.slug if self.wire else None,
            "cited_sources": [source.slug for source in self.cited],
            "photo_caption": self.photo_caption,
            "photo_credit": self.photo_credit,
            "copyright_line": self.copyright_line,
            "language": self.language,
        }


def _fit(draft: ArticleDraft, name: str) -> None:
    value: str = getattr(draft, name)
    limit = LIMITS[name]
    if len(value) > limit:
        setattr(draft, name, value[: limit - 1] + "…")
        draft.notes.append(f"{name} was {len(value)} characters; shortened to {limit}")


def language_of(text: str) -> str:
    """ "ja" when Japanese script dominates the letters, else "en"."""
    cjk = len(v.CJK.findall(text))
    letters = sum(1 for ch in text if ch.isalpha())
    return "ja" if letters and cjk / letters >= 0.3 else "en"


def extract(seg: Segmentation, ref: Reference) -> ArticleDraft:
    draft = ArticleDraft()
    lines = seg.lines
    article = [line for line in lines if line.cls not in (C.COMMENT, C.COMMENT_QUOTE)]
    first_comment = next(
        (line.number for line in lines if line.cls in (C.COMMENT, C.COMMENT_QUOTE)), None
    )
    if first_comment is not None:
        article = [line for line in article if line.number < first_comment]

    for line in article:
        text = v.normalise(line.text)
        if line.cls == C.HEADLINE:
            if line.extra.get("role") == "dek":
                draft.dek = text
            elif not draft.headline:
                draft.headline = text

    reporting = [line for line in article if line.cls == C.REPORTING]
    paragraphs = [line.text.strip() for line in reporting]
    if reporting:
        lede = reporting[0].extra
        if lede.get("prefix"):
            paragraphs[0] = line_after_prefix(reporting[0].text, lede["prefix"])
        draft.dateline = lede.get("dateline", "")
        if lede.get("byline"):
            draft.byline = lede["byline"]
    draft.body = "\n\n".join(p for p in paragraphs if p)

    meta = [line for line in article if line.cls == C.METADATA]
    by_kind: dict[str, list[Any]] = {}
    for line in meta:
        by_kind.setdefault(line.extra.get("kind", ""), []).append(line)
    if by_kind.get("byline"):
        draft.byline = by_kind["byline"][0].extra["value"]
    elif any(line.extra.get("byline") for line in by_kind.get("date", [])):
        draft.byline = next(ln.extra["byline"] for ln in by_kind["date"] if ln.extra.get("byline"))
    elif by_kind.get("credits") and not draft.byline:
        draft.byline = by_kind["credits"][0].extra["value"]
        draft.notes.append("byline taken from the credit line (no 'By' line on the page)")
    if by_kind.get("dateline"):
        draft.dateline = by_kind["dateline"][0].extra["value"]

    # A wire credit line may carry the date: "KYODO NEWS - Jun 14, 2025 - 09:12 | World".
    _dates(draft, by_kind.get("date", []) + by_kind.get("wire", []), reporting)
    _sources(draft, article, ref)

    captions = [line for line in article if line.cls == C.CAPTION]
    credits = [
        line.extra.get("credit", "")
        for line in article
        if line.cls in (C.CAPTION, C.CREDIT) and line.extra.get("credit")
    ]
    # A slideshow pastes each caption twice ("Item 1 of 2 …", "[1/2]…"): keep it once.
    draft.photo_caption = "\n".join(
        dict.fromkeys(line.extra.get("caption", "") for line in captions)
    )
    draft.photo_credit = "; ".join(dict.fromkeys(credits))
    copyrights = [line for line in article if line.cls == C.COPYRIGHT]
    if copyrights:
        first = copyrights[0]
        draft.copyright_line = first.extra.get("copyright") or v.normalise(first.text)
        if first.extra.get("trailing_chrome"):
            draft.notes.append(
                f"line {first.number}: trailing '{first.extra['trailing_chrome']}' after the "
                "copyright is a page counter, left out of the copyright line"
            )
    draft.language = language_of(draft.body or draft.headline)

    for name in LIMITS:
        _fit(draft, name)
    checks = [
        ("headline", draft.headline),
        ("published_at", draft.published),
        ("outlet", draft.outlet),
        ("byline", draft.byline),
        ("body", draft.body),
    ]
    draft.needs_review = [name for name, value in checks if not value]
    return draft


def line_after_prefix(text: str, prefix: str) -> str:
    """The line with its opening dateline removed (the dateline goes to its own field)."""
    stripped = v.normalise(text)
    return stripped[len(prefix) :].strip() if stripped.startswith(prefix) else stripped


def _dates(draft: ArticleDraft, date_lines: list[Any], reporting: list[Any]) -> None:
    candidates = []
    for line in date_lines:
        text = v.normalise(line.text)
        found = find_date(text)
        if found:
            # "Updated 9:41 PM EDT, July 22, 2025" is an update; "2025/6/26 10:15 (最終更新 6/26
            # 12:03)" is the publication, with the update after it.
            updated = re.search(r"\bupdated\b|更新", text[: found.start], re.IGNORECASE)
            wire = line.extra.get("kind") == "wire"
            candidates.append((1 if wire else 0, 1 if updated else 0, line.number, found, line))
    if candidates:
        _, _, _, found, line = min(candidates, key=lambda c: (c[0], c[1], c[2]))
        draft.published = found
        draft.published_line = v.normalise(line.text)
        if not found.has_time:
            draft.notes.append(
                f"published_at: line {line.number} gives {found.describe()}; stored as 12:00 UTC "
                "on that day so the date reads the same in Tokyo and in Washington"
            )
        return
    if reporting and reporting[0].extra.get("dateline") and "," in reporting[0].extra["dateline"]:
        draft.notes.append(
            f"published_at: the dateline '{reporting[0].extra['dateline']}' gives no year; "
            "the date is left for an editor"
        )


def _sources(draft: ArticleDraft, article: list[Any], ref: Reference) -> None:
    # A masthead is above the story; a source named in an author box below it is no masthead.
    story_at = next((line.number for line in article if line.cls == C.REPORTING), None)
    masthead_lines = [
        line
        for line in article
        if line.cls == C.METADATA
        and (
            line.extra.get("kind") == "date"
            or (
                line.extra.get("kind") in ("outlet", "masthead")
                and (story_at is None or line.number < story_at)
            )
        )
    ]
    for line in masthead_lines:
        found = ref.sources_in(v.normalise(line.text))
        if found:
            draft.outlet = found[0][0]
            draft.notes.append(f"outlet from the masthead on line {line.number}")
            break
        if line.extra.get("kind") == "masthead":
            draft.notes.append(
                f"line {line.number}: masthead '{v.normalise(line.text)}' is not a known source"
            )
    credited: list[tuple[SourceRef, bool, int]] = []
    for line in article:
        text = v.normalise(line.text)
        if line.cls == C.COPYRIGHT:
            text = line.extra.get("copyright") or text
            credited += [(s, as_domain, line.number) for s, as_domain in ref.sources_in(text)]
        elif line.cls == C.METADATA and line.extra.get("kind") in ("wire", "credits", "byline"):
            credited += [(s, False, line.number) for s, _ in ref.sources_in(text)]
        elif line.cls == C.REPORTING and line.extra.get("wire"):
            credited += [(s, False, line.number) for s, _ in ref.sources_in(line.extra["wire"])]
    if draft.outlet is None:
        on_domain = [s for s, as_domain, _ in credited if as_domain]
        outlets = [s for s, _, _ in credited if s.kind == "outlet"]
        chosen = on_domain[0] if on_domain else (outlets[-1] if outlets else None)
        if chosen:
            draft.outlet = chosen
            draft.notes.append("outlet from the copyright line")
    others = [s for s, _, _ in credited if draft.outlet is None or s.id != draft.outlet.id]
    wires = [s for s in others if s.kind == "wire"]
    if wires or others:
        draft.wire = wires[0] if wires else others[0]
    body = " ".join(v.normalise(line.text) for line in article if line.cls == C.REPORTING)
    named = {s.id for s in (draft.outlet, draft.wire) if s}
    draft.cited = [s for s, _ in ref.sources_in(body) if s.id not in named]
