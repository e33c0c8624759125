"""What a segmented page states about its article: headline, date, outlet, wire, byline, ...

Only what the page says is filled. What it does not say stays empty and is named in
`needs_review`; how each value was found goes into `notes` for the import report. When a value
is in doubt it is left empty and flagged: a wrong value is worse than an empty one.

- Headline: the segmenter's headline line, unless it is something else in a headline's place (a
  bullet of a summary, an appeal, a sponsored block, an author list, a notice about the site, a
  listing's "- 2ページ目" title); a "- Site" / " | Site" suffix and a "[Label]" prefix are cut
  off, and the suffix is a clue to the outlet.
- Date: a date line's date, or the page's own "date 2025-07-19" stamp on its first line. A site's
  date bar (above its masthead, beside the weather or "today"), a list of dated items (a ticker,
  forum posts), a caption's or the story's own dates, and dates without a year are not it.
- Outlet and wire: from mastheads and the credit forms of `credits`. A name the reference does
  not know is kept as the page states it in `outlet_name` / `wire_name` (and the import report),
  the field stays empty and in `needs_review`, and a note tells the desk which source to add.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from articles.importer import credits as cr
from articles.importer import vocabulary as v
from articles.importer.dates import PageDate, find_date
from articles.importer.lines import not_a_headline
from articles.importer.reference import Reference, SourceRef
from articles.importer.segmenter import LineClass as C
from articles.importer.segmenter import Segmentation

LIMITS = {
    "headline": 300,
    "byline": 300,
    "dateline": 100,
    "photo_credit": 300,
    "copyright_line": 300,
}


@dataclass
class ArticleDraft:
    headline: str = ""
    dek: str = ""
    body: str = ""
    byline: str = ""
    dateline: str = ""
    published: PageDate | None = None
    published_line: str = ""
    outlet: SourceRef | None = None
    wire: SourceRef | None = None
    # The names as the page states them, known to the reference or not ("" when none stated).
    outlet_name: str = ""
    wire_name: str = ""
    cited: list[SourceRef] = field(default_factory=list)
    photo_caption: str = ""
    photo_credit: str = ""
    copyright_line: str = ""
    language: str = "en"
    needs_review: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def report(self) -> dict[str, Any]:
        return {
            "headline": self.headline,
            "dek": self.dek,
            "byline": self.byline,
            "dateline": self.dateline,
            "published_at": self.published.describe() if self.published else None,
            "published_line": self.published_line,
            "time_of_day_stated": bool(self.published and self.published.has_time),
            "outlet": self.outlet.slug if self.outlet else None,
            "wire": self.wire.slug if self.wire else None,
            "outlet_name": self.outlet_name,
            "wire_name": self.wire_name,
            "cited_sources": [source.slug for source in self.cited],
            "photo_caption": self.photo_caption,
            "photo_credit": self.photo_credit,
            "copyright_line": self.copyright_line,
            "language": self.language,
        }


def _fit(draft: ArticleDraft, name: str) -> None:
    value: str = getattr(draft, name)
    limit = LIMITS[name]
    if len(value) > limit:
        setattr(draft, name, value[: limit - 1] + "…")
        draft.notes.append(f"{name} was {len(value)} characters; shortened to {limit}")


def language_of(text: str) -> str:
    """ "ja" when Japanese script dominates the letters, else "en"."""
    cjk = len(v.CJK.findall(text))
    letters = sum(map(str.isalpha, text))
    return "ja" if letters and cjk / letters >= 0.3 else "en"


def extract(seg: Segmentation, ref: Reference) -> ArticleDraft:
    draft = ArticleDraft()
    headline_line = 0
    lines = seg.lines
    article = [line for line in lines if line.cls not in (C.COMMENT, C.COMMENT_QUOTE)]
    first_comment = next(
        (line.number for line in lines if line.cls in (C.COMMENT, C.COMMENT_QUOTE)), None
    )
    if first_comment is not None:
        article = [line for line in article if line.number < first_comment]

    dated_dek: list[Any] = []
    for line in article:
        if "continues" in line.extra:
            continue  # the rest of a wrapped line, whose first line carries the whole
        text = line.extra.get("paragraph") or v.normalise(line.text)
        if line.cls == C.HEADLINE:
            if line.extra.get("role") == "dek":
                if _date_stamp(text):
                    # "Cryptopolitan9 de sep de 2025 6:39" under the headline: a date line.
                    dated_dek.append(line)
                    draft.notes.append(f"line {line.number}: '{text}' is a date line, not a dek")
                else:
                    draft.dek = text
            elif not draft.headline:
                draft.headline = text
                headline_line = line.number

    # A hard-wrapped paragraph is one paragraph: its first line carries the joined text, the
    # lines it continues onto say so (`reflow`).
    reporting = [
        line for line in article if line.cls == C.REPORTING and "continues" not in line.extra
    ]
    paragraphs = [_paragraph(line) for line in reporting]
    if reporting:
        lede = reporting[0].extra
        if lede.get("prefix"):
            paragraphs[0] = line_after_prefix(paragraphs[0], lede["prefix"])
        draft.dateline = lede.get("dateline", "")
        # "【ワシントン=共同】" names the wire where a reporter's name would stand: no byline.
        if lede.get("byline") and not cr.AGENCY.fullmatch(lede["byline"].strip()):
            draft.byline = lede["byline"]
    draft.body = "\n\n".join(p for p in paragraphs if p)

    meta = [line for line in article if line.cls == C.METADATA]
    by_kind: dict[str, list[Any]] = {}
    for line in meta:
        by_kind.setdefault(line.extra.get("kind", ""), []).append(line)
    if by_kind.get("byline"):
        draft.byline = by_kind["byline"][0].extra["value"]
    elif any(line.extra.get("byline") for line in by_kind.get("date", [])):
        draft.byline = next(ln.extra["byline"] for ln in by_kind["date"] if ln.extra.get("byline"))
    elif by_kind.get("credits") and not draft.byline:
        draft.byline = by_kind["credits"][0].extra["value"]
        draft.notes.append("byline taken from the credit line (no 'By' line on the page)")
    if by_kind.get("dateline"):
        draft.dateline = by_kind["dateline"][0].extra["value"]

    # A wire credit line may carry the date: "KYODO NEWS - Jun 14, 2025 - 09:12 | World".
    _dates(draft, by_kind.get("date", []) + by_kind.get("wire", []) + dated_dek, article, reporting)
    site_suffix = _headline(draft, headline_line, article, ref)
    _stated_headers(draft, lines)
    _sources(draft, article, ref, site_suffix)

    captions = [line for line in article if line.cls == C.CAPTION]
    credits = [
        line.extra.get("credit", "")
        for line in article
        if line.cls in (C.CAPTION, C.CREDIT) and line.extra.get("credit")
    ]
    # A slideshow pastes each caption twice ("Item 1 of 2 …", "[1/2]…"): keep it once.
    draft.photo_caption = "\n".join(
        dict.fromkeys(line.extra.get("caption", "") for line in captions)
    )
    draft.photo_credit = "; ".join(dict.fromkeys(credits))
    copyrights = [line for line in article if line.cls == C.COPYRIGHT]
    if copyrights:
        first = copyrights[0]
        draft.copyright_line = first.extra.get("copyright") or v.normalise(first.text)
        if first.extra.get("trailing_chrome"):
            draft.notes.append(
                f"line {first.number}: trailing '{first.extra['trailing_chrome']}' after the "
                "copyright is a page counter, left out of the copyright line"
            )
    draft.language = language_of(draft.body or draft.headline)

    for name in LIMITS:
        _fit(draft, name)
    checks = [
        ("headline", draft.headline),
        ("published_at", draft.published),
        ("outlet", draft.outlet),
        ("byline", draft.byline),
        ("body", draft.body),
    ]
    draft.needs_review = [name for name, value in checks if not value]
    return draft


def line_after_prefix(text: str, prefix: str) -> str:
    """The line with its opening dateline removed (the dateline goes to its own field)."""
    stripped = v.normalise(text)
    return stripped[len(prefix) :].strip() if stripped.startswith(prefix) else stripped


# A "headline" with this many story lines above it is a line of the story.
STORY_ABOVE_HEADLINE = 3

# One word in a headline's place is a section's name: "Information", "インフォメーション".
SECTION_NAME = re.compile(r"\s*(?:[A-Za-z][A-Za-z&'’-]*|[\u30a0-\u30ff]+)\s*")

# "[Title] ...", "【速報】...": a label before the headline.
LABEL_PREFIX = re.compile(r"^(?:\[[^\[\]]{1,20}\]|【[^【】]{1,12}】)\s*(?=\S)")


def _headline(draft: ArticleDraft, number: int, article: list[Any], ref: Reference) -> str:
    """Check the segmenter's headline: cut a "[Label]" prefix and a site suffix (returned, as a
    clue to the outlet), and drop it (with its dek) when it is something else."""
    if not draft.headline:
        return ""
    label = LABEL_PREFIX.match(draft.headline)
    if label:
        rest = draft.headline[label.end() :]
        if len(rest) >= 8 if v.CJK.search(rest) else len(rest.split()) >= 3:
            draft.notes.append(f"headline: the label '{label.group(0).strip()}' left out")
            draft.headline = rest
    title, site = cr.split_site_suffix(draft.headline, ref)
    reason = not_a_headline(draft.headline)
    if not reason and SECTION_NAME.fullmatch(draft.headline):
        reason = "one word, a section's name"
    if site and cr.PAGE_COUNTER.match(site):
        reason, site = f"the title of a listing ('{site}')", ""
    if not reason:
        neighbours = [ln for ln in article if ln.number != number and abs(ln.number - number) <= 2]
        if any(ln.extra.get("ticker") for ln in neighbours):
            reason = "an item of a dated list (a ticker), not the story's headline"
    if not reason:
        # A headline stands above its story: a line with the story's paragraphs above it is
        # a line of the story (a hard-broken sentence, a quoted post), not its headline.
        above = sum(1 for ln in article if ln.number < number and ln.cls == C.REPORTING)
        if above >= STORY_ABOVE_HEADLINE:
            reason = f"inside the story ({above} of its lines stand above it)"
    if reason:
        draft.notes.append(
            f"headline: line {number} '{draft.headline}' is {reason}; the headline is left "
            "for an editor"
        )
        draft.headline, draft.dek = "", ""
        return ""
    if site:
        draft.notes.append(f"headline: the site suffix '{site}' left out of the headline")
        draft.headline = title
    return site


# A weekday in a date bar: "Thursday, December 3, 2026", "2025年7月24日(木)".
_WEEKDAY = re.compile(
    r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|[(（][月火水木金土日][)）]|[月火水木金土日]曜",
    re.I,
)
# Around a date bar: the weather, "today", a clock of other cities.
_BAR_CONTEXT = re.compile(r"°|℃|\btoday\b|\bright now\b|今日|本日|現在の", re.I)
# The page's own date as the page store renders it, on its first line: " date 2025-07-19".
PAGE_STAMP = re.compile(r"^\s*date\s+\d{4}-\d{2}-\d{2}\b")


def _shape(text: str) -> str:
    """A date line with its numbers and month names blanked: items of one list share a shape."""
    shape = re.sub(r"\d+", "#", text.casefold())
    return re.sub(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?", "M", shape)


def _is_date_bar(line: Any, article: list[Any]) -> bool:
    """A site's date bar: above the masthead, or beside the weather or "today"; or a bare
    weekday-and-date line above the headline with the site's furniture between them."""
    text = v.normalise(line.text)
    near = [ln for ln in article if 0 < abs(ln.number - line.number) <= 2]
    if _BAR_CONTEXT.search(text) or any(_BAR_CONTEXT.search(v.normalise(ln.text)) for ln in near):
        return True
    after = [ln for ln in article if ln.number > line.number]
    headline_at = next((ln.number for ln in after if ln.cls == C.HEADLINE), None)
    if headline_at is None:
        return False
    between = [ln for ln in after if ln.number < headline_at and ln.cls != C.BLANK]
    if any(
        ln.cls == C.METADATA and ln.extra.get("kind") in ("outlet", "masthead") for ln in between
    ):
        return True
    found = find_date(text)
    bare = found is not None and found.time is None and _WEEKDAY.search(text)
    return bool(bare and sum(ln.cls == C.CHROME for ln in between) >= 2)


def _dates(
    draft: ArticleDraft, date_lines: list[Any], article: list[Any], reporting: list[Any]
) -> None:
    shapes: dict[str, int] = {}
    for line in date_lines:
        shape = _shape(v.normalise(line.text))
        shapes[shape] = shapes.get(shape, 0) + 1
    candidates = []
    listed: list[int] = []
    for line in date_lines:
        text = v.normalise(line.text)
        found = find_date(text)
        if not found:
            continue
        if shapes[_shape(text)] >= 3:
            line.extra["ticker"] = True
            listed.append(line.number)
            continue
        if (
            line.extra.get("kind") == "date"
            and not line.extra.get("gazette")  # a gazette's header states its own day
            and _is_date_bar(line, article)
        ):
            draft.notes.append(f"line {line.number}: '{text}' is the site's date bar, not the date")
            continue
        # "Updated 9:41 PM EDT, July 22, 2025" is an update; "2025/6/26 10:15 (最終更新 6/26
        # 12:03)" is the publication, with the update after it.
        updated = re.search(r"\bupdated\b|更新", text[: found.start], re.IGNORECASE)
        wire = line.extra.get("kind") == "wire"
        # A dek read as a date line comes after every real date line and credit.
        rank = 2 if line.extra.get("role") == "dek" else 1 if wire else 0
        candidates.append((rank, 1 if updated else 0, line.number, found, text))
    if listed:
        draft.notes.append(
            f"lines {', '.join(map(str, listed))}: dated items of a list (a ticker or posts), "
            "none of them the publication date"
        )
    first = next((line for line in article if line.cls != C.BLANK), None)
    if not candidates and first is not None and PAGE_STAMP.match(first.text):
        stamp = PAGE_STAMP.match(first.text)
        found = find_date(stamp.group(0)) if stamp else None
        if found:
            candidates.append((0, 0, first.number, found, stamp.group(0).strip() if stamp else ""))
    if candidates:
        _, _, number, found, text = min(candidates, key=lambda c: (c[0], c[1], c[2]))
        draft.published = found
        draft.published_line = text
        if not found.has_time:
            draft.notes.append(
                f"published_at: line {number} gives {found.describe()}; stored as 12:00 UTC "
                "on that day so the date reads the same in Tokyo and in Washington"
            )
        return
    if reporting and reporting[0].extra.get("dateline") and "," in reporting[0].extra["dateline"]:
        draft.notes.append(
            f"published_at: the dateline '{reporting[0].extra['dateline']}' gives no year; "
            "the date is left for an editor"
        )


def _date_stamp(text: str) -> bool:
    """Is the line a date (with its time) rather than words of a dek: nothing else, or only
    a name the date runs on from ("Cryptopolitan9 de sep de 2025 6:39")? "Deadline: August 1,
    2025" and "Tariffs take effect 1 August 2025" are deks that name a date."""
    found = find_date(text)
    if found is None:
        return False
    rest = re.findall(r"\w+", text[: found.start] + " " + text[found.end :])
    glued = found.start > 0 and text[found.start - 1].isalpha()
    return not rest or (len(rest) == 1 and glued)


# A thread that quotes a story ends its opening post with the story's outlet, date and title:
# "... 日本経済新聞 2025年7月23日 9:22 引用元: ・Title [poster★]".
QUOTED_STORY = re.compile(
    r"(?P<date>\d{4}年\d{1,2}月\d{1,2}日(?:\s*\d{1,2}:\d{2})?)\s*引用元\s*[:：]\s*・\s*"
    r"(?!https?://)(?P<title>[^\[［\n]{4,200}?)\s*(?:[\[［][^\]］]{1,30}[\]］]|…|$)"
)


def _stated_headers(draft: ArticleDraft, lines: list[Any]) -> None:
    """The headline (and date) a page states in a header form the segmenter does not read
    line by line: a forum thread's quoted story, a header glued with slashes. Only what is
    still empty is filled."""
    for line in cr.header_lines(lines):
        header = cr.SLASH_HEADER.match(v.normalise(line.text))
        title = header.group("title").strip() if header else ""
        if title and not draft.headline and not not_a_headline(title):
            draft.headline = title
            draft.notes.append(f"headline from the header on line {line.number}")
    for line in lines:
        if line.cls in (C.COMMENT, C.COMMENT_QUOTE) or "引用元" not in line.text:
            continue
        quoted = QUOTED_STORY.search(v.normalise(line.text))
        if not quoted:
            continue
        if not draft.headline:
            draft.headline = quoted.group("title").strip()
            draft.notes.append(f"headline: the title of the story quoted on line {line.number}")
        if draft.published is None:
            found = find_date(quoted.group("date"))
            if found:
                draft.published = found
                draft.published_line = quoted.group("date")
                draft.notes.append(
                    f"published_at: the date of the story quoted on line {line.number}"
                )
        break


def _paragraph(line: Any) -> str:
    """A reporting line's paragraph, without the agency's mark that closes a story."""
    text = line.extra.get("paragraph") or line.text.strip()
    closing = line.extra.get("closing")
    return text.removesuffix(closing).rstrip() if closing and text.endswith(closing) else text


def _sources(
    draft: ArticleDraft, article: list[Any], ref: Reference, site_suffix: str = ""
) -> None:
    # A masthead is above the story; a source named in an author box below it is no masthead,
    # and a source's name alone under the headline ("共同通信" under a portal's headline) is the
    # story's credit.
    story_at = next((line.number for line in article if line.cls == C.REPORTING), None)
    headline_at = next((ln.number for ln in article if ln.cls == C.HEADLINE), 0)

    def credit_under_headline(line: Any) -> bool:
        return line.extra.get("kind") == "outlet" and 0 < headline_at < line.number

    masthead_lines = [
        line
        for line in article
        if line.cls == C.METADATA
        and (
            line.extra.get("kind") == "date"
            or (
                line.extra.get("kind") in ("outlet", "masthead")
                and (story_at is None or line.number < story_at)
                and not credit_under_headline(line)
            )
        )
    ]
    for line in masthead_lines:
        found = ref.sources_in(v.normalise(line.text))
        if found:
            draft.outlet = found[0][0]
            draft.notes.append(f"outlet from the masthead on line {line.number}")
            break
        if line.extra.get("kind") == "masthead":
            draft.notes.append(
                f"line {line.number}: masthead '{v.normalise(line.text)}' is not a known source"
            )
    reporting = [line for line in article if line.cls == C.REPORTING]
    stated = cr.stated_credits(article, reporting, ref, site_suffix, headline_at)
    # (source, named as a web domain, line, stated as the page's publisher)
    credited: list[tuple[SourceRef, bool, int, bool]] = []
    for line in article:
        if line.cls not in (C.COPYRIGHT, C.METADATA, C.REPORTING):
            continue
        text = v.normalise(line.text)
        if line.cls == C.COPYRIGHT:
            text = line.extra.get("copyright") or text
            credited += [(s, as_domain, line.number, True) for s, as_domain in ref.sources_in(text)]
        elif line.cls == C.METADATA and line.extra.get("kind") in ("credits", "byline"):
            credited += [(s, False, line.number, True) for s, _ in ref.sources_in(text)]
        elif line.cls == C.METADATA and (
            line.extra.get("kind") == "wire" or credit_under_headline(line)
        ):
            # A credit line ("KYODO NEWS - 7 hours ago", "Asahi Shimbun 4 days ago") names
            # the story's source, not the site that shows it.
            credited += [(s, False, line.number, False) for s, _ in ref.sources_in(text)]
        elif line.cls == C.REPORTING and line.extra.get("wire"):
            credited += [
                (s, False, line.number, False) for s, _ in ref.sources_in(line.extra["wire"])
            ]
    for c in stated:
        if c.source is not None and not any(s.id == c.source.id for s, *_ in credited):
            credited.append((c.source, False, c.line, c.role == cr.OUTLET))
    if draft.outlet is None:
        on_domain = [s for s, as_domain, _, _ in credited if as_domain]
        outlets = [s for s, _, _, publisher in credited if publisher and s.kind == "outlet"]
        chosen = on_domain[0] if on_domain else (outlets[-1] if outlets else None)
        if chosen:
            draft.outlet = chosen
            draft.notes.append("outlet from the copyright line")
    others = [s for s, *_ in credited if draft.outlet is None or s.id != draft.outlet.id]
    wires = [s for s in others if s.kind == "wire"]
    if wires or others:
        draft.wire = wires[0] if wires else others[0]
    draft.outlet_name = _stated_name(draft, "outlet", draft.outlet, stated, article)
    draft.wire_name = _stated_name(draft, "wire", draft.wire, stated, article)
    if draft.outlet_name and draft.outlet_name == draft.wire_name and draft.outlet is None:
        draft.outlet_name = ""  # one name credited as the wire does not also publish the page
    body = " ".join(v.normalise(line.text) for line in article if line.cls == C.REPORTING)
    named = {s.id for s in (draft.outlet, draft.wire) if s}
    draft.cited = [s for s, _ in ref.sources_in(body) if s.id not in named]


# Which forms state an outlet most directly, first.
OUTLET_FORMS = (
    "gazette header",
    "title suffix",
    "slash header",
    "source line",
    "copyright",
    "company line",
)


def _stated_name(
    draft: ArticleDraft,
    role: str,
    known: SourceRef | None,
    stated: list[cr.Credit],
    article: list[Any],
) -> str:
    """The name as the page states it: for a known source, the credit or line that names it;
    otherwise the first credit of that role, noted for the desk to add as a source."""
    if known is not None:
        for c in stated:
            if c.source is not None and c.source.id == known.id:
                return c.name
        for line in article:
            text = v.normalise(line.text)
            for name in sorted(known.names, key=len, reverse=True):
                match = re.search(r"(?<![\w.])" + re.escape(name) + r"(?![\w])", text, re.I)
                if match:
                    return match.group(0)
        return known.name
    unknown = [c for c in stated if c.role == role and c.source is None]
    if role == cr.OUTLET:
        unknown.sort(key=lambda c: OUTLET_FORMS.index(c.form) if c.form in OUTLET_FORMS else 9)
    if not unknown:
        return ""
    chosen = unknown[0]
    others = sorted({c.name for c in unknown} - {chosen.name})
    draft.notes.append(
        f"{role}: page names '{chosen.name}', not among the sources ({chosen.describe()}); "
        "add it as a source to link it"
        + (f"; the page also names {', '.join(repr(n) for n in others)}" if others else "")
    )
    return chosen.name
