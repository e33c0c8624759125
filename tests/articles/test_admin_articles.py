"""The article desk in admin: edit conflicts, coverage links (one by one and in bulk), the
needs-review view, coverage on the record pages, and no reader comments on the article."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from articles.models import Article, Comment, CoverageLink, MeetingLink, RoundLink
from articles.services.coverage import add_link, confirm_link, reject_link
from articles.services.workflow import ServiceError
from tests.articles.admin_support import (
    client_for,
    form_data,
    make_superuser,
    make_user,
    role_user,
)
from tests.articles.factories import (
    ArticleFactory,
    CommentFactory,
    ImportedCommentFactory,
    MeetingLinkFactory,
    OfficialLinkFactory,
    RoundLinkFactory,
)
from tests.negotiations.factories import MeetingFactory, RoundFactory

pytestmark = pytest.mark.django_db


def change_url(article: Article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def opened(client: Client, article: Article) -> dict[str, Any]:
    return form_data(client.get(change_url(article)).content, "article_form")


# Edit conflicts.


def test_the_second_of_two_editors_is_refused_and_keeps_the_input() -> None:
    article = ArticleFactory.create(headline="Akazawa meets Lutnick", dek="")
    alice = client_for(role_user("Editors", "alice"))
    bob = client_for(role_user("Editors", "bob"))
    alice_form, bob_form = opened(alice, article), opened(bob, article)

    alice_form["headline"] = "Akazawa meets Lutnick for 130 minutes"
    assert alice.post(change_url(article), alice_form).status_code == 302
    bob_form["dek"] = "Bob's summary of the fourth round"
    response = bob.post(change_url(article), bob_form)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Not saved: this article was changed after you opened it, by alice at" in html
    assert "Changed Headline." in html
    assert "You opened version 1; it is now version 2." in html
    assert "Bob&#x27;s summary of the fourth round" in html  # still in the form
    article.refresh_from_db()
    assert article.headline == "Akazawa meets Lutnick for 130 minutes"
    assert article.dek == ""
    assert article.version == 2


def test_saving_bumps_the_version_and_the_next_form_carries_it() -> None:
    article = ArticleFactory.create()
    client = client_for(role_user("Editors"))

    form = opened(client, article)
    assert form["loaded_version"] == "1"
    form["dek"] = "One"
    client.post(change_url(article), form)
    form = opened(client, article)
    form["dek"] = "Two"
    client.post(change_url(article), form)

    article.refresh_from_db()
    assert (article.version, article.dek) == (3, "Two")


def test_a_form_without_its_version_is_refused() -> None:
    article = ArticleFactory.create()
    client = client_for(role_user("Editors"))
    form = opened(client, article)
    del form["loaded_version"]
    form["dek"] = "Changed"

    response = client.post(change_url(article), form)

    assert response.status_code == 200
    assert Article.objects.get(pk=article.pk).dek == ""


def test_a_published_article_cannot_lose_its_headline_in_the_form() -> None:
    article = ArticleFactory.create(status=Article.Status.PUBLISHED)
    client = client_for(role_user("Editors"))
    form = opened(client, article)
    form["headline"] = ""

    response = client.post(change_url(article), form)

    assert response.status_code == 200
    assert "retract it first" in response.content.decode()
    assert Article.objects.get(pk=article.pk).headline == article.headline


# Coverage links on the article page.


def test_accepting_and_rejecting_suggestions_one_by_one_on_the_article_page() -> None:
    editor = role_user("Editors", "editor")
    article = ArticleFactory.create()
    accepted = RoundLinkFactory.create(article=article)
    rejected = MeetingLinkFactory.create(article=article)
    client = client_for(editor)
    form = opened(client, article)
    form["roundlinks-0-decision"] = "accept"
    form["meetinglinks-0-decision"] = "reject"

    assert client.post(change_url(article), form).status_code == 302

    accepted.refresh_from_db()
    rejected.refresh_from_db()
    assert accepted.status == CoverageLink.Status.CONFIRMED
    assert accepted.confirmed_by == editor
    assert accepted.confirmed_at is not None
    assert accepted.origin == CoverageLink.Origin.SUGGESTED
    assert rejected.status == CoverageLink.Status.REJECTED
    assert LogEntry.objects.filter(user=editor, change_message__startswith="Confirmed").count() == 1
    assert LogEntry.objects.filter(user=editor, change_message__startswith="Rejected").count() == 1


def test_the_inline_shows_evidence_origin_and_who_confirmed_when() -> None:
    confirmer = make_user("carol")
    link = RoundLinkFactory.create(
        evidence="in a fourth round of talks",
        status=CoverageLink.Status.CONFIRMED,
        confirmed_by=confirmer,
        confirmed_at=datetime.datetime(2025, 5, 30, 10, 0, tzinfo=datetime.UTC),
    )

    html = client_for(role_user("Editors")).get(change_url(link.article)).content.decode()

    assert "in a fourth round of talks" in html
    assert "Suggested by the importer" in html
    assert "carol" in html
    assert "May 30, 2025" in html


def test_an_editor_adds_a_link_with_autocomplete_and_it_is_confirmed_by_them() -> None:
    editor = role_user("Editors", "editor")
    article = ArticleFactory.create()
    meeting = MeetingFactory.create()
    client = client_for(editor)
    page = client.get(change_url(article)).content.decode()
    assert "data-autocomplete" in page or "admin-autocomplete" in page
    form = form_data(page, "article_form")
    form.update(
        {
            "meetinglinks-TOTAL_FORMS": "1",
            "meetinglinks-0-meeting": str(meeting.pk),
            "meetinglinks-0-evidence": "Akazawa met Lutnick on Friday.",
        }
    )

    assert client.post(change_url(article), form).status_code == 302

    link = MeetingLink.objects.get(article=article)
    assert (link.meeting, link.origin, link.status, link.confirmed_by) == (
        meeting,
        CoverageLink.Origin.EDITOR,
        CoverageLink.Status.CONFIRMED,
        editor,
    )


def test_a_link_with_no_evidence_is_refused_and_nothing_is_saved() -> None:
    article = ArticleFactory.create()
    client = client_for(role_user("Editors"))
    form = opened(client, article)
    form.update(
        {
            "roundlinks-TOTAL_FORMS": "1",
            "roundlinks-0-round": str(RoundFactory.create().pk),
            "roundlinks-0-evidence": "",
            "dek": "Should not be saved either",
        }
    )

    response = client.post(change_url(article), form)

    assert response.status_code == 200
    assert not RoundLink.objects.exists()
    assert Article.objects.get(pk=article.pk).dek == ""


def test_a_rejected_suggestion_keeps_its_row_so_it_is_not_suggested_again() -> None:
    link = RoundLinkFactory.create()
    reject_link(link, editor=role_user("Editors"))

    with pytest.raises(IntegrityError), transaction.atomic():
        RoundLink.objects.create(
            article=link.article, round=link.round, evidence="again", origin="suggested"
        )
    again, created = RoundLink.objects.get_or_create(
        article=link.article, round=link.round, defaults={"evidence": "again"}
    )
    assert not created
    assert again.status == CoverageLink.Status.REJECTED


def test_link_decisions_are_refused_when_already_taken_or_not_permitted() -> None:
    editor = role_user("Editors", "editor")
    link = RoundLinkFactory.create()
    confirm_link(link, editor=editor)

    with pytest.raises(ServiceError, match="already confirmed by editor"):
        confirm_link(link, editor=editor)
    with pytest.raises(ServiceError, match="already has a link"):
        add_link(link.article, editor=editor, target=link.round, evidence="x")
    with pytest.raises(Exception, match="confirm_coverage"):
        reject_link(link, editor=role_user("Moderators"))
    link.refresh_from_db()
    assert link.status == CoverageLink.Status.CONFIRMED


# Bulk decisions honour the filters.


def test_bulk_accept_over_a_filtered_selection_changes_only_what_the_filter_matches() -> None:
    editor = role_user("Editors")
    round_4, round_5 = RoundFactory.create(number=4), RoundFactory.create(number=5)
    in_filter = [RoundLinkFactory.create(round=round_4) for _ in range(3)]
    other_round = RoundLinkFactory.create(round=round_5)
    already_rejected = RoundLinkFactory.create(round=round_4, status=CoverageLink.Status.REJECTED)
    url = reverse("admin:articles_roundlink_changelist")
    query = f"?round__id__exact={round_4.pk}&status__exact=suggested"

    response = client_for(editor).post(
        url + query,
        {
            "action": "accept_selected",
            "select_across": "1",
            "index": "0",
            "_selected_action": [in_filter[0].pk],
        },
        follow=True,
    )

    assert "Accepted 3 links." in response.content.decode()
    statuses = dict(RoundLink.objects.values_list("pk", "status"))
    assert all(statuses[link.pk] == "confirmed" for link in in_filter)
    assert statuses[other_round.pk] == "suggested"
    assert statuses[already_rejected.pk] == "rejected"


def test_bulk_reject_of_the_suggestions_of_selected_articles() -> None:
    article, other = ArticleFactory.create(), ArticleFactory.create()
    RoundLinkFactory.create(article=article)
    OfficialLinkFactory.create(article=article)
    confirmed = MeetingLinkFactory.create(
        article=article,
        status=CoverageLink.Status.CONFIRMED,
        confirmed_by=make_user(),
        confirmed_at=datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC),
    )
    untouched = RoundLinkFactory.create(article=other)

    client_for(role_user("Editors")).post(
        reverse("admin:articles_article_changelist"),
        {"action": "reject_suggestions", "_selected_action": [article.pk]},
    )

    assert set(article.roundlinks.values_list("status", flat=True)) == {"rejected"}
    assert set(article.officiallinks.values_list("status", flat=True)) == {"rejected"}
    confirmed.refresh_from_db()
    untouched.refresh_from_db()
    assert confirmed.status == "confirmed"
    assert untouched.status == "suggested"


# Needs review.


def test_the_needs_review_view_lists_what_an_editor_must_establish() -> None:
    fine = ArticleFactory.create(headline="All present")
    RoundLinkFactory.create(
        article=fine,
        status=CoverageLink.Status.CONFIRMED,
        confirmed_by=make_user(),
        confirmed_at=datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC),
    )
    no_headline = ArticleFactory.create(headline="", slug="no-headline")
    no_date = ArticleFactory.create(published_at=None)
    no_outlet = ArticleFactory.create(outlet=None)
    suggestion = RoundLinkFactory.create().article
    changed_page = ArticleFactory.create(source_changed=True)
    importer = ArticleFactory.create(needs_review=["body", "byline"])
    # A byline is optional: publishing does not need it, so it alone puts nothing on the list.
    byline_only = ArticleFactory.create(needs_review=["byline"])
    client = client_for(role_user("Editors"))

    response = client.get(reverse("admin:articles_article_needs_review"), follow=True)

    listed = set(response.context["cl"].result_list)
    assert listed == {no_headline, no_date, no_outlet, suggestion, changed_page, importer}
    assert byline_only not in listed
    only_suggestions = client.get(
        reverse("admin:articles_article_changelist") + "?review=suggestions"
    )
    assert set(only_suggestions.context["cl"].result_list) == {suggestion}
    assert "[no headline] no-headline" in response.content.decode()


# Comments are never part of the article page.


def test_comments_never_appear_in_the_article_form() -> None:
    article = ArticleFactory.create()
    CommentFactory.create(article=article, body="SECRET-PENDING-COMMENT")
    CommentFactory.create(
        article=article, body="SECRET-APPROVED-COMMENT", status=Comment.Status.APPROVED
    )
    ImportedCommentFactory.create(article=article, body="SECRET-IMPORTED-COMMENT")

    for user in (role_user("Editors"), make_superuser("root")):
        html = client_for(user).get(change_url(article)).content.decode()
        assert "SECRET-" not in html
        assert "comment_set" not in html and "comments-TOTAL_FORMS" not in html

    inline_models = {inline.model for inline in admin.site._registry[Article].inlines}
    assert Comment not in inline_models


# The record pages show the articles covering them.


def test_the_round_page_lists_covering_articles_by_status_with_counts() -> None:
    round_ = RoundFactory.create(number=7)
    MeetingFactory.create(round=round_, title="Seventh-round meeting with Lutnick")
    confirmed = RoundLinkFactory.create(
        round=round_,
        article__headline="Confirmed coverage",
        status=CoverageLink.Status.CONFIRMED,
        confirmed_by=make_user(),
        confirmed_at=datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC),
    )
    RoundLinkFactory.create(round=round_, article__headline="Suggested coverage A")
    RoundLinkFactory.create(round=round_, article__headline="Suggested coverage B")

    html = (
        client_for(role_user("Editors"))
        .get(reverse("admin:negotiations_round_change", args=[round_.pk]))
        .content.decode()
    )

    assert "Seventh-round meeting with Lutnick" in html
    assert "Confirmed: 1" in html and "Suggested: 2" in html and "Rejected: 0" in html
    assert html.index("Suggested coverage A") < html.index("Confirmed coverage")
    assert reverse("admin:articles_article_change", args=[confirmed.article.pk]) in html


def test_the_round_list_counts_confirmed_and_suggested_articles() -> None:
    round_ = RoundFactory.create()
    RoundLinkFactory.create(round=round_)
    RoundLinkFactory.create(round=round_)
    RoundFactory.create()

    response = client_for(role_user("Editors")).get(reverse("admin:negotiations_round_changelist"))

    rows = {obj.pk: obj for obj in response.context["cl"].result_list}
    assert rows[round_.pk].suggested_articles_n == 2
    assert rows[round_.pk].confirmed_articles_n == 0
