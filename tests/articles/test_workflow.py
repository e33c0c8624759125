"""Article workflow: draft → in review → published → retracted, only through the services,
each checking the actor's permission and writing an audit row; corrections."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, Correction, RoundLink
from articles.services.workflow import (
    BASELINE_COMMENT,
    EditConflict,
    PublishRequirementsMissing,
    ServiceError,
    TransitionNotAllowed,
    add_correction,
    publish_article,
    retract_article,
    return_to_draft,
    save_article,
    submit_for_review,
)
from tests.articles.admin_support import (
    client_for,
    make_user,
    role_user,
    stored_correction,
)
from tests.articles.factories import ArticleFactory, RoundLinkFactory

pytestmark = pytest.mark.django_db


def audit_messages(obj: Model, user: Any) -> list[str]:
    return list(
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(type(obj)),
            object_id=str(obj.pk),
            user=user,
        )
        .order_by("pk")
        .values_list("change_message", flat=True)
    )


def publishable(status: str = Article.Status.IN_REVIEW) -> Article:
    article = ArticleFactory.create(status=status)
    RoundLinkFactory.create(
        article=article,
        status=RoundLink.Status.CONFIRMED,
        confirmed_by=make_user(),
        confirmed_at=datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC),
    )
    return article


def test_submitting_a_draft_puts_it_in_review_with_an_audit_row_and_a_revision() -> None:
    editor = role_user("Editors")
    article = ArticleFactory.create(headline="", published_at=None, outlet=None)

    submit_for_review(article, editor=editor)

    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW
    assert article.version == 2
    assert audit_messages(article, editor) == ["Submitted for review."]
    baseline, submitted = Version.objects.get_for_object(article).order_by("pk")
    assert baseline.revision.comment == BASELINE_COMMENT  # the state before the first change
    assert baseline.field_dict["status"] == Article.Status.DRAFT
    revision = submitted.revision
    assert revision.user == editor
    assert revision.comment == "Submitted for review."


def test_only_a_draft_can_be_submitted_for_review() -> None:
    editor = role_user("Editors")
    article = ArticleFactory.create(status=Article.Status.PUBLISHED)

    with pytest.raises(TransitionNotAllowed, match="only an article that is draft"):
        submit_for_review(article, editor=editor)

    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.version == 1
    assert audit_messages(article, editor) == []


def test_an_article_in_review_can_return_to_draft() -> None:
    editor = role_user("Editors")
    article = ArticleFactory.create(status=Article.Status.IN_REVIEW)

    return_to_draft(article, editor=editor)

    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT
    assert audit_messages(article, editor) == ["Returned to draft."]


def test_publishing_an_article_in_review_with_everything_in_place() -> None:
    editor = role_user("Editors")
    article = publishable()

    publish_article(article, editor=editor)

    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert audit_messages(article, editor) == ["Published."]


def test_publishing_is_refused_naming_everything_that_is_missing() -> None:
    editor = role_user("Editors")
    article = ArticleFactory.create(
        status=Article.Status.IN_REVIEW, headline="", published_at=None, outlet=None
    )
    RoundLinkFactory.create(article=article)  # only suggested, not confirmed

    with pytest.raises(PublishRequirementsMissing) as refusal:
        publish_article(article, editor=editor)

    assert refusal.value.missing == [
        "a headline",
        "a published time",
        "an outlet",
        "a confirmed round link",
    ]
    assert "a headline, a published time, an outlet and a confirmed round link" in str(
        refusal.value
    )
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW
    assert audit_messages(article, editor) == []


def test_publishing_names_only_the_confirmed_round_link_when_that_is_all_that_is_missing() -> None:
    article = ArticleFactory.create(status=Article.Status.IN_REVIEW)

    with pytest.raises(PublishRequirementsMissing) as refusal:
        publish_article(article, editor=role_user("Editors"))

    assert refusal.value.missing == ["a confirmed round link"]


def test_a_draft_cannot_be_published_without_review() -> None:
    article = publishable(status=Article.Status.DRAFT)

    with pytest.raises(TransitionNotAllowed, match="only an article that is in review"):
        publish_article(article, editor=role_user("Editors"))

    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT


def test_a_moderator_cannot_publish_or_submit() -> None:
    moderator = role_user("Moderators")
    article = publishable()

    with pytest.raises(PermissionDenied, match="publish_article"):
        publish_article(article, editor=moderator)
    with pytest.raises(PermissionDenied):
        return_to_draft(article, editor=moderator)

    assert Article.objects.get(pk=article.pk).status == Article.Status.IN_REVIEW


def test_retracting_needs_a_reason_and_records_it() -> None:
    editor = role_user("Editors")
    article = publishable(status=Article.Status.PUBLISHED)

    with pytest.raises(ServiceError, match="reason"):
        retract_article(article, editor=editor, reason="  ")
    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED

    retract_article(article, editor=editor, reason="The meeting it reports did not take place.")

    assert Article.objects.get(pk=article.pk).status == Article.Status.RETRACTED
    assert audit_messages(article, editor) == [
        "Retracted: The meeting it reports did not take place."
    ]


def test_only_a_published_article_can_be_retracted() -> None:
    article = ArticleFactory.create(status=Article.Status.IN_REVIEW)

    with pytest.raises(TransitionNotAllowed):
        retract_article(article, editor=role_user("Editors"), reason="Wrong")


def test_a_transition_on_a_stale_view_is_refused() -> None:
    editor = role_user("Editors")
    article = publishable()
    Article.objects.filter(pk=article.pk).update(version=5)

    with pytest.raises(EditConflict, match="You opened version 1; it is now version 5"):
        publish_article(article, editor=editor, expected_version=1)

    assert Article.objects.get(pk=article.pk).status == Article.Status.IN_REVIEW


def test_saving_a_draft_with_missing_items_is_allowed_and_bumps_the_version() -> None:
    editor = role_user("Editors")
    article = ArticleFactory.create(headline="", published_at=None, outlet=None)
    article.dek = "A dek"

    save_article(article, editor=editor, expected_version=1, changed_fields=["dek"])

    article.refresh_from_db()
    assert (article.dek, article.version, article.status) == ("A dek", 2, Article.Status.DRAFT)
    assert audit_messages(article, editor) == ["Changed dek."]


def test_an_editor_written_headline_settles_the_review_item_and_is_marked() -> None:
    article = ArticleFactory.create(headline="", needs_review=["headline", "outlet"])
    article.headline = "Akazawa and Lutnick meet for the fourth time"

    save_article(
        article, editor=role_user("Editors"), expected_version=1, changed_fields=["headline"]
    )

    article.refresh_from_db()
    assert article.headline_by_editor is True
    assert article.needs_review == ["outlet"]


def test_a_save_cannot_change_the_status() -> None:
    article = ArticleFactory.create()
    article.status = Article.Status.PUBLISHED

    with pytest.raises(TransitionNotAllowed):
        save_article(article, editor=role_user("Editors"), expected_version=1)

    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT


def test_a_stale_save_names_who_saved_last() -> None:
    alice = role_user("Editors", "alice")
    article = ArticleFactory.create()
    article.dek = "Alice's dek"
    save_article(article, editor=alice, expected_version=1, changed_fields=["dek"])

    stale = Article.objects.get(pk=article.pk)
    stale.dek = "Bob's dek"
    with pytest.raises(EditConflict) as conflict:
        save_article(stale, editor=role_user("Editors", "bob"), expected_version=1)

    assert "alice" in str(conflict.value)
    assert "Changed dek." in str(conflict.value)
    assert Article.objects.get(pk=article.pk).dek == "Alice's dek"


def test_a_correction_on_a_published_article_records_kind_text_time_and_author() -> None:
    editor = role_user("Editors")
    article = publishable(status=Article.Status.PUBLISHED)

    correction = add_correction(
        article,
        editor=editor,
        kind=Correction.Kind.CORRECTION,
        text="The meeting lasted 130 minutes, not 90.",
    )

    stored = stored_correction(correction.pk)
    assert stored.article == article
    assert stored.kind == Correction.Kind.CORRECTION
    assert stored.text == "The meeting lasted 130 minutes, not 90."
    assert stored.created_by == editor
    assert stored.created_at.tzinfo is not None
    assert audit_messages(stored, editor) == ["Added a correction."]


def test_a_correction_is_refused_on_a_draft_and_without_text() -> None:
    editor = role_user("Editors")
    draft = ArticleFactory.create()
    published = publishable(status=Article.Status.PUBLISHED)

    with pytest.raises(ServiceError, match="published articles"):
        add_correction(draft, editor=editor, kind="correction", text="Fix")
    with pytest.raises(ServiceError, match="needs its text"):
        add_correction(published, editor=editor, kind="correction", text=" ")
    with pytest.raises(ServiceError, match="Unknown kind"):
        add_correction(published, editor=editor, kind="erratum", text="Fix")

    assert Correction.objects.count() == 0


def test_a_correction_shows_on_the_article_page() -> None:
    editor = role_user("Editors")
    article = publishable(status=Article.Status.PUBLISHED)
    add_correction(article, editor=editor, kind="clarification", text="Lutnick, not Rutnick.")

    page = client_for(editor).get(reverse("admin:articles_article_change", args=[article.pk]))

    assert "Lutnick, not Rutnick." in page.content.decode()
    assert "Clarification" in page.content.decode()


# The admin's workflow buttons call the same services.


def test_the_publish_button_publishes_and_says_so() -> None:
    editor = role_user("Editors")
    article = publishable()
    url = reverse("admin:articles_article_workflow", args=[article.pk, "publish"])

    response = client_for(editor).post(url, {"loaded_version": 1, "confirmed": "yes"}, follow=True)

    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED
    assert "is published" in response.content.decode()


def test_the_publish_button_names_what_is_missing() -> None:
    editor = role_user("Editors")
    article = ArticleFactory.create(status=Article.Status.IN_REVIEW, outlet=None)
    url = reverse("admin:articles_article_workflow", args=[article.pk, "publish"])

    response = client_for(editor).post(url, {"loaded_version": 1, "confirmed": "yes"}, follow=True)

    html = response.content.decode()
    assert "it still needs an outlet and a confirmed round link" in html
    assert Article.objects.get(pk=article.pk).status == Article.Status.IN_REVIEW


def test_the_workflow_route_takes_only_post_and_known_steps() -> None:
    client = client_for(role_user("Editors"))
    article = ArticleFactory.create()

    get = client.get(reverse("admin:articles_article_workflow", args=[article.pk, "submit"]))
    unknown = client.post(reverse("admin:articles_article_workflow", args=[article.pk, "delete"]))

    assert get.status_code == 405
    assert unknown.status_code == 404
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT


def test_a_moderator_pressing_publish_is_forbidden() -> None:
    article = publishable()
    url = reverse("admin:articles_article_workflow", args=[article.pk, "publish"])

    response = client_for(role_user("Moderators")).post(
        url, {"loaded_version": 1, "confirmed": "yes"}
    )

    assert response.status_code == 403
    assert Article.objects.get(pk=article.pk).status == Article.Status.IN_REVIEW


def test_the_article_page_lists_what_publishing_still_needs_and_the_allowed_steps() -> None:
    editor = role_user("Editors")
    article = ArticleFactory.create(status=Article.Status.IN_REVIEW, published_at=None)

    html = (
        client_for(editor)
        .get(reverse("admin:articles_article_change", args=[article.pk]))
        .content.decode()
    )

    assert "it needs: a published time, a confirmed round link." in html
    assert 'value="publish"' in html
    assert 'value="draft"' in html
    assert 'value="retract"' not in html


def test_bulk_publish_reports_each_refusal_and_publishes_the_rest() -> None:
    editor = role_user("Editors")
    ready = publishable()
    not_ready = ArticleFactory.create(status=Article.Status.IN_REVIEW)

    response = client_for(editor).post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_selected", "_selected_action": [ready.pk, not_ready.pk]},
        follow=True,
    )

    assert Article.objects.get(pk=ready.pk).status == Article.Status.PUBLISHED
    assert Article.objects.get(pk=not_ready.pk).status == Article.Status.IN_REVIEW
    html = response.content.decode()
    assert "Published: 1 article." in html
    assert "a confirmed round link" in html
