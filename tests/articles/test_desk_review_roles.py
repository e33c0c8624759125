"""Roles, completed: the exact actions each role is offered on every changelist, and what each
role reaches on the desk's own pages (needs review, history, compare, revert, workflow,
delete, recover, autocomplete, decisions)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, Comment, CoverageLink
from articles.services.coverage import confirm_link
from tests.articles.admin_support import client_for, form_data, role_user, stored_comment
from tests.articles.factories import (
    ArticleFactory,
    CommentFactory,
    ModerationDecisionFactory,
    RoundLinkFactory,
)
from tests.articles.test_admin_pages import REGISTERED

pytestmark = pytest.mark.django_db

ROLES = ("Editors", "Moderators", "Read-only")
ARTICLE_ACTIONS = {
    "accept_suggestions",
    "publish_selected",
    "reject_suggestions",
    "submit_selected",
}
LINK_ACTIONS = {"accept_selected", "reject_selected"}
QUEUE_ACTIONS = {"approve_selected", "reject_selected", "spam_selected"}
LINKS = {"roundlink", "meetinglink", "officiallink", "measurelink"}


def offered_actions(role: str, model_name: str) -> set[str] | None:
    """The actions a role is offered; None when the role may not open the changelist."""
    if role == "Editors":
        if model_name in {"comment", "moderationdecision"}:
            return None
        if model_name == "article":
            return ARTICLE_ACTIONS
        return LINK_ACTIONS if model_name in LINKS else set()
    if role == "Moderators":
        if model_name == "comment":
            return QUEUE_ACTIONS
        return set() if model_name in {"article", "moderationdecision"} else None
    return None if model_name in {"comment", "moderationdecision"} else set()


@pytest.mark.parametrize("role", ROLES)
def test_each_role_is_offered_exactly_its_actions_on_every_changelist(role: str) -> None:
    client = client_for(role_user(role))
    seen: dict[str, set[str] | None] = {}
    for model in REGISTERED:
        name = model._meta.model_name or ""
        response = client.get(reverse(f"admin:{model._meta.app_label}_{name}_changelist"))
        if response.status_code == 403:
            seen[name] = None
            continue
        assert response.status_code == 200
        form = response.context["action_form"]
        seen[name] = {n for n, _ in form.fields["action"].choices if n} if form else set()

    assert seen == {
        (model._meta.model_name or ""): offered_actions(role, model._meta.model_name or "")
        for model in REGISTERED
    }


@pytest.fixture
def article_with_history() -> tuple[Article, Any, Any]:
    article = ArticleFactory.create(status=Article.Status.IN_REVIEW)
    link = RoundLinkFactory.create(article=article)
    confirm_link(link, editor=role_user("Editors", "history-maker"))
    first, second = Version.objects.get_for_object(article).order_by("pk")
    return article, first, second


# (page, Editors, Moderators, Read-only): the status each role gets.
PAGES = [
    ("needs review", 302, 302, 302),
    ("history", 200, 200, 200),
    ("compare", 200, 200, 200),
    ("delete", 403, 403, 403),
    ("recover list", 403, 403, 403),
    ("round autocomplete", 200, 403, 200),
    ("decision page", 403, 200, 403),
]


def page_url(page: str, article: Article, first: Any, second: Any) -> tuple[str, dict[str, Any]]:
    if page == "needs review":
        return reverse("admin:articles_article_needs_review"), {}
    if page == "history":
        return reverse("admin:articles_article_history", args=[article.pk]), {}
    if page == "compare":
        return reverse("admin:articles_article_compare", args=[article.pk]), {
            "version_id1": first.pk,
            "version_id2": second.pk,
        }
    if page == "delete":
        return reverse("admin:articles_article_delete", args=[article.pk]), {}
    if page == "recover list":
        return reverse("admin:articles_article_recoverlist"), {}
    if page == "round autocomplete":
        return reverse("admin:autocomplete"), {
            "app_label": "articles",
            "model_name": "roundlink",
            "field_name": "round",
            "term": "",
        }
    decision = ModerationDecisionFactory.create()
    return reverse("admin:articles_moderationdecision_change", args=[decision.pk]), {}


@pytest.mark.parametrize(("page", "editors", "moderators", "readers"), PAGES)
def test_each_role_reaches_exactly_its_desk_pages(
    page: str,
    editors: int,
    moderators: int,
    readers: int,
    article_with_history: tuple[Article, Any, Any],
) -> None:
    url, query = page_url(page, *article_with_history)
    expected = dict(zip(ROLES, (editors, moderators, readers), strict=True))

    got = {role: client_for(role_user(role)).get(url, query).status_code for role in ROLES}

    assert got == expected
    anonymous = Client().get(url, query)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("role", ["Moderators", "Read-only"])
def test_only_editors_can_revert_or_delete_or_step_through_the_workflow(
    role: str, article_with_history: tuple[Article, Any, Any]
) -> None:
    article, first, _ = article_with_history
    editor_client = client_for(role_user("Editors", "ed"))
    revision_url = reverse("admin:articles_article_revision", args=[article.pk, first.pk])
    revert_form = form_data(editor_client.get(revision_url).content, "article_form")
    client = client_for(role_user(role))

    revert = client.post(revision_url, revert_form)
    delete = client.post(
        reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"}
    )
    steps = {
        step: client.post(
            reverse("admin:articles_article_workflow", args=[article.pk, step]),
            {"loaded_version": str(article.version), "reason": "Because", "confirmed": "yes"},
        ).status_code
        for step in ("submit", "draft", "publish", "retract")
    }

    assert (revert.status_code, delete.status_code) == (403, 403)
    assert set(steps.values()) == {403}
    stored = Article.objects.get(pk=article.pk)
    assert (stored.status, stored.version) == (Article.Status.IN_REVIEW, article.version)
    assert article.roundlinks.get().status == CoverageLink.Status.CONFIRMED


def test_an_editor_reverts_and_steps_through_the_workflow(
    article_with_history: tuple[Article, Any, Any],
) -> None:
    article, first, _ = article_with_history
    client = client_for(role_user("Editors", "ed"))
    revision_url = reverse("admin:articles_article_revision", args=[article.pk, first.pk])

    revert = client.post(revision_url, form_data(client.get(revision_url).content, "article_form"))
    step = client.post(
        reverse("admin:articles_article_workflow", args=[article.pk, "draft"]),
        {"loaded_version": str(Article.objects.get(pk=article.pk).version)},
    )

    assert (revert.status_code, step.status_code) == (302, 302)
    assert article.roundlinks.get().status == CoverageLink.Status.SUGGESTED  # reverted
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT


@pytest.mark.parametrize("role", ["Editors", "Read-only"])
def test_only_moderators_decide_on_a_comment_from_its_page(role: str) -> None:
    comment = CommentFactory.create()
    url = reverse("admin:articles_comment_change", args=[comment.pk])

    outsider = client_for(role_user(role)).post(
        url, {"decision": "spam", "reason": "Ads", "seen_version": "1"}
    )
    moderator = client_for(role_user("Moderators")).post(
        url, {"decision": "spam", "reason": "Ads", "seen_version": "1"}
    )

    assert (outsider.status_code, moderator.status_code) == (403, 302)
    assert stored_comment(comment.pk).status == Comment.Status.SPAM
    assert comment.decisions.get().moderator.groups.filter(name="Moderators").exists()
