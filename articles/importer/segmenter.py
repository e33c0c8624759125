"""Classify every line of a raw page: reporting, reader comments and page chrome kept apart.

The page is split on its newline (so "\\n".join of the line texts gives the page back exactly,
CRLF included). Each line gets exactly one class from `LineClass`, and an `extra` dict with what
the line says (the kind of metadata, a credit, a tally, a comment's position...).

The signals are general: a line's shape (length, sentence punctuation, capitals), its position
relative to the headline, the body and the comment area, vote tallies and comment headers,
vocabulary of page furniture in several languages (`vocabulary`), copyright markers, licence and
agency credits, URL-only lines, runs of short menu-like lines, repetition of text found elsewhere
on the page, and, for trailing teasers, whether a line shares the story's vocabulary at all.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from articles.importer import vocabulary as v
from articles.importer.comments import CommentBlock, group_comments, header_of
from articles.importer.lines import (
    C,
    LineClass,
    SourceNames,
    classify_alone,
    ends_sentence,
    is_cjk,
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


def _tokens(s: str) -> set[str]:
    if is_cjk(s):
        runs = re.findall(r"[\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff]{2,}", s)
        return {run[i : i + 2] for run in runs for i in range(len(run) - 1)}
    found = set()
    for word in v.WORD.findall(s.casefold()):
        word = re.sub(r"['’]s$", "", word)
        if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        if len(word) >= 3 and word not in v.STOPWORDS:
            found.add(word)
    return found


def _teaser_run(prose: list[int], norm: list[str], headline: str) -> int:
    """How many of the last prose lines are teasers that share none of the story's vocabulary."""
    if len(prose) < 4:
        return 0
    core_size = max(3, math.ceil(len(prose) * 0.6))
    core = [_tokens(headline)] + [_tokens(norm[i]) for i in prose[:core_size]]
    seen: dict[str, int] = {}
    for tokens in core:
        for token in tokens:
            seen[token] = seen.get(token, 0) + 1
    key_terms = {token for token, count in seen.items() if count >= 2}
    run = 0
    for i in reversed(prose[1:]):
        s = norm[i]
        attributed = re.search(r"\b(?:said|says|told|added|according to)\b|と(?:述べ|語っ|話し)", s)
        if attributed or len(_tokens(s) & key_terms) > 1:
            break
        run += 1
    return run if run >= 2 else 0


def segment(text: str, *, source_names: Iterable[str] = ()) -> Segmentation:
    """Classify every line of `text`; never raises on any string."""
    newline = "\n" if "\n" in text or "\r" not in text else "\r"
    raw = text.split(newline)
    norm = [v.normalise(line) for line in raw]
    n = len(raw)
    sources = SourceNames(source_names)
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
    _mark_related_lists(norm, cls, extra, article_end)
    _mark_menu_runs(norm, cls, extra, article_end)

    textual = [i for i in range(article_end) if cls[i] is None]
    body_start = next((i for i in textual if reporting_like(norm[i])), article_end)
    headline_at = _place_head(norm, cls, extra, textual, body_start)
    headline = norm[headline_at] if headline_at is not None else ""

    prose = [i for i in textual if i >= body_start and reporting_like(norm[i])]
    teasers = _teaser_run(prose, norm, headline)
    body_end = prose[-1 - teasers] if prose else body_start - 1
    for i in textual:
        if cls[i] is not None:
            continue
        if body_start <= i <= body_end:
            cls[i] = C.REPORTING
        else:
            cls[i] = C.CHROME
            extra[i] = {"reason": "teaser after the story" if i > body_end else "page furniture"}
    reporting = [i for i in range(article_end) if cls[i] == C.REPORTING]
    if reporting:
        _mark_dateline(norm[reporting[0]], extra[reporting[0]])

    comments: list[CommentBlock] = []
    if zone:
        body_text = " ".join(norm[i] for i in reporting)
        comments = group_comments(norm, cls, extra, zone, headline=headline, body=body_text)
    lines = [Line(i + 1, str(cls[i] or C.CHROME), raw[i], extra[i]) for i in range(n)]
    return Segmentation(lines=lines, newline=newline, comments=comments)


def _comment_zone(norm: list[str], first_prose: int) -> tuple[int, int] | None:
    """(first, last) line of the reader-comment area, or None when the page shows no comments."""
    tallies = [i for i, s in enumerate(norm) if s and i > first_prose and v.TALLY.match(s)]

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
            if s and openers and i > openers[-1] and header_of(s) is not None
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
        for i in range(first + 1, len(norm)):
            s = norm[i]
            if s and (v.CHROME_LINE.match(s) or v.CHROME_OPENING.match(s) or "©" in s):
                last = i - 1
                break
    return start, last


def _mark_related_lists(
    norm: list[str], cls: list[str | None], extra: list[dict[str, Any]], end: int
) -> None:
    """Titles listed under a "Related articles" heading are chrome until prose resumes."""
    inside = False
    for i in range(end):
        if cls[i] == C.CHROME and extra[i].get("reason") == "related list":
            inside = True
        elif inside and cls[i] is None:
            s = norm[i]
            if len(words(s)) >= 12 and ends_sentence(s):
                inside = False
            else:
                cls[i], extra[i] = C.CHROME, {"reason": "related list"}


def _mark_menu_runs(
    norm: list[str], cls: list[str | None], extra: list[dict[str, Any]], end: int
) -> None:
    """Three or more short label lines in a row are a menu."""
    run: list[int] = []
    for i in range(end + 1):
        if i < end and cls[i] is None and short_label(norm[i]):
            run.append(i)
            continue
        if i < end and cls[i] == C.BLANK:
            continue
        if len(run) >= 3:
            for j in run:
                cls[j], extra[j] = C.CHROME, {"reason": "menu"}
        run = []


def _place_head(
    norm: list[str],
    cls: list[str | None],
    extra: list[dict[str, Any]],
    textual: list[int],
    body_start: int,
) -> int | None:
    """Classify the lines above the body: headline, dek, section, masthead, dateline."""
    head = [i for i in textual if i < body_start]
    # The headline opens the last run of title-like lines above the body (a dek may follow it);
    # title-like lines further up, cut off by menus or labels, are taglines and teasers.
    runs: list[list[int]] = []
    for i in head:
        if title_like(norm[i]):
            if runs and all(cls[j] == C.BLANK for j in range(runs[-1][-1] + 1, i)):
                runs[-1].append(i)
            else:
                runs.append([i])
    headline_at = runs[-1][0] if runs else None
    if headline_at is not None:
        cls[headline_at], extra[headline_at] = C.HEADLINE, {"role": "headline"}
        run = runs[-1]
        if len(run) > 1 and norm[run[1]] != norm[headline_at]:
            cls[run[1]], extra[run[1]] = C.HEADLINE, {"role": "dek"}
    before_body = [i for i in range(body_start - 1, -1, -1) if cls[i] != C.BLANK]
    if (
        before_body
        and cls[before_body[0]] is None
        and v.STANDALONE_DATELINE.match(norm[before_body[0]])
        and len(norm[before_body[0]]) <= 40
    ):
        at = before_body[0]
        cls[at], extra[at] = C.METADATA, {"kind": "dateline", "value": norm[at]}
    first_line = next((i for i, c in enumerate(cls) if c != C.BLANK), None)
    for i in head:
        if cls[i] is not None:
            continue
        s = norm[i]
        following = next((j for j in range(i + 1, len(cls)) if cls[j] != C.BLANK), None)
        if headline_at is not None and s.casefold() == norm[headline_at].casefold():
            cls[i], extra[i] = C.CHROME, {"reason": "repeats the headline"}
        elif following is not None and cls[following] in (C.CAPTION, C.CREDIT) and title_like(s):
            cls[i], extra[i] = C.CAPTION, {"caption": s, "credit": ""}
        elif (
            (i == first_line or v.PRESS_WORDS.search(s))
            and len(words(s)) <= 5
            and not ends_sentence(s)
        ):
            cls[i], extra[i] = C.METADATA, {"kind": "masthead", "value": s}
        elif (
            short_label(s)
            and headline_at is not None
            and i < headline_at
            and all(cls[j] in (C.BLANK, C.CAPTION, C.CREDIT) for j in range(i + 1, headline_at))
        ):
            cls[i], extra[i] = C.METADATA, {"kind": "section", "value": s}
        else:
            cls[i], extra[i] = C.CHROME, {"reason": "page furniture"}
    return headline_at


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
