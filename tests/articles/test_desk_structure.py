"""The desk's admin as a whole: branded "Newsroom desk"; each role lands on its own inbox;
admins registered by `register(site)` from the apps' `ready()`; one table of transitions drives
both the workflow service and the article page's buttons; reverting goes through the history
service; the shared admin pieces (`articles.admin.base`) behave as they say."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.admin import AdminSite
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import articles.admin
import negotiations.admin
from articles.admin.base import ReadOnlyMixin, attempt
from articles.models import Article, Comment, ModerationDecision
from articles.services import workflow
from articles.services.audit import ServiceError
from articles.services.history import hold_for_revert, restore_live_state
from articles.services.workflow import TRANSITIONS, apply_transition, transitions_for
from newsroom.admin_site import NewsroomAdminSite
from tests.articles.admin_support import client_for, make_superuser, role_user
from tests.articles.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db


# Branding and landing pages.


def test_the_site_is_branded_newsroom_desk_on_the_login_page_and_the_landing_page() -> None:
    login = Client().get(reverse("admin:login"))
    assert "Newsroom desk" in login.content.decode()
    assert "Django administration" not in login.content.decode()

    page = client_for(role_user("Editors")).get(reverse("admin:index"))
    html = page.content.decode()
    assert "<title>Your desk | Newsroom desk</title>" in html
    assert 'id="editor-inbox"' in html
    assert 'id="all-models"' in html  # the model list stays one click away: on the same page


def test_a_moderator_lands_on_the_moderation_figures_not_the_editor_inbox() -> None:
    CommentFactory.create_batch(3, status=Comment.Status.PENDING)
    CommentFactory.create(status=Comment.Status.APPROVED)

    html = client_for(role_user("Moderators")).get(reverse("admin:index")).content.decode()

    assert 'id="moderator-inbox"' in html
    assert 'id="editor-inbox"' not in html
    assert '<dd id="inbox-pending">3</dd>' in html
    assert reverse("admin:articles_comment_changelist") in html


def test_an_editor_does_not_see_the_moderation_figures() -> None:
    html = client_for(role_user("Editors")).get(reverse("admin:index")).content.decode()
    assert 'id="moderator-inbox"' not in html


def test_the_landing_page_costs_the_same_queries_with_1_or_50_pending_comments() -> None:
    client = client_for(role_user("Moderators"))
    CommentFactory.create(status=Comment.Status.PENDING)
    client.get(reverse("admin:index"))  # warm the session and permission caches
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("admin:index"))
    CommentFactory.create_batch(49, status=Comment.Status.PENDING)
    with CaptureQueriesContext(connection) as fifty:
        client.get(reverse("admin:index"))
    assert len(fifty.captured_queries) == len(one.captured_queries)


# Registration in ready().


def test_registering_on_a_new_site_gives_the_same_admins_as_the_desk_site() -> None:
    site = AdminSite(name="fresh")
    assert site._registry == {}  # importing the admin modules registered nothing here

    negotiations.admin.register(site)
    articles.admin.register(site)

    assert {model: type(ma) for model, ma in site._registry.items()} == {
        model: type(ma)
        for model, ma in admin.site._registry.items()
        if model._meta.app_label in {"articles", "negotiations"}
    }
    # The record's pages show their coverage: the desk's versions replaced the app's own.
    round_model = next(m for m in site._registry if m.__name__ == "Round")
    assert type(site._registry[round_model]).__name__ == "CoveredRoundAdmin"


def test_the_desk_site_is_the_default_admin_site() -> None:
    assert isinstance(admin.site, NewsroomAdminSite)
    assert admin.site.site_header == "Newsroom desk"
    assert admin.site.is_registered(Article)


# One table of transitions.


def test_the_article_page_offers_exactly_the_table_s_steps_for_its_status(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    publisher = make_superuser("chief")
    client = client_for(publisher)
    for status in Article.Status:
        article = ArticleFactory.create(status=status)
        html = client.get(reverse("admin:articles_article_change", args=[article.pk])).content
        offered = {
            name
            for name in TRANSITIONS
            if reverse("admin:articles_article_workflow", args=[article.pk, name]).encode() in html
        }
        assert offered == {step.name for step in TRANSITIONS.values() if step.source == status}

    # The button's words come from the table.
    draft = ArticleFactory.create(status=Article.Status.DRAFT)
    relabelled = {**TRANSITIONS}
    relabelled["submit"] = workflow.Transition(
        **{**TRANSITIONS["submit"].__dict__, "label": "Send to the copy desk"}
    )
    monkeypatch.setattr(workflow, "TRANSITIONS", relabelled)
    html = client.get(reverse("admin:articles_article_change", args=[draft.pk])).content
    assert b"Send to the copy desk" in html


def test_an_editor_without_publishing_rights_is_offered_no_publish_step() -> None:
    editor = role_user("Editors")
    article = ArticleFactory.create(status=Article.Status.IN_REVIEW)
    names = [step.name for step in transitions_for(article, editor)]
    assert "draft" in names
    assert ("publish" in names) == editor.has_perm("articles.publish_article")


def test_the_service_refuses_an_unknown_step_and_a_step_from_the_wrong_status() -> None:
    chief = make_superuser("chief")
    article = ArticleFactory.create(status=Article.Status.DRAFT)
    with pytest.raises(ServiceError, match="Unknown workflow step “archive”"):
        apply_transition("archive", article, editor=chief)
    with pytest.raises(ServiceError, match="only an article that is published can be"):
        apply_transition("retract", article, editor=chief, reason="wrong")
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_a_step_that_needs_a_reason_is_refused_without_one() -> None:
    chief = make_superuser("chief")
    article = ArticleFactory.create(status=Article.Status.PUBLISHED)
    with pytest.raises(ServiceError, match="Give the reason to retract"):
        apply_transition("retract", article, editor=chief, reason="   ")
    apply_transition("retract", article, editor=chief, reason="The quote was misattributed.")
    article.refresh_from_db()
    assert article.status == Article.Status.RETRACTED


# The revert service.


def test_reverting_needs_the_right_to_change_articles() -> None:
    article = ArticleFactory.create()
    with pytest.raises(PermissionDenied, match="not allowed to revert articles"):
        hold_for_revert(article.pk, editor=role_user("Moderators"))
    assert hold_for_revert(article.pk, editor=role_user("Editors")) == {
        "version": article.version,
        "status": article.status,
    }


def test_a_revision_the_live_status_cannot_hold_is_refused_and_nothing_changes() -> None:
    article = ArticleFactory.create(status=Article.Status.DRAFT, headline="")
    published = {"version": article.version + 3, "status": Article.Status.PUBLISHED.value}
    with pytest.raises(ServiceError, match="cannot be restored while the article is published"):
        restore_live_state(article.pk, published)
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


# The shared admin pieces.


def test_attempt_returns_what_the_service_returned_or_shows_the_refusal() -> None:
    request = RequestFactory().post("/")
    request.session = {}  # type: ignore[assignment]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]

    assert attempt(request, lambda: 42) == 42

    def refuse() -> int:
        raise ServiceError("Not today: the article is locked.")

    assert attempt(request, refuse) is None
    assert [str(m) for m in get_messages(request)] == ["Not today: the article is locked."]


def test_read_only_admins_refuse_adding_changing_and_deleting() -> None:
    model_admin = admin.site._registry[ModerationDecision]
    assert isinstance(model_admin, ReadOnlyMixin)
    request = RequestFactory().get("/")
    request.user = make_superuser("root")
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert model_admin.has_view_permission(request)
