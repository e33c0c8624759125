"""Link review as cards on the article page.

Each coverage link is a card: the whole evidence sentence with the words the importer matched
highlighted (by offsets into the text, every part escaped by the template), the sentences
around it in the body, why it was suggested, who decided it and when, and one-click Accept and
Reject forms posting to `decide_link_view`, which calls the coverage service (the one place a
decision is made; a decision on a link someone decided meanwhile is refused there and here).

The cards of an article cost a fixed number of queries whatever the number of links: one per
kind of link and one for the audit rows naming who rejected what.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse

from articles.admin.base import attempt
from articles.admin.coverage import STATUS_ORDER
from articles.importer.suggest import sentences
from articles.models import LINK_KINDS, Article, CoverageLink, LinkKind
from articles.services.coverage import confirm_link, describe_decision, reject_link

DECISIONS = ("accept", "reject")


@dataclass
class Segment:
    text: str
    matched: bool


@dataclass
class LinkCard:
    kind: LinkKind
    link: Any
    segments: list[Segment]
    before: str
    after: str
    in_body: bool
    is_headline: bool
    decided_by: str = ""
    decided_at: Any = None

    @property
    def anchor(self) -> str:
        return f"card-{self.kind.name}-{self.link.pk}"

    @property
    def status(self) -> str:
        return str(self.link.status)

    @property
    def pending(self) -> bool:
        return bool(self.link.status == CoverageLink.Status.SUGGESTED)

    @property
    def can_accept(self) -> bool:
        return bool(self.link.status != CoverageLink.Status.CONFIRMED)

    @property
    def can_reject(self) -> bool:
        return bool(self.link.status != CoverageLink.Status.REJECTED)


def highlight(text: str, terms: list[str]) -> list[Segment]:
    """`text` cut into plain and matched segments: every case-insensitive occurrence of each
    term, overlapping matches merged. Only offsets are computed; nothing is marked up here."""
    spans: list[tuple[int, int]] = []
    for term in terms:
        if not term:
            continue
        spans += [(m.start(), m.end()) for m in re.finditer(re.escape(term), text, re.IGNORECASE)]
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    segments, position = [], 0
    for start, end in merged:
        if start > position:
            segments.append(Segment(text[position:start], False))
        segments.append(Segment(text[start:end], True))
        position = end
    if position < len(text) or not segments:
        segments.append(Segment(text[position:], False))
    return segments


def _deciders(links: list[tuple[LinkKind, Any]]) -> dict[tuple[Any, str], LogEntry]:
    """The latest audit row of each link (who decided it, when), in one query."""
    if not links:
        return {}
    types = ContentType.objects.get_for_models(*(kind.model for kind in LINK_KINDS.values()))
    by_type: dict[int, list[str]] = {}
    for kind, link in links:
        by_type.setdefault(types[kind.model].pk, []).append(str(link.pk))
    condition = Q(
        *(Q(content_type_id=ct, object_id__in=ids) for ct, ids in by_type.items()),
        _connector=Q.OR,
    )
    latest: dict[tuple[Any, str], LogEntry] = {}
    for entry in (
        LogEntry.objects.filter(condition).select_related("user").order_by("action_time", "pk")
    ):
        latest[(entry.content_type_id, entry.object_id)] = entry
    return latest


def link_cards(article: Article) -> list[LinkCard]:
    """The article's coverage links as cards, suggestions first, kind by kind."""
    found = sentences(article.body)
    position = {sentence: index for index, sentence in reversed(list(enumerate(found)))}
    rows: list[tuple[LinkKind, Any]] = []
    for kind in LINK_KINDS.values():
        links = (
            kind.model.objects.filter(article_id=article.pk)
            .select_related(kind.target_field, "confirmed_by")
            .annotate(status_order=STATUS_ORDER)
            .order_by("status_order", "pk")
        )
        rows += [(kind, link) for link in links]
    rows.sort(key=lambda row: row[1].status_order)
    types = ContentType.objects.get_for_models(*(kind.model for kind in LINK_KINDS.values()))
    entries = _deciders([row for row in rows if row[1].status == CoverageLink.Status.REJECTED])
    cards = []
    for kind, link in rows:
        evidence = link.evidence
        index = position.get(evidence.strip())
        card = LinkCard(
            kind=kind,
            link=link,
            segments=highlight(evidence, list(link.matched or [])),
            before=found[index - 1] if index else "",
            after=found[index + 1] if index is not None and index + 1 < len(found) else "",
            in_body=index is not None,
            is_headline=index is None and evidence.strip() == article.headline.strip(),
        )
        if link.status == CoverageLink.Status.CONFIRMED and link.confirmed_by is not None:
            card.decided_by = link.confirmed_by.get_username()
            card.decided_at = link.confirmed_at
        elif link.status == CoverageLink.Status.REJECTED:
            entry = entries.get((types[kind.model].pk, str(link.pk)))
            if entry is not None:
                card.decided_by = str(entry.user.get_username())  # type: ignore[attr-defined]
                card.decided_at = entry.action_time
        cards.append(card)
    return cards


def card_summary(cards: list[LinkCard]) -> dict[str, int]:
    counts = {status.value: 0 for status in CoverageLink.Status}
    for card in cards:
        counts[card.status] += 1
    return counts


class LinkCardsMixin(admin.ModelAdmin):
    """The cards' context on the article page and the route that decides one link."""

    def cards_context(self, request: HttpRequest, article: Article) -> dict[str, Any]:
        cards = link_cards(article)
        return {
            "link_cards": cards,
            "link_card_counts": card_summary(cards),
            "can_decide_links": request.user.has_perm("articles.confirm_coverage"),
        }

    def decide_link_view(
        self, request: HttpRequest, object_id: str, kind: str, link_id: int, decision: str
    ) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self.get_object(request, unquote(object_id))
        if article is None or kind not in LINK_KINDS or decision not in DECISIONS:
            raise Http404("No such article, kind of link or decision.")
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        model = LINK_KINDS[kind].model
        link = (
            model.objects.select_related("article", model.target_field, "confirmed_by")
            .filter(pk=link_id, article_id=article.pk)
            .first()
        )
        if link is None:
            raise Http404("No such link on this article.")
        back = reverse("admin:articles_article_change", args=[article.pk])
        anchor = f"#decided-{kind}-{link.pk}"  # the cards' script focuses the next one
        seen = request.POST.get("seen_status", "")
        if seen != link.status:
            messages.error(
                request,
                f"Not applied: the {model._meta.verbose_name} to {link.target} was "
                f"{describe_decision(link)} after you opened the page. Decide again below.",
            )
            return redirect(back + anchor)
        decide = confirm_link if decision == "accept" else reject_link
        if attempt(request, lambda: decide(link, editor=request.user)) is not None:
            done = "Accepted" if decision == "accept" else "Rejected"
            messages.success(request, f"{done} the {model._meta.verbose_name} to {link.target}.")
        return redirect(back + anchor)


__all__ = ["DECISIONS", "LinkCard", "LinkCardsMixin", "card_summary", "highlight", "link_cards"]
