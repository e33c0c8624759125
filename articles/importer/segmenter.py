"""Classify every line of a raw page: reporting, reader comments and page chrome kept apart.

The page is split on its newline (so "\\n".join of the line texts gives the page back exactly,
CRLF included). Each line gets exactly one class from `LineClass`, and an `extra` dict with what
the line says (the kind of metadata, a credit, a tally, a comment's position...).

The signals are general: a line's shape (length, sentence punctuation, capitals), its position
relative to the headline, the body and the comment area, vote tallies and comment headers,
vocabulary of page furniture in several languages (`vocabulary`), copyright markers, licence and
agency credits, URL-only lines, runs of short menu-like lines, repetition of text found elsewhere
on the page (a byline's name again below the story opens an author box), blocks of prose that
furniture sets apart from the story (`body`), and, for trailing teasers, whether a line shares
the story's vocabulary at all.

Hard-wrapped paragraphs are classified as paragraphs (`reflow`): the first line of one carries
the joined text in `extra["paragraph"]`, the others `extra["continues"]`. Where the rules can
only go by position (the story's lines, chrome above or after it), the line model trained on
real pages has the last word (`linemodel`, `_apply_model`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from articles.importer import reflow
from articles.importer import vocabulary as v
from articles.importer.body import (
    demote_head_lines,
    extend_end,
    live_entry_start,
    place_head,
    story_prose,
    teaser_run,
)
from articles.importer.comments import CommentBlock, group_comments, header_of, stacked_header
from articles.importer.linemodel import LineModel, load_model
from articles.importer.lines import (
    C,
    LineClass,
    SourceNames,
    classify_alone,
    ends_sentence,
    reporting_like,
    short_label,
    title_like,
    words,
)

__all__ = ["Line", "LineClass", "Segmentation", "segment"]


class Line(NamedTuple):
    number: int
    cls: str
    text: str
    extra: dict[str, Any]


@dataclass
class Segmentation:
    lines: list[Line]
    newline: str
    comments: list[CommentBlock] = field(default_factory=list)

    def reconstruct(self) -> str:
        return self.newline.join(line.text for line in self.lines)

    def of(self, *classes: str) -> list[Line]:
        return [line for line in self.lines if line.cls in classes]

    def summary(self) -> list[list[Any]]:
        """Runs of consecutive lines of one class: [first, last, class]."""
        runs: list[list[Any]] = []
        for line in self.lines:
            if runs and runs[-1][2] == line.cls and runs[-1][1] == line.number - 1:
                runs[-1][1] = line.number
            else:
                runs.append([line.number, line.number, line.cls])
        return runs


def segment(text: str, *, source_names: Iterable[str] = (), learned: bool = True) -> Segmentation:
    """Classify every line of `text`; never raises on any string. With `learned` (the default)
    the line model (`linemodel`) has the last word on which lines are the story; without it the
    rules alone decide (the model is trained on what they say)."""
    newline = "\n" if "\n" in text or "\r" not in text else "\r"
    raw = text.split(newline)
    physical = [v.normalise(line) for line in raw]
    paragraphs = reflow.groups(physical)
    norm = [reflow.joined(physical, group) for group in paragraphs]
    cls, extra, comments = _classify(norm, SourceNames(source_names), learned)
    head = [group[0] + 1 for group in paragraphs]  # logical line -> its first physical line
    lines: list[Line] = []
    for k, group in enumerate(paragraphs):
        kind = str(cls[k] or C.CHROME)
        if len(group) > 1:
            extra[k]["paragraph"] = norm[k]
        lines.append(Line(group[0] + 1, kind, raw[group[0]], extra[k]))
        for j in group[1:]:
            lines.append(Line(j + 1, kind, raw[j], {"continues": group[0] + 1}))
    if len(paragraphs) != len(raw):
        for block in comments:
            block.lines = [head[number - 1] for number in block.lines]
            block.text_lines = [head[number - 1] for number in block.text_lines]
            if block.quote_line is not None:
                block.quote_line = head[block.quote_line - 1]
    return Segmentation(lines=lines, newline=newline, comments=comments)


def _classify(
    norm: list[str], sources: SourceNames, learned: bool
) -> tuple[list[str | None], list[dict[str, Any]], list[CommentBlock]]:
    """One class (and its extra) per line of `norm`, and the reader comments."""
    n = len(norm)
    cls: list[str | None] = [C.BLANK if not s else None for s in norm]
    extra: list[dict[str, Any]] = [{} for _ in range(n)]

    first_prose = next((i for i, s in enumerate(norm) if s and reporting_like(s)), n)
    zone = _comment_zone(norm, first_prose)
    article_end = zone[0] if zone else n

    for i in range(article_end):
        if cls[i] is None:
            found = classify_alone(norm[i], sources)
            if found:
                cls[i], extra[i] = found
    _close_story(cls, extra, article_end)
    _mark_summaries(norm, cls, extra, article_end)
    _mark_related_lists(norm, cls, extra, article_end)
    _mark_menu_runs(norm, cls, extra, article_end)
    _mark_author_box(norm, cls, extra, article_end)

    textual = [i for i in range(article_end) if cls[i] is None]
    prose = story_prose([i for i in textual if reporting_like(norm[i])], norm, cls, extra)
    demote_head_lines(prose, norm, cls)
    body_start = live_entry_start(norm, cls, prose[0]) if prose else article_end
    headline_at = place_head(norm, cls, extra, textual, body_start)
    headline = norm[headline_at] if headline_at is not None else ""

    teasers = teaser_run(prose, norm, cls, headline)
    body_end = prose[-1 - teasers] if prose else body_start - 1
    if prose and not teasers:
        body_end = extend_end(body_end, norm, cls, article_end)
    for i in textual:
        if cls[i] is not None:
            continue
        if body_start <= i <= body_end:
            cls[i] = C.REPORTING
        else:
            cls[i] = C.CHROME
            extra[i] = {"reason": "teaser after the story" if i > body_end else "above the story"}
    model = load_model() if learned else None
    if model is not None:
        _apply_model(model, norm, cls, extra, article_end)
    _gazette(norm, cls, extra)
    reporting = [i for i in range(article_end) if cls[i] == C.REPORTING]
    if reporting:
        _mark_dateline(norm[reporting[0]], extra[reporting[0]])

    comments: list[CommentBlock] = []
    if zone:
        body_text = " ".join(norm[i] for i in reporting)
        comments = group_comments(norm, cls, extra, zone, headline=headline, body=body_text)
        for i in range(zone[1] + 1, n):
            if extra[i].get("reason") == "after the comments":
                found = classify_alone(norm[i], sources)
                if found and found[0] == C.COPYRIGHT:
                    cls[i], extra[i] = found
    return cls, extra, comments


# The header of every Federal Register document as govinfo.gov gives it as text:
# "[Federal Register Volume 90, Number 177 (Tuesday, September 16, 2025)]".
GAZETTE_HEADER = re.compile(
    r"^\[(?P<name>Federal Register) Volume \d+, Number \d+ \((?P<date>[^()]{6,40})\)\]$"
)
GAZETTE_FIELD = re.compile(r"^(?:AGENCY|ACTION|SUMMARY|DATES?|ADDRESSES)\s*:")


def _gazette(norm: list[str], cls: list[str | None], extra: list[dict[str, Any]]) -> None:
    """A gazette document read by its own layout: its header states the publication and the
    day; its title is the block of lines standing right above "AGENCY:" (wrapped at a fixed
    width), under the department and the docket number."""
    first = next((i for i, s in enumerate(norm) if s), None)
    header = GAZETTE_HEADER.match(norm[first]) if first is not None else None
    if first is None or header is None:
        return
    cls[first] = C.METADATA
    extra[first] = {"kind": "date", "value": header["date"], "gazette": header["name"]}
    field = next((i for i in range(first + 1, len(norm)) if GAZETTE_FIELD.match(norm[i])), None)
    if field is None:
        return
    end = field - 1
    while end > first and not norm[end]:
        end -= 1
    start = end
    while start - 1 > first and norm[start - 1] and not norm[start - 1].startswith("["):
        start -= 1
    if end <= first or norm[start].startswith("[") or end - start > 5:
        return
    cls[start] = C.HEADLINE
    extra[start] = {"role": "headline", "paragraph": " ".join(norm[start : end + 1])}
    for i in range(start + 1, end + 1):
        cls[i], extra[i] = C.HEADLINE, {"continues": True}


# A live blog entry's time on its own line: "11:40 JST", "9:15 a.m. ET", "14:05".
ENTRY_TIME = re.compile(
    r"^\d{1,2}:\d{2}(?:\s*(?:[ap]\.?m\.?))?(?:\s*(?:JST|KST|GMT|UTC|BST|[ECMP][SD]?T))?$", re.I
)

# Chrome the rules place by position only: the line model may take these into the story.
PLACED = frozenset({"above the story", "teaser after the story", "menu", "author box"})
# Classes the model never changes: what the rules read from a line's own form (a headline, a
# byline or date, a caption and its credit, a copyright line) and reader comments.
KEPT = frozenset(
    {C.HEADLINE, C.METADATA, C.CAPTION, C.CREDIT, C.COMMENT, C.COMMENT_QUOTE, C.COPYRIGHT}
)


def _apply_model(
    model: LineModel,
    norm: list[str],
    cls: list[str | None],
    extra: list[dict[str, Any]],
    end: int,
) -> None:
    """The line model decides which lines above the comment area are the story, where the rules
    went by position: it does not overrule what the rules read from a line's own form (`KEPT`),
    nor furniture they know by its words (a menu item, an appeal, a counter). A line it takes
    out of the story becomes chrome and says why."""
    rule = [str(c or C.CHROME) for c in cls]
    before = [(i, cls[i], extra[i]) for i in range(len(cls)) if cls[i] == C.REPORTING]
    # A live blog's entries open with their time ("11:40 JST"): those lines are the story's.
    clocks = [i for i, _, _ in before if ENTRY_TIME.match(norm[i])]
    if len(clocks) >= 2:
        for i in clocks:
            extra[i] = {**extra[i], "entry_time": True}
    _model_verdicts(model, norm, cls, extra, end, rule)
    if before and not any(c == C.REPORTING for c in cls):
        # The model refines the story the rules found; it does not take all of it away (a
        # story of one short paragraph): the rules' story stands.
        for i, old_cls, old_extra in before:
            cls[i] = old_cls
            extra[i] = {**old_extra, "line_model": "overruled: it left no story"}


def _model_verdicts(
    model: LineModel,
    norm: list[str],
    cls: list[str | None],
    extra: list[dict[str, Any]],
    end: int,
    rule: list[str],
) -> None:
    for i, p in model.reporting(norm, rule, extra).items():
        if i >= end or cls[i] in KEPT or "closing" in extra[i] or "entry_time" in extra[i]:
            continue
        if cls[i] == C.CHROME and extra[i].get("reason") not in PLACED:
            continue
        if p >= model.add_from and cls[i] != C.REPORTING:
            extra[i] = {"line_model": round(p, 3), "rules_said": str(cls[i])}
            cls[i] = C.REPORTING
        elif p < model.remove_below and cls[i] == C.REPORTING:
            cls[i] = C.CHROME
            extra[i] = {"reason": "not the story (line model)", "line_model": round(p, 3)}


def _comment_zone(norm: list[str], first_prose: int) -> tuple[int, int] | None:
    """(first, last) line of the reader-comment area, or None when the page shows no comments."""
    tallies = [i for i, s in enumerate(norm) if s and i > first_prose and v.TALLY.match(s)]
    headers: list[int] = []
    if tallies:
        first = tallies[0]
    else:
        openers = [
            i
            for i, s in enumerate(norm)
            if s and i > first_prose and (v.COMMENT_COUNTER.match(s) or v.COMMENT_OPENER.match(s))
        ]
        headers = [
            i
            for i, s in enumerate(norm)
            if s
            and openers
            and i > openers[0]
            and (header_of(s) is not None or stacked_header(norm, i) is not None)
        ]
        if not headers:
            return None
        first = headers[0]
    start = None
    for i in range(first - 1, first_prose, -1):
        s = norm[i]
        if s and (
            v.COMMENT_COUNTER.match(s)
            or v.COMMENT_OPENER.match(s)
            or v.CHROME_LINE.match(s)
            or "©" in s
        ):
            start = i + 1
            break
    if start is None:
        # No opener: the comment is the paragraph just before its tally or its header.
        start = first
        while start - 1 > first_prose and norm[start - 1]:
            start -= 1
    last = tallies[-1] if tallies else len(norm) - 1
    if not tallies:
        # The area ends at the first furniture after the last comment's header ("Load more"),
        # or at the reply form ("Leave a Reply").
        for i in range(headers[-1] + 1, len(norm)):
            s = norm[i]
            if s and (
                v.CHROME_LINE.match(s)
                or v.CHROME_OPENING.match(s)
                or v.COMMENT_OPENER.match(s)
                or "©" in s
            ):
                last = i - 1
                break
    return start, last


def _close_story(cls: list[str | None], extra: list[dict[str, Any]], end: int) -> None:
    """A paragraph of the story that ends with the agency's mark ("... © KYODO") is its last:
    what follows (reader comments without headers, the site's lists) is not the story. Where
    several paragraphs carry the mark (a live page of wire items), the last one closes it."""
    closing = next(
        (i for i in range(end - 1, -1, -1) if cls[i] == C.REPORTING and "closing" in extra[i]),
        None,
    )
    if closing is None:
        return
    for i in range(closing + 1, end):
        if cls[i] is None:
            cls[i], extra[i] = C.CHROME, {"reason": "after the story's closing credit"}


SUMMARY_MARK = re.compile(r"^[(（](?:要約|要旨|summary)[)）]$", re.IGNORECASE)


def _mark_summaries(
    norm: list[str], cls: list[str | None], extra: list[dict[str, Any]], end: int
) -> None:
    """A poster's summary of the story, signed "(要約)" on a line of its own under it (as forum and
    digest sites do), is not the story: its lines back to the furniture above are chrome."""
    for i in range(end):
        if not SUMMARY_MARK.match(norm[i]):
            continue
        cls[i], extra[i] = C.CHROME, {"reason": "a summary of the story"}
        j = i - 1
        while j >= 0 and cls[j] in (None, C.BLANK):
            if cls[j] is None:
                cls[j], extra[j] = C.CHROME, {"reason": "a summary of the story"}
            j -= 1


def _mark_related_lists(
    norm: list[str], cls: list[str | None], extra: list[dict[str, Any]], end: int
) -> None:
    """Titles listed under a "Related articles" heading (numbered or not) are chrome; the list
    ends at the first line that is no title: prose, or a short label of a menu."""
    inside = False
    for i in range(end):
        if cls[i] == C.CHROME and extra[i].get("reason") == "related list":
            inside = True
        elif inside and cls[i] is None:
            s = norm[i]
            listed = title_like(s) or v.COUNT_ONLY.match(s) or not any(ch.isalnum() for ch in s)
            if not listed or (len(words(s)) >= 12 and ends_sentence(s)):
                inside = False
            else:
                cls[i], extra[i] = C.CHROME, {"reason": "related list"}


def _mark_author_box(
    norm: list[str], cls: list[str | None], extra: list[dict[str, Any]], end: int
) -> None:
    """A byline's name repeated on a line of its own below the byline opens an author box."""
    names: set[str] = set()
    for i in range(end):
        if cls[i] == C.METADATA and extra[i].get("kind") == "byline":
            value = extra[i].get("value", "")
            names |= {n.strip().casefold() for n in re.split(r",| and | & ", value) if n.strip()}
        elif names and cls[i] is None and norm[i].casefold() in names:
            cls[i], extra[i] = C.CHROME, {"reason": "author box"}


def _mark_menu_runs(
    norm: list[str], cls: list[str | None], extra: list[dict[str, Any]], end: int
) -> None:
    """Three or more short label lines in a row are a menu (items already known as furniture,
    "Newsletters" or "Search", do not break the run). The page's first line is left to be read
    as its masthead."""
    run: list[int] = []
    first = next((i for i in range(end) if cls[i] != C.BLANK), None)
    for i in range(end + 1):
        if i == first and cls[i] is None:
            continue
        if i < end and cls[i] is None and short_label(norm[i]):
            run.append(i)
            continue
        if i < end and (cls[i] == C.BLANK or (cls[i] == C.CHROME and short_label(norm[i]))):
            continue
        if len(run) >= 3:
            for j in run:
                cls[j], extra[j] = C.CHROME, {"reason": "menu"}
        run = []


def _mark_dateline(s: str, extra: dict[str, Any]) -> None:
    """A dateline that opens the first paragraph: "TOKYO, June 28 (Reuters) -", "【東京=...】"."""
    match = v.INLINE_DATELINE.match(s)
    if match:
        place = match.group("place").strip()
        extra["dateline"] = f"{place}, {match.group('when')}" if match.group("when") else place
        extra["wire"] = match.group("wire").strip()
        extra["prefix"] = match.group(0)
        return
    match = v.JA_WIRE_DATELINE.match(s)
    if match:
        extra["dateline"] = match.group("place").strip()
        extra["wire"] = match.group("wire")
        extra["prefix"] = match.group(0)
        return
    match = v.JA_BYLINE.match(s)
    if match:
        extra["dateline"] = match.group("place").strip()
        extra["byline"] = match.group("names").strip()
        extra["prefix"] = match.group(0)
        return
    match = v.CAPS_DATELINE.match(s)
    if match and len(match.group("place")) <= 40:
        extra["dateline"] = match.group("place").strip(" ,")
        extra["prefix"] = match.group(0)
