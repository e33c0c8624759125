"""Publishing: the reader-facing page ("View on site"), a preview for staff before publication,
publish with a confirmation step, a slug that follows the editor's headline until the first
publication and never changes after (service and database), and the time entered and shown in
the article's named zone with its precision."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from articles.models import Article, CoverageLink, RoundLink
from articles.services.workflow import TransitionNotAllowed, publish_article, save_article
from tests.articles.admin_support import client_for, form_data, make_user, role_user
from tests.articles.factories import (
    ArticleFactory,
    CorrectionFactory,
    OfficialLinkFactory,
    RoundLinkFactory,
    SourceFactory,
    WireFactory,
)
from tests.negotiations.factories import OfficialFactory, RoundFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def confirmed_round(article: Article, number: int = 4) -> RoundLink:
    return RoundLinkFactory.create(
        article=article,
        round=RoundFactory.create(number=number),
        status=CoverageLink.Status.CONFIRMED,
        confirmed_by=make_user(),
        confirmed_at=datetime.datetime(2025, 6, 1, tzinfo=UTC),
    )


def change_url(article: Article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def publish_url(article: Article) -> str:
    return reverse("admin:articles_article_workflow", args=[article.pk, "publish"])


def test_the_reader_page_shows_the_story_with_its_credits_date_corrections_and_links() -> None:
    article = ArticleFactory.create(
        status=Article.Status.PUBLISHED,
        headline="Akazawa, Lutnick hold fourth round",
        dek="Talks run to 130 minutes.",
        body="First paragraph of the story.\nSecond <b>paragraph</b>.",
        outlet=SourceFactory.create(name="Japan Today", slug="japan-today"),
        wire=WireFactory.create(name="Kyodo", slug="kyodo"),
        published_at=datetime.datetime(2025, 5, 24, 0, 30, tzinfo=UTC),
        published_time_known=True,
        time_zone="Asia/Tokyo",
    )
    confirmed_round(article, number=4)
    OfficialLinkFactory.create(
        article=article,
        official=OfficialFactory.create(name="Ryosei Akazawa", slug="ryosei-akazawa-x"),
        status=CoverageLink.Status.CONFIRMED,
        confirmed_by=make_user(),
        confirmed_at=datetime.datetime(2025, 6, 1, tzinfo=UTC),
    )
    OfficialLinkFactory.create(
        article=article, official=OfficialFactory.create(name="Not Confirmed")
    )
    CorrectionFactory.create(article=article, text="Lutnick, not Rutnick.")

    response = Client().get(article.get_absolute_url())

    assert article.get_absolute_url() == f"/articles/{article.slug}/"
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 id="headline">Akazawa, Lutnick hold fourth round</h1>' in html
    assert "Talks run to 130 minutes." in html
    assert "<p>First paragraph of the story.</p>" in html
    assert "Second &lt;b&gt;paragraph&lt;/b&gt;." in html  # text, never markup
    assert "Japan Today" in html and ", via Kyodo" in html
    assert "24 May 2025, 09:30 JST" in html  # 00:30 UTC, shown in the page's zone
    assert "Lutnick, not Rutnick." in html
    assert "Ryosei Akazawa" in html and "Not Confirmed" not in html
    assert "Round 4" in html or "round 4" in html.lower()
    assert "Preview" not in html


def test_a_date_without_a_time_is_shown_as_a_date_only() -> None:
    article = ArticleFactory.create(
        status=Article.Status.PUBLISHED,
        published_at=datetime.datetime(2025, 7, 23, 12, 0, tzinfo=UTC),
        published_time_known=False,
    )

    html = Client().get(article.get_absolute_url()).content.decode()

    assert "23 July 2025</time> (time of day not stated)" in html
    assert "21:00" not in html and "12:00" not in html


def test_a_draft_is_previewed_by_staff_only() -> None:
    draft = ArticleFactory.create(headline="Draft on the fourth round")

    assert Client().get(draft.get_absolute_url()).status_code == 404
    outsider = make_user("outsider", is_staff=False)
    assert client_for(outsider).get(draft.get_absolute_url()).status_code == 404
    editor = client_for(role_user("Editors"))
    response = editor.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Preview: this article is draft and not public." in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    admin_page = editor.get(change_url(draft)).content.decode()
    assert f'href="{draft.get_absolute_url()}" class="viewsitelink"' in admin_page


def test_publish_asks_for_confirmation_before_it_publishes() -> None:
    article = ArticleFactory.create(status=Article.Status.IN_REVIEW, headline="Ready story")
    confirmed_round(article)
    client = client_for(role_user("Editors"))

    asked = client.post(publish_url(article), {"loaded_version": "1"})

    assert asked.status_code == 200
    html = asked.content.decode()
    assert "Publish “Ready story”?" in html
    assert 'name="confirmed" value="yes"' in html
    assert Article.objects.get(pk=article.pk).status == Article.Status.IN_REVIEW

    done = client.post(publish_url(article), {"loaded_version": "1", "confirmed": "yes"})

    assert done.status_code == 302
    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED


def test_the_slug_follows_the_editors_headline_until_publication() -> None:
    article = ArticleFactory.create(
        headline="", slug="page-003-daa376ad", needs_review=["headline"], status="in_review"
    )
    confirmed_round(article)
    client = client_for(role_user("Editors"))
    data = form_data(client.get(change_url(article)).content, "article_form")
    data["headline"] = "Akazawa, Lutnick agree on 15% tariff"

    assert client.post(change_url(article), data).status_code == 302

    article.refresh_from_db()
    assert article.slug == "akazawa-lutnick-agree-on-15-tariff"


def test_first_publication_replaces_the_importers_placeholder_slug() -> None:
    article = ArticleFactory.create(
        headline="Tariff deal signed", slug="page-004-d167913b", status="in_review"
    )
    confirmed_round(article)

    publish_article(article, editor=role_user("Editors"))

    assert Article.objects.get(pk=article.pk).slug == "tariff-deal-signed"


def test_a_published_slug_never_changes_in_the_service_or_the_database() -> None:
    article = ArticleFactory.create(headline="Tariff deal signed", status="in_review")
    confirmed_round(article)
    editor = role_user("Editors")
    publish_article(article, editor=editor)
    slug = Article.objects.get(pk=article.pk).slug
    article = Article.objects.get(pk=article.pk)

    article.headline = "Tariff deal signed in Washington"
    save_article(
        article, editor=editor, expected_version=article.version, changed_fields=["headline"]
    )
    assert Article.objects.get(pk=article.pk).slug == slug  # the headline moved, the slug did not

    article = Article.objects.get(pk=article.pk)
    article.slug = "something-else"
    with pytest.raises(TransitionNotAllowed, match="never changes"):
        save_article(
            article, editor=editor, expected_version=article.version, changed_fields=["slug"]
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(slug="written-around-the-service")
    assert Article.objects.get(pk=article.pk).slug == slug
    page = client_for(editor).get(change_url(article)).content.decode()
    assert 'name="slug"' not in page  # read-only on the desk


def test_the_time_is_entered_in_the_articles_zone_and_the_time_known_flag_is_editable() -> None:
    article = ArticleFactory.create(
        published_at=datetime.datetime(2025, 7, 23, 12, 0, tzinfo=UTC),
        published_time_known=False,
        time_zone="Asia/Tokyo",
    )
    client = client_for(role_user("Editors"))
    page = client.get(change_url(article)).content.decode()
    assert "Published (JST, Asia/Tokyo)" in page
    assert 'value="21:00:00"' in page  # 12:00 UTC shown in JST
    data = form_data(page, "article_form")
    data["published_at_0"] = "2025-07-23"
    data["published_at_1"] = "09:30"
    data["published_time_known"] = "on"

    assert client.post(change_url(article), data).status_code == 302

    article.refresh_from_db()
    assert article.published_at == datetime.datetime(2025, 7, 23, 0, 30, tzinfo=UTC)
    assert article.published_time_known is True


def test_typing_a_time_marks_it_known_and_a_date_alone_does_not() -> None:
    article = ArticleFactory.create(
        published_at=datetime.datetime(2025, 7, 23, 12, 0, tzinfo=UTC),
        published_time_known=False,
        time_zone="Asia/Tokyo",
    )
    client = client_for(role_user("Editors"))
    data = form_data(client.get(change_url(article)).content, "article_form")
    data["published_at_0"] = "2025-07-24"  # the date only: the time (21:00 JST) is untouched
    assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.published_time_known is False

    data = form_data(client.get(change_url(article)).content, "article_form")
    data["published_at_1"] = "09:30"  # the editor types the time the page gives; no tick
    assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.published_at == datetime.datetime(2025, 7, 24, 0, 30, tzinfo=UTC)
    assert article.published_time_known is True

    data = form_data(client.get(change_url(article)).content, "article_form")
    data["published_at_1"] = "10:00"
    data.pop("published_time_known", None)  # unticked by hand in the same save: it stays off
    assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.published_time_known is False


def test_a_time_is_not_taken_as_known_from_a_zone_change_or_an_undated_articles_first_date() -> (
    None
):
    article = ArticleFactory.create(
        published_at=datetime.datetime(2025, 7, 23, 12, 0, tzinfo=UTC),
        published_time_known=False,
        time_zone="Asia/Tokyo",
    )
    client = client_for(role_user("Editors"))
    data = form_data(client.get(change_url(article)).content, "article_form")
    data["published_at_0"] = "2025-07-24"  # the date and the zone, the time (21:00) untouched
    data["time_zone"] = "America/New_York"
    assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.published_time_known is False

    undated = ArticleFactory.create(published_at=None, published_time_known=False)
    data = form_data(client.get(change_url(undated)).content, "article_form")
    data["published_at_0"] = "2025-07-23"
    data["published_at_1"] = "00:00"  # the form wants a time with any date: not a stated one
    assert client.post(change_url(undated), data).status_code == 302
    undated.refresh_from_db()
    assert undated.published_at is not None and undated.published_time_known is False


def test_a_zone_changed_in_the_same_save_reads_the_time_in_the_new_zone() -> None:
    article = ArticleFactory.create(time_zone="Asia/Tokyo")
    client = client_for(role_user("Editors"))
    data = form_data(client.get(change_url(article)).content, "article_form")
    data["time_zone"] = "America/New_York"
    data["published_at_0"] = "2025-07-22"
    data["published_at_1"] = "18:00"

    assert client.post(change_url(article), data).status_code == 302

    article.refresh_from_db()
    assert article.published_at == datetime.datetime(2025, 7, 22, 22, 0, tzinfo=UTC)  # EDT


def test_missing_for_publication_is_one_rule_on_the_article() -> None:
    article = ArticleFactory.create(headline=" ", published_at=None, outlet=None)

    assert article.missing_for_publication() == [
        "a headline",
        "a published time",
        "an outlet",
        "a confirmed round link",
    ]
    confirmed_round(article)
    assert article.missing_for_publication() == ["a headline", "a published time", "an outlet"]
    page = client_for(role_user("Editors")).get(change_url(article)).content.decode()
    assert "it needs: a headline, a published time, an outlet." in page
