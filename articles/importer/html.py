"""Read a saved HTML page into the same segmentation the text reader gives.

trafilatura finds the main text and the comment section apart (precision settings, comments
included, paragraphs kept). What the markup states becomes the lines above the story, each with
its class already known: the masthead (JSON-LD publisher, og:site_name, the canonical address),
the headline (JSON-LD headline, og:title, <title>), the date (JSON-LD datePublished,
article:published_time and other publication meta tags, <time datetime>, then htmldate, see
`_date`) and the byline (JSON-LD author, meta author). `metadata.extract` then reads these
lines as it reads a text page's, so which value wins, what is flagged for review and how an
outlet or a wire is resolved are defined once, there. Story lines are classified one by one
with `lines.classify_alone` (captions, credits, copyright lines); the rest is reporting.

Reader comments come from the comment markup where the page has it (schema.org Comment, or
elements with a comment-N id or a "comment" class; WordPress, Disqus-style and most CMS
themes): one comment per element, its author, time, text, quoted text (<blockquote>) and vote
counts. JSON-LD `comment` items are read the same way. When neither is there but trafilatura
found a comment section, its text goes through the text reader's comment grouping
(`comments.group_comments`: tallies and comment headers); text it cannot split is kept as
chrome with that reason, never guessed into comments.

The lines are the "extracted text" of the page (kept in the import report); the RawDocument
keeps the HTML itself.
"""

from __future__ import annotations

import datetime
import html as entities
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import htmldate
import lxml.html
import trafilatura
from lxml.etree import ParserError, _Element

from articles.importer import vocabulary as v
from articles.importer.comments import CommentBlock, group_comments
from articles.importer.dates import find_date
from articles.importer.lines import NOISE, SourceNames, classify_alone
from articles.importer.lines import LineClass as C
from articles.importer.reader import PageRefused
from articles.importer.segmenter import Line, Segmentation, segment

NO_TEXT = "no article text found in the HTML"
ARTICLE_TYPES = ("NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle", "Article")
PUBLISHED_META = (
    "article:published_time",
    "article:published",
    "og:article:published_time",
    "datepublished",
    "publishdate",
    "publish-date",
    "pubdate",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.created",
    "dcterms.issued",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
)
AUTHOR_META = ("author", "article:author", "dc.creator", "sailthru.author", "parsely-author")
BLOCK_TAGS = {"p", "div", "li", "br", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "tr"}
COMMENT_ID = re.compile(r"^(?:li-|div-)?comment-?\d+$", re.IGNORECASE)
COMMENT_CLASSES = {"comment", "comment-item", "comment-container", "js-comment", "user-comment"}
AUTHOR_CLASS = re.compile(
    r"^(?:fn|author|comment-author|comment__author|username|user-name|nickname)$"
)
# Where a comment's own words are, most specific first: themes nest "comment-content" inside a
# "comment-text" box that also holds the author and the time.
TEXT_MARKS = (
    "text",
    "commentText",
    "comment-content",
    "comment__body",
    "comment__text",
    "comment-message",
    "comment-text",
    "comment-body",
)
DATE_LABEL = re.compile(r"date|time|publish|posted|dateline|byline|meta", re.IGNORECASE)
SCORE_CLASS = re.compile(r"score|points|rating|karma", re.IGNORECASE)
UP_CLASS = re.compile(r"(?<!dis)like|vote-?up|up-?vote|thumbs-?up|agree|plus", re.IGNORECASE)
DOWN_CLASS = re.compile(r"dislike|vote-?down|down-?vote|thumbs-?down|disagree|minus", re.IGNORECASE)
SAYS = re.compile(r"\s*(?:says|said|wrote)\s*:?\s*$", re.IGNORECASE)
COUNT = re.compile(r"^[-+\u2212]?\d{1,6}$")


@dataclass
class HtmlComment:
    handle: str = ""
    posted_label: str = ""
    quoted: str = ""
    paragraphs: list[str] = field(default_factory=list)
    score: int | None = None
    up: int | None = None
    down: int | None = None


@dataclass
class Markup:
    """What the page's markup states about its article."""

    mastheads: list[str] = field(default_factory=list)
    address: str = ""
    headline: str = ""
    date: str = ""
    date_from: str = ""
    authors: list[str] = field(default_factory=list)
    comments: list[HtmlComment] = field(default_factory=list)
    comment_counter: str = ""  # "2 Comments" over the comment section


def segment_html(html: str, *, source_names: Iterable[str] = ()) -> Segmentation:
    """The page as classified lines: masthead, headline, date and byline from the markup, the
    story from trafilatura, then the reader comments. PageRefused when there is no story."""
    try:
        # lxml refuses a str that carries its own XML encoding declaration (XHTML pages).
        tree = lxml.html.document_fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", html))
    except (ParserError, ValueError):
        raise PageRefused(f"{NO_TEXT} (the markup cannot be parsed)") from None
    doc = trafilatura.bare_extraction(
        html,
        include_comments=True,
        favor_precision=True,
        include_tables=True,
        with_metadata=False,
    )
    story = _paragraphs(getattr(doc, "text", "") or "")
    markup = read_markup(tree)
    if not markup.headline:
        title = tree.findtext(".//title") or ""
        host = urlsplit(markup.address).hostname or ""
        markup.headline = _headline(_plain(title), [*markup.mastheads, _host_stem(host)])
    headline_key = markup.headline.casefold()
    while story and story[0].casefold() == headline_key:
        story.pop(0)  # trafilatura keeps the <h1>; the headline has its own line
    if not story:
        raise PageRefused(NO_TEXT)
    return _lines(markup, story, _paragraphs(getattr(doc, "comments", "") or ""), source_names)


def _paragraphs(text: str) -> list[str]:
    return [line for line in (v.normalise(raw) for raw in text.split("\n")) if line]


def _lines(
    markup: Markup, story: list[str], comment_text: list[str], source_names: Iterable[str]
) -> Segmentation:
    sources = SourceNames(source_names)
    texts: list[str] = []
    cls: list[Any] = []
    extra: list[dict[str, Any]] = []

    def add(text: str, kind: str | None, info: dict[str, Any] | None = None) -> int:
        if not text and (not texts or cls[-1] == C.BLANK):
            return len(texts) - 1  # one blank line between blocks, none at the top
        texts.append(text)
        cls.append(C.BLANK if not text else kind)
        extra.append(info or {})
        return len(texts) - 1

    for name in markup.mastheads:
        add(name, C.METADATA, {"kind": "masthead", "value": name, "from": "markup"})
    if markup.headline:
        add(markup.headline, C.HEADLINE, {"from": "markup"})
    if markup.date:
        add(
            markup.date,
            C.METADATA,
            {"kind": "date", "value": markup.date, "from": markup.date_from},
        )
    if markup.authors:
        names = ", ".join(markup.authors)
        add(f"By {names}", C.METADATA, {"kind": "byline", "value": names, "from": "markup"})
    first_reporting = True
    for paragraph in story:
        add("", None)
        found = classify_alone(paragraph, sources)
        if found is None and not NOISE.sub(" ", paragraph).strip():
            found = C.CHROME, {"reason": "date label without its date"}  # "Posted", "Updated:"
        if found is None:
            info: dict[str, Any] = {}
            if first_reporting:
                info = _dateline(paragraph)
                first_reporting = False
            add(paragraph, C.REPORTING, info)
        else:
            add(paragraph, found[0], found[1])
    headline = markup.headline
    body = " ".join(t for t, c in zip(texts, cls, strict=True) if c == C.REPORTING)
    blocks: list[CommentBlock] = []
    if markup.comment_counter:
        add("", None)
        counted = classify_alone(markup.comment_counter, sources)
        add(markup.comment_counter, *(counted or (C.CHROME, {"reason": "comment counter"})))
    if markup.comments:
        blocks = _comment_lines(markup.comments, add, cls, extra, headline, body)
    elif comment_text:
        add("", None)
        start = len(texts)
        for text in comment_text:
            add(text, None)
        norm = list(texts)
        blocks = group_comments(
            norm, cls, extra, (start, len(texts) - 1), headline=headline, body=body
        )
        for i in range(start, len(texts)):
            if cls[i] is None:
                cls[i] = C.CHROME
                extra[i] = {"reason": "comment section the importer could not split into comments"}
    lines = [
        Line(
            i + 1,
            str(cls[i] or C.CHROME),
            texts[i],
            extra[i] if cls[i] else {"reason": "page furniture"},
        )
        for i in range(len(texts))
    ]
    return Segmentation(lines=lines, newline="\n", comments=blocks)


def _dateline(paragraph: str) -> dict[str, Any]:
    """The dateline the text reader finds at the start of a story ("TOKYO, June 28 (Reuters) -")."""
    lines = segment(paragraph, learned=False).lines  # the dateline is the rules' call
    if not lines or lines[0].cls != C.REPORTING:
        return {}
    return {
        k: val for k, val in lines[0].extra.items() if k in ("dateline", "wire", "prefix", "byline")
    }


def _comment_lines(
    comments: list[HtmlComment],
    add: Any,
    cls: list[Any],
    extra: list[dict[str, Any]],
    headline: str,
    body: str,
) -> list[CommentBlock]:
    blocks: list[CommentBlock] = []
    for comment in comments:
        block = CommentBlock(position=len(blocks) + 1, handle=comment.handle[:100])
        add("", None)
        if comment.handle or comment.posted_label:
            header = " · ".join(part for part in (comment.handle, comment.posted_label) if part)
            block.lines.append(add(header, C.COMMENT, {"role": "author"}) + 1)
        block.posted_label = comment.posted_label
        if comment.quoted:
            block.quoted_text = comment.quoted
            block.quotes, block.quotes_position = _quote_source(
                comment.quoted, headline, body, blocks
            )
            block.quote_line = add(comment.quoted, C.COMMENT_QUOTE, {"quotes": block.quotes}) + 1
            block.lines.append(block.quote_line)
        for paragraph in comment.paragraphs:
            number = add(paragraph, C.COMMENT, {"role": "text"}) + 1
            block.lines.append(number)
            block.text_lines.append(number)
        block.paragraphs = list(comment.paragraphs)
        block.score, block.votes_up, block.votes_down = comment.score, comment.up, comment.down
        if comment.score is not None or comment.up is not None or comment.down is not None:
            tally = " ".join(
                f"{label} {value}"
                for label, value in (
                    ("score", comment.score),
                    ("up", comment.up),
                    ("down", comment.down),
                )
                if value is not None
            )
            block.lines.append(add(tally, C.COMMENT, {"role": "tally"}) + 1)
        for number in block.lines:
            extra[number - 1]["comment"] = block.position
        blocks.append(block)
    return blocks


def _key(s: str) -> str:
    return " ".join(s.strip("\"'“”‘’「」『』«» ").casefold().split())


def _quote_source(
    quoted: str, headline: str, body: str, earlier: list[CommentBlock]
) -> tuple[str, int | None]:
    key = _key(quoted)
    if key and key in _key(headline):
        return "headline", None
    for block in earlier:
        if key and key in _key(block.body):
            return "comment", block.position
    if key and key in _key(body):
        return "article", None
    return "unknown", None


# --- what the markup states -----------------------------------------------------------------


def read_markup(tree: _Element) -> Markup:
    markup = Markup()
    article = _json_ld_article(tree)
    meta = _meta(tree)
    comment_roots = _comment_elements(tree)
    publisher = _name(article.get("publisher")) if article else ""
    address = meta.get("og:url") or _attr(tree, './/link[@rel="canonical"]', "href")
    markup.address = address if address.startswith("http") else ""
    host = urlsplit(markup.address).hostname or ""
    markup.mastheads = list(
        dict.fromkeys(
            name
            for name in (publisher, meta.get("og:site_name", ""), host.removeprefix("www."))
            if name
        )
    )
    sites = [*markup.mastheads, _host_stem(host)]
    headline = _plain(str(article.get("headline") or "")) if article else ""
    markup.headline = _headline(headline or meta.get("og:title", ""), sites)
    authors = _names(article.get("author")) if article else []
    if not authors:
        authors = [
            meta[key] for key in AUTHOR_META if meta.get(key) and not meta[key].startswith("http")
        ][:1]
    names = (re.sub(r"^by\s+", "", _plain(a), flags=re.IGNORECASE) for a in authors)
    markup.authors = list(dict.fromkeys(name for name in names if name))
    markup.date, markup.date_from = _date(tree, article, meta, comment_roots)
    markup.comments = _html_comments(comment_roots) or _json_ld_comments(article)
    markup.comment_counter = _comment_counter(tree, comment_roots)
    return markup


def _host_stem(host: str) -> str:
    """ "thehill" for "www.thehill.com"."""
    labels = host.removeprefix("www.").split(".")
    return labels[-2] if len(labels) >= 2 else ""


def _headline(title: str, sites: list[str]) -> str:
    """The title without a trailing " | Site name" when that is the site's name."""
    parts = re.split(r"\s+[|–—-]\s+", title)

    def key(s: str) -> str:
        return "".join(ch for ch in s.casefold() if ch.isalnum()).removeprefix("the")

    if len(parts) > 1 and any(key(site) and key(site) == key(parts[-1]) for site in sites):
        return " - ".join(parts[:-1])
    return title


def _attr(tree: _Element, path: str, name: str) -> str:
    found = tree.find(path)
    return (found.get(name) or "").strip() if found is not None else ""


def _scope(element: _Element) -> _Element | None:
    """The nearest microdata item (itemscope) an element belongs to, or None."""
    parent = element.getparent()
    while parent is not None:
        if parent.get("itemscope") is not None:
            return parent
        parent = parent.getparent()
    return None


def _article_scope(scope: _Element) -> bool:
    itemtype = (scope.get("itemtype") or "").rstrip("/")
    return any(itemtype.endswith("schema.org/" + kind) for kind in ARTICLE_TYPES)


def _meta(tree: _Element) -> dict[str, str]:
    """The page's meta tags by key. A microdata `itemprop` counts only outside any item, or in
    the page's one article item (which holds most of its text): a reader comment's or a related
    story's date is not the page's."""
    articles = [e for e in tree.iter() if e.get("itemscope") is not None and _article_scope(e)]
    # The page's article item holds most of the page's text; a related story's card does not.
    page_text = len(tree.text_content() or "")
    articles = [e for e in articles if 2 * len(e.text_content() or "") >= page_text]
    found: dict[str, str] = {}
    for element in tree.iter("meta"):
        keys = [element.get("property") or "", element.get("name") or ""]
        scope = _scope(element)
        if scope is None or (len(articles) == 1 and scope is articles[0]):
            keys += (element.get("itemprop") or "").split()
        content = _plain(element.get("content") or "")
        for key in keys:
            if key.strip() and content:
                found.setdefault(key.strip().casefold(), content)
    return found


def _plain(value: str) -> str:
    """Text from an attribute or JSON-LD: entities left encoded a second time decoded."""
    return v.normalise(entities.unescape(value))


def _machine_date(value: str) -> str:
    """An ISO 8601 stamp (JSON-LD, meta, <time datetime>) written out in a form `find_date`
    reads ("Z" as +00:00); any other value as it is. "" for no date (0001-01-01)."""
    value = v.normalise(value)
    try:
        stamp = datetime.datetime.fromisoformat(value)
    except ValueError:
        return value if find_date(value) else ""
    if stamp.year < 1900:
        return ""
    if re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        return stamp.date().isoformat()
    return stamp.isoformat()


def _json_ld_article(tree: _Element) -> dict[str, Any]:
    """The page's own article in its JSON-LD (a NewsArticle before an Article), or {}."""
    items: list[dict[str, Any]] = []
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        raw = (script.text or "").strip().removeprefix("<![CDATA[").removesuffix("]]>").rstrip(";")
        try:
            items += list(_json_items(json.loads(raw)))
        except (ValueError, RecursionError):
            continue
    for wanted in ARTICLE_TYPES:
        for item in items:
            types = item.get("@type")
            if wanted in (types if isinstance(types, list) else [types]):
                return item
    return next(
        (
            item
            for item in items
            if item.get("@type") in ("BlogPosting", "WebPage") and item.get("headline")
        ),
        {},
    )


def _json_items(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _json_items(item)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _json_items(data["@graph"])


def _name(value: Any) -> str:
    if isinstance(value, list):
        return _name(value[0]) if value else ""
    if isinstance(value, dict):
        return v.normalise(str(value.get("name") or ""))
    return (
        v.normalise(str(value)) if isinstance(value, str) and not value.startswith("http") else ""
    )


def _names(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [name for name in (_name(item) for item in values) if name]


def _date(
    tree: _Element, article: dict[str, Any], meta: dict[str, str], comment_roots: list[_Element]
) -> tuple[str, str]:
    """(the publication date as the markup states it, where it was found), or ("", "").

    The date line is read by `dates.find_date` like a text page's, so a time without a zone,
    or a day without a time, is stored by the same rule. htmldate comes last, without the
    page's address (no date guessed from a URL) and without its free-text search; a day it
    finds is kept only when an element labelled as a date on the page states it."""
    stated = article.get("datePublished") if article else None
    if isinstance(stated, str) and _machine_date(stated):
        return _machine_date(stated), "JSON-LD datePublished"
    for key in PUBLISHED_META:
        if key in meta and _machine_date(meta[key]):
            return _machine_date(meta[key]), f"meta {key}"
    in_comments = {e for root in comment_roots for e in root.iter()}
    times = [t for t in tree.iter("time") if t not in in_comments and t.get("datetime")]
    times.sort(
        key=lambda t: (
            0 if t.get("itemprop") == "datePublished" or t.get("pubdate") is not None else 1
        )
    )
    for element in times:
        value = _machine_date(element.get("datetime") or "")
        if value:
            return value, "<time datetime>"
    day = htmldate.find_date(
        tree, extensive_search=False, original_date=True, url="", outputformat="%Y-%m-%d"
    )
    if not day:
        return "", ""
    for element in tree.iter():
        if element in in_comments or not isinstance(element.tag, str):
            continue
        label = " ".join(element.get(name) or "" for name in ("class", "id", "itemprop"))
        if not DATE_LABEL.search(label):
            continue
        text = v.normalise(element.text_content())
        found = find_date(text) if len(text) <= 120 else None
        if found and found.day.isoformat() == day:
            return text, "htmldate (a date-labelled element)"
    return "", ""


# --- reader comments in the markup --------------------------------------------------------


def _tokens(element: _Element) -> set[str]:
    return set((element.get("class") or "").split())


def _is_comment(element: _Element) -> bool:
    if not isinstance(element.tag, str):
        return False
    itemtype = element.get("itemtype") or ""
    return (
        itemtype.rstrip("/").endswith("schema.org/Comment")
        or element.get("itemprop") == "comment"
        or bool(COMMENT_ID.match(element.get("id") or ""))
        or bool(_tokens(element) & COMMENT_CLASSES)
    )


# Elements are kept in sets themselves, never by id(): lxml makes a new proxy object for a node
# once the last one is gone, and a freed proxy's id is soon reused by another node's.
def _comment_elements(tree: _Element) -> list[_Element]:
    return [element for element in tree.iter() if _is_comment(element)]


def _own(element: _Element, skip: set[_Element]) -> Iterator[_Element]:
    """The element's descendants outside nested comments (its replies), in document order."""
    for child in element:
        if child in skip or not isinstance(child.tag, str):
            continue
        yield child
        yield from _own(child, skip)


def _text_lines(element: _Element, skip: set[_Element]) -> list[str]:
    parts: list[str] = []

    def walk(node: _Element) -> None:
        if isinstance(node.tag, str) and node.tag.lower() in BLOCK_TAGS:
            parts.append("\n")
        parts.append(node.text or "" if isinstance(node.tag, str) else "")
        for child in node:
            if (
                child not in skip
                and isinstance(child.tag, str)
                and child.tag not in ("script", "style")
            ):
                walk(child)
            parts.append(child.tail or "")
        if isinstance(node.tag, str) and node.tag.lower() in BLOCK_TAGS:
            parts.append("\n")

    walk(element)
    return _paragraphs("".join(parts))


def _html_comments(roots: list[_Element]) -> list[HtmlComment]:
    every = set(roots)
    found: list[HtmlComment] = []
    for root in roots:
        nested = {e for e in root.iter() if e in every and e is not root}
        own = list(_own(root, nested))
        marked = [(_text_rank(e), n, e) for n, e in enumerate(own) if _text_rank(e) is not None]
        text_at = min(marked, key=lambda found: found[:2])[2] if marked else None
        if text_at is None:
            continue  # a wrapper: its comment is a nested element
        quotes = [e for e in text_at.iter("blockquote")]
        skip = nested | {q for q in quotes}
        comment = HtmlComment(paragraphs=_text_lines(text_at, skip))
        comment.quoted = " ".join(" ".join(_text_lines(q, nested)) for q in quotes)
        if not comment.paragraphs:
            continue
        inside_text = {e for e in text_at.iter()}
        outside = [e for e in own if e not in inside_text]
        comment.handle = _comment_author(outside)
        comment.posted_label = _comment_time(outside)
        comment.score, comment.up, comment.down = _tally(outside)
        found.append(comment)
    return found


def _text_rank(element: _Element) -> int | None:
    marks = [element.get("itemprop") or "", *_tokens(element)]
    ranks = [TEXT_MARKS.index(mark) for mark in marks if mark in TEXT_MARKS]
    return min(ranks) if ranks else None


def _comment_author(elements: list[_Element]) -> str:
    for test in (
        lambda e: e.get("itemprop") in ("author", "creator"),
        lambda e: "fn" in _tokens(e),
        lambda e: any(AUTHOR_CLASS.match(t) for t in _tokens(e)),
        lambda e: e.tag == "cite",
    ):
        for element in elements:
            if test(element):
                named = element.find('.//*[@itemprop="name"]')
                text = v.normalise((named if named is not None else element).text_content())
                text = SAYS.sub("", text)
                if 0 < len(text) <= 100:
                    return text
    return ""


def _comment_time(elements: list[_Element]) -> str:
    for element in elements:
        stamp = element.get("datetime") or (
            element.get("content")
            if element.get("itemprop") in ("dateCreated", "datePublished")
            else ""
        )
        if element.tag == "time" or stamp:
            shown = v.normalise(element.text_content())
            stamp = _machine_date(stamp or "")
            # The stamp first, so `find_date` reads the instant and not the words around it.
            return f"{stamp} ({shown})" if stamp and shown and stamp != shown else stamp or shown
    return ""


def _tally(elements: list[_Element]) -> tuple[int | None, int | None, int | None]:
    score = up = down = None
    for element in elements:
        text = v.normalise(element.text_content())
        tally = v.TALLY.match(text)
        if tally:
            return int(tally["score"].replace("\u2212", "-")), int(tally["up"]), int(tally["down"])
        label = " ".join(_tokens(element))
        if not COUNT.match(text) or not label:
            continue
        number = int(text.replace("\u2212", "-"))
        if DOWN_CLASS.search(label) and down is None:
            down = abs(number)
        elif UP_CLASS.search(label) and up is None:
            up = number
        elif SCORE_CLASS.search(label) and score is None:
            score = number
    return score, up, down


def _comment_counter(tree: _Element, comment_roots: list[_Element]) -> str:
    """The heading over the comment section that counts its comments ("2 Comments")."""
    inside = {e for root in comment_roots for e in root.iter()}
    for element in tree.iter("h2", "h3", "h4", "span", "div", "a"):
        if element in inside:
            continue
        label = (element.get("class") or "") + " " + (element.get("id") or "")
        if element.tag in ("span", "div", "a") and not re.search(r"comment", label, re.I):
            continue
        text = v.normalise(element.text_content())
        if len(text) <= 40 and v.COMMENT_COUNTER.match(text):
            return text
    return ""


def _json_ld_comments(article: dict[str, Any]) -> list[HtmlComment]:
    items = article.get("comment") if article else None
    found = []
    for item in items if isinstance(items, list) else [items] if isinstance(items, dict) else []:
        if not isinstance(item, dict):
            continue
        paragraphs = _paragraphs(str(item.get("text") or ""))
        if not paragraphs:
            continue
        up, down = item.get("upvoteCount"), item.get("downvoteCount")
        found.append(
            HtmlComment(
                handle=_name(item.get("author")),
                posted_label=_machine_date(str(item.get("dateCreated") or "")),
                paragraphs=paragraphs,
                up=up if isinstance(up, int) else None,
                down=down if isinstance(down, int) else None,
            )
        )
    return found
