"""Link review as cards on the article page: the whole evidence sentence with the matched words
highlighted (escaped, by offsets), the sentences around it in the body, why it was suggested,
one-click Accept and Reject through the coverage service, stale decisions refused, who decided
what and when, and a query count that does not grow with the links."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.admin.cards import highlight
from articles.importer.reference import Reference
from articles.importer.store import import_paths
from articles.importer.suggest import suggest
from articles.models import CoverageLink, OfficialLink, RawDocument, RoundLink
from articles.services.coverage import confirm_link
from tests.articles.admin_support import client_for, role_user
from tests.articles.factories import ArticleFactory, OfficialLinkFactory, RoundLinkFactory
from tests.negotiations.factories import RoundFactory

pytestmark = pytest.mark.django_db

BODY = (
    "Tokyo sent its negotiator again. "
    "Akazawa met Lutnick in Washington in a fourth round of talks. "
    "They spoke for 130 minutes."
)


def change_url(article: object) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])  # type: ignore[attr-defined]


def decide_url(link: CoverageLink, kind: str, decision: str) -> str:
    return reverse(
        "admin:articles_article_decide_link", args=[link.article_id, kind, link.pk, decision]
    )


def card_html(html: str, link: CoverageLink, kind: str) -> str:
    match = re.search(rf'<li class="link-card[^"]*" id="card-{kind}-{link.pk}".*?</li>', html, re.S)
    assert match, f"no card for {kind} link {link.pk}"
    return match.group(0)


def test_highlight_cuts_by_offsets_and_merges_overlaps() -> None:
    segments = highlight("Akazawa met LUTNICK; akazawa left.", ["akazawa", "Lutnick", "Lut"])

    assert [(s.text, s.matched) for s in segments] == [
        ("Akazawa", True),
        (" met ", False),
        ("LUTNICK", True),
        ("; ", False),
        ("akazawa", True),
        (" left.", False),
    ]
    assert [(s.text, s.matched) for s in highlight("No match.", ["x"])] == [("No match.", False)]


def test_a_card_shows_the_whole_sentence_highlighted_in_its_body_context_and_why() -> None:
    article = ArticleFactory.create(body=BODY)
    link = RoundLinkFactory.create(
        article=article,
        round=RoundFactory.create(number=4),
        evidence="Akazawa met Lutnick in Washington in a fourth round of talks.",
        basis=CoverageLink.Basis.ORDINAL,
        reason="'fourth round'",
        matched=["fourth round"],
    )

    html = client_for(role_user("Editors")).get(change_url(article)).content.decode()
    card = card_html(html, link, "round")

    evidence = re.search(r'<blockquote class="link-card-evidence">(.*?)</blockquote>', card, re.S)
    assert evidence is not None
    assert evidence.group(1) == (
        "Akazawa met Lutnick in Washington in a <mark>fourth round</mark> of talks."
    )
    assert "Tokyo sent its negotiator again." in card  # the sentence before it in the body
    assert "They spoke for 130 minutes." in card  # and after it
    assert "Round ordinal" in card and "&#x27;fourth round&#x27;" in card
    assert 'data-decision="accept"' in card and 'data-decision="reject"' in card
    assert "1 awaiting a decision" in html
    assert "articles/link_cards.js" in html
    assert not re.search(r"<script>(?!\s*</script>)", html), "no inline script on the page"
    assert " onclick=" not in html and " onkeydown=" not in html


def test_evidence_and_matched_words_from_a_page_are_escaped_never_markup() -> None:
    article = ArticleFactory.create(body="Plain body.")
    link = RoundLinkFactory.create(
        article=article,
        evidence='<img src=x onerror="alert(1)"> Akazawa <b>met</b> Lutnick',
        matched=["<b>met</b>", 'onerror="alert(1)"'],
        basis=CoverageLink.Basis.ALIAS,
        reason="name '<script>alert(2)</script>'",
    )

    html = client_for(role_user("Editors")).get(change_url(article)).content.decode()
    card = card_html(html, link, "round")

    assert "<img" not in card and "<b>" not in card and "<script>" not in card
    assert "<mark>&lt;b&gt;met&lt;/b&gt;</mark>" in card
    assert "<mark>onerror=&quot;alert(1)&quot;</mark>" in card
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in card
    assert "not in the body as it stands now" in card


def test_accept_takes_one_post_through_the_service_and_says_who_and_when() -> None:
    article = ArticleFactory.create(body=BODY)
    link = RoundLinkFactory.create(article=article)
    editor = role_user("Editors", "erin")
    client = client_for(editor)

    response = client.post(decide_url(link, "round", "accept"), {"seen_status": "suggested"})

    assert response.status_code == 302
    assert response["Location"] == f"{change_url(article)}#decided-round-{link.pk}"
    stored = RoundLink.objects.get(pk=link.pk)
    assert stored.status == CoverageLink.Status.CONFIRMED
    assert stored.confirmed_by == editor
    page = client.get(response["Location"])
    html = page.content.decode()
    card = card_html(html, link, "round")
    assert "link-card-confirmed" in card
    assert "Confirmed by erin on" in card
    assert 'data-decision="accept"' not in card  # nothing left to accept
    assert "Accepted the round link to" in html


def test_reject_takes_one_post_and_a_rejected_card_looks_rejected_and_names_who() -> None:
    article = ArticleFactory.create(body=BODY)
    link = OfficialLinkFactory.create(article=article)
    client = client_for(role_user("Editors", "rita"))

    response = client.post(decide_url(link, "official", "reject"), {"seen_status": "suggested"})

    assert response.status_code == 302
    assert OfficialLink.objects.get(pk=link.pk).status == CoverageLink.Status.REJECTED
    card = card_html(client.get(change_url(article)).content.decode(), link, "official")
    assert 'class="link-card link-card-rejected"' in card
    assert "Rejected by rita on" in card
    assert 'data-decision="reject"' not in card and 'data-decision="accept"' in card


def test_a_decision_on_a_card_someone_decided_meanwhile_is_refused() -> None:
    article = ArticleFactory.create(body=BODY)
    link = RoundLinkFactory.create(article=article)
    confirm_link(link, editor=role_user("Editors", "alice"))
    bob = client_for(role_user("Editors", "bob"))

    response = bob.post(
        decide_url(link, "round", "reject"), {"seen_status": "suggested"}, follow=True
    )

    stored = RoundLink.objects.select_related("confirmed_by").get(pk=link.pk)
    assert stored.status == CoverageLink.Status.CONFIRMED
    assert stored.confirmed_by is not None and stored.confirmed_by.username == "alice"
    assert "Not applied: the round link to" in response.content.decode()
    assert "confirmed by alice" in response.content.decode()


def test_the_decision_route_takes_post_from_editors_for_links_of_that_article_only() -> None:
    article = ArticleFactory.create()
    link = RoundLinkFactory.create(article=article)
    other = RoundLinkFactory.create()
    editor = client_for(role_user("Editors"))

    assert editor.get(decide_url(link, "round", "accept")).status_code == 405
    wrong_article = reverse(
        "admin:articles_article_decide_link", args=[article.pk, "round", other.pk, "accept"]
    )
    assert editor.post(wrong_article, {"seen_status": "suggested"}).status_code == 404
    assert editor.post(decide_url(link, "round", "delete"), {}).status_code == 404
    moderator = client_for(role_user("Moderators"))
    assert (
        moderator.post(
            decide_url(link, "round", "accept"), {"seen_status": "suggested"}
        ).status_code
        == 403
    )
    assert RoundLink.objects.get(pk=link.pk).status == CoverageLink.Status.SUGGESTED


def _page_queries(links: int) -> int:
    article = ArticleFactory.create(body=BODY)
    for _ in range(links):
        link = RoundLinkFactory.create(article=article, round=RoundFactory.create())
        RoundLink.objects.filter(pk=link.pk).update(status=CoverageLink.Status.REJECTED)
        OfficialLinkFactory.create(article=article)
    client = client_for(role_user("Editors", f"counter-{links}"))
    client.get(change_url(article))  # sessions, content types: not what is measured
    with CaptureQueriesContext(connection) as queries:
        response = client.get(change_url(article))
    assert response.status_code == 200
    assert response.content.decode().count('class="link-card ') == 2 * links
    return len(queries)


def test_the_article_page_with_its_cards_costs_the_same_queries_for_1_or_50_links() -> None:
    assert _page_queries(1) == _page_queries(50)


def test_the_importer_records_why_it_suggested_each_link(ref: Reference, tmp_path: Path) -> None:
    found = suggest(
        "Akazawa met Lutnick for the seventh round of talks. The 15% tariff on autos takes effect.",
        headline="",
        day=datetime.date(2025, 9, 20),
        ref=ref,
    )
    by_kind = {(item.kind, item.basis): item for item in found.items}
    assert ("official", "alias") in by_kind
    assert "Akazawa" in by_kind[("official", "alias")].terms
    assert by_kind[("round", "ordinal")].terms == ("seventh round",)
    assert by_kind[("measure", "rate")].terms == ("15%", "autos")

    page = tmp_path / "talks.txt"
    page.write_text(
        "Akazawa holds seventh round of tariff talks\n\n"
        "Akazawa met Lutnick in Washington for the seventh round of talks.\n",
        encoding="utf-8",
    )
    import_paths([page])
    article = RawDocument.objects.get().article
    assert article is not None
    official = article.officiallinks.get(official__slug="ryosei-akazawa")  # type: ignore[attr-defined]
    assert official.basis == CoverageLink.Basis.ALIAS
    assert official.reason.startswith("name ")
    assert "Akazawa" in official.matched
