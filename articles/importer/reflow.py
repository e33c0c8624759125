"""Hard-wrapped paragraphs (wire copy, press releases, plain-text e-mail) read as paragraphs.

Wire copy often arrives broken at a fixed width, mid-sentence:

    TOKYO, July 23 (Reuters) - Japan and the United States
    agreed on a trade deal on Wednesday that cuts tariffs on
    Japanese cars, the government said.

Classified line by line, its pieces look like titles and labels and get lost. `groups` finds the
physical lines that make one paragraph, so the segmenter classifies the paragraph once and gives
each of its lines the paragraph's class. The page's lines themselves never change (the raw
document stays byte-exact); only what the classifier reads is joined.

A block of three or more consecutive non-blank lines is wrapped when its longest line is of a
wrapping width (40-110 characters; a page of one-line paragraphs has longer lines) and at least
two of its lines stop near that width mid-sentence (on a word, a comma, a hyphen, an opening
quote) and, after most such breaks, the text goes on in lower case. In such a block a line
continues onto the next when it stops so and the next line goes on with the sentence (in lower
case, or with several more words). Japanese text wrapped at a fixed count of characters
continues when a line is within two characters of the block's width and does not end a
sentence.
"""

from __future__ import annotations

from articles.importer import vocabulary as v

MIN_WIDTH, MAX_WIDTH = 40, 110
SENTENCE_END = ("。", "！", "？", ".", "!", "?", ":", "：", '."', ".”", "?”", "!”", "」")


def _broken(line: str, width: int, cjk: bool) -> bool:
    """Does the line stop at the wrapping width in the middle of a sentence?"""
    if cjk:
        return len(line) >= width - 2 and not line.endswith(SENTENCE_END)
    mid_sentence = line[-1].isalnum() or line.endswith((",", "-", "–", "—", ";", "(", "“", '"'))
    return len(line) >= 0.85 * width and mid_sentence and not line.endswith(SENTENCE_END)


def _stands_alone(s: str) -> bool:
    """A line that is never the rest of a sentence: a link, a vote tally, a comment counter or
    header, page furniture, a copyright line."""
    return bool(
        v.URL_ONLY.match(s)
        or v.TALLY.match(s)
        or v.COMMENT_COUNTER.match(s)
        or v.COMMENT_HEADER.match(s)
        or v.RELATIVE_TIME.match(s)
        or v.COUNT_ONLY.match(s)
        or v.CHROME_LINE.match(s)
        or "©" in s
    )


def _continues(line: str, following: str, width: int, cjk: bool) -> bool:
    if not following or _stands_alone(following) or _stands_alone(line):
        return False
    if not _broken(line, width, cjk):
        return False
    if cjk:
        return True
    # The next line goes on with the sentence: a lower-case word, or more words of it.
    return following[0].islower() or following[0] in "(–—-,;" or len(following.split()) >= 3


def groups(norm: list[str]) -> list[list[int]]:
    """Indexes of `norm` grouped into paragraphs: a group of one for every line not wrapped."""
    out: list[list[int]] = []
    i, n = 0, len(norm)
    while i < n:
        if not norm[i]:
            out.append([i])
            i += 1
            continue
        end = i
        while end + 1 < n and norm[end + 1]:
            end += 1
        block = norm[i : end + 1]
        width = max(len(s) for s in block)
        cjk = sum(1 for s in block if len(v.CJK.findall(s)) > len(s) / 2) > len(block) / 2
        # A page is wrapped at a fixed width when at least two of a block's lines stop there
        # mid-sentence (one such line is a headline or a label as often as a break).
        breaks = [k for k in range(len(block) - 1) if _broken(block[k], width, cjk)]
        wrapping = (
            len(block) >= 3
            and ((cjk and 15 <= width <= 60) or (not cjk and MIN_WIDTH <= width <= MAX_WIDTH))
            and len(breaks) >= 2
            # Text broken at a width goes on in lower case after most breaks; a stack of
            # headlines or labels starts each line with a capital.
            and (cjk or 2 * sum(block[k + 1][0].islower() for k in breaks) > len(breaks))
        )
        current = [i]
        for j in range(i, end):
            if wrapping and _continues(norm[j], norm[j + 1], width, cjk):
                current.append(j + 1)
            else:
                out.append(current)
                current = [j + 1]
        out.append(current)
        i = end + 1
    return out


def joined(norm: list[str], group: list[int]) -> str:
    texts = [norm[k] for k in group]
    if len(texts) == 1:
        return texts[0]
    result = texts[0]
    for piece in texts[1:]:
        cjk_join = v.CJK.match(piece[:1]) and v.CJK.search(result[-1:])
        if result.endswith("-") and result[-2:-1].isalpha():
            result += piece  # "trade-" / "related": the hyphen stays, the break goes
        else:
            result += ("" if cjk_join else " ") + piece
    return result
