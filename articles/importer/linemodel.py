"""The learned part of the segmenter: is a line of a page part of the story or not?

The rules (`lines`, `body`, `comments`) say what each line looks like and where the page's
furniture, comments and story seem to be. Rules tuned by hand on a few pages do not generalise,
so the last word on "reporting or not" goes to a classifier trained on real pages
(`benchmarks/train_segmenter.py`, on the development split of the corpora in
`benchmarks/corpora/`): gradient-boosted trees over features of each line and of its
neighbours, with today's rules among the features, in two stages (the second sees the first
stage's verdicts on the lines around, the context smoothing of jusText, learned).

The model ships as plain JSON (`linemodel.json`): trees as arrays, evaluated here with numpy, so
nothing is unpickled and nothing is downloaded at run time.
"""

from __future__ import annotations

import bisect
import json
import math
import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from articles.importer import vocabulary as v
from articles.importer.lines import C, ends_sentence, reporting_like, short_label, title_like

MODEL_PATH = Path(__file__).with_name("linemodel.json")
RULE_CLASSES = (
    C.HEADLINE,
    C.METADATA,
    C.CAPTION,
    C.CREDIT,
    C.REPORTING,
    C.COMMENT,
    C.COMMENT_QUOTE,
    C.COPYRIGHT,
    C.CHROME,
)
RULE_ONE_HOT: dict[str, tuple[float, ...]] = {
    c: tuple(float(c == d) for d in RULE_CLASSES) for c in RULE_CLASSES
}
NO_RULE = (0.0,) * len(RULE_CLASSES)
WORD = re.compile(r"\w+", re.UNICODE)
LATIN_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
CJK_PAIRS = re.compile(r"[\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]{2,}")
SEPARATORS = re.compile(r"[|»›•·/]")
CLOSING = re.compile(r"[.!?。！？][\"'”’」』)]*$")
# Words of someone speaking to the reader or of a reader speaking: appeals, prompts, comments.
PERSONAL = frozenset(
    ["i", "i'm", "i’m", "me", "my", "we", "we're", "our", "us", "you", "you're", "your", "lol"]
)
QUOTED = re.compile(r"[\"“”「」『』]")
# The vocabulary of a site talking about itself (any language the desk reads), a signal
# whatever the rules made of the line.
FURNITURE = re.compile(
    r"\b(?:subscri\w*|newsletter|sign (?:up|in)|log ?in|register|cookies?|privacy|consent|"
    r"advertis\w*|sponsored|donat\w*|support (?:us|our)|premium|paywall|read more|more from|"
    r"related|recommended|trending|most (?:read|popular|viewed)|share|follow us|download|app|"
    r"comments?|reply|replies|upvotes?|points?|posted|permalink|report|terms|copyright|"
    r"all rights reserved|click|tap|watch|video|photos?|gallery|menu|search|home|next|previous)\b|"
    r"ログイン|会員|登録|購読|有料|無料|関連|おすすめ|ランキング|人気|シェア|コメント|広告|"
    r"続きを読む|一覧|トップ|写真|動画|配信|提供|로그인|구독|댓글|공유|광고",
    re.IGNORECASE,
)
# Marks of a comment thread: a handle, a relative time, a vote count, a "reply" button.
THREAD = re.compile(
    r"^(?:u/|@)\w|\b\d+\s*(?:[smhdwy]|mins?|hours?|days?|weeks?|months?|years?)\s+ago\b|"
    r"^\s*[-+]?\d{1,5}\s*$|\b(?:reply|replies|upvotes?|points?|likes?)\b|件の(?:コメント|返信)",
    re.IGNORECASE,
)
# On an ASCII line, case-insensitive matching of a pattern written all in lower case finds what
# matching its case-sensitive twin finds in the lower-cased line, and the twin is faster.
FURNITURE_LOWER = re.compile(FURNITURE.pattern) if FURNITURE.pattern.islower() else None
THREAD_LOWER = re.compile(THREAD.pattern) if THREAD.pattern.islower() else None
URLISH = re.compile(r"https?://|www\.|\.(?:com|jp|org|net|co\.uk)\b|@\w{2,}|#\w{2,}")

BASE_FEATURES = (
    "log_chars",
    "log_words",
    "ends_sentence",
    "stopword_ratio",
    "cjk_ratio",
    "digit_ratio",
    "upper_ratio",
    "titlecase_ratio",
    "punct_ratio",
    "separators",
    "commas_per_word",
    "position",
    "char_position",
    "repeated",
    "reporting_like",
    "title_like",
    "short_label",
    "terms_shared",
    "in_rule_span",
    "before_rule_span",
    "after_rule_span",
    "span_distance",
    "dist_prose",
    "personal_ratio",
    "quote_ratio",
    "furniture_words",
    "count_only",
    "thread_marks",
    "headline_shared",
    "url_or_handle",
    "block_share",
    "in_main_block",
    "main_block_distance",
    *(f"rule_{c}" for c in RULE_CLASSES),
    *(f"reason_{r}" for r in ("menu", "related", "teaser", "appeal", "furniture", "comment")),
    "reason_placed",
    "page_lines",
    "page_chars",
)
CONTEXT_FEATURES = (
    "prev_prose",
    "next_prose",
    "prev3_prose",
    "next3_prose",
    "prev_log_chars",
    "next_log_chars",
    "prev3_log_chars",
    "next3_log_chars",
    "prev_rule_reporting",
    "next_rule_reporting",
    "prev3_thread",
    "next3_thread",
    "prev3_furniture",
    "next3_furniture",
)
FEATURES = BASE_FEATURES + CONTEXT_FEATURES
STAGE2_FEATURES = (*FEATURES, "p", "p_prev", "p_next", "p_prev3", "p_next3", "p_max3", "p_min3")


def _tokens(s: str) -> set[str]:
    if not s.isascii() and CJK_RUN.search(s):
        runs = CJK_PAIRS.findall(s)
        found = {run[i : i + 2] for run in runs for i in range(len(run) - 1)}
    else:
        found = set()
    return found | {w for w in WORD.findall(s.casefold()) if len(w) >= 4 and w not in v.STOPWORDS}


def line_features(
    norm: list[str], rule: list[str], extra: list[dict[str, Any]]
) -> tuple[list[int], np.ndarray]:
    """The non-blank lines' indexes and their feature rows (FEATURES, in order)."""
    idx = [i for i, s in enumerate(norm) if s]
    if not idx:
        return idx, np.zeros((0, len(FEATURES)))
    texts = [norm[i] for i in idx]
    counts = Counter(t.casefold() for t in texts)
    total_chars = sum(len(t) for t in texts) or 1
    prose = [reporting_like(t) for t in texts]
    # The page's key terms: words shared by its longest lines.
    longest = sorted(range(len(texts)), key=lambda k: -len(texts[k]))[:8]
    term_counts: Counter[str] = Counter()
    for k in longest:
        term_counts.update(_tokens(texts[k]))
    terms = {t for t, c in term_counts.items() if c >= 2}
    headline_tokens: set[str] = set()
    for k, i in enumerate(idx):
        if rule[i] == C.HEADLINE:
            headline_tokens |= _tokens(texts[k])
    if not headline_tokens and texts:
        headline_tokens = _tokens(texts[0])  # a rendering's first line is the page's title
    rule_reporting = [k for k, i in enumerate(idx) if rule[i] == C.REPORTING]
    span = (rule_reporting[0], rule_reporting[-1]) if rule_reporting else None
    prose_at = [k for k, p in enumerate(prose) if p]
    m = len(idx)
    # Blocks of prose: prose lines with at most one other line between them. The block with the
    # most text is where the story most likely is (jusText's and the rules' starting point).
    block_of = [-1] * m
    block_chars: list[int] = []
    block_span: list[tuple[int, int]] = []
    last = -10
    for k in prose_at:
        if k - last > 2:
            block_chars.append(0)
            block_span.append((k, k))
        block_chars[-1] += len(texts[k])
        block_span[-1] = (block_span[-1][0], k)
        last = k
    for b, (lo, hi) in enumerate(block_span):
        for k in range(lo, hi + 1):
            block_of[k] = b
    main_block = max(range(len(block_chars)), key=block_chars.__getitem__) if block_chars else -1
    biggest = max(block_chars) if block_chars else 1
    rows = []
    cumulative = 0
    for k, (i, s) in enumerate(zip(idx, texts, strict=True)):
        chars = len(s)
        words = s.split()
        nw = len(words) or 1
        ascii_line = s.isascii()
        digits, upper, letters, alnum, spaces = _ascii_counts(s) if ascii_line else _counts(s)
        nl = letters or 1
        cjk = 0 if ascii_line else len(CJK_RUN.findall(s))
        latin = LATIN_WORD.findall(s)
        folded = [w.casefold() for w in latin]
        stop = sum(w in v.STOPWORDS for w in folded)
        toks = _tokens(s)
        lowered = s.lower() if ascii_line else s
        furniture = FURNITURE_LOWER if ascii_line else None
        thread = THREAD_LOWER if ascii_line else None
        reason = str(extra[i].get("reason", ""))
        if span:
            inside = float(span[0] <= k <= span[1])
            before = float(k < span[0])
            after = float(k > span[1])
            dist = 0 if inside else min(abs(k - span[0]), abs(k - span[1]))
        else:
            inside = before = after = 0.0
            dist = m
        near = _nearest(prose_at, k) if prose_at else m
        row = [
            math.log1p(chars),
            math.log1p(len(words)),
            float(ends_sentence(s) or bool(CLOSING.search(s))),
            stop / (len(latin) or 1),
            cjk / chars,
            digits / chars,
            upper / nl,
            sum(1 for w in words if w[:1].isupper()) / nw,
            # No character is both alphanumeric and a space: the rest are punctuation.
            (chars - alnum - spaces) / chars,
            float(len(SEPARATORS.findall(s))),
            s.count(",") / nw,
            k / m,
            cumulative / total_chars,
            float(counts[s.casefold()] > 1),
            float(prose[k]),
            float(title_like(s)),
            float(short_label(s)),
            len(toks & terms) / (len(toks) or 1),
            inside,
            before,
            after,
            math.log1p(dist),
            math.log1p(near),
            sum(w in PERSONAL for w in folded) / (len(latin) or 1),
            len(QUOTED.findall(s)) / chars,
            float(len(furniture.findall(lowered) if furniture else FURNITURE.findall(s))),
            float(bool(v.COUNT_ONLY.match(s))),
            float(bool(thread.search(lowered) if thread else THREAD.search(s))),
            len(toks & headline_tokens) / (len(toks) or 1),
            float(bool(URLISH.search(s))),
            block_chars[block_of[k]] / biggest if block_of[k] >= 0 else 0.0,
            float(block_of[k] == main_block and main_block >= 0),
            math.log1p(_distance(block_span[main_block], k)) if main_block >= 0 else math.log1p(m),
            *RULE_ONE_HOT.get(rule[i], NO_RULE),
            float(reason == "menu"),
            float("related" in reason or "list" in reason),
            float("teaser" in reason),
            float("appeal" in reason or "newsletter" in reason or "notice" in reason),
            float(reason == "page furniture"),
            float("comment" in reason),
            float(reason in ("above the story", "teaser after the story")),
            math.log1p(m),
            math.log1p(total_chars),
        ]
        cumulative += chars
        rows.append(row)
    base = np.asarray(rows, dtype=np.float64)
    return idx, np.hstack([base, _context(base)])


_DIGITS = b"0123456789"
_UPPER = bytes(range(ord("A"), ord("Z") + 1))
_LOWER = bytes(range(ord("a"), ord("z") + 1))
_SPACES = b" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"  # what str.isspace takes in ASCII


def _ascii_counts(s: str) -> tuple[int, int, int, int, int]:
    """Digits, capitals, letters, letters and digits, spaces of an ASCII line (as `_counts`),
    counted by the bytes' C-level translate rather than a Python call per character."""
    b = s.encode("ascii")
    n = len(b)
    digits = n - len(b.translate(None, _DIGITS))
    upper = n - len(b.translate(None, _UPPER))
    letters = upper + n - len(b.translate(None, _LOWER))
    return digits, upper, letters, letters + digits, n - len(b.translate(None, _SPACES))


def _counts(s: str) -> tuple[int, int, int, int, int]:
    """Digits, capitals among the letters, letters, alphanumerics, spaces of any line."""
    letters = list(filter(str.isalpha, s))
    return (
        sum(map(str.isdigit, s)),
        sum(map(str.isupper, letters)),
        len(letters),
        sum(map(str.isalnum, s)),
        sum(map(str.isspace, s)),
    )


def _distance(span: tuple[int, int], k: int) -> int:
    return 0 if span[0] <= k <= span[1] else min(abs(k - span[0]), abs(k - span[1]))


def _nearest(sorted_positions: list[int], k: int) -> int:
    at = bisect.bisect_left(sorted_positions, k)
    best = len(sorted_positions) + abs(k)
    for j in (at - 1, at):
        if 0 <= j < len(sorted_positions):
            best = min(best, abs(sorted_positions[j] - k))
    return best


def _window(values: np.ndarray, before: int, after: int) -> tuple[np.ndarray, np.ndarray]:
    """Mean of `values` over the `before` previous and the `after` next rows (0 off the edge)."""
    m = len(values)
    csum = np.concatenate([[0.0], np.cumsum(values)])
    ks = np.arange(m)
    lo = np.maximum(ks - before, 0)
    prev = np.where(ks > 0, (csum[ks] - csum[lo]) / np.maximum(ks - lo, 1), 0.0)
    hi = np.minimum(ks + 1 + after, m)
    nxt = np.where(ks < m - 1, (csum[hi] - csum[ks + 1]) / np.maximum(hi - ks - 1, 1), 0.0)
    return prev, nxt


def _context(base: np.ndarray) -> np.ndarray:
    """Each line's neighbourhood, from the base features of the lines around it."""
    prose = base[:, BASE_FEATURES.index("reporting_like")]
    chars = base[:, BASE_FEATURES.index("log_chars")]
    rep = base[:, BASE_FEATURES.index(f"rule_{C.REPORTING}")]
    p1, n1 = _window(prose, 1, 1)
    p3, n3 = _window(prose, 3, 3)
    c1, d1 = _window(chars, 1, 1)
    c3, d3 = _window(chars, 3, 3)
    r1, s1 = _window(rep, 1, 1)
    t3, u3 = _window(base[:, BASE_FEATURES.index("thread_marks")], 3, 3)
    f3, g3 = _window(np.minimum(base[:, BASE_FEATURES.index("furniture_words")], 1.0), 3, 3)
    return np.column_stack([p1, n1, p3, n3, c1, d1, c3, d3, r1, s1, t3, u3, f3, g3])


def stage2_features(x: np.ndarray, p: np.ndarray) -> np.ndarray:
    p1, n1 = _window(p, 1, 1)
    p3, n3 = _window(p, 3, 3)
    m = len(p)
    pad = np.concatenate([[p[0]] * 3, p, [p[-1]] * 3]) if m else p
    windows = np.lib.stride_tricks.sliding_window_view(pad, 7) if m else np.zeros((0, 7))
    return np.column_stack([x, p, p1, n1, p3, n3, windows.max(axis=1), windows.min(axis=1)])


class Forest:
    """A gradient-boosted tree ensemble exported from scikit-learn, evaluated with numpy."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.baseline = float(spec["baseline"])
        self.trees = [
            tuple(
                np.asarray(tree[key], dtype=dtype)
                for key, dtype in (
                    ("feature", np.int64),
                    ("threshold", np.float64),
                    ("left", np.int64),
                    ("right", np.int64),
                    ("leaf", bool),
                    ("value", np.float64),
                    ("missing_left", bool),
                )
            )
            for tree in spec["trees"]
        ]
        self.depth = int(spec["depth"])
        # All trees as one: their nodes laid end to end, children renumbered to match, so every
        # tree steps down one level in the same numpy operation.
        offsets = np.cumsum([0] + [len(tree[0]) for tree in self.trees[:-1]], dtype=np.int64)
        self.feature = np.concatenate([tree[0] for tree in self.trees])
        self.threshold = np.concatenate([tree[1] for tree in self.trees])
        self.left = np.concatenate([t[2] + o for t, o in zip(self.trees, offsets, strict=True)])
        self.right = np.concatenate([t[3] + o for t, o in zip(self.trees, offsets, strict=True)])
        self.leaf = np.concatenate([tree[4] for tree in self.trees])
        # A leaf leads to itself either way, so a line that reached one stays there without a
        # test of its own at each further level.
        at = np.arange(len(self.leaf))
        self.left = np.where(self.leaf, at, self.left)
        self.right = np.where(self.leaf, at, self.right)
        self.value = np.concatenate([tree[5] for tree in self.trees])
        self.missing_left = np.concatenate([tree[6] for tree in self.trees])
        self.roots = offsets

    def probability(self, x: np.ndarray) -> np.ndarray:
        m = x.shape[0]
        flat = np.ascontiguousarray(x).ravel()
        starts = np.arange(m) * x.shape[1]  # where each line's row begins in `flat`
        missing = bool(np.isnan(flat).any())
        node = np.repeat(self.roots[:, None], m, axis=1)  # one row per tree, one column per line
        for _ in range(self.depth):
            xv = flat[starts + self.feature[node]]
            go_left = xv <= self.threshold[node]
            if missing:
                go_left = np.where(np.isnan(xv), self.missing_left[node], go_left)
            node = np.where(go_left, self.left[node], self.right[node])
        # Summed tree by tree, in order, as the ensemble's own evaluation adds them.
        raw = np.cumsum(np.vstack([np.full((1, m), self.baseline), self.value[node]]), axis=0)[-1]
        return 1.0 / (1.0 + np.exp(-raw))


class LineModel:
    def __init__(self, spec: dict[str, Any]) -> None:
        if tuple(spec["features"]) != FEATURES or tuple(spec["stage2_features"]) != STAGE2_FEATURES:
            raise ValueError("linemodel.json was trained on other features: retrain it")
        self.stage1 = Forest(spec["stage1"])
        self.stage2 = Forest(spec["stage2"])
        # A line the rules put in the story leaves it below `remove_below`; a line they left out
        # joins it from `add_from`: the rules' placement counts as evidence either way.
        self.add_from = float(spec["add_from"])
        self.remove_below = float(spec["remove_below"])

    def reporting(
        self, norm: list[str], rule: list[str], extra: list[dict[str, Any]]
    ) -> dict[int, float]:
        """Each non-blank line's probability of being the story's text."""
        idx, x = line_features(norm, rule, extra)
        if not idx:
            return {}
        p = self.stage1.probability(x)
        q = self.stage2.probability(stage2_features(x, p))
        return dict(zip(idx, q.tolist(), strict=True))


@cache
def load_model() -> LineModel | None:
    """The shipped model, or None when there is none (the rules alone then decide)."""
    if not MODEL_PATH.exists():
        return None
    return LineModel(json.loads(MODEL_PATH.read_text(encoding="utf-8")))
