"""Roles: what Editors, Moderators and Read-only may see and do on every admin page and action;
anonymous users reach nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from articles.models import Article, Comment, CoverageLink, RoundLink
from tests.articles.admin_support import (
    client_for,
    form_data,
    group_codenames,
    make_superuser,
    role_user,
    stored_comment,
)
from tests.articles.factories import ArticleFactory, CommentFactory, RoundLinkFactory
from tests.articles.test_admin_pages import BUILDERS, REGISTERED

pytestmark = pytest.mark.django_db

LINKS = {"roundlink", "meetinglink", "officiallink", "measurelink"}
RECORDS = {"negotiation", "round", "meeting", "official", "officialalias", "tariffmeasure"}
ALL = (200, 200, 200)
VIEW = (200, 403, 200)
NONE = (403, 403, 403)


def expected(role: str, model: type[Model]) -> tuple[int, int, int]:
    """(changelist, add page, change page) status for a role."""
    name = model._meta.model_name
    if role == "Editors":
        if name in {"comment", "moderationdecision"}:
            return NONE
        return (200, 302, 200) if name == "rawdocument" else ALL  # add: the import form
    if role == "Moderators":
        if name in {"article", "comment", "moderationdecision"}:
            return VIEW
        return NONE
    # Read-only
    if name in {"comment", "moderationdecision"}:
        return NONE
    return VIEW


def pages(model: type[Model], obj: Model) -> list[str]:
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    return [
        reverse(f"{info}_changelist"),
        reverse(f"{info}_add"),
        reverse(f"{info}_change", args=[obj.pk]),
    ]


@pytest.mark.parametrize("role", ["Editors", "Moderators", "Read-only"])
def test_each_role_reaches_exactly_its_pages(role: str) -> None:
    client = client_for(role_user(role))
    seen = {}
    for model in REGISTERED:
        obj = BUILDERS[model]()
        seen[model._meta.label] = tuple(client.get(url).status_code for url in pages(model, obj))

    assert seen == {model._meta.label: expected(role, model) for model in REGISTERED}


def test_anonymous_users_reach_nothing() -> None:
    client = Client()
    article = ArticleFactory.create()
    urls = [url for model in REGISTERED for url in pages(model, BUILDERS[model]())]
    urls += [
        reverse("admin:index"),
        reverse("admin:articles_article_needs_review"),
        reverse("admin:articles_article_history", args=[article.pk]),
        reverse("admin:articles_article_workflow", args=[article.pk, "publish"]),
    ]

    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url
    post = client.post(reverse("admin:articles_article_workflow", args=[article.pk, "submit"]))
    assert post.status_code == 302
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT


def test_the_groups_carry_the_permissions_the_desk_relies_on() -> None:
    editors, moderators, readers = (
        group_codenames("Editors"),
        group_codenames("Moderators"),
        group_codenames("Read-only"),
    )

    assert {"publish_article", "confirm_coverage", "change_article", "add_correction"} <= editors
    assert not {p for p in editors if p.endswith("comment") or "moderation" in p}
    assert moderators == {
        "view_comment",
        "change_comment",
        "moderate_comment",
        "view_moderationdecision",
        "view_article",
    }
    assert all(p.startswith("view_") for p in readers)
    assert not {p for p in readers if "comment" in p or "moderation" in p}


@pytest.mark.parametrize("role", ["Moderators", "Read-only"])
def test_non_editors_cannot_change_an_article_or_its_links(role: str) -> None:
    article = ArticleFactory.create(headline="Original")
    link = RoundLinkFactory.create(article=article)
    editor_form = form_data(
        client_for(role_user("Editors", "ed"))
        .get(reverse("admin:articles_article_change", args=[article.pk]))
        .content,
        "article_form",
    )
    editor_form.update({"headline": "Changed", "roundlinks-0-decision": "accept"})
    client = client_for(role_user(role))

    page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    response = client.post(reverse("admin:articles_article_change", args=[article.pk]), editor_form)
    bulk = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "accept_suggestions", "_selected_action": [article.pk]},
    )
    link_bulk = client.post(
        reverse("admin:articles_roundlink_changelist"),
        {"action": "accept_selected", "_selected_action": [link.pk]},
    )

    assert page.context["has_change_permission"] is False
    assert 'name="_save"' not in page.content.decode()
    assert response.status_code == 403
    assert bulk.status_code in (200, 302)  # the action is not offered: nothing happens
    assert link_bulk.status_code == (403 if role == "Moderators" else 200)
    article.refresh_from_db()
    link.refresh_from_db()
    assert article.headline == "Original"
    assert link.status == CoverageLink.Status.SUGGESTED


def test_the_actions_each_role_is_offered() -> None:
    def offered(role: str, changelist: str) -> set[str]:
        response = client_for(role_user(role, f"{role}-{changelist}")).get(reverse(changelist))
        if response.status_code != 200 or response.context["action_form"] is None:
            return set()
        return {name for name, _ in response.context["action_form"].fields["action"].choices}

    articles = "admin:articles_article_changelist"
    comments = "admin:articles_comment_changelist"
    links = "admin:articles_roundlink_changelist"
    assert {"publish_selected", "accept_suggestions"} <= offered("Editors", articles)
    assert offered("Editors", comments) == set()
    assert {"accept_selected", "reject_selected"} <= offered("Editors", links)
    assert {"approve_selected", "reject_selected", "spam_selected"} <= offered(
        "Moderators", comments
    )
    assert not {"publish_selected", "accept_suggestions", "submit_selected"} & offered(
        "Moderators", articles
    )
    assert not {"publish_selected", "accept_selected"} & (
        offered("Read-only", articles) | offered("Read-only", links)
    )


def test_an_editor_cannot_moderate_through_the_queue() -> None:
    comment = CommentFactory.create()
    client = client_for(role_user("Editors"))

    action = client.post(
        reverse("admin:articles_comment_changelist"),
        {"action": "approve_selected", "_selected_action": [comment.pk]},
    )
    decide = client.post(
        reverse("admin:articles_comment_change", args=[comment.pk]),
        {"decision": "approved", "seen_version": "1"},
    )

    assert (action.status_code, decide.status_code) == (403, 403)
    assert stored_comment(comment.pk).status == Comment.Status.PENDING


def test_only_superusers_may_recover_deleted_articles() -> None:
    editor = client_for(role_user("Editors"))

    page = editor.get(reverse("admin:articles_article_changelist"))

    assert editor.get(reverse("admin:articles_article_recoverlist")).status_code == 403
    assert "Recover deleted" not in page.content.decode()
    assert "Needs review" in page.content.decode()
    assert (
        client_for(make_superuser()).get(reverse("admin:articles_article_recoverlist")).status_code
        == 200
    )


def test_a_read_only_user_cannot_use_the_workflow() -> None:
    article = ArticleFactory.create(status=Article.Status.DRAFT)

    response = client_for(role_user("Read-only")).post(
        reverse("admin:articles_article_workflow", args=[article.pk, "submit"]),
        {"loaded_version": "1"},
    )

    assert response.status_code == 403
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT


def test_every_registered_model_is_covered_by_the_role_matrix() -> None:
    labels: set[Any] = {model._meta.model_name for model in REGISTERED}
    assert labels >= LINKS | RECORDS | {"article", "comment", "moderationdecision", "rawdocument"}
    assert all(model in BUILDERS for model in admin.site._registry if model in REGISTERED)
    assert RoundLink in REGISTERED
