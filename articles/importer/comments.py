"""Reader comments on a page: blocks, their author, time and tally, and the text they quote.

A comment ends at its vote tally ("-6 ( +0 / -6 )") or where the next comment's header
("danToday 06:39 pm JST") begins. A header may also be set over several lines, as comment
widgets lay them out: the handle, the handle it replies to, a separator and a relative time
("kenta_t", "•", "2 days ago"; "yam*****", "6時間前"). Under such headers, a bare number after
the text is the comment's score, and short labels with a count ("共感した", "3,210") are
reaction buttons. A comment whose first line repeats the headline, an earlier
comment or the story itself (or is set in quotation marks) is quoting it: that line is kept
apart as the quoted text, and the comment's own words are the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from articles.importer import vocabulary as v

QUOTE_CHARS = "\"'“”‘’「」『』«»"
ELLIPSIS_SPLIT = re.compile(r"\.{3,}|…+")
MIN_QUOTE = 15


@dataclass
class CommentBlock:
    """One reader comment as the page shows it. Line numbers are 1-based."""

    position: int
    lines: list[int] = field(default_factory=list)
    text_lines: list[int] = field(default_factory=list)
    handle: str = ""
    posted_label: str = ""
    score: int | None = None
    votes_up: int | None = None
    votes_down: int | None = None
    quote_line: int | None = None
    quoted_text: str = ""
    quotes: str = ""  # "headline", "comment", "article" or "unknown"
    quotes_position: int | None = None
    paragraphs: list[str] = field(default_factory=list)
    replies_to: str = ""

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


FORUM_HEADER = re.compile(r"^(?P<handle>(?:u/|@)[\w.-]{2,40})\s+(?P<label>.+)$")


def header_of(s: str) -> tuple[str, str] | None:
    """(handle, posted label) when the line is a comment header, else None."""
    if len(s) > 80:
        return None
    inline = re.match(r"^(?P<handle>\S{1,40}?)\s*[•·|]\s*(?P<label>.+)$", s)
    if inline and v.RELATIVE_TIME.match(inline.group("label")) and _handle_like(inline["handle"]):
        return inline.group("handle"), inline.group("label")
    # "u/mighty-smaug 12d ago", "@kenji 3h ago": a forum handle, then when it posted.
    spaced = FORUM_HEADER.match(s)
    if spaced and v.RELATIVE_TIME.match(spaced.group("label")):
        return spaced.group("handle"), spaced.group("label")
    match = v.COMMENT_HEADER.match(s)
    if not match:
        return None
    handle = match.group("handle")
    if not any(ch.isalpha() for ch in handle) or handle.casefold() in {"today", "yesterday", "at"}:
        return None
    if not (match.group("day") or (match.group("ampm") and match.group("zone"))):
        return None
    return handle, v.normalise(match.group("label"))


def _handle_like(s: str) -> bool:
    return (
        0 < len(s) <= 40
        and len(s.split()) <= 3
        and any(ch.isalpha() for ch in s)
        and s[-1] not in ".!?。！？"
        and not v.URL_ONLY.match(s)
        and not v.CHROME_LINE.match(s)
        and not v.COMMENT_COUNTER.match(s)
        and not v.COMMENT_OPENER.match(s)
        and not v.RELATIVE_TIME.match(s)
    )


def stacked_header(norm: list[str], i: int) -> tuple[list[int], list[str], str] | None:
    """(header lines, handles, time label) when line `i` opens a header set over several lines:
    a handle, maybe the handle it replies to, maybe a separator, then a relative time, or the
    date and time it was posted ("Ken Tanaka says:" over "July 24, 2025 at 3:12 pm")."""
    if not _handle_like(norm[i]):
        return None
    says = v.SAYS.search(norm[i])
    lines, handles = [i], [norm[i][: says.start()] if says else norm[i]]
    for j in range(i + 1, min(len(norm), i + 6)):
        s = norm[j]
        if not s:
            continue
        stamp = v.COMMENT_STAMP.match(s)
        if v.RELATIVE_TIME.match(s) or (stamp and (says or stamp.group("time"))):
            return [*lines, j], handles, s
        if not any(ch.isalnum() for ch in s):
            lines.append(j)
        elif _handle_like(s) and len(handles) < 2:
            lines.append(j)
            handles.append(s)
        else:
            return None
    return None


def _reaction_label(norm: list[str], i: int) -> int | None:
    """The line of the count when line `i` is a short label over a count ("共感した", "3,210")."""
    s = norm[i]
    if len(s) > 12 or s[-1] in ".!?。！？":
        return None
    following = next((j for j in range(i + 1, len(norm)) if norm[j]), None)
    return following if following is not None and v.COUNT_ONLY.match(norm[following]) else None


def _key(s: str) -> str:
    return " ".join(s.strip(QUOTE_CHARS + " ").casefold().split())


def _quote_source(
    s: str, headline_key: str, body_key: str, earlier: list[tuple[int, str]]
) -> tuple[str, int | None] | None:
    """What the line repeats: ("headline"|"comment"|"article"|"unknown", comment position)."""
    key = _key(s)
    parts = ELLIPSIS_SPLIT.split(key)
    if len(parts) > 1 and len(parts[0].strip()) >= 20:
        key = parts[0].strip()
    if len(key) < MIN_QUOTE:
        return None
    if headline_key and key in headline_key:
        return "headline", None
    for position, text_key in earlier:
        if key in text_key:
            return "comment", position
    if len(key) >= 25 and key in body_key:
        return "article", None
    stripped = s.strip()
    if stripped[:1] in QUOTE_CHARS and stripped[-1:] in QUOTE_CHARS:
        return "unknown", None
    return None


def group_comments(
    norm: list[str],
    cls: list[Any],
    extra: list[dict[str, Any]],
    zone: tuple[int, int],
    *,
    headline: str,
    body: str,
) -> list[CommentBlock]:
    """Split the comment area into comments; classify its lines (mutating `cls` and `extra`)."""
    from articles.importer.lines import LineClass as C

    start, last = zone
    blocks: list[CommentBlock] = []
    current: CommentBlock | None = None
    by_headers = not any(v.TALLY.match(norm[i]) for i in range(start, last + 1))
    consumed: set[int] = set()
    handles_seen: set[str] = set()

    def close() -> None:
        nonlocal current
        if current is not None and (current.text_lines or current.lines):
            blocks.append(current)
        current = None

    for i in range(start, len(norm)):
        s = norm[i]
        if not s:
            cls[i] = C.BLANK
            continue
        if i > last:
            if cls[i] is None:
                cls[i], extra[i] = C.CHROME, {"reason": "after the comments"}
            continue
        if i in consumed:
            continue
        tally = v.TALLY.match(s)
        header = None if tally else header_of(s)
        stacked = stacked_header(norm, i) if by_headers and not (tally or header) else None
        if stacked and len(stacked[1]) == 2 and stacked[1][1] not in handles_seen:
            stacked = None  # this line ends the comment above; the header starts below it
        has_text = current is not None and bool(current.text_lines)
        if stacked:
            if current is not None and current.text_lines:
                close()
            current = current or CommentBlock(position=0)
            header_lines, handles, label = stacked
            current.handle, current.posted_label = handles[0], label
            current.replies_to = handles[1] if len(handles) > 1 else ""
            handles_seen.add(handles[0])
            for j in header_lines:
                consumed.add(j)
                current.lines.append(j + 1)
                cls[j], extra[j] = C.COMMENT, {"role": "author"}
        elif by_headers and has_text and current is not None and v.COUNT_ONLY.match(s):
            following = next((j for j in range(i + 1, len(norm)) if norm[j]), None)
            if following is not None and FORUM_HEADER.match(norm[following]):
                # A forum shows a comment's score above its header: this count is the next
                # comment's, not this one's. Left unassigned rather than given to the wrong one.
                cls[i], extra[i] = C.CHROME, {"reason": "score above the next comment"}
            elif current.score is None:
                current.score = int(s.replace(",", "").replace("\u2212", "-"))
                current.lines.append(i + 1)
                cls[i], extra[i] = C.COMMENT, {"role": "tally"}
            else:
                cls[i], extra[i] = C.CHROME, {"reason": "reaction count"}
        elif by_headers and has_text and (count_at := _reaction_label(norm, i)) is not None:
            consumed.add(count_at)
            for j in (i, count_at):
                cls[j], extra[j] = C.CHROME, {"reason": "reaction count"}
        elif by_headers and not blocks and current is None and not header:
            cls[i], extra[i] = C.CHROME, {"reason": "comment widget"}
        elif tally:
            if current is None:
                current = CommentBlock(position=0)
            current.score = int(tally.group("score").replace("\u2212", "-"))
            current.votes_up = int(tally.group("up"))
            current.votes_down = int(tally.group("down"))
            current.lines.append(i + 1)
            cls[i], extra[i] = C.COMMENT, {"role": "tally"}
            close()
        elif header:
            if current is not None and current.text_lines:
                close()
            if current is None:
                current = CommentBlock(position=0)
            current.handle, current.posted_label = header
            handles_seen.add(header[0])
            current.lines.append(i + 1)
            cls[i], extra[i] = C.COMMENT, {"role": "author"}
        elif (
            v.CHROME_LINE.match(s)
            or v.CHROME_OPENING.match(s)
            or v.COMMENT_COUNTER.match(s)
            or v.COMMENT_OPENER.match(s)
            or v.EMPTY_COMMENT_WIDGET.match(s)
        ):
            cls[i], extra[i] = C.CHROME, {"reason": "comment widget"}
        else:
            if current is None:
                current = CommentBlock(position=0)
            current.lines.append(i + 1)
            current.text_lines.append(i + 1)
            cls[i], extra[i] = C.COMMENT, {"role": "text"}
    close()

    _find_lone_handles(blocks, norm, cls, extra)
    headline_key, body_key = _key(headline), _key(body)
    earlier: list[tuple[int, str]] = []
    kept: list[CommentBlock] = []
    for block in blocks:
        if not block.text_lines:
            for number in block.lines:
                extra[number - 1]["orphan"] = True
            continue
        block.position = len(kept) + 1
        texts = block.text_lines
        if len(texts) >= 2:
            found = _quote_source(norm[texts[0] - 1], headline_key, body_key, earlier)
            if found:
                block.quote_line = texts[0]
                block.quoted_text = norm[texts[0] - 1]
                block.quotes, block.quotes_position = found
                texts = texts[1:]
                number = block.quote_line
                cls[number - 1] = C.COMMENT_QUOTE
                extra[number - 1] = {"quotes": block.quotes, "comment": block.position}
                if block.quotes_position:
                    extra[number - 1]["quotes_comment"] = block.quotes_position
        block.paragraphs = [norm[number - 1] for number in texts]
        for number in block.lines:
            if cls[number - 1] == C.COMMENT:
                extra[number - 1]["comment"] = block.position
        kept.append(block)
        earlier.append((block.position, _key(" ".join(block.paragraphs))))
    return kept


def _find_lone_handles(
    blocks: list[CommentBlock], norm: list[str], cls: list[Any], extra: list[dict[str, Any]]
) -> None:
    """Where most comments open with a one-word line, that line is the author's handle."""

    def lone(block: CommentBlock) -> bool:
        if block.handle or len(block.text_lines) < 2:
            return False
        s = norm[block.text_lines[0] - 1]
        return (
            len(s) <= 30
            and " " not in s
            and any(ch.isalpha() for ch in s)
            and not v.URL_ONLY.match(s)
            and s[-1] not in ".!?。"
        )

    candidates = [block for block in blocks if lone(block)]
    if len(blocks) < 2 or len(candidates) < max(2, 0.6 * len(blocks)):
        return
    for block in candidates:
        number = block.text_lines.pop(0)
        block.handle = norm[number - 1]
        extra[number - 1] = {"role": "author"}
