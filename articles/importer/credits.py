"""Who a page credits: the outlet that publishes it and the wire (agency) its story comes from.

Each credit form is a pattern with the role it states (`FORMS`): a dateline's "(Reuters) -", a
lede's "(Bloomberg) --", "【ワシントン時事】", "【9月5日 AFP】", "[時事通信社]", a closing
"— Bloomberg", "Distributed by Tribune Content Agency", "Source: Japan Times", "読売新聞オンライン
7/23(水) 22:31 配信", a forum post's "日本経済新聞 2025年7月23日 9:22 引用元:", a lone "Newsmax
Media, Inc." line, a header glued with slashes ("Title/ Newsline/ WASHINGTON/ ..."), and the
holder of a copyright line ("© 2025 Thomson/Reuters", "© KYODO", "(c)AFP"). A title's
"- 日本経済新聞" / " | Site" suffix is read by `split_site_suffix`.

A name is kept exactly as the page writes it. `resolve` finds the reference source it names, if
any; a name the reference does not know stays a name (the desk adds the source), never a guess.
A name that is a news agency (`AGENCIES`, or a source of kind wire) is a wire wherever it stands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from articles.importer import vocabulary as v
from articles.importer.lines import C
from articles.importer.reference import Reference, SourceRef

OUTLET = "outlet"
WIRE = "wire"

# News agencies, as pages write them. A name containing one of these is a wire's name.
AGENCIES = (
    "Reuters",
    "Thomson Reuters",
    "AP",
    "Associated Press",
    "AFP",
    "Agence France-Presse",
    "Kyodo",
    "Kyodo News",
    "Jiji",
    "Jiji Press",
    "Bloomberg",
    "Yonhap",
    "Xinhua",
    "EFE",
    "ANSA",
    "dpa",
    "UPI",
    "Tribune Content Agency",
    "Tribune News Service",
    "ロイター",
    "共同",
    "共同通信",
    "時事",
    "時事通信",
    "時事通信社",
    "聯合",
    "聯合ニュース",
    "新華社",
    "ブルームバーグ",
    "AFP時事",
    "EPA時事",
)
_LATIN_AGENCY = "|".join(
    re.escape(a) for a in sorted(AGENCIES, key=len, reverse=True) if not v.CJK.search(a)
)
_CJK_AGENCY = "|".join(
    re.escape(a) for a in sorted(AGENCIES, key=len, reverse=True) if v.CJK.search(a)
)
AGENCY = re.compile(r"(?<![\w.])(?:" + _LATIN_AGENCY + r")(?![\w])|(?:" + _CJK_AGENCY + ")")
_AGENCY_AT_END = r"(?P<name>(?:" + _LATIN_AGENCY + r"|" + _CJK_AGENCY + r"))"

# Company endings that make a lone line a publisher's name.
COMPANY = r"(?:Inc|LLC|L\.L\.C|Ltd|Corp|Co|Corporation|Limited|GmbH|PLC|plc)\.?"


@dataclass(frozen=True)
class Form:
    name: str
    role: str  # OUTLET or WIRE: what the form states; an agency's name is a wire anyway
    pattern: re.Pattern[str]
    where: str  # "lede": the story's first paragraph; "any": any line above the comments


FORMS = (
    # "(Bloomberg) -- Japan's top...": a lede that opens on its wire.
    Form(
        "lede wire",
        WIRE,
        re.compile(r"^[(（](?P<name>[A-Z][\w .&'’-]{1,40})[)）]\s*(?:--|—|–|-|:)\s*"),
        "lede",
    ),
    # "【ワシントン時事】", "【9月5日 AFP】", "【北京=共同】": place or date, then the agency.
    Form(
        "bracketed wire",
        WIRE,
        re.compile(r"【[^【】]{0,20}?[=＝\s]?" + _AGENCY_AT_END + r"】"),
        "lede",
    ),
    # "[時事通信社]" (or in full-width brackets) closing or opening a Japanese story.
    Form(
        "square-bracketed wire",
        WIRE,
        re.compile(r"[\[［](?P<name>[^\[\]［］\s]{1,12}?(?:通信社|通信|時事|共同))[\]］]"),
        "any",
    ),
    # "... the ministry said. — Bloomberg", "- Bloomberg" closing a line.
    Form(
        "closing wire",
        WIRE,
        re.compile(r"(?:^|\s)(?:—|–|--|-)\s*" + _AGENCY_AT_END + r"\s*$"),
        "any",
    ),
    # "Distributed by Tribune Content Agency, LLC."
    Form(
        "distributed by",
        WIRE,
        re.compile(
            r"(?:^|[.|]\s*)(?:[Dd]istributed|[Ss]yndicated) by\s+(?P<name>[A-Z][\w&.'’ -]{1,60}?)"
            r"(?:,?\s+" + COMPANY + r")?\.?\s*$"
        ),
        "any",
    ),
    # "読売新聞オンライン 7/23(水) 22:31 配信": the provider of a portal's story.
    Form(
        "provider (配信)",
        WIRE,
        re.compile(
            r"^(?P<name>[^\s\d][^\d]{0,40}?)\s*(?:\d{4}[/年])?\d{1,2}[/月]\d{1,2}日?"
            r"\s*(?:[(（][^)）]{1,3}[)）])?\s*\d{1,2}:\d{2}\s*配信"
        ),
        "any",
    ),
    # "... と述べた。 日本経済新聞 2025年7月23日 9:22 引用元: ・...": a forum post quoting a story.
    Form(
        "quoted from (引用元)",
        WIRE,
        re.compile(
            r"(?:^|[\s。])(?P<name>[^\s\d。、「」・]{2,20})\s+\d{4}年\d{1,2}月\d{1,2}日"
            r"(?:\s*\d{1,2}:\d{2})?\s*引用元\s*[:：]"
        ),
        "any",
    ),
    # "Source: Japan Times", "出典: 日本経済新聞": the whole line names who published the story.
    Form(
        "source line",
        OUTLET,
        re.compile(
            r"^(?:source|sources|出典|ソース)\s*[:：]\s*(?P<name>[^:：]{2,60}?)\.?\s*$", re.I
        ),
        "any",
    ),
    # A gazette's header names it: "[Federal Register Volume 90, Number 177 (...)]".
    Form(
        "gazette header",
        OUTLET,
        re.compile(r"^\[(?P<name>Federal Register) Volume \d+, Number \d+ \("),
        "any",
    ),
    # "Newsmax Media, Inc." alone on a line.
    Form(
        "company line",
        OUTLET,
        re.compile(
            r"^(?P<name>[A-Z][\w&'’ -]{0,40}?\b(?:news|press|media|times|post|journal|"
            r"broadcasting|publishing|shimbun)\b[\w&'’ -]{0,20}?,? " + COMPANY + r")$",
            re.I,
        ),
        "any",
    ),
)

# A header glued with slashes atop the page: "Title/ Outlet/ WASHINGTON/ Author/ ...". The
# dateline in capitals in third place tells a header from a sentence with slashes.
SLASH_HEADER = re.compile(
    r"^(?P<title>[^/]{10,200}?)/\s(?P<outlet>[A-Z][\w.&'’ -]{1,40}?)/\s"
    r"(?P<place>[A-Z][A-Z .'’-]{2,30})/\s"
)
HEADER_LINES = 5  # a page's header is among its first non-blank lines


def header_lines(lines: list[Any]) -> list[Any]:
    """The lines a page's header can stand on: its first non-blank ones, but none the rules
    read as the site's furniture (a breadcrumb "Home/ NEWS/ Sport/ ..." is a menu, not a
    header); a line only the line model put out of the story may still be one."""
    return [
        line
        for line in lines
        if line.cls != C.BLANK and (line.cls != C.CHROME or "line_model" in line.extra)
    ][:HEADER_LINES]


# What a copyright line says besides its holder.
_COPYRIGHT_WORDS = re.compile(
    r"©|\(c\)|（c）|\bcopyrights?\b|\ball contents\b|\(?\s*all rights reserved\.?\s*\)?|"
    r"\b(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?\b",
    re.I,
)
# Where a copyright line's holder ends: a sentence about reproduction, a separator, more credits.
_HOLDER_END = re.compile(
    r"\s(?:no |reproduction|this material|may not|[|｜]|distributed by|syndicated by|"
    r"terms\b|privacy\b|powered by)|無断|禁じ",
    re.I,
)
# Title suffix: "Headline - Site", "Headline | Site", "Headline : Site".
_SUFFIX = re.compile(r"^(?P<title>.+?)\s*(?P<sep>\s[-–—|]\s|｜|\s[:：]\s)\s*(?P<site>[^-–—|｜]+)$")
# A suffix that counts pages is a listing's title: "- 2ページ目", "| Page 3".
PAGE_COUNTER = re.compile(
    r"^(?:\d{1,3}\s*ページ目?|page \d{1,3}(?: of \d{1,3})?|p\.\s*\d{1,3})$", re.I
)
_NAME_LIKE = re.compile(
    r"\b(?:news|press|agency|shimbun|times|post|wire|herald|journal|tribune|gazette|monitor|"
    r"observer|telegraph|chronicle|magazine|media|network|broadcasting|courier|examiner|"
    r"inc|ltd|llc)\b|\.(?:com|net|org|jp|co\.jp|kr|cn|uk|us|io|news|tv)$|"
    r"(?:新聞|新聞社|新報|日報|通信|通信社|ニュース|テレビ|放送|タイムズ|オンライン|デジタル)$",
    re.I,
)


@dataclass(frozen=True)
class Credit:
    """A name the page credits, exactly as written, with the role it plays and where."""

    name: str
    role: str
    form: str
    line: int
    source: SourceRef | None

    def describe(self) -> str:
        return f"line {self.line}: '{self.name}' ({self.form})"


def _trim(name: str) -> str:
    """A name without the punctuation around it; "Inc." keeps its full stop."""
    name = v.normalise(name).strip(" ,:;|-–—")
    while name.endswith(".") and not re.search(r"\b" + COMPANY + r"$|\b[A-Z]\.$", name):
        name = name[:-1].rstrip(" ,")
    return name


def _key(name: str) -> str:
    key = v.normalise(name).casefold().strip(" .,:;")
    return key[4:] if key.startswith("the ") else key


def is_agency(name: str, source: SourceRef | None = None) -> bool:
    return bool(AGENCY.search(name)) or (source is not None and source.kind == WIRE)


def resolve(name: str, ref: Reference) -> SourceRef | None:
    """The reference source `name` names: one of its names exactly, else the first source named
    in it ("Thomson/Reuters", "GPlusMedia Inc."); None when the reference does not know it."""
    key = _key(name)
    for source in ref.sources:
        if key in {_key(n) for n in (source.name, *source.names)}:
            return source
    found = ref.sources_in(name)
    return found[0][0] if found else None


def credit(name: str, role: str, form: str, line: int, ref: Reference) -> Credit | None:
    """A credit for `name`, or None when what stands there is no name."""
    name = _trim(name)
    if not name or len(name) > 80 or not any(ch.isalpha() for ch in name):
        return None
    if not v.CJK.search(name) and len(name.split()) > 7:
        return None  # a sentence, not a name
    source = resolve(name, ref)
    if is_agency(name, source):
        role = WIRE
    return Credit(name, role, form, line, source)


def copyright_holder(text: str) -> str:
    """The holder a copyright line names: "© 2025 Thomson/Reuters" -> "Thomson/Reuters",
    "© 2009-2025 WireAction, Inc. All Rights Reserved." -> "WireAction, Inc."; of several
    ("© 2025 Sandler, Travis & Rosenberg, P.A.; WorldTrade Interactive, Inc.") the first;
    "" when none."""
    end = _HOLDER_END.search(text)
    if end:
        text = text[: end.start()]
    text = text.split(";")[0]
    holder = _COPYRIGHT_WORDS.sub(" ", text)
    holder = _trim(re.sub(r"\s+", " ", holder).strip(" ()"))
    if holder.casefold().startswith("by "):
        holder = holder[3:]
    if not holder or len(holder) > 60 or (not v.CJK.search(holder) and len(holder.split()) > 6):
        return ""
    if not (holder[0].isupper() or holder[0].isdigit() or v.CJK.match(holder)):
        return ""  # "reserved for subscribers", lower-case prose: no holder named
    return holder


def credits_in_line(text: str, number: int, ref: Reference, *, lede: bool) -> list[Credit]:
    """The credits one line states by the forms in `FORMS` (lede forms only on the lede)."""
    found: list[Credit] = []
    for form in FORMS:
        if form.where == "lede" and not lede:
            continue
        for match in form.pattern.finditer(text):
            made = credit(match.group("name"), form.role, form.name, number, ref)
            if made:
                found.append(made)
    return found


def split_site_suffix(title: str, ref: Reference) -> tuple[str, str]:
    """(title, site) for "Headline - Site" / "Headline | Site"; site is "" when the title has no
    suffix that names a site. A page counter ("- 2ページ目") comes back as the site, for the
    caller to see that the title is a listing's."""
    match = _SUFFIX.match(title)
    if not match:
        return title, ""
    head, site = match.group("title").strip(), match.group("site").strip()
    if PAGE_COUNTER.match(site):
        return head, site
    short = len(site) <= 20 if v.CJK.search(site) else len(site.split()) <= 4
    long_enough = len(head) >= 8 if v.CJK.search(head) else len(head.split()) >= 3
    if not (short and long_enough):
        return title, ""
    if resolve(site, ref) or is_agency(site) or _NAME_LIKE.search(site):
        return head, site
    # After a bar, a name in capitals ("| EconoTimes", "| Nikkei Asia") is the site's.
    if "|" in match.group("sep") and re.fullmatch(
        r"[A-Z][\w.&'’-]*(?: [A-Z][\w.&'’-]*){0,2}", site
    ):
        return head, site
    return title, ""


def stated_credits(
    article: list[Any], reporting: list[Any], ref: Reference, site_suffix: str, headline: int
) -> list[Credit]:
    """Every credit the page states by the forms of `credits`, in page order; the title's site
    suffix first."""
    found: list[Credit] = []
    if site_suffix:
        made = credit(site_suffix, OUTLET, "title suffix", headline, ref)
        if made:
            found.append(made)
    for line in header_lines(article):
        header = SLASH_HEADER.match(v.normalise(line.text))
        made = (
            credit(header.group("outlet"), OUTLET, "slash header", line.number, ref)
            if header
            else None
        )
        found += [made] if made else []
    ends = {reporting[0].number, reporting[-1].number} if reporting else set()
    for line in article:
        text = v.normalise(line.text)
        if line.cls == C.COPYRIGHT:
            holder = copyright_holder(line.extra.get("copyright") or text)
            made = credit(holder, OUTLET, "copyright", line.number, ref) if holder else None
            found += [made] if made else []
        if line.cls in (C.METADATA, C.COPYRIGHT, C.CREDIT, C.HEADLINE) or line.number in ends:
            lede = bool(reporting) and line.number == reporting[0].number
            found += credits_in_line(text, line.number, ref, lede=lede)
            if lede and line.extra.get("wire"):
                made = credit(line.extra["wire"], WIRE, "dateline", line.number, ref)
                found += [made] if made else []
        if line.cls == C.METADATA and line.extra.get("kind") == "wire":
            value = re.fullmatch(r"[(（\[](?P<name>[^()（）\[\]]{2,40})[)）\]]", text)
            if value:
                made = credit(value.group("name"), WIRE, "credit line", line.number, ref)
                found += [made] if made else []
    return found
