"""Coverage suggestions: the officials, rounds, measures and meetings an article reports.

Each suggestion carries the sentence that supports it. Only the reporting is read (never the
comments). Mentions that point at nothing in the reference (a "10th visit" when the record
holds nine rounds, a rate no measure has) are returned as unresolved, not dropped.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from articles.importer.officials import officials_in
from articles.importer.reference import RE_ASCII_FOLDS, MeasureRef, Reference

ORDINALS = {
    word: number
    for number, word in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "  # noqa: SIM905
        "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth "
        "twentieth".split(),
        start=1,
    )
}
CARDINALS = {
    word: number
    for number, word in enumerate(
        "one two three four five six seven eight nine ten eleven twelve".split(),  # noqa: SIM905
        start=1,
    )
}
_ORD = r"(?P<ord>" + "|".join(ORDINALS) + r"|\d{1,2}(?:st|nd|rd|th))"
ROUND_ORDINAL = re.compile(
    r"\b" + _ORD + r"(?:\s+[\w-]+){0,2}?\s+(?:round|visit|trip)s?\b", re.IGNORECASE
)
ROUND_NUMBER = re.compile(
    r"\bround\s+(?P<num>\d{1,2}|"
    + "|".join(CARDINALS)
    + r")\b(?!\s*(?:%|percent|minutes?|hours?))",
    re.IGNORECASE,
)
ROUND_INITIAL = re.compile(
    r"\binitial\s+(?:[\w-]+\s+){0,2}(?:round|negotiations|talks)\b", re.IGNORECASE
)
# "the fourth trip in as many weeks", "the first such visit since April": the ordinal counts
# something else (trips of a month, visits of a kind), not the rounds of the talks.
ROUND_RELATIVE = re.compile(
    r"\s+in\s+(?:as\s+many|(?:the\s+(?:past|last)\s+)?(?:\w+\s+)?(?:days|weeks|months))\b",
    re.IGNORECASE,
)
# "7回目の閣僚協議", "訪米は8回目": an ordinal in Japanese, counted only in a sentence about talks
# or a visit. "4度目の閣僚協議", "第7回の日米協議", "初回の交渉" count only the talks or visit
# they stand before, beside the negotiator (a fourth leaders' call is no fourth round).
_JA_NUM = r"(?P<{g}>\d{{1,2}}|[一二三四五六七八九十]{{1,2}})"
_JA_TALKS_AFTER = r"(?=の?(?:日米)?(?:閣僚|関税)?(?:協議|交渉|会合|訪米))"
JA_ROUND = re.compile(
    _JA_NUM.format(g="num")
    + r"\s*回目|(?:"
    + _JA_NUM.format(g="deg")
    + r"\s*度目|第\s*"
    + _JA_NUM.format(g="nth")
    + r"\s*回|(?P<first>初回))"
    + _JA_TALKS_AFTER
)
JA_TALKS = re.compile(r"協議|交渉|会談|訪米|閣僚")
KANJI_NUMBERS = {k: n for n, k in enumerate("一二三四五六七八九十", start=1)}
TALKS = re.compile(
    r"\b(?:talks|negotiat\w*|round|meeting|met|visit)\b|協議|交渉|会談", re.IGNORECASE
)

RATE = re.compile(
    r"(?<![\d.])(?P<rate>\d{1,3}(?:\.\d{1,2})?)\s*(?:%|％|-?\s?percent\b|-?\s?per\s?cent\b|パーセント)",
    re.IGNORECASE,
)
PRODUCTS = [
    ("auto_parts", re.compile(r"\b(?:auto|car|vehicle|automotive)[- ]parts?\b|\bparts\b", re.I)),
    (
        "autos",
        re.compile(
            r"\b(?:automobiles?|autos?|cars?|(?:passenger |motor )?vehicles?|automotive)\b", re.I
        ),
    ),
    ("steel", re.compile(r"\bsteel\b", re.I)),
    ("aluminum", re.compile(r"\balumin(?:i)?um\b", re.I)),
    (
        "all_goods",
        re.compile(
            r"\b(?:all (?:imported )?goods|all imports|other imports|reciprocal|baseline|"
            r"across-the-board|universal|(?:imports|goods) from japan|"
            r"japanese (?:goods|imports))\b",
            re.I,
        ),
    ),
]
PRODUCT_PATTERNS = dict(PRODUCTS)
DURATION = re.compile(
    r"(?P<approx>about|around|some|roughly|approximately|nearly|almost|more than|over|just over|"
    r"less than)?\s*(?:(?P<n>\d{1,3})(?:\s+|-)minutes?|(?P<h>\d{1,2}|an?|one|two|three)(?:\s+|-)"
    r"hours?(?:\s+and\s+(?P<hm>\d{1,2})\s+minutes?)?|(?P<half>half an hour))\b",
    re.IGNORECASE,
)
CLOCK = re.compile(r"\bfrom\s+(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?P<ampm>[ap])\.?m\.?", re.I)
SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"”’]?\s+(?=[\"“‘(\[A-Z0-9])|(?<=[。！？])(?=.)")
ABBREVIATION = re.compile(
    r"(?:\b[A-Z]\.)+[\"”’]?$|\b(?:Mr|Mrs|Ms|Dr|Gov|Sen|Rep|Prof|St|Jr|Sr|Inc|Ltd|Co|Corp|Gen|No|"
    r"vs|etc|Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec)\.$"
)
TARIFF_WORD = re.compile(r"tariff|levy|levies|dut(?:y|ies)|\brate\b|\btax|関税", re.IGNORECASE)


@dataclass
class Suggestion:
    kind: str  # "official", "round", "measure", "meeting"
    target_id: int
    target: str
    evidence: str
    via: str
    # What kind of match it was (CoverageLink.Basis) and the words of the evidence it matched.
    basis: str = ""
    terms: tuple[str, ...] = ()


@dataclass
class Suggestions:
    items: list[Suggestion] = field(default_factory=list)
    unresolved: list[dict[str, Any]] = field(default_factory=list)

    def add(self, item: Suggestion) -> None:
        if not any(s.kind == item.kind and s.target_id == item.target_id for s in self.items):
            self.items.append(item)

    def of(self, kind: str) -> list[Suggestion]:
        return [item for item in self.items if item.kind == kind]


def sentences(text: str) -> list[str]:
    """Sentences of `text`; "U.S." or "Mr." followed by a capital does not end one."""
    found = []
    for paragraph in text.split("\n"):
        start = 0
        for match in SENTENCE_BREAK.finditer(paragraph):
            if ABBREVIATION.search(paragraph[start : match.start()].rstrip()):
                continue
            found.append(paragraph[start : match.start()].strip())
            start = match.start()
        found.append(paragraph[start:].strip())
    return [sentence for sentence in found if sentence]


def suggest(body: str, *, headline: str, day: datetime.date | None, ref: Reference) -> Suggestions:
    out = Suggestions()
    found = sentences(body)
    if headline:
        found = [headline, *found]
    people = _officials(found, ref, out)
    _rounds(found, people, day, ref, out)
    _measures(found, day, ref, out)
    _meetings(found, people, day, ref, out)
    return out


def _officials(found: list[str], ref: Reference, out: Suggestions) -> list[set[int]]:
    """Officials per sentence; adds one suggestion per official (its first supporting sentence)."""
    people, matches = officials_in(found, ref.officials)
    for official, sentence, via in matches:
        basis = "spelling" if via.startswith("close spelling") else "alias"
        term = via.split("'", 1)[1].rstrip("'") if "'" in via else ""
        out.add(
            Suggestion(
                "official",
                official.id,
                official.slug,
                sentence,
                via,
                basis,
                (term,) if term else (),
            )
        )
    return people


def _round_number(token: str) -> int | None:
    token = token.casefold()
    if token in ORDINALS:
        return ORDINALS[token]
    if token in CARDINALS:
        return CARDINALS[token]
    digits = re.match(r"\d+", token)
    return int(digits.group(0)) if digits else None


def _ja_number(token: str) -> int:
    """A Japanese count as a number: digits (half or full width), or kanji ("七", "十二")."""
    if token[0].isdigit():
        return int(token)
    if len(token) == 2:  # "十二", "二十"
        tens, ones = token[0], token[1]
        return (KANJI_NUMBERS[tens] if tens != "十" else 1) * 10 + (
            KANJI_NUMBERS[ones] if ones != "十" else 0
        )
    return KANJI_NUMBERS[token]


def _rounds(
    found: list[str],
    people: list[set[int]],
    day: datetime.date | None,
    ref: Reference,
    out: Suggestions,
) -> None:
    negotiators = _negotiators(ref)
    by_number: dict[int, list[Any]] = {}
    for r in ref.rounds:
        by_number.setdefault(r.number, []).append(r)
    for index, sentence in enumerate(found):
        mentions: list[tuple[str, int | None]] = [
            (m.group(0), _round_number(m.group("ord")))
            for m in ROUND_ORDINAL.finditer(sentence)
            if not _relative_count(m, sentence)
        ]
        mentions += [
            (m.group(0), _round_number(m.group("num"))) for m in ROUND_NUMBER.finditer(sentence)
        ]
        mentions += [(m.group(0), 1) for m in ROUND_INITIAL.finditer(sentence)]
        if JA_TALKS.search(sentence):
            named = (people[index] or (people[index - 1] if index else set())) & negotiators
            for m in JA_ROUND.finditer(sentence):
                if m.group("num") and m.group("num").isdigit():
                    mentions.append((m.group(0), int(m.group("num"))))
                elif named:  # the newer forms, only where the negotiator is named
                    count = m.group("num") or m.group("deg") or m.group("nth")
                    mentions.append((m.group(0), _ja_number(count) if count else 1))
        for mention, number in mentions:
            if number is None:
                continue
            targets = by_number.get(number, [])
            if not targets:
                out.unresolved.append(
                    {"kind": "round", "mention": mention, "number": number, "evidence": sentence}
                )
            for r in targets:
                out.add(
                    Suggestion(
                        "round",
                        r.id,
                        str(r.number),
                        sentence,
                        f"'{mention}'",
                        "ordinal",
                        (mention,),
                    )
                )
    if day is None:
        return
    talk = next((s for s in found if TALKS.search(s)), None)
    if talk is None:
        return
    for r in ref.rounds:
        # A page dated the day after a round still reports it (Tokyo is ahead of Washington).
        if r.start <= day <= r.end + datetime.timedelta(days=1):
            out.add(
                Suggestion(
                    "round",
                    r.id,
                    str(r.number),
                    talk,
                    f"article date {day} within the round ({r.start} to {r.end})",
                    "date",
                )
            )


def _relative_count(match: re.Match[str], sentence: str) -> bool:
    """Does the ordinal count something other than the rounds ("fourth trip in as many weeks",
    "first such visit since April")?"""
    return bool(
        re.search(r"\bsuch\b", match.group(0), re.IGNORECASE)
        or ROUND_RELATIVE.match(sentence, match.end())
    )


def _negotiators(ref: Reference) -> set[int]:
    """Who the rounds are counted by: the officials in a meeting of every round the reference
    records meetings of (the visiting negotiator). The host's officials meet many delegations
    in their own capital; a sentence about them dates no round."""
    per_round: dict[int, set[int]] = {}
    for meeting in ref.meetings:
        if meeting.round_id is not None:
            per_round.setdefault(meeting.round_id, set()).update(meeting.participants)
    return set.intersection(*per_round.values()) if per_round else set()


def _products(text: str) -> set[str]:
    found = set()
    for scope, pattern in PRODUCTS:
        if pattern.search(text):
            found.add(scope)
            text = pattern.sub(" ", text)
    return found


def _measures(
    found: list[str], day: datetime.date | None, ref: Reference, out: Suggestions
) -> None:
    for sentence in found:
        if not TARIFF_WORD.search(sentence):
            continue
        rates = list(RATE.finditer(sentence))
        for index, match in enumerate(rates):
            try:
                rate = Decimal(match.group("rate"))
            except InvalidOperation:
                continue
            next_start = rates[index + 1].start() if index + 1 < len(rates) else len(sentence)
            after = sentence[match.end() : next_start]
            before = sentence[rates[index - 1].end() if index else 0 : match.start()]
            if re.match(r"\s*of\b", after) and not TARIFF_WORD.search(after[:30]):
                continue  # "30 percent of exports" is a share, not a tariff rate
            # The products nearest the rate: after it, else in its own clause, else before it.
            products = _products(after) or _products(before.split(",")[-1]) or _products(before)
            base = None
            if index + 1 < len(rates) and re.fullmatch(r"\s*from\s*", after):
                base = Decimal(rates[index + 1].group("rate"))
            if not products:
                if not (index and re.fullmatch(r"\s*from\s*", before)):
                    out.unresolved.append(
                        {
                            "kind": "measure",
                            "mention": match.group(0),
                            "evidence": sentence,
                            "reason": "no product named beside the rate",
                        }
                    )
                continue
            _resolve_measure(rate, base, products, day, sentence, match.group(0), ref, out)


def _resolve_measure(
    rate: Decimal,
    base: Decimal | None,
    products: set[str],
    day: datetime.date | None,
    sentence: str,
    mention: str,
    ref: Reference,
    out: Suggestions,
) -> None:
    misses = []
    resolved = False
    for scope in sorted(products):
        candidates: list[MeasureRef] = [
            m
            for m in ref.measures
            if m.scope == scope
            and (
                m.rate == rate
                or (base is not None and m.application == "added" and m.rate == rate - base)
            )
        ]
        if day is not None:
            in_force = [m for m in candidates if m.in_force_on(day)]
            candidates = in_force or [
                m for m in candidates if m.effective_on is None and (m.announced_on or day) <= day
            ]
        if len(candidates) == 1:
            m = candidates[0]
            resolved = True
            via = f"'{mention}' on {scope}" + (f" in force on {day}" if day else "")
            product = PRODUCT_PATTERNS[scope].search(sentence)
            words = (product.group(0),) if product else ()
            out.add(Suggestion("measure", m.id, m.slug, sentence, via, "rate", (mention, *words)))
        else:
            misses.append((scope, [m.slug for m in candidates]))
    if not resolved:
        for scope, slugs in misses:
            out.unresolved.append(
                {
                    "kind": "measure",
                    "mention": mention,
                    "product": scope,
                    "evidence": sentence,
                    "reason": f"{len(slugs)} measures fit",
                    "candidates": slugs,
                }
            )


def _minutes(match: re.Match[str]) -> int:
    if match.group("n"):
        return int(match.group("n"))
    if match.group("half"):
        return 30
    hours = match.group("h").casefold()
    count = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3}.get(hours) or int(hours)
    return count * 60 + int(match.group("hm") or 0)


def _meetings(
    found: list[str],
    people: list[set[int]],
    day: datetime.date | None,
    ref: Reference,
    out: Suggestions,
) -> None:
    rounds = {item.target_id for item in out.of("round")}
    for index, sentence in enumerate(found):
        folded = sentence.translate(RE_ASCII_FOLDS).lower()
        if "minute" not in folded and "hour" not in folded:
            continue  # every DURATION names minutes or hours (re folds case as `folded` does)
        present = people[index] or (people[index - 1] if index else set())
        for match in DURATION.finditer(sentence):
            minutes = _minutes(match)
            approximate = bool(match.group("approx"))
            clock = CLOCK.search(sentence[match.end() : match.end() + 30])
            start = None
            if clock and 1 <= int(clock.group("h")) <= 12:
                hour = int(clock.group("h")) % 12 + (
                    12 if clock.group("ampm").lower() == "p" else 0
                )
                start = datetime.time(hour, int(clock.group("m") or 0))
            fits = []
            for m in ref.meetings:
                if m.duration is None:
                    continue
                tolerance = max(5, m.duration // 10) if (approximate or m.approximate) else 0
                if abs(m.duration - minutes) > tolerance:
                    continue
                if len(present & m.participants) < min(2, len(m.participants)):
                    continue
                if start and m.start_time and start != m.start_time:
                    continue
                if day is not None:
                    if (
                        not day - datetime.timedelta(days=14)
                        <= m.day
                        <= day + datetime.timedelta(days=1)
                    ):
                        continue
                elif rounds and m.round_id not in rounds:
                    continue
                fits.append(m)
            if day is None and not rounds and len(fits) > 1:
                fits = []
            if len(fits) > 1 and start is None:
                exact = [m for m in fits if m.duration == minutes]
                fits = exact if len(exact) == 1 else fits
            if not fits:
                out.unresolved.append(
                    {"kind": "meeting", "mention": match.group(0).strip(), "evidence": sentence}
                )
            for m in fits:
                mention = match.group(0).strip()
                out.add(
                    Suggestion(
                        "meeting", m.id, m.slug, sentence, f"'{mention}'", "duration", (mention,)
                    )
                )
