"""What a line of a page is by itself: its shape, and the furniture vocabulary it matches.

`classify_alone` looks at one line without its neighbours; the segmenter then places the lines
it cannot settle this way by their position (above the body, in it, after it, in the comments).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from articles.importer import vocabulary as v
from articles.importer.dates import find_date


class LineClass(StrEnum):
    """The one class every line gets. METADATA lines say which kind in `extra["kind"]` (date,
    byline, dateline, section, outlet, masthead, wire, credits); COMMENT lines their role (text,
    author, tally); CHROME lines the reason (menu, comment counter, related list, notice...).
    BLANK is a line with no visible text."""

    HEADLINE = "headline"
    METADATA = "metadata"
    CAPTION = "caption"
    CREDIT = "credit"
    REPORTING = "reporting"
    COMMENT = "comment"
    COMMENT_QUOTE = "comment_quote"
    COPYRIGHT = "copyright"
    CHROME = "chrome"
    BLANK = "blank"


C = LineClass
NOISE = re.compile(
    r"\b(?:date|dated|published|posted|updated|last updated|first published|modified|at|on|"
    r"\d{1,3} (?:minutes?|mins?|hours?|days?) ago)\b|公開|更新|配信|[|,:：·•–—-]",
    re.IGNORECASE,
)


# A sentence, then "© Reuters" without a year or "rights reserved": a photo's credit.
PHOTO_COPYRIGHT = re.compile(
    r"(?<=[.!?。”\"')）])\s*©\s*(?P<credit>(?:(?!\b(?:19|20)\d\d\b|rights|reserved|©).){2,40}?)"
    r"\s*$",
    re.IGNORECASE,
)
# "(Kyodo)", "[Reuters]": a name in brackets on a line of its own.
PARENTHESISED = re.compile(r"[(（\[](?P<name>[^()（）\[\]]{2,40})[)）\]]")
# "Kyodo News | World": a name, a bar, then more.
LED_BY_NAME = re.compile(r"(?P<name>[^|/–—-]{2,40}?)\s+(?:[|/–—-])\s+")
# The same mark (or "(c)") closing a paragraph of the story itself: wire copy's last paragraph.
CLOSING_CREDIT = re.compile(
    r"(?<=[.!?。”\"')）」])\s*(?:©|\(c\)|（c）)\s*"
    r"(?P<credit>(?:(?!\b(?:19|20)\d\d\b|rights|reserved|©).){2,30}?)\s*$",
    re.IGNORECASE,
)
# "Asahi Shimbun4 days ago", "KYODO NEWS · 3 hours ago": a source's name and the story's age.
TIMED_CREDIT = re.compile(
    r"^(?P<name>.{2,40}?)\s*(?:[|·•–—-]\s*)?\d{1,3}\s*(?:minutes?|mins?|hours?|days?|weeks?)"
    r"\s+ago$",
    re.IGNORECASE,
)
# "Posted on July 24, 2025 by Daniel Okafor": the names after "by" in a date line.
BY_NAMES = re.compile(
    r"\b[Bb]y\s+(?P<names>[A-Z][\w.'’-]*(?:\s+(?:and\s+|&\s+)?[A-Z][\w.'’-]*){0,7})(?=\s*(?:[|,·•–—-]|$))"
)


AGO = re.compile(r"\b\d{1,3} (?:minutes?|mins?|hours?|days?) ago\b", re.I)
COPYRIGHT_C = re.compile(r"\(c\)|（c）", re.IGNORECASE)
COPYRIGHT_OPENING = re.compile(r"(?:copyrights?|\[copyright)\b", re.IGNORECASE)
RIGHTS_RESERVED = re.compile(
    r"all rights reserved|no reproduction|reproduction (?:is )?prohibited|無断(?:転載|複製)",
    re.IGNORECASE,
)
TRAILING_COUNTER = re.compile(r"\s+(\d{1,4})$")
TRAILING_YEAR = re.compile(r"(?:19|20)\d\d$")
LICENCE_LEAD = re.compile(r"^(?:by|photo(?: by)?|image(?: by)?)\s*:?\s*", re.I)
GALLERY_WORDS = re.compile(r"click|enlarge|gallery", re.I)


# The shape predicates below are pure functions of one line, asked of the same line by the rules
# and again by the line model's features: each remembers the answers for a page's lines.
LINE_CACHE = 4096


def words(s: str) -> list[str]:
    return s.split()


@functools.lru_cache(maxsize=LINE_CACHE)
def is_cjk(s: str) -> bool:
    if s.isascii():  # no CJK character is ASCII
        return False
    return len(v.CJK.findall(s)) >= max(4, len(s) * 0.3)


@functools.lru_cache(maxsize=LINE_CACHE)
def ends_sentence(s: str) -> bool:
    core = s.rstrip("".join(v.CLOSING_QUOTES))
    if not core:
        return False
    if core.endswith(("。", "！", "？")):
        return True
    if core.endswith(".") and not v.ABBREVIATION_END.search(core):
        return True
    return core.endswith(("!", "?")) and len(words(s)) >= 12


@functools.lru_cache(maxsize=LINE_CACHE)
def reporting_like(s: str) -> bool:
    """Does the line read as running prose rather than a label, a title or a widget?"""
    if is_cjk(s):
        # Japanese prose has full stops; a headline ending in a quotation 「…」 has none.
        return (len(s) >= 25 and "。" in s) or len(s) >= 80
    if not any(ch.islower() for ch in s):
        return False
    count = len(words(s))
    return count >= 20 or (count >= 8 and ends_sentence(s))


def story_paragraph(s: str) -> bool:
    """Prose too long for a photo's caption: a paragraph of the story (30 words, or two
    Japanese sentences)."""
    if is_cjk(s):
        return s.count("。") >= 2 and len(s) >= 60
    return reporting_like(s) and len(words(s)) >= 30


@functools.lru_cache(maxsize=LINE_CACHE)
def title_like(s: str) -> bool:
    if v.URL_ONLY.match(s) or s.endswith((":", "：")):
        return False
    if is_cjk(s):
        return 8 <= len(s) <= 120 and "。" not in s[:-1]
    if " | " in s or AGO.search(s):
        return False  # "KYODO NEWS - 7 hours ago | World" is a credit line, not a title
    count = len(words(s))
    return 4 <= count <= 30 and any(ch.islower() for ch in s) and not reporting_like(s)


@functools.lru_cache(maxsize=LINE_CACHE)
def short_label(s: str) -> bool:
    if len(v.CJK.findall(s)) >= 4 and len(s) > 12:
        return False  # a Japanese menu item is a word or two; a line this long is a title
    return len(s) <= 30 and len(words(s)) <= 3 and not ends_sentence(s) and not v.URL_ONLY.match(s)


# What stands in a headline's place without being one, each with the reason the report gives.
NOT_A_HEADLINE = (
    (re.compile(r"^[•·●○▪▫■□◆◇►▶▸‣∙*✓✔]\s*|^[-–]\s+"), "a bullet of a summary or key points"),
    (
        re.compile(
            r"^(?:get all your news|your support|support (?:us|our|independent|quality)|help us|"
            r"donate|subscribe|sign up|become a (?:member|subscriber|supporter)|join (?:us|our)|"
            r"we (?:need|rely on) (?:your|readers)|please (?:support|consider|donate)|"
            r"(?:\d[\d,]*|hundreds|100)['’]?s? of premium titles)",
            re.I,
        ),
        "an appeal or a promotion",
    ),
    (
        re.compile(
            r"\b(?:sponsored|promoted|paid (?:content|post|partnership)|partner content|"
            r"advertorial)\b|^(?:pr|ad|広告)\s*[:：|]|^[【\[](?:pr|広告)[】\]]",
            re.I,
        ),
        "a sponsored block",
    ),
    (
        re.compile(
            r"^this (?:site|website|web ?page|page|archive)\b (?:is|was|displays|uses|contains|"
            r"may|provides|shows|has)\b",
            re.I,
        ),
        "a notice about the site",
    ),
    # "赤沢亮正 経済再生担当大臣": a name and a post, the label over a quote.
    (
        re.compile(
            r"^[^\s、。「」]{2,8}\s+[^\s、。「」]{0,12}(?:大臣|長官|首相|大統領|知事|委員長|代表|"
            r"総裁|幹事長|報道官|補佐官)$"
        ),
        "a name and a post (a speaker's label)",
    ),
    # A sentence's middle cut out by the page's line breaks ("the foundation for a new era of").
    (re.compile(r"^[a-z]{2,}\b(?![.\-])"), "starts in the middle of a sentence"),
)
# "JUN YAMAZAKI, CHIHIRO UCHIYAMA and RYOHEI YASOSHIMA": names only, in capitals.
_NAME = r"[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){1,3}"
AUTHOR_LIST = re.compile(r"^" + _NAME + r"(?:(?:,| and| &|, and) " + _NAME + r")+$")


def not_a_headline(text: str) -> str:
    """Why `text` cannot be a headline though it may stand in one's place, or "" when it may be
    one (for the segmenter's placing of the headline and for the metadata's check of it)."""
    for pattern, reason in NOT_A_HEADLINE:
        if pattern.search(text):
            return reason
    if v.APPEAL_WORDS.search(text) or v.CHROME_OPENING.match(text):
        return "an appeal or a promotion"
    if AUTHOR_LIST.match(text) or v.ROLE_BYLINE.match(text) or v.BYLINE.match(text):
        return "a list of authors"
    return ""


class SourceNames:
    """Known outlet and wire names (and aliases), for mastheads. Empty when none are known."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = {self.key(name) for name in names if name and name.strip()}

    @staticmethod
    def key(name: str) -> str:
        key = v.normalise(name).casefold()
        return key[4:] if key.startswith("the ") else key

    def is_masthead(self, s: str) -> bool:
        return self.key(s) in self.names

    def strip(self, s: str) -> str:
        lowered = s.casefold()
        for name in sorted(self.names, key=len, reverse=True):
            lowered = lowered.replace(name, " ")
        return lowered


# The credit patterns, each with the marks a line needs for it to match (one of them).
CREDIT_PATTERNS = (
    (v.CREDIT_MARKER, (":", "：")),
    (v.CREDIT_AGENCY, ("/", "Getty Images", "AP Photo")),
    (v.CREDIT_BAR, ("|",)),
)
# A copyright mark, "©" or "(c)" in either width and case (what CLOSING_CREDIT and
# PHOTO_COPYRIGHT need).
MARKS_C = ("©", "(c)", "(C)", "（c）", "（C）")
ALNUM = re.compile(r"[^\W_]")  # what str.isalnum() takes, as one C-level search


def _credit_of(s: str) -> tuple[str, str] | None:
    """(caption text, credit) when the line carries a photo credit."""
    if s[-3:].lower() in ("tab", "hts"):  # "… opens new tab", "purchase licensing rights"
        s = v.LINK_LABELS.sub("", s)
    # Each pattern only where the mark it needs is in the line: most lines carry none of them.
    for pattern, marks in CREDIT_PATTERNS:
        if not any(mark in s for mark in marks):
            continue
        match = pattern.search(s)
        if match and match.group("credit").strip():
            return s[: match.start()].strip(), match.group("credit").strip()
    match = v.CREDIT_PARENS.search(s) if s.endswith((")", "）")) else None
    if (
        match
        and not v.PRESS_WORDS.search(match.group("credit"))
        and not GALLERY_WORDS.search(match.group("credit"))
        and len(s) <= 300
    ):
        return s[: match.start() + 1].strip(), match.group("credit").strip()
    match = v.JA_CAPTION_CREDIT.search(s) if "=" in s or "＝" in s else None
    if match and "。" not in s and len(s) <= 200:
        return s[: match.start()].strip(), match.group("credit").split("、")[-1].strip()
    return None


def classify_alone(s: str, sources: SourceNames) -> tuple[str, dict[str, Any]] | None:
    """What a non-blank line is by itself, or None when only its position can tell."""
    if v.TALLY.match(s):
        return C.CHROME, {"reason": "vote tally outside a comment area"}
    counter = v.COMMENT_COUNTER.match(s)
    if counter:
        stated = next(g for g in counter.groups() if g is not None)
        count = 1 if stated.casefold() == "one" else int(stated.replace(",", ""))
        return C.CHROME, {"reason": "comment counter", "count": count}
    if v.EMPTY_COMMENT_WIDGET.match(s) or v.COMMENT_OPENER.match(s):
        return C.CHROME, {"reason": "comment widget"}
    if v.URL_ONLY.match(s):
        return C.CHROME, {"reason": "bare link"}
    if not ALNUM.search(s):
        return C.CHROME, {"reason": "separator"}
    marked = any(mark in s for mark in MARKS_C)
    closing = CLOSING_CREDIT.search(s) if marked else None
    if closing and story_paragraph(s[: closing.start()]):
        # "... without any political message. © KYODO", "...勝利となる。(c)AFP": the story's last
        # paragraph with the agency's mark; what follows it is no longer the story.
        return C.REPORTING, {"wire": closing.group("credit").strip(), "closing": closing.group(0)}
    photo_mark = PHOTO_COPYRIGHT.search(s) if "©" in s else None
    if photo_mark and len(words(s[: photo_mark.start()])) >= 8:
        # "... during the prolonged tariff talks.  © Reuters": a caption and its photo's credit.
        credit = "© " + photo_mark.group("credit").strip()
        return C.CAPTION, {"caption": s[: photo_mark.start()].strip(), "credit": credit}
    if len(s) <= 200 and (
        "©" in s or COPYRIGHT_C.search(s) or COPYRIGHT_OPENING.match(s) or RIGHTS_RESERVED.search(s)
    ):
        counter_match = TRAILING_COUNTER.search(s)
        extra: dict[str, Any] = {}
        if counter_match and not TRAILING_YEAR.search(s):
            extra["trailing_chrome"] = counter_match.group(1)
            extra["copyright"] = s[: counter_match.start()].strip()
        return C.COPYRIGHT, extra
    credits = v.CREDITS_LINE.match(s) or v.CONTRIBUTED.match(s)
    if credits:
        return C.METADATA, {"kind": "credits", "value": credits.group("credits").strip()}
    if v.LICENCE.search(s) and len(s) <= 200:
        credit = LICENCE_LEAD.sub("", s)
        return C.CREDIT, {"credit": credit.strip()}
    if v.CAPTION_OPENING.match(s) or (v.SLIDE_COUNTER.match(s) and _credit_of(s)):
        credited = _credit_of(s)
        caption, credit = credited if credited else (s, "")
        caption = v.SLIDE_COUNTER.sub("", caption)
        if not caption or v.CAPTION_OPENING.fullmatch(caption + ":"):
            return C.CREDIT, {"credit": credit or s}
        return C.CAPTION, {"caption": caption, "credit": credit}
    credited = _credit_of(s)
    if credited:
        caption, credit = credited
        if len(words(caption)) >= 3 or is_cjk(caption):
            return C.CAPTION, {"caption": caption, "credit": credit}
        return C.CREDIT, {"credit": credit}
    parenthesised = PARENTHESISED.fullmatch(s)
    if parenthesised and (
        sources.is_masthead(parenthesised.group("name"))
        or v.PRESS_WORDS.search(parenthesised.group("name"))
    ):
        return C.METADATA, {"kind": "wire", "value": parenthesised.group("name")}
    byline = v.BYLINE.match(s)
    if byline and len(words(s)) <= 14:
        names = byline.group("names")
        role = v.BYLINE_ROLE.search(names)
        extra = {"kind": "byline", "value": names[: role.start() if role else None].strip(" ,")}
        org = byline.group("org") or (names[role.start() :] if role else "")
        if org.strip(" ,"):
            extra["org"] = org.strip(" ,")
        return C.METADATA, extra
    role_byline = v.ROLE_BYLINE.match(s)
    if role_byline and len(words(s)) <= 10:
        org = (role_byline.group("org") + role_byline.group("role")).strip()
        return C.METADATA, {"kind": "byline", "value": role_byline.group("names"), "org": org}
    if sources.is_masthead(s):
        return C.METADATA, {"kind": "outlet", "value": s}
    led = LED_BY_NAME.match(s)
    if led and sources.is_masthead(led.group("name")) and not reporting_like(s):
        return C.METADATA, {"kind": "wire", "value": s}
    timed = TIMED_CREDIT.match(s)
    if timed and sources.is_masthead(timed.group("name")):
        # "Asahi Shimbun4 days ago": a known source's credit with the story's age.
        return C.METADATA, {"kind": "wire", "value": s}
    date = find_date(s)
    if date is not None and not reporting_like(s):
        rest = s[: date.start] + " " + s[date.end :]
        by = BY_NAMES.search(rest)
        if by:
            rest = rest[: by.start()] + " " + rest[by.end() :]
        rest = NOISE.sub(" ", sources.strip(rest))
        if len(words(rest)) <= 4:
            outlet = v.normalise(s[date.end :]) if sources.is_masthead(s[date.end :]) else ""
            extra = {"kind": "date", "value": s, "outlet": outlet}
            if by:
                extra["byline"] = by.group("names")
            return C.METADATA, extra
    if v.RELATIVE_TIME.match(s):
        return C.CHROME, {"reason": "relative time"}
    if v.CHROME_LINE.match(s):
        related = re.match(
            r"(?:related|see also|more from|more stories|recommended|you|most|read (?:more|next)|"
            r"popular|trending|latest(?! posts by)|top stories|editor|関連|おすすめ|人気|"
            r"アクセス|ランキング|.{2,20}popular|.{2,20}access ranking)",
            s,
            re.I,
        )
        if not related:
            return C.CHROME, {"reason": "page furniture"}
        # The site's own lists (most read, trending, rankings) close a story; "Related" and
        # "Read more" boxes may also sit inside one.
        page_list = re.match(
            r"(?:most|popular|trending|latest|top stories|editor|人気|アクセス|ランキング|"
            r".{2,20}popular|.{2,20}access ranking)",
            s,
            re.I,
        )
        return C.CHROME, {"reason": "related list", **({"page_list": True} if page_list else {})}
    if len(s) <= 400 and (
        v.CHROME_OPENING.match(s) or (v.APPEAL_WORDS.search(s) and v.APPEAL_CONTEXT.search(s))
    ):
        return C.CHROME, {"reason": "appeal or notice"}
    if len(s) <= 200 and v.NEWSLETTER.search(s):
        return C.CHROME, {"reason": "newsletter sign-up"}
    if v.BREADCRUMB.match(s) and not reporting_like(s):
        return C.CHROME, {"reason": "breadcrumb or menu"}
    return None
