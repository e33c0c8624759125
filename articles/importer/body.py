"""Where the story is on a page: which prose lines are its body, and what sits above it.

Prose lines (running text by their shape) fall into blocks: a break of two or more furniture
lines (menus, notices, a credit box, a list of teasers) ends a block, while blank lines,
captions and a single "Advertisement" do not. The block with the most text is the story; blocks
before and after it join it only when they share the story's vocabulary, so an author's bio, an
appeal or a comment thread set apart from the story stays out. At the end of the story, a run of
lines that share none of its vocabulary and neither refer back to it ("It was not clear...")
nor quote anyone are teasers for other stories.

Above the body, the headline is the run of title-like lines nearest above the page's byline or
date (or the last such run when the page shows neither); a long headline or a dek that reads
like prose but ends without a full stop is recognised by the metadata that follows it.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from typing import Any

from articles.importer import vocabulary as v
from articles.importer.lines import (
    C,
    ends_sentence,
    is_cjk,
    not_a_headline,
    reporting_like,
    short_label,
    title_like,
)

# A line that opens by referring back to what came before it continues a story.
ANAPHORA = re.compile(
    r"^(?:it|he|she|they|we|this|that|these|those|his|her|its|their|both|neither|such|"
    r"the two|the (?:deal|agreement|talks|move|decision|plan|measure)s?)\b|"
    r"^(?:同|また|さらに|一方|ただ|しかし|これ|それ)",
    re.IGNORECASE,
)
ATTRIBUTED = re.compile(r"\b(?:said|says|told|added|according to)\b|と(?:述べ|語っ|話し|強調)")
HEAD_KINDS = ("date", "byline")
CJK_PAIR_RUN = re.compile(r"[\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff]{2,}")


@functools.lru_cache(maxsize=8192)
def tokens(s: str) -> frozenset[str]:
    """The line's words (stemmed a little) or, for Japanese, its pairs of kanji and kana;
    remembered for the lines seen last, as the story's lines are tokenised again and again."""
    if is_cjk(s):
        runs = CJK_PAIR_RUN.findall(s)
        return frozenset(run[i : i + 2] for run in runs for i in range(len(run) - 1))
    found = set()
    for word in v.WORD.findall(s.casefold()):
        if word.endswith(("'s", "’s")):  # a possessive (words hold no newline for `$` to meet)
            word = word[:-2]
        if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        if len(word) >= 3 and word not in v.STOPWORDS:
            found.add(word)
    return frozenset(found)


def key_terms(texts: list[str]) -> set[str]:
    """Words found in at least two of `texts` (all of them when there is only one text)."""
    seen: dict[str, int] = {}
    for text in texts:
        for token in tokens(text):
            seen[token] = seen.get(token, 0) + 1
    least = 2 if len(texts) > 1 else 1
    return {token for token, count in seen.items() if count >= least}


def _ends_story(cls: str | None, extra: dict[str, Any]) -> bool:
    """Furniture that closes a story rather than interrupting it (an ad or a "Read more" box
    interrupts): credits, metadata, a copyright line, comment widgets, notices and appeals, lists
    of the site's most read stories."""
    if cls in (C.METADATA, C.COPYRIGHT, C.HEADLINE):
        return True
    reason = extra.get("reason", "")
    return cls == C.CHROME and (
        reason in ("comment counter", "comment widget", "appeal or notice", "author box")
        or bool(extra.get("page_list"))
    )


def story_prose(
    prose: list[int], norm: list[str], cls: list[str | None], extra: list[dict[str, Any]]
) -> list[int]:
    """The prose lines of the story: its main block and the blocks that continue it."""
    if not prose:
        return []
    blocks: list[list[int]] = [[prose[0]]]
    closed: list[bool] = [False]  # does furniture that closes a story stand before the block?
    for a, b in itertools.pairwise(prose):
        # Lines the page marks as furniture break the story; unknown short lines (a subhead,
        # a live blog's "10:52 JST") do not.
        gap = [j for j in range(a + 1, b) if cls[j] not in (None, C.BLANK, C.CAPTION, C.CREDIT)]
        if len(gap) >= 2:
            blocks.append([b])
            closed.append(any(_ends_story(cls[j], extra[j]) for j in gap))
        else:
            blocks[-1].append(b)
    main = max(range(len(blocks)), key=lambda k: sum(len(norm[i]) for i in blocks[k]))
    kept = list(blocks[main])

    def joins(block: list[int], hard: bool) -> bool:
        # Past the story's closing furniture (credits, a notice, a copyright) the block must
        # share two of the story's key words; past an ad or a box of links, one key word or two
        # words of the story will do.
        words = set().union(*(tokens(norm[i]) for i in block))
        shared = words & key_terms([norm[i] for i in kept])
        if hard:
            return len(shared) >= 2
        return bool(shared) or len(words & set().union(*(tokens(norm[i]) for i in kept))) >= 2

    for k in range(main - 1, -1, -1):
        if not joins(blocks[k], closed[k + 1]):
            break
        kept = blocks[k] + kept
    for k in range(main + 1, len(blocks)):
        if not joins(blocks[k], closed[k]):
            break
        kept += blocks[k]
    return kept


def demote_head_lines(body: list[int], norm: list[str], cls: list[str | None]) -> set[int]:
    """Opening prose lines that are a long headline or a dek: no full stop, and followed by the
    page's byline, date or credit line before the story starts."""
    demoted: set[int] = set()
    while len(body) >= 2 and len(demoted) < 2 and not ends_sentence(norm[body[0]]):
        between = range(body[0] + 1, body[1])
        if not any(cls[j] in (C.METADATA, C.HEADLINE) for j in between):
            break
        demoted.add(body.pop(0))
    return demoted


def teaser_run(prose: list[int], norm: list[str], cls: list[str | None], headline: str) -> int:
    """How many of the last prose lines are teasers: a list of lines one after the other that
    share none of the story's vocabulary, refer back to nothing and quote no one."""
    if len(prose) < 4:
        return 0
    core_size = max(3, math.ceil(len(prose) * 0.6))
    terms = key_terms([headline] + [norm[i] for i in prose[:core_size]])
    run = 0
    for k in range(len(prose) - 1, 0, -1):
        i, s = prose[k], norm[prose[k]]
        if ATTRIBUTED.search(s) or ANAPHORA.match(s) or len(tokens(s) & terms) > 1:
            break
        run += 1
        between = range(prose[k - 1] + 1, i)
        if any(cls[j] not in (None, C.BLANK) or ends_sentence(norm[j]) for j in between):
            break  # furniture or a short paragraph above this line: the list starts here
    return run if run >= 2 else 0


def extend_end(end: int, norm: list[str], cls: list[str | None], limit: int) -> int:
    """Short closing sentences right after the last prose line ("He declined to comment.")."""
    for i in range(end + 1, limit):
        s = norm[i]
        if cls[i] == C.BLANK:
            continue
        if cls[i] is not None or not ends_sentence(s):
            break
        if not is_cjk(s) and (len(s.split()) < 3 or not any(ch.islower() for ch in s)):
            break
        end = i
    return end


def live_entry_start(norm: list[str], cls: list[str | None], body_start: int) -> int:
    """A live blog's first entry, "11:40 JST" over its title, starts the body."""
    above = [j for j in range(body_start - 1, -1, -1) if cls[j] != C.BLANK][:2]
    if len(above) == 2:
        title, stamp = above
        if (
            cls[title] is None
            and cls[stamp] is None
            and title_like(norm[title])
            and v.TIME_STAMP.match(norm[stamp])
        ):
            return stamp
    return body_start


def place_head(
    norm: list[str],
    cls: list[str | None],
    extra: list[dict[str, Any]],
    textual: list[int],
    body_start: int,
) -> int | None:
    """Classify the lines above the body: headline, dek, section, masthead, dateline."""
    head = [i for i in textual if i < body_start]

    def titled(i: int) -> bool:
        # Above the body, prose without a full stop is a long headline or a dek.
        s = norm[i]
        return title_like(s) or (
            reporting_like(s) and not ends_sentence(s) and not is_cjk(s) and len(s.split()) <= 40
        )

    runs: list[list[int]] = []
    for i in head:
        if cls[i] is None and titled(i):
            if runs and all(cls[j] == C.BLANK for j in range(runs[-1][-1] + 1, i)):
                runs[-1].append(i)
            else:
                runs.append([i])
    # The headline opens the run nearest above the byline or date (a dek may follow it); other
    # title-like lines, cut off by menus or labels, are taglines, captions and teasers.
    stated = [
        run
        for k, run in enumerate(runs)
        if any(
            cls[j] == C.METADATA and extra[j].get("kind") in HEAD_KINDS
            for j in range(run[-1] + 1, runs[k + 1][0] if k + 1 < len(runs) else body_start)
        )
    ]
    # A run that opens with what cannot be a headline (a bullet, an appeal, an author list...)
    # is passed over for the next nearest one.
    stated = [run for run in stated if not not_a_headline(norm[run[0]])]
    plain = [run for run in runs if not not_a_headline(norm[run[0]])]
    chosen = stated[-1] if stated else (plain[-1] if plain else None)
    headline_at = chosen[0] if chosen else None
    if chosen is not None and headline_at is not None:
        cls[headline_at], extra[headline_at] = C.HEADLINE, {"role": "headline"}
        if len(chosen) > 1 and norm[chosen[1]] != norm[headline_at]:
            cls[chosen[1]], extra[chosen[1]] = C.HEADLINE, {"role": "dek"}
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
            and len(s.split()) <= 5
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
            cls[i], extra[i] = C.CHROME, {"reason": "above the story"}
    return headline_at
