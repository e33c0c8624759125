"""What a walk of the desk in Chromium found, each fixed and held here:

- the article page says why the import left a field open, and links to its raw page;
- "View site" opens the readers' list of published articles (it was a 404), and "/" leads there;
- the reader page names every kind of confirmed link, meetings and measures included;
- the import job's words fit what happened (nothing new; the article's real status);
- a report says each unlinked mention once;
- the inbox's recent imports say what the article still needs now, not at import;
- the article list gives the published time in the article's own zone, named.
"""

from __future__ import annotations

import datetime
import re
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from articles.admin.imports import job_state
from articles.imports.reports import describe_page
from articles.models import Article, CoverageLink, ImportJob
from articles.models.imports import JobStatus, PageOutcome
from tests.articles.admin_support import client_for, role_user
from tests.articles.factories import (
    ArticleFactory,
    MeasureLinkFactory,
    MeetingLinkFactory,
    PublishedArticleFactory,
    RawDocumentFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


def change_page(article: Article) -> str:
    client = client_for(role_user("Editors"))
    return client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()


def test_the_article_page_says_why_the_import_left_fields_open_and_links_the_raw_page() -> None:
    kyodo = SourceFactory.create(name="Kyodo News", slug="kyodo")
    article = ArticleFactory.create(
        status=Article.Status.DRAFT, outlet=None, needs_review=["outlet", "published_at"]
    )
    raw = RawDocumentFactory.create(
        article=article,
        file_name="page-017.txt",
        import_report={
            "outcome": "created",
            "needs_review": ["outlet", "published_at", "byline"],
            "fields": {"cited_sources": [kyodo.slug]},
        },
    )

    html = change_page(article)

    assert "No outlet stated; the page cites Kyodo News." in html
    assert "No publication date stated on the page." in html
    assert "No byline stated" not in html  # the editor has since added one: not open any more
    assert reverse("admin:articles_rawdocument_change", args=[raw.pk]) in html
    assert "page-017.txt" in html


def test_an_article_with_nothing_open_shows_no_reasons() -> None:
    article = ArticleFactory.create(needs_review=[])
    RawDocumentFactory.create(
        article=article, import_report={"needs_review": ["outlet"], "fields": {}}
    )
    assert 'id="import-reasons"' not in change_page(article)


def test_view_site_and_the_root_lead_to_the_readers_list_of_published_articles() -> None:
    published = PublishedArticleFactory.create(headline="Japan and US agree on 15% tariff")
    draft = ArticleFactory.create(status=Article.Status.DRAFT, headline="Unfinished draft")

    index = client_for(role_user("Editors")).get(reverse("admin:index")).content.decode()
    assert 'href="/articles/"' in index  # "View site"
    root = Client().get("/")
    assert root.status_code == 302
    assert root["Location"] == reverse("article-list")
    listing = Client().get(reverse("article-list"))
    html = listing.content.decode()
    assert listing.status_code == 200
    assert published.get_absolute_url() in html
    assert "Japan and US agree on 15% tariff" in html
    assert draft.headline not in html
    assert Client().get(reverse("article-list"), {"page": "x9"}).status_code == 200


def test_the_reader_page_lists_confirmed_meetings_and_measures_too() -> None:
    article = PublishedArticleFactory.create()
    confirmed = {
        "status": CoverageLink.Status.CONFIRMED,
        "confirmed_by": role_user("Editors", "checker"),
        "confirmed_at": datetime.datetime(2025, 7, 23, 9, 0, tzinfo=datetime.UTC),
    }
    meeting = MeetingLinkFactory.create(article=article, **confirmed)
    measure = MeasureLinkFactory.create(article=article, **confirmed)
    suggested = MeetingLinkFactory.create(article=article)

    html = Client().get(article.get_absolute_url()).content.decode()

    assert 'id="meetings"' in html and str(meeting.meeting) in html
    assert 'id="measures"' in html and str(measure.measure) in html
    assert str(suggested.meeting) not in html


def test_a_job_of_only_unchanged_pages_does_not_claim_it_imported_them() -> None:
    job = SimpleNamespace(
        status=JobStatus.FINISHED,
        is_stale=lambda: False,
        pages_failed=0,
        pages_refused=0,
        pages_created=0,
        pages_changed=0,
        pages_unchanged=2,
    )
    code, words = job_state(job)  # type: ignore[arg-type]
    assert code == "finished"
    assert "imported before, unchanged; nothing new" in words
    job.pages_created = 1
    assert "every page was read and stored" in job_state(job)[1]  # type: ignore[arg-type]


def test_a_report_says_each_unlinked_mention_once() -> None:
    raw = RawDocumentFactory.create(
        import_report={
            "outcome": "created",
            "fields": {},
            "unresolved": [
                {"kind": "measure", "mention": "15 percent", "reason": "0 measures fit"},
                {"kind": "measure", "mention": "15 percent", "reason": "0 measures fit"},
                {"kind": "measure", "mention": "15 percent", "reason": "0 measures fit"},
            ],
        }
    )
    page = SimpleNamespace(outcome=PageOutcome.CREATED, raw_document=raw, reason="")
    report = describe_page(page, {})  # type: ignore[arg-type]
    assert report.unresolved == ["“15 percent” was not linked: 0 measures fit"]


def test_the_inbox_says_what_an_imported_article_still_needs_now() -> None:
    article = ArticleFactory.create(needs_review=[])
    RawDocumentFactory.create(
        article=article,
        import_report={"outcome": "created", "needs_review": ["published_at"]},
    )
    html = client_for(role_user("Editors")).get(reverse("admin:index")).content.decode()
    assert "still needs" not in html
    Article.objects.filter(pk=article.pk).update(needs_review=["published_at"])
    html = client_for(role_user("Editors", "other")).get(reverse("admin:index")).content.decode()
    assert "still needs published time" in html


def test_the_article_list_gives_the_published_time_in_the_articles_zone() -> None:
    ArticleFactory.create(
        headline="Tokyo morning",
        published_at=datetime.datetime(2025, 6, 28, 23, 0, tzinfo=datetime.UTC),
        published_time_known=True,
        time_zone="Asia/Tokyo",
    )
    html = (
        client_for(role_user("Editors"))
        .get(reverse("admin:articles_article_changelist"))
        .content.decode()
    )
    assert "29 Jun 2025, 08:00 JST" in html


def test_import_jobs_keep_their_place_in_the_admin() -> None:
    # The job page still opens for an editor after the wording changes.
    job = ImportJob.objects.create(started_by_name="editor", via="admin")
    response = client_for(role_user("Editors")).get(
        reverse("admin:articles_importjob_change", args=[job.pk])
    )
    assert response.status_code == 200


def test_the_raw_page_names_the_zone_of_its_arrival_and_shows_the_page_first() -> None:
    raw = RawDocumentFactory.create(
        text="Japan and US agree\nReporting line.\n",
        import_report={"outcome": "created", "needs_review": []},
    )
    html = (
        client_for(role_user("Editors"))
        .get(reverse("admin:articles_rawdocument_change", args=[raw.pk]))
        .content.decode()
    )
    assert re.search(r"\d{1,2} \w{3} \d{4}, \d{2}:\d{2} UTC", html)  # e.g. "4 Dec 2026, 15:05 UTC"
    assert html.index("Japan and US agree") < html.index("Import report")
