"""Domain signals: each service announces its change once, on commit; the API's validators
hear it. A change that rolls back announces nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from articles.api import caching
from articles.importer.store import import_paths
from articles.models import Article, Comment
from articles.services import coverage, moderation, workflow
from articles.services.comments import submit_comment
from articles.signals import article_changed, comment_moderated
from tests.articles.admin_support import role_user
from tests.articles.api_support import confirm, fresh_cache  # noqa: F401
from tests.articles.factories import (
    ArticleFactory,
    CommentFactory,
    OfficialLinkFactory,
    PublishedArticleFactory,
    RoundLinkFactory,
    SourceFactory,
)
from tests.articles.importer_support import GOOD
from tests.negotiations.factories import OfficialFactory, RoundFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

Heard = list[tuple[str, dict[str, Any]]]


@pytest.fixture
def heard() -> Iterator[Heard]:
    """Every domain signal sent, in order, with its arguments."""
    sent: Heard = []

    def on_article(sender: Any, **kwargs: Any) -> None:
        sent.append(("article_changed", {k: v for k, v in kwargs.items() if k != "signal"}))

    def on_comment(sender: Any, **kwargs: Any) -> None:
        sent.append(("comment_moderated", {k: v for k, v in kwargs.items() if k != "signal"}))

    article_changed.connect(on_article, dispatch_uid="test-heard-article")
    comment_moderated.connect(on_comment, dispatch_uid="test-heard-comment")
    yield sent
    article_changed.disconnect(dispatch_uid="test-heard-article")
    comment_moderated.disconnect(dispatch_uid="test-heard-comment")


def editor() -> Any:
    return User.objects.filter(username="eddie").first() or role_user("Editors", "eddie")


def moderator() -> Any:
    return User.objects.filter(username="mona").first() or role_user("Moderators", "mona")


# Each path prepares its rows (records made by factories bump the content generation on their
# own), then returns the service call to make, which returns the article's id.
Act = Callable[[], int]


def _create() -> Act:
    ed = editor()
    outlet = SourceFactory()
    article = Article(headline="New", slug="new", body="Reporting.", outlet=outlet)
    return lambda: workflow.create_article(article, editor=ed).pk


def _save() -> Act:
    ed, article = editor(), ArticleFactory()
    article.headline = "Changed"
    return lambda: (
        workflow.save_article(
            article, editor=ed, expected_version=1, changed_fields=["headline"]
        ).pk
    )


def _submit() -> Act:
    ed, article = editor(), ArticleFactory()
    return lambda: workflow.submit_for_review(article, editor=ed).pk


def _return() -> Act:
    ed, article = editor(), ArticleFactory(status="in_review")
    return lambda: workflow.return_to_draft(article, editor=ed).pk


def _publish() -> Act:
    ed, article = editor(), ArticleFactory(status="in_review")
    confirm(RoundLinkFactory, article)
    return lambda: workflow.publish_article(article, editor=ed).pk


def _retract() -> Act:
    ed, article = editor(), PublishedArticleFactory()
    return lambda: workflow.retract_article(article, editor=ed, reason="Wrong round.").pk


def _correct() -> Act:
    ed, article = editor(), PublishedArticleFactory()

    def act() -> int:
        workflow.add_correction(article, editor=ed, kind="correction", text="Fixed a date.")
        return article.pk

    return act


def _confirm() -> Act:
    ed = editor()
    link = OfficialLinkFactory(article=PublishedArticleFactory(), status="suggested")
    return lambda: coverage.confirm_link(link, editor=ed).article_id


def _reject() -> Act:
    ed = editor()
    link = OfficialLinkFactory(article=PublishedArticleFactory(), status="suggested")
    return lambda: coverage.reject_link(link, editor=ed).article_id


def _add() -> Act:
    ed, article, official = editor(), PublishedArticleFactory(), OfficialFactory()

    def act() -> int:
        coverage.add_link(article, editor=ed, target=official, evidence="He said so.")
        return article.pk

    return act


def _revise() -> Act:
    ed = editor()
    link = confirm(OfficialLinkFactory, PublishedArticleFactory())
    return lambda: coverage.revise_link_evidence(link, editor=ed, evidence="Quote.").article_id


ARTICLE_PATHS: dict[str, tuple[Callable[[], Act], str]] = {
    "create_article": (_create, "created"),
    "save_article": (_save, "saved"),
    "submit_for_review": (_submit, "in_review"),
    "return_to_draft": (_return, "draft"),
    "publish_article": (_publish, "published"),
    "retract_article": (_retract, "retracted"),
    "add_correction": (_correct, "correction added"),
    "confirm_link": (_confirm, "link confirmed"),
    "reject_link": (_reject, "link rejected"),
    "add_link": (_add, "link added"),
    "revise_link_evidence": (_revise, "link evidence revised"),
}

# The timeline's validators read no rows: only the content generation moves its ETag, so a
# changed ETag there is the signal's doing, not a row fingerprint's.
TIMELINE = "/api/v1/timeline/"


@pytest.mark.parametrize("name", ARTICLE_PATHS)
def test_each_article_service_sends_article_changed_once_on_commit_and_the_etag_moves(
    name: str, client: Any, heard: Heard, django_capture_on_commit_callbacks: Any
) -> None:
    RoundFactory()  # the timeline has an entry
    prepare, change = ARTICLE_PATHS[name]
    act = prepare()
    etag = client.get(TIMELINE)["ETag"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        article_id = act()
    assert heard == []  # nothing before the commit
    assert client.get(TIMELINE, HTTP_IF_NONE_MATCH=etag).status_code == 304
    for callback in callbacks:
        callback()
    assert heard == [("article_changed", {"article_id": article_id, "change": change})]
    assert client.get(TIMELINE, HTTP_IF_NONE_MATCH=etag).status_code == 200


@pytest.mark.parametrize("decide", ["approve_comment", "reject_comment", "mark_spam"])
def test_each_moderation_decision_sends_comment_moderated_once_and_the_etag_moves(
    decide: str, client: Any, heard: Heard, django_capture_on_commit_callbacks: Any
) -> None:
    article = PublishedArticleFactory()
    comment = CommentFactory(article=article, status="pending")
    url = f"/api/v1/articles/{article.slug}/comments/"
    etag = client.get(url)["ETag"]
    generations = caching.current_generations([caching.COMMENTS])
    with django_capture_on_commit_callbacks(execute=True):
        getattr(moderation, decide)(comment, moderator=moderator(), reason="Off topic.")
    to_status = Comment.objects.get(pk=comment.pk).status
    assert heard == [
        (
            "comment_moderated",
            {
                "comment_id": comment.pk,
                "article_id": article.pk,
                "from_status": "pending",
                "to_status": to_status,
            },
        )
    ]
    assert caching.current_generations([caching.COMMENTS]) != generations
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_the_decision_table_is_not_what_the_validators_listen_to(
    heard: Heard, django_capture_on_commit_callbacks: Any
) -> None:
    """A decision row written outside the service is no moderation: no generation moves."""
    comment = CommentFactory(status="pending")
    generations = caching.current_generations([caching.CONTENT, caching.COMMENTS])
    with django_capture_on_commit_callbacks(execute=True):
        moderation.ModerationDecision.objects.create(
            comment=comment,
            moderator=moderator(),
            from_status="pending",
            to_status="approved",
            reason="",
            decided_at=timezone.now(),
        )
    assert heard == []
    assert caching.current_generations([caching.CONTENT, caching.COMMENTS]) == generations


def test_an_import_sends_article_changed_once_per_page(
    tmp_path: Path, client: Any, heard: Heard, django_capture_on_commit_callbacks: Any
) -> None:
    RoundFactory()
    etag = client.get(TIMELINE)["ETag"]
    (tmp_path / "page.txt").write_text(GOOD)
    with django_capture_on_commit_callbacks(execute=True):
        run = import_paths([tmp_path / "page.txt"])
    slug = run.results[0].article_slug
    assert heard == [
        (
            "article_changed",
            {"article_id": Article.objects.get(slug=slug).pk, "change": "imported (created)"},
        )
    ]
    assert client.get(TIMELINE, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_a_dry_run_import_sends_nothing(
    tmp_path: Path, client: Any, heard: Heard, django_capture_on_commit_callbacks: Any
) -> None:
    RoundFactory()
    etag = client.get(TIMELINE)["ETag"]
    (tmp_path / "page.txt").write_text(GOOD)
    with django_capture_on_commit_callbacks(execute=True):
        import_paths([tmp_path / "page.txt"], dry_run=True)
    assert heard == []
    assert client.get(TIMELINE, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_a_submitted_comment_is_no_change_anyone_is_told_of(
    client: Any, heard: Heard, django_capture_on_commit_callbacks: Any
) -> None:
    article = PublishedArticleFactory()
    url = f"/api/v1/articles/{article.slug}/comments/"
    etag = client.get(url)["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        submit_comment(article, author_name="Reader", body="Pending, so in no response.")
    assert heard == []
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


class Abandoned(Exception):
    pass


@pytest.mark.parametrize("name", ["publish_article", "confirm_link", "approve_comment"])
def test_a_rolled_back_change_sends_nothing_and_moves_no_validator(
    name: str, client: Any, heard: Heard, django_capture_on_commit_callbacks: Any
) -> None:
    RoundFactory()
    comment, mona = CommentFactory(status="pending"), moderator()
    actions: dict[str, Callable[[], Act]] = {
        "publish_article": _publish,
        "confirm_link": _confirm,
        "approve_comment": lambda: lambda: moderation.approve_comment(comment, moderator=mona).pk,
    }
    act = actions[name]()
    etag = client.get(TIMELINE)["ETag"]
    generations = caching.current_generations([caching.CONTENT, caching.COMMENTS])
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Abandoned),
        transaction.atomic(),
    ):
        act()
        raise Abandoned  # whatever the caller did next failed: the change rolls back
    assert callbacks == []
    assert heard == []
    assert caching.current_generations([caching.CONTENT, caching.COMMENTS]) == generations
    assert client.get(TIMELINE, HTTP_IF_NONE_MATCH=etag).status_code == 304
