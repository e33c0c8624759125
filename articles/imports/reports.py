"""Each imported page's report, written for a person: what was found, what is missing and why.

Nothing is recomputed: the sentences are read out of the import report the importer stored on
the raw document (`articles.importer.report.import_report`) and the page's recorded outcome.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from articles.models import ImportJobPage
from articles.models.imports import PageOutcome
from articles.services.audit import and_list

LINK_NOUNS = {
    "round": ("round", "rounds"),
    "official": ("official", "officials"),
    "meeting": ("meeting", "meetings"),
    "measure": ("tariff measure", "tariff measures"),
}


def count_of(n: int, nouns: tuple[str, str]) -> str:
    return f"{n} {nouns[0] if n == 1 else nouns[1]}"


@dataclass
class PageReport:
    """What a person reads about one page of an import."""

    headline: str = ""
    summary: str = ""
    found: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def source_names_needed(pages: Iterable[ImportJobPage]) -> set[str]:
    """The source slugs the pages' reports name (to fetch their names in one query)."""
    slugs: set[str] = set()
    for page in pages:
        fields = _report(page).get("fields") or {}
        slugs.update(s for s in (fields.get("outlet"), fields.get("wire")) if s)
        slugs.update(fields.get("cited_sources") or [])
    return slugs


def _report(page: ImportJobPage) -> dict[str, Any]:
    raw = page.raw_document
    report = raw.import_report if raw is not None else None
    return report if isinstance(report, dict) else {}


def describe_page(page: ImportJobPage, sources: Mapping[str, str]) -> PageReport:
    """The page's report in sentences; `sources` maps source slugs to their names."""
    outcome = page.outcome
    out = PageReport()
    if outcome == PageOutcome.PENDING:
        out.summary = "Waiting to be imported."
        return out
    if outcome in (PageOutcome.FAILED, PageOutcome.REFUSED):
        out.summary = f"Not imported: {page.reason}. Nothing of it was saved."
        return out
    raw = page.raw_document
    article = raw.article if raw is not None else None
    out.headline = article.headline if article is not None else ""
    if outcome == PageOutcome.UNCHANGED:
        out.summary = f"Already imported, nothing changed: {page.reason}."
        return out
    report = _report(page)
    if report.get("outcome") != outcome:
        # The raw document's report is of another import (it is kept as first stored).
        out.summary = f"{PageOutcome(outcome).label}." if outcome else ""
        return out
    fields: dict[str, Any] = report.get("fields") or {}

    def name(slug: str | None) -> str:
        return sources.get(slug or "", slug or "")

    if outcome == PageOutcome.CHANGED:
        changes = report.get("changes") or []
        out.summary = (
            "A changed version of a page imported before: stored as a new raw page of the same "
            "article, which is flagged for review; the article's fields are left as the desk "
            "left them."
        )
        if changes:
            out.summary += f" The page now differs in: {and_list(changes)}."
    else:
        out.summary = "Imported as a new draft article."
    if fields.get("headline"):
        out.found.append(f"Headline: “{fields['headline']}”")
    if fields.get("published_at"):
        when = str(fields["published_at"])
        if fields.get("time_of_day_stated"):
            out.found.append(f"Date and time: {when}")
        else:
            out.found.append(
                f"Date: {when}; stored at 12:00 UTC of that day, with the time marked unknown"
            )
    if fields.get("outlet"):
        out.found.append(f"Outlet: {name(fields['outlet'])}")
    if fields.get("wire"):
        out.found.append(f"Wire: {name(fields['wire'])}")
    if fields.get("byline"):
        out.found.append(f"Byline: {fields['byline']}")
    if fields.get("dateline"):
        out.found.append(f"Dateline: {fields['dateline']}")
    comments = report.get("comments") or {}
    if comments.get("found"):
        out.found.append(
            f"{count_of(int(comments['found']), ('reader comment', 'reader comments'))} "
            f"({comments.get('created', 0)} new, waiting for moderation)"
        )
    links = {k: n for k, n in (report.get("links_created") or {}).items() if n}
    if links:
        out.found.append(
            "Suggested links, each with the sentence that supports it: "
            + and_list(count_of(n, LINK_NOUNS.get(k, (k, k + "s"))) for k, n in links.items())
        )
    cited = [name(slug) for slug in fields.get("cited_sources") or []]
    for missing in report.get("needs_review") or []:
        out.missing.append(_missing(missing, fields, cited, name))
    for item in report.get("unresolved") or []:
        sentence = _unresolved(item)
        if sentence not in out.unresolved:  # the same mention in several sentences: said once
            out.unresolved.append(sentence)
    out.notes = [str(note) for note in report.get("notes") or []]
    return out


def missing_reasons(raw: Any) -> dict[str, str]:
    """Why each item the import could not establish is missing, in the report's words, for the
    article page ("No outlet stated; the page cites Kyodo"). One query for the source names."""
    from articles.models import Source

    report = raw.import_report if isinstance(raw.import_report, dict) else {}
    fields: dict[str, Any] = report.get("fields") or {}
    slugs = {s for s in (fields.get("outlet"), fields.get("wire")) if s}
    slugs.update(fields.get("cited_sources") or [])
    names = dict(Source.objects.filter(slug__in=slugs).values_list("slug", "name")) if slugs else {}

    def name(slug: str | None) -> str:
        return names.get(slug or "", slug or "")

    cited = [name(slug) for slug in fields.get("cited_sources") or []]
    return {
        str(what): _missing(str(what), fields, cited, name)
        for what in report.get("needs_review") or []
    }


def _missing(what: str, fields: Mapping[str, Any], cited: list[str], name: Any) -> str:
    if what == "outlet":
        text = "No outlet stated"
        if fields.get("outlet_name"):
            text = (
                f"The page names the outlet “{fields['outlet_name']}”, which is not in the "
                "sources list; add it under Sources"
            )
        if fields.get("wire"):
            text += f"; the page carries {name(fields['wire'])} copy"
        if cited:
            text += f"; the page cites {and_list(cited)}"
        return text
    if what == "published_at":
        if fields.get("published_line"):
            return (
                f"No publication date could be read: the date line “{fields['published_line']}”"
                " does not give a full date"
            )
        return "No publication date stated on the page"
    if what == "headline":
        return "No headline found; write one before publishing"
    if what == "byline":
        return "No byline stated (publishing does not need one)"
    if what == "body":
        return "No story text found"
    return f"{what.replace('_', ' ').capitalize()}: not found"


def _unresolved(item: Mapping[str, Any]) -> str:
    kind, mention = item.get("kind", ""), item.get("mention", "")
    if kind == "round" and item.get("number") is not None:
        why = f"round {item['number']} is not in the record"
    elif item.get("reason"):
        why = str(item["reason"])
    else:
        why = f"no {kind} in the record fits"
    return f"“{mention}” was not linked: {why}"
