"""The workflow at the desk, exhaustively: every transition from every status, allowed or
refused, with its audit row (or none); the status out of reach of the article form;
corrections added from the article page and from the corrections list, shown on the article
and in its public record."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, Correction, RoundLink
from articles.services.workflow import (
    BASELINE_COMMENT,
    ServiceError,
    publish_article,
    retract_article,
    return_to_draft,
    save_article,
    submit_for_review,
)
from tests.articles.admin_support import client_for, form_data, make_user, role_user
from tests.articles.factories import ArticleFactory, RoundLinkFactory

pytestmark = pytest.mark.django_db

Status = Article.Status
TRANSITIONS: dict[str, tuple[Callable[..., Any], Status, Status, str]] = {
    # name: (service, from, to, audit message)
    "submit": (submit_for_review, Status.DRAFT, Status.IN_REVIEW, "Submitted for review."),
    "draft": (return_to_draft, Status.IN_REVIEW, Status.DRAFT, "Returned to draft."),
    "publish": (publish_article, Status.IN_REVIEW, Status.PUBLISHED, "Published."),
    "retract": (retract_article, Status.PUBLISHED, Status.RETRACTED, "Retracted: Wrong meeting."),
}


def publishable(status: str) -> Article:
    article = ArticleFactory.create(status=status)
    RoundLinkFactory.create(
        article=article,
        status=RoundLink.Status.CONFIRMED,
        confirmed_by=make_user(),
        confirmed_at=datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC),
    )
    return article


def audit_rows(article: Article) -> list[str]:
    return list(
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Article), object_id=str(article.pk)
        ).values_list("change_message", flat=True)
    )


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("name", list(TRANSITIONS))
def test_each_transition_from_each_status_is_allowed_or_refused_with_its_audit_row(
    name: str, status: Status
) -> None:
    step, allowed_from, to, message = TRANSITIONS[name]
    editor = role_user("Editors")
    article = publishable(status)
    extra = {"reason": "Wrong meeting."} if name == "retract" else {}

    if status == allowed_from:
        step(article, editor=editor, **extra)
        stored = Article.objects.get(pk=article.pk)
        assert (stored.status, stored.version) == (to, 2)
        assert audit_rows(article) == [message]
        comments = Version.objects.get_for_object(article).values_list(
            "revision__comment", flat=True
        )
        assert sorted(comments) == sorted([BASELINE_COMMENT, message])
    else:
        with pytest.raises(
            ServiceError, match=f"only an article that is {allowed_from.label.lower()} can be"
        ):
            step(article, editor=editor, **extra)
        stored = Article.objects.get(pk=article.pk)
        assert (stored.status, stored.version) == (status, 1)
        assert audit_rows(article) == []


@pytest.mark.parametrize("name", list(TRANSITIONS))
def test_each_transition_needs_its_permission(name: str) -> None:
    step, allowed_from, _, _ = TRANSITIONS[name]
    article = publishable(allowed_from)
    extra = {"reason": "Wrong meeting."} if name == "retract" else {}

    for role in ("Moderators", "Read-only"):
        with pytest.raises(PermissionDenied, match="permission"):
            step(article, editor=role_user(role, f"{role}-{name}"), **extra)

    assert Article.objects.get(pk=article.pk).status == allowed_from
    assert audit_rows(article) == []


@pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW])
def test_the_article_form_cannot_change_the_status(status: Status) -> None:
    article = publishable(status)
    client = client_for(role_user("Editors"))
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = form_data(client.get(url).content, "article_form")
    data.update({"status": Status.PUBLISHED, "dek": "Changed through the form"})

    assert client.post(url, data).status_code == 302

    stored = Article.objects.get(pk=article.pk)
    assert stored.dek == "Changed through the form"
    assert stored.status == status


def test_a_correction_added_on_the_article_page_is_recorded_and_shown() -> None:
    editor = role_user("Editors", "erin")
    article = publishable(Status.PUBLISHED)
    client = client_for(editor)
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = form_data(client.get(url).content, "article_form")
    assert data["corrections-TOTAL_FORMS"] == "0"
    data.update(
        {
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-kind": Correction.Kind.CORRECTION,
            "corrections-0-text": "The meeting lasted 130 minutes, not 90.",
        }
    )

    assert client.post(url, data).status_code == 302

    correction = Correction.objects.get(article=article)
    assert (correction.kind, correction.text) == (
        Correction.Kind.CORRECTION,
        "The meeting lasted 130 minutes, not 90.",
    )
    assert correction.created_by == editor
    assert correction.created_at.tzinfo is not None
    page = client.get(url).content.decode()
    assert "The meeting lasted 130 minutes, not 90." in page
    assert 'name="corrections-0-text"' not in page  # shown, no longer editable
    assert LogEntry.objects.filter(user=editor, change_message="Added a correction.").exists()


def test_the_public_record_of_a_published_article_carries_its_corrections() -> None:
    editor = role_user("Editors")
    article = publishable(Status.PUBLISHED)
    client = client_for(editor)
    Correction.objects.create(
        article=article,
        kind=Correction.Kind.CLARIFICATION,
        text="Lutnick, not Rutnick.",
        created_at=datetime.datetime(2025, 6, 2, tzinfo=datetime.UTC),
        created_by=editor,
    )

    page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    public = reverse("api:article-detail", kwargs={"slug": article.slug})

    on_site = article.get_absolute_url()
    assert f'href="{on_site}" class="viewsitelink"' in page.content.decode()  # "View on site"
    reader_page = Client().get(on_site).content.decode()  # anyone, signed in or not
    assert "Lutnick, not Rutnick." in reader_page
    record = client_for(make_user()).get(public).json()
    assert [c["text"] for c in record["corrections"]] == ["Lutnick, not Rutnick."]


def test_a_draft_takes_no_corrections_on_its_page_or_in_the_corrections_list() -> None:
    draft = ArticleFactory.create(headline="Draft on the fourth round")
    client = client_for(role_user("Editors"))

    page = client.get(reverse("admin:articles_article_change", args=[draft.pk])).content.decode()
    refused = client.post(
        reverse("admin:articles_correction_add"),
        {"article": draft.pk, "kind": Correction.Kind.CORRECTION, "text": "Fix"},
    )

    assert "corrections-TOTAL_FORMS" not in page
    assert refused.status_code == 200
    assert "Corrections are added to published articles" in refused.content.decode()
    assert not Correction.objects.exists()


def test_a_correction_added_from_the_corrections_list_goes_through_the_service() -> None:
    editor = role_user("Editors", "carl")
    article = publishable(Status.PUBLISHED)

    response = client_for(editor).post(
        reverse("admin:articles_correction_add"),
        {"article": article.pk, "kind": Correction.Kind.UPDATE, "text": "Talks resume Friday."},
    )

    assert response.status_code == 302
    correction = Correction.objects.get()
    assert (correction.article, correction.created_by) == (article, editor)
    assert correction.kind == Correction.Kind.UPDATE
    assert LogEntry.objects.filter(user=editor, change_message="Added an update.").exists()


def test_the_needs_review_view_says_what_it_lists() -> None:
    ArticleFactory.create(headline="")
    client = client_for(role_user("Editors"))

    everything = client.get(reverse("admin:articles_article_needs_review"), follow=True)
    outlets = client.get(reverse("admin:articles_article_changelist") + "?review=outlet")

    assert "<h1>Articles that need review</h1>" in everything.content.decode()
    assert "Articles that need review: missing outlet" in outlets.content.decode()


def test_a_browser_save_keeps_the_texts_newlines_and_is_not_a_change() -> None:
    body = "First paragraph.\n\nSecond paragraph."
    article = ArticleFactory.create(body=body, dek="Line one\nline two", photo_caption="A\nB")
    link = RoundLinkFactory.create(article=article, evidence="Akazawa met Lutnick.")
    editor = role_user("Editors", "erin")
    client = client_for(editor)
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = form_data(client.get(url).content, "article_form")
    for name in ("body", "dek", "photo_caption"):  # as a browser sends a textarea
        data[name] = data[name].replace("\n", "\r\n")
    data["roundlinks-0-evidence"] = "Akazawa met\r\nLutnick."

    assert client.post(url, data).status_code == 302

    stored = Article.objects.get(pk=article.pk)
    assert (stored.body, stored.dek, stored.photo_caption) == (body, "Line one\nline two", "A\nB")
    link.refresh_from_db()
    assert link.evidence == "Akazawa met\nLutnick."
    assert audit_rows(article) == ["Saved without changes."]


def test_a_workflow_button_on_a_stale_page_names_who_saved_and_changes_nothing() -> None:
    article = publishable(Status.IN_REVIEW)
    alice = role_user("Editors", "alice")
    article.dek = "Alice's dek"
    save_article(article, editor=alice, expected_version=1, changed_fields=["dek"])

    response = client_for(role_user("Editors", "bob")).post(
        reverse("admin:articles_article_workflow", args=[article.pk, "publish"]),
        {"loaded_version": "1", "confirmed": "yes"},
        follow=True,
    )

    html = response.content.decode()
    assert "Cannot publish this article: it was changed after you opened it, by alice at" in html
    assert "(“Changed dek.”)" in html
    assert "Nothing was changed: reload the article" in html
    assert "still in the form below" not in html  # there is no form on this step
    assert Article.objects.get(pk=article.pk).status == Status.IN_REVIEW
