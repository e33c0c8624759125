"""`demo` imports seeds/ and applies the desk's editorial fixture; a second run changes nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from articles.importer.metadata import extract
from articles.importer.reference import load_reference
from articles.importer.segmenter import segment
from articles.models import Article, Comment, ModerationDecision, RawDocument, RoundLink

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_demo() -> str:
    out = io.StringIO()
    call_command("demo", "--no-serve", stdout=out)
    return out.getvalue()


def state() -> dict[str, object]:
    return {
        "articles": sorted(Article.objects.values_list("slug", "status", "version", "headline")),
        "raw": RawDocument.objects.count(),
        "comments": sorted(Comment.objects.values_list("uuid", "status", "version")),
        "decisions": ModerationDecision.objects.count(),
        "confirmed_rounds": RoundLink.objects.confirmed().count(),
    }


def test_demo_shows_a_working_desk_and_a_second_run_is_harmless() -> None:
    output = run_demo()
    assert "Seeds: 5 imported" in output and "Applied 3 desk fixture files." in output

    published = Article.objects.published()
    assert published.count() == 3
    assert all(a.headline and a.published_at and a.outlet_id for a in published)
    # A time of day stated on the page is kept as such; a bare date is marked as one.
    assert {a.slug: a.published_time_known for a in published} == {
        "page-000-ece73873": True,
        "page-004-d167913b": True,
        "japan-says-there-is-no-easy-concession-on-us-tariffs-seeks-more-talks-in-june": False,
    }
    assert set(Article.objects.filter(headline_by_editor=True).values_list("slug", flat=True)) == {
        "page-000-ece73873",
        "page-003-daa376ad",
        "page-004-d167913b",
    }
    in_review = Article.objects.get(slug="page-003-daa376ad")
    assert in_review.status == Article.Status.IN_REVIEW
    assert {"published_at", "outlet"} <= set(in_review.needs_review)
    # Page 002 states no date and nothing the desk holds establishes one: it waits, flagged.
    undated = Article.objects.get(slug__contains="twice-with-lutnick")
    assert undated.status == Article.Status.IN_REVIEW
    assert undated.published_at is None and "published_at" in undated.needs_review
    assert Comment.objects.exclude(status=Comment.Status.PENDING).count() == 4
    assert Comment.objects.filter(status=Comment.Status.REJECTED).get().decisions.get().reason
    assert ModerationDecision.objects.count() == 4
    for article in published:
        assert article.roundlinks.confirmed().exists()
    # The desk fixture stores whole articles: it must agree with what the importer reads today
    # (if this fails, the importer changed: regenerate fixtures/desk/).
    reference = load_reference()
    for raw in RawDocument.objects.select_related("article"):
        assert raw.article is not None
        draft = extract(segment(raw.text, source_names=reference.source_names()), reference)
        assert raw.article.body == draft.body, raw.file_name

    before = state()
    Article.objects.filter(slug="page-003-daa376ad").update(dek="Written after the demo came up.")
    output = run_demo()
    assert "Seeds: 0 imported, 5 already there, 0 changed." in output
    assert "Desk fixture already applied" in output
    assert state() == before
    assert Article.objects.get(slug="page-003-daa376ad").dek == "Written after the demo came up."
