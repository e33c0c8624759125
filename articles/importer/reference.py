"""One snapshot per import run of what pages are matched against: a handful of queries in all.

Sources (outlets and wires with their aliases), officials with their aliases, rounds, meetings
with their participants, and tariff measures. Matching a page then runs in memory, so the number
of queries does not grow with the number of lines, names or mentions on a page.
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass, field
from decimal import Decimal

from articles.importer import vocabulary as v
from articles.models import Source
from negotiations.models import Meeting, Official, Round, TariffMeasure

DOMAIN_END = re.compile(r"\.[a-z]{2,4}$")
# The only characters beyond ASCII that re's case-insensitive matching takes for an ASCII one.
RE_ASCII_FOLDS = {ord("\u0130"): "i", ord("\u0131"): "i", ord("\u017f"): "s", ord("\u212a"): "k"}


@dataclass(frozen=True)
class SourceRef:
    id: int
    slug: str
    name: str
    kind: str
    names: tuple[str, ...]
    domain: str


@dataclass(frozen=True)
class OfficialRef:
    id: int
    slug: str
    name: str
    spellings: tuple[str, ...]


@dataclass(frozen=True)
class RoundRef:
    id: int
    number: int
    start: datetime.date
    end: datetime.date


@dataclass(frozen=True)
class MeetingRef:
    id: int
    slug: str
    round_id: int | None
    day: datetime.date
    start_time: datetime.time | None
    duration: int | None
    approximate: bool
    participants: frozenset[int]


@dataclass(frozen=True)
class MeasureRef:
    id: int
    slug: str
    scope: str
    rate: Decimal
    application: str
    effective_on: datetime.date | None
    ends_on: datetime.date | None
    announced_on: datetime.date | None

    def in_force_on(self, day: datetime.date) -> bool:
        return (
            self.effective_on is not None
            and self.effective_on <= day
            and (self.ends_on is None or self.ends_on > day)
        )


@dataclass
class Reference:
    sources: list[SourceRef] = field(default_factory=list)
    officials: list[OfficialRef] = field(default_factory=list)
    rounds: list[RoundRef] = field(default_factory=list)
    meetings: list[MeetingRef] = field(default_factory=list)
    measures: list[MeasureRef] = field(default_factory=list)

    def source_names(self) -> list[str]:
        return [name for source in self.sources for name in source.names]

    def sources_in(self, text: str) -> list[tuple[SourceRef, bool]]:
        """Sources named in `text`, in order of appearance; True where named as a web domain."""
        found: list[tuple[int, SourceRef, bool]] = []
        # A cheap look for the name's plain text first: none there, no match possible. For an
        # ASCII name, case is ignored as re ignores it (`RE_ASCII_FOLDS`, then lower case).
        lowered = text.lower() if text.isascii() else text.translate(RE_ASCII_FOLDS).lower()
        for source in self.sources:
            names, domain = self._patterns(source)
            best: tuple[int, bool] | None = None
            for pattern, as_domain, needle, folded in names:
                if needle is not None and needle not in (lowered if folded else text):
                    continue
                match = pattern.search(text)
                if match and (best is None or match.start() < best[0]):
                    best = (match.start(), as_domain)
            if domain is not None:
                pattern, _, needle, folded = domain
                if (needle is None or needle in (lowered if folded else text)) and pattern.search(
                    text
                ):
                    best = (best[0] if best else text.lower().find(source.domain), True)
            if best is not None:
                found.append((best[0], source, best[1]))
        return [(source, as_domain) for _, source, as_domain in sorted(found, key=lambda x: x[0])]

    def _patterns(self, source: SourceRef) -> SourcePatterns:
        """`_source_patterns(source)`, remembered by this snapshot for the source object itself
        (hashing a frozen `SourceRef` on every look-up cost more than the look-up)."""
        memo: dict[int, tuple[SourceRef, SourcePatterns]] = self.__dict__.setdefault(
            "_pattern_memo", {}
        )
        entry = memo.get(id(source))
        if entry is None or entry[0] is not source:
            entry = memo[id(source)] = (source, _source_patterns(source))
        return entry[1]


# A compiled name, whether it names a web domain, and the plain text that must occur for it to
# match (None: no cheap check) and whether to look for that text in the case-folded line.
NamePattern = tuple[re.Pattern[str], bool, str | None, bool]
SourcePatterns = tuple[list[NamePattern], NamePattern | None]


def _needle(literal: str, pattern: re.Pattern[str]) -> tuple[str | None, bool]:
    """What `sources_in` looks for before running `pattern` (`literal`, escaped, between
    lookarounds): the literal itself when case matters; for an ASCII name matched ignoring case,
    its lower case in the folded line (`RE_ASCII_FOLDS`, then lower case); else no check."""
    if not pattern.flags & re.IGNORECASE:
        return literal, False
    if literal.isascii():
        return literal.lower(), True
    return None, True


@functools.lru_cache(maxsize=4096)
def _source_patterns(source: SourceRef) -> SourcePatterns:
    """The compiled patterns `Reference.sources_in` looks for one source by, built once per
    source (keyed on the frozen `SourceRef` itself, so a changed source gets its own)."""
    names: list[NamePattern] = []
    for name in source.names:
        pattern = re.compile(
            r"(?<![\w.])" + re.escape(name) + r"(?![\w])",
            0 if (name.isupper() and len(name) <= 4) else re.IGNORECASE,
        )
        names.append(
            (pattern, "." in name and bool(DOMAIN_END.search(name)), *_needle(name, pattern))
        )
    domain: NamePattern | None = None
    if source.domain:
        pattern = re.compile(r"(?<![\w.])" + re.escape(source.domain) + r"\b", re.IGNORECASE)
        domain = (pattern, True, *_needle(source.domain, pattern))
    return names, domain


def _domain(url: str) -> str:
    match = re.match(r"https?://(?:www\.)?([^/]+)", url or "")
    return match.group(1).lower() if match else ""


def load_reference() -> Reference:
    """Read the reference once: five queries for sources, officials and aliases, rounds,
    meetings with participants (two), and measures."""
    sources = [
        SourceRef(
            id=source.pk,
            slug=source.slug,
            name=source.name,
            kind=source.kind,
            names=tuple(
                dict.fromkeys(
                    v.normalise(name)
                    for name in [source.name, *(source.aliases or [])]
                    if isinstance(name, str) and v.normalise(name)
                )
            ),
            domain=_domain(source.url),
        )
        for source in Source.objects.all()
    ]
    officials = [
        OfficialRef(
            id=official.pk,
            slug=official.slug,
            name=official.name,
            spellings=tuple(
                dict.fromkeys([official.name, *(alias.alias for alias in official.aliases.all())])
            ),
        )
        for official in Official.objects.prefetch_related("aliases")
    ]
    rounds = [
        RoundRef(id=r.pk, number=r.number, start=r.start_date, end=r.end_date or r.start_date)
        for r in Round.objects.all()
    ]
    meetings = [
        MeetingRef(
            id=m.pk,
            slug=m.slug,
            round_id=m.round_id,
            day=m.start_date,
            start_time=m.start_time,
            duration=m.duration_minutes,
            approximate=m.duration_approximate,
            participants=frozenset(p.pk for p in m.participants.all()),
        )
        for m in Meeting.objects.prefetch_related("participants")
    ]
    measures = [
        MeasureRef(
            id=m.pk,
            slug=m.slug,
            scope=m.product_scope,
            rate=m.rate_percent,
            application=m.rate_application,
            effective_on=m.effective_on,
            ends_on=m.ends_on,
            announced_on=m.announced_on,
        )
        for m in TariffMeasure.objects.all()
    ]
    return Reference(sources, officials, rounds, meetings, measures)
