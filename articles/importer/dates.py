"""Dates as pages print them, made time-zone aware only when the page states the zone.

Forms handled: " date 2025-05-30", "2025/06/29 21:31 KST", "April 30, 2025 at 18:46 JST",
"12:29 JST, August 28, 2025", "30 April 2025", "Aug. 28, 2025 10:12 AM GMT+9",
"2025年8月28日 12時29分", "2025年7月23日午後2時半", "令和7年7月23日" (a Japanese era
year: Reiwa 7 is 2025), "Tue 8 Jul 2025 18.30 BST", "9 de sep de 2025 6:39". A date without a
year ("7月23日", "7/23(水)") is no date: the year is never guessed.

A zone is stated by its abbreviation, an offset, or its name in Japanese or Korean ("日本時間",
"한국시간"). A Japanese date line that gives a time without any of these ("2025年6月28日 21時15分")
keeps its time unzoned like any other: a Japanese-language page is no statement that the time is
Tokyo's (a Washington dispatch may give Washington's time).

A page that gives a day but no time of day (or a time without a zone) yields a date-only
result. `to_aware` stores such a day at 12:00 UTC, the instant that falls on the same calendar
day from UTC-11 to UTC+11 (Tokyo, Seoul, London, Washington alike); the import report records
that the time of day was not stated.
"""

from __future__ import annotations

import datetime
import re
import zoneinfo
from dataclasses import dataclass

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
} | {
    # French, Spanish and German month names, for pages in those languages.
    name: number
    for number, names in enumerate(
        [
            ("janvier", "enero", "januar"),
            ("février", "fevrier", "febrero", "februar"),
            ("mars", "marzo", "märz"),
            ("avril", "abril"),
            ("mai", "mayo"),
            ("juin", "junio", "juni"),
            ("juillet", "julio", "juli"),
            ("août", "aout", "agosto"),
            ("septembre", "septiembre"),
            ("octobre", "octubre", "oktober"),
            ("novembre", "noviembre"),
            ("décembre", "decembre", "diciembre", "dezember"),
        ],
        start=1,
    )
    for name in names
}

# Abbreviations that name one zone. "CST" and "IST" name several, so they are not here.
ZONES = {
    "JST": "Asia/Tokyo",
    "KST": "Asia/Seoul",
    "UTC": "UTC",
    "GMT": "UTC",
    "Z": "UTC",
    "EST": "America/New_York",
    "EDT": "America/New_York",
    "ET": "America/New_York",
    "PST": "America/Los_Angeles",
    "PDT": "America/Los_Angeles",
    "PT": "America/Los_Angeles",
    "BST": "Europe/London",
    "CET": "Europe/Paris",
    "CEST": "Europe/Paris",
    "HKT": "Asia/Hong_Kong",
    "SGT": "Asia/Singapore",
    "AEST": "Australia/Sydney",
    "AEDT": "Australia/Sydney",
}

# Zones named in words, as Japanese and Korean pages state them.
NAMED_ZONES = {
    "日本時間": "Asia/Tokyo",
    "東京時間": "Asia/Tokyo",
    "韓国時間": "Asia/Seoul",
    "ソウル時間": "Asia/Seoul",
    "한국시간": "Asia/Seoul",
    "한국 시간": "Asia/Seoul",
    "米東部時間": "America/New_York",
    "米東部夏時間": "America/New_York",
}
# Japanese eras: the year before an era's first year, and the era's first and last day.
ERAS = {
    "令和": (2018, datetime.date(2019, 5, 1), datetime.date.max),
    "平成": (1988, datetime.date(1989, 1, 8), datetime.date(2019, 4, 30)),
}

_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|janvier|f[ée]vrier|mars|avril|"
    r"mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre|enero|febrero|marzo|abril|"
    r"mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|januar|februar|m[äa]rz|juni|"
    r"juli|oktober|dezember)\.?"
)
_I = re.IGNORECASE
ISO_DATE = re.compile(r"(?<!\d)(?P<year>20\d\d|19\d\d)[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)")
# A year ends at a word boundary, or runs into the time as some pages paste it ("20256:42 AM").
_YEAR_END = r"(?:\b|(?=\d{1,2}:\d\d))"
MDY_DATE = re.compile(
    r"\b" + _MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})" + _YEAR_END, _I
)
# The day may run on from a name, as some pages paste a credit and its date: "Cryptopolitan9 de
# sep de 2025 6:39" (Spanish, "de" before the month and the year).
DMY_DATE = re.compile(
    # The day starts a word, or runs on from a name only before "de" ("Cryptopolitan9 de
    # sep"): "COP30 November 2025" and "G7 June 2025" state no day.
    r"(?:\b|(?<=[^\W\d_])(?=\d{1,2}\s+de\s))(?P<d>\d{1,2})(?:st|nd|rd|th|er|\.)?\s+(?:de\s+)?"
    + _MONTH
    + r",?\s+(?:de\s+)?(?P<year>\d{4})"
    + _YEAR_END,
    _I,
)
JA_DATE = re.compile(r"(?P<year>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
JA_ERA_DATE = re.compile(
    r"(?P<era>令和|平成)\s*(?P<year>\d{1,2}|元)\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"
)
TIME = re.compile(
    r"(?:(?<![\d:])|(?<=(?:19|20)\d\d))(?P<h>\d{1,2}):(?P<mi>\d{2})(?::\d{2})?(?:\s*(?P<ampm>[ap])\.?\s?m\b\.?)?(?![\d:])",
    _I,
)
# "14時30分", "午後2時半", "午前0時": not "24時間" (a duration).
JA_TIME = re.compile(
    r"(?:(?P<ampm>午前|午後)\s*)?(?<!\d)(?P<h>\d{1,2})\s*時(?!間)(?:\s*(?P<mi>\d{1,2})\s*分|(?P<half>半))?"
)
# "18.30 BST", "6.30pm": a time with a dot counts only beside a zone or a.m./p.m.
DOTTED_TIME = re.compile(
    r"(?<![\d.])(?P<h>\d{1,2})\.(?P<mi>\d{2})(?:\s*(?P<ampm>[ap])\.?\s?m\b\.?|"
    r"(?=\s*(?:JST|KST|UTC|GMT|EST|EDT|ET|PST|PDT|PT|BST|CET|CEST|HKT|SGT|AEST|AEDT)\b))",
    _I,
)
ZONE = re.compile(
    r"(?<![A-Za-z])(?:(?P<abbr>JST|KST|UTC|GMT|EST|EDT|ET|PST|PDT|PT|BST|CET|CEST|HKT|SGT|AEST|AEDT)"
    r"(?:\s*(?P<sign>[+-])\s*(?P<oh>\d{1,2})(?::?(?P<om>\d{2}))?|(?![A-Za-z])))|"
    r"(?P<named>" + "|".join(NAMED_ZONES) + r")"
)
# What every full date holds: a four-digit year, or the era of one (令和7年).
YEAR_OR_ERA = re.compile(r"\d{4}|令和|平成")
OFFSET = re.compile(r"(?<=\d)(?P<sign>[+-])(?P<oh>\d{2}):?(?P<om>\d{2})\b")


@dataclass(frozen=True)
class PageDate:
    """A date found in a line: the day, the time where stated, and the zone where stated."""

    day: datetime.date
    time: datetime.time | None
    zone: datetime.tzinfo | None
    zone_label: str
    start: int
    end: int

    @property
    def has_time(self) -> bool:
        return self.time is not None and self.zone is not None

    def to_aware(self) -> datetime.datetime:
        """The instant to store: exact where time and zone are stated, else the day at noon UTC."""
        if self.time is not None and self.zone is not None:
            return datetime.datetime.combine(self.day, self.time, tzinfo=self.zone)
        return datetime.datetime.combine(self.day, datetime.time(12, 0), tzinfo=datetime.UTC)

    def describe(self) -> str:
        if self.has_time:
            return self.to_aware().isoformat()
        if self.time is not None:
            return f"{self.day.isoformat()} (time {self.time:%H:%M} stated without a time zone)"
        return f"{self.day.isoformat()} (no time of day stated)"


def _day(year: str, month: int, day: str) -> datetime.date | None:
    try:
        return datetime.date(int(year), month, int(day))
    except ValueError:
        return None


def _apart(
    line: str, offset: int, time: tuple[int, int], zone: tuple[int, int], day: tuple[int, int]
) -> bool:
    """Does something other than the date (another number, a parenthesis) stand between the
    time and the zone, so that the zone is not this time's?"""
    (t_start, t_end), (z_start, z_end) = time, zone
    lo, hi = (t_end, z_start) if t_end <= z_start else (z_end, t_start)
    lo, hi = offset + lo, offset + hi
    between = line[lo:hi]
    if lo <= day[0] and day[1] <= hi:
        between = line[lo : day[0]] + " " + line[day[1] : hi]
    rest = between.strip(" ,、\u3000")
    if rest in ("", "(", "（"):
        # Right beside the time, unless another day or time follows the zone:
        # "(米東部時間22日午後9時30分)", "(ET 9:30 p.m.)".
        after = line[offset + z_end :]
        return t_end <= z_start and bool(re.match(r"\s*\d{1,2}\s*(?:日|時|[:.]\d)", after))
    return bool(re.search(r"\d|[(（]", rest))


def _zone(text: str) -> tuple[datetime.tzinfo | None, str, int, int]:
    match = ZONE.search(text)
    if match:
        if match.group("named"):
            zone = zoneinfo.ZoneInfo(NAMED_ZONES[match.group("named")])
            return zone, match.group(0), match.start(), match.end()
        if match.group("sign"):
            hours, minutes = int(match.group("oh")), int(match.group("om") or 0)
            if hours > 14 or minutes > 59:
                return None, "", -1, -1
            delta = datetime.timedelta(hours=hours, minutes=minutes)
            offset = delta if match.group("sign") == "+" else -delta
            return datetime.timezone(offset), match.group(0), match.start(), match.end()
        return (
            zoneinfo.ZoneInfo(ZONES[match.group("abbr").upper()]),
            match.group(0),
            match.start(),
            match.end(),
        )
    offset_match = OFFSET.search(text)
    if offset_match:
        hours, minutes = int(offset_match.group("oh")), int(offset_match.group("om"))
        if hours <= 14 and minutes <= 59:
            delta = datetime.timedelta(hours=hours, minutes=minutes)
            offset = delta if offset_match.group("sign") == "+" else -delta
            return (
                datetime.timezone(offset),
                offset_match.group(0),
                offset_match.start(),
                offset_match.end(),
            )
    return None, "", -1, -1


def _time(text: str) -> tuple[datetime.time | None, int, int]:
    for pattern in (TIME, JA_TIME, DOTTED_TIME):
        match = pattern.search(text)
        if not match:
            continue
        groups = match.groupdict()
        hour = int(groups["h"])
        minute = 30 if groups.get("half") else int(groups["mi"] or 0)
        ampm = groups.get("ampm")
        if ampm:
            # Japanese counts from 0 (午前0時 is midnight, 午後0時 noon); English from 12.
            if not (0 if ampm in ("午前", "午後") else 1) <= hour <= 12:
                continue
            hour = hour % 12 + (12 if ampm in ("午後", "p", "P") else 0)
        if hour > 23 or minute > 59:
            continue
        return datetime.time(hour, minute), match.start(), match.end()
    return None, -1, -1


def find_date(line: str) -> PageDate | None:
    """The first full date (with a year) in `line`, with the time and zone stated beside it."""
    if not YEAR_OR_ERA.search(line):  # no year, no full date
        return None
    found: list[tuple[int, int, datetime.date]] = []
    for pattern in (ISO_DATE, JA_DATE):
        for match in pattern.finditer(line):
            day = _day(match.group("year"), int(match.group("m")), match.group("d"))
            if day:
                found.append((match.start(), match.end(), day))
    for match in JA_ERA_DATE.finditer(line):
        before_first, first_day, last_day = ERAS[match.group("era")]
        era_year = 1 if match.group("year") == "元" else int(match.group("year"))
        day = _day(str(before_first + era_year), int(match.group("m")), match.group("d"))
        if day and first_day <= day <= last_day:
            found.append((match.start(), match.end(), day))
    for pattern in (MDY_DATE, DMY_DATE):
        for match in pattern.finditer(line):
            month = MONTHS.get(match.group("month").lower().rstrip("."))
            day = _day(match.group("year"), month, match.group("d")) if month else None
            if day:
                found.append((match.start(), match.end(), day))
    if not found:
        return None
    start, end, day = min(found)
    # The time and zone must sit beside the date, not in some other sentence of the line.
    window_start, window_end = max(0, start - 40), min(len(line), end + 40)
    window = line[window_start:window_end]
    time, t_start, t_end = _time(window)
    zone, label, z_start, z_end = _zone(window)
    if (
        time is not None
        and zone is not None
        and _apart(line, window_start, (t_start, t_end), (z_start, z_end), (start, end))
    ):
        # "10時30分 (米東部時間22日午後9時30分)": the zone belongs to another time.
        zone, label = None, ""
    span_start, span_end = start, end
    if time is not None:
        span_start, span_end = (
            min(span_start, window_start + t_start),
            max(span_end, window_start + t_end),
        )
    if zone is not None:
        span_start, span_end = (
            min(span_start, window_start + z_start),
            max(span_end, window_start + z_end),
        )
    return PageDate(day, time, zone, label, span_start, span_end)
