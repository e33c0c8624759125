"""Scoring the importer on real pages: the corpora, their splits and every measure of issue 9.

Used by `benchmarks/segmentation.py` (the table, with the anchors) and by the tests that hold
the floors (`tests/articles/test_segmentation_floors.py`). Nothing here needs a database: the
caller passes a `Reference` (the benchmark loads one from the fixtures; the tests from theirs).

The body metric is the article-extraction benchmark's (its `evaluate.py`, MIT): tokens are
`\\w+` matches, each text a multiset of word 4-grams; per page tp/fp/fn are the multiset
overlaps normalised to sum 1 (nothing predicted and nothing true counts as a hit); precision and
recall are Σtp/(Σtp+Σfp) and Σtp/(Σtp+Σfn) over the pages, F1 their harmonic mean.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CORPORA = Path(__file__).resolve().parent / "corpora"
AE = CORPORA / "article-extraction"
TARIFF = CORPORA / "tariff"
TOKEN = re.compile(r"\w+", re.UNICODE)
BODY_CLASSES = frozenset({"reporting"})
LEAK_CLASSES = frozenset({"chrome", "comment", "comment_quote"})
CLASSES = [
    "reporting",
    "headline",
    "metadata",
    "caption",
    "credit",
    "copyright",
    "comment",
    "comment_quote",
    "chrome",
    "blank",
]
FACTS = ("headline", "date", "outlet", "wire")


# -- splits -------------------------------------------------------------------------------------


def ae_split(key: str) -> str:
    """A third of the article-extraction pages, by their key, are held out."""
    return "heldout" if int(key[:8], 16) % 3 == 0 else "dev"


def site_split(site: str) -> str:
    """Tariff pages are split by site, so one outlet's habits never sit on both sides."""
    digest = hashlib.sha256(site.encode()).digest()
    return "heldout" if digest[0] % 5 in (0, 1) else "dev"


# -- corpora ------------------------------------------------------------------------------------


@dataclass
class AEPage:
    key: str
    url: str
    text: str
    truth: str
    split: str

    @property
    def html(self) -> str:
        return gzip.decompress((AE / "html" / f"{self.key}.html.gz").read_bytes()).decode(
            "utf-8", errors="replace"
        )


@dataclass
class TariffPage:
    id: str
    url: str
    site: str
    text: str
    classes: list[str]
    facts: dict[str, Any]
    covers: list[str]
    checked: str
    split: str

    @property
    def truth(self) -> str:
        lines = self.text.split("\n")
        return "\n".join(t for t, c in zip(lines, self.classes, strict=True) if c in BODY_CLASSES)


def ae_pages(split: str = "all") -> list[AEPage]:
    truth = json.loads((AE / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key in sorted(truth):
        page = AEPage(
            key=key,
            url=truth[key].get("url", ""),
            text=(AE / "text" / f"{key}.txt").read_text(encoding="utf-8"),
            truth=truth[key].get("articleBody", ""),
            split=ae_split(key),
        )
        if split in ("all", page.split):
            pages.append(page)
    return pages


def tariff_pages(split: str = "all") -> list[TariffPage]:
    pages = []
    for part in sorted((TARIFF / "index").glob("*.json")):
        for entry in json.loads(part.read_text(encoding="utf-8")):
            text = (TARIFF / "pages" / f"{entry['id']}.txt").read_text(encoding="utf-8")
            rows = (TARIFF / "labels" / f"{entry['id']}.tsv").read_text(encoding="utf-8")
            classes = [row.split("\t", 1)[0] for row in rows.split("\n")]
            if classes and classes[-1] == "" and len(classes) == len(text.split("\n")) + 1:
                classes.pop()  # the labels file's own final newline
            if len(classes) != len(text.split("\n")):
                raise ValueError(
                    f"{entry['id']}: {len(classes)} labels for {len(text.split(chr(10)))} lines"
                )
            unknown = set(classes) - set(CLASSES)
            if unknown:
                raise ValueError(f"{entry['id']}: unknown classes {sorted(unknown)}")
            page = TariffPage(
                id=entry["id"],
                url=entry["url"],
                site=entry["site"],
                text=text,
                classes=classes,
                facts=entry["facts"],
                covers=entry.get("covers", []),
                checked=entry.get("checked", ""),
                split=site_split(entry["site"]),
            )
            if split in ("all", page.split):
                pages.append(page)
    return pages


# -- the body metric ----------------------------------------------------------------------------


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)))


def page_overlap(truth: str, predicted: str) -> tuple[float, float, float]:
    t, p = shingles(truth), shingles(predicted)
    if not TOKEN.search(truth or "") and not TOKEN.search(predicted or ""):
        return 1.0, 0.0, 0.0
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    total = tp + fp + fn
    return tp / total, fp / total, fn / total


@dataclass
class BodyScore:
    pages: int = 0
    tp: float = 0.0
    fp: float = 0.0
    fn: float = 0.0

    def add(self, truth: str, predicted: str) -> None:
        tp, fp, fn = page_overlap(truth, predicted)
        self.pages += 1
        self.tp, self.fp, self.fn = self.tp + tp, self.fp + fp, self.fn + fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score_bodies(pages: Iterable[Any], extract: Callable[[Any], str]) -> BodyScore:
    score = BodyScore()
    for page in pages:
        score.add(page.truth, extract(page))
    return score


# -- lines, facts and suggestions on the tariff corpus ------------------------------------------


def norm(s: str | None) -> str:
    return re.sub(r"\s+", " ", (s or "")).strip().casefold()


@dataclass
class Prediction:
    """What the importer made of one page."""

    classes: list[str]
    body: str
    facts: dict[str, Any]  # headline, date (YYYY-MM-DD), outlet/wire (every name of the source)
    officials: set[str]
    rounds: set[int]


@dataclass
class TariffScore:
    pages: int = 0
    body: BodyScore = field(default_factory=BodyScore)
    per_class: dict[str, list[int]] = field(default_factory=dict)  # class -> [right, all]
    leaked: int = 0  # chrome/comment lines in a body
    leaked_pages: list[str] = field(default_factory=list)
    reporting_total: int = 0
    reporting_lost: int = 0
    facts: dict[str, Counter[str]] = field(default_factory=dict)  # fact -> outcome counts
    wrong: list[str] = field(default_factory=list)
    officials: Counter[str] = field(default_factory=Counter)  # tp / fp / fn
    rounds: Counter[str] = field(default_factory=Counter)

    @property
    def reporting_kept(self) -> float:
        total = self.reporting_total
        return (total - self.reporting_lost) / total if total else 1.0

    def fact_share(self, *outcomes: str) -> float:
        counted = sum((self.facts.get(f, Counter()) for f in FACTS), Counter())
        total = sum(counted.values())
        return sum(counted[o] for o in outcomes) / total if total else 1.0

    @staticmethod
    def pr(c: Counter[str]) -> tuple[float, float]:
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        return p, r


def fact_outcome(name: str, truth: Any, predicted: Any) -> str:
    """right / empty (honestly: the page states none) / missed (stated, not found) / wrong."""
    if predicted in (None, "", []):
        return "empty" if truth in (None, "") else "missed"
    if truth in (None, ""):
        return "wrong"
    if name in ("outlet", "wire"):
        names = (
            {norm(n) for n in predicted}
            if isinstance(predicted, (list, tuple))
            else {norm(predicted)}
        )
        wanted = norm(truth)
        wanted_bare = wanted.removeprefix("the ")
        ok = any(
            n == wanted or n.removeprefix("the ") == wanted_bare or (n and n in wanted)
            for n in names
        )
        return "right" if ok else "wrong"
    return "right" if norm(str(truth)) == norm(str(predicted)) else "wrong"


def score_tariff(
    pages: Iterable[TariffPage], predict: Callable[[TariffPage], Prediction]
) -> TariffScore:
    score = TariffScore()
    for page in pages:
        got = predict(page)
        score.pages += 1
        score.body.add(page.truth, got.body)
        lines = page.text.split("\n")
        leaked_here = 0
        for gold, pred, text in zip(page.classes, got.classes, lines, strict=True):
            if gold == "blank" and not text.strip():
                continue
            right_all = score.per_class.setdefault(gold, [0, 0])
            right_all[1] += 1
            right_all[0] += gold == pred
            if gold in LEAK_CLASSES and pred in BODY_CLASSES:
                leaked_here += 1
            if gold in BODY_CLASSES:
                score.reporting_total += 1
                score.reporting_lost += pred not in BODY_CLASSES
        score.leaked += leaked_here
        if leaked_here:
            score.leaked_pages.append(f"{page.id} ({page.site}): {leaked_here}")
        for name in FACTS:
            outcome = fact_outcome(name, page.facts.get(name), got.facts.get(name))
            score.facts.setdefault(name, Counter())[outcome] += 1
            if outcome == "wrong":
                score.wrong.append(
                    f"{page.id} {name}: page states {page.facts.get(name)!r}, "
                    f"importer gave {got.facts.get(name)!r}"
                )
        gold_o = set(page.facts.get("officials") or [])
        score.officials.update(
            tp=len(gold_o & got.officials),
            fp=len(got.officials - gold_o),
            fn=len(gold_o - got.officials),
        )
        gold_r = set(page.facts.get("rounds") or [])
        score.rounds.update(
            tp=len(gold_r & got.rounds), fp=len(got.rounds - gold_r), fn=len(gold_r - got.rounds)
        )
    return score
