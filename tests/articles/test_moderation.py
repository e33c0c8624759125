"""The moderation queue: decisions with reasons and audit rows, stale decisions refused, the
queue's order, columns, filters and counts, escaping of comment text, and no full counts."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.admin.moderation import CommentAdmin
from articles.models import Comment, ModerationDecision
from articles.services.moderation import (
    ModerationError,
    StaleDecision,
    approve_comment,
    mark_spam,
    reject_comment,
)
from tests.articles.admin_support import (
    client_for,
    form_data,
    make_superuser,
    role_user,
    stored_comment,
    stored_decision,
    stored_decisions,
)
from tests.articles.factories import (
    ArticleFactory,
    CommentFactory,
    ImportedCommentFactory,
    PublishedArticleFactory,
)

pytestmark = pytest.mark.django_db

QUEUE = "admin:articles_comment_changelist"


@pytest.fixture(autouse=True)
def fresh_counts() -> Iterator[None]:
    cache.clear()  # the queue caches its per-status counts
    yield
    cache.clear()


@pytest.fixture
def moderator() -> Any:
    return role_user("Moderators", "mona")


def queue(client: Client, query: str = "") -> Any:
    response = client.get(reverse(QUEUE) + query)
    assert response.status_code == 200
    return response


def act(client: Client, action: str, comments: list[Comment], **extra: Any) -> Any:
    """A bulk decision, confirmed (`post=yes`, as the confirmation page's button sends)."""
    data = {
        "action": action,
        "index": "0",
        "_selected_action": [c.pk for c in comments],
        "post": "yes",
    }
    data.update({f"seen-{c.pk}": str(c.version) for c in comments})
    data.update(extra)
    return client.post(reverse(QUEUE), data, follow=True)


# Services.


def test_approving_records_who_from_to_and_when(moderator: Any) -> None:
    comment = CommentFactory.create()

    approve_comment(comment, moderator=moderator, expected_version=1)

    comment.refresh_from_db()
    assert (comment.status, comment.version) == (Comment.Status.APPROVED, 2)
    decision = stored_decision()
    assert (decision.comment, decision.moderator) == (comment, moderator)
    assert (decision.from_status, decision.to_status) == ("pending", "approved")
    assert decision.decided_at.tzinfo is not None


def test_rejecting_and_spam_need_a_reason(moderator: Any) -> None:
    comment = CommentFactory.create()

    with pytest.raises(ModerationError, match="Choose a reason to reject: Off-topic, Abuse"):
        reject_comment(comment, moderator=moderator, reason=" ")
    with pytest.raises(ModerationError, match="Choose a reason to mark as spam"):
        mark_spam(comment, moderator=moderator, reason="")
    assert stored_comment(comment.pk).status == Comment.Status.PENDING
    assert not ModerationDecision.objects.exists()

    mark_spam(comment, moderator=moderator, reason="Link farm")

    decision = stored_decision()
    assert (decision.reason_code, decision.reason) == ("other", "Link farm")  # words only
    assert stored_comment(comment.pk).status == Comment.Status.SPAM


def test_a_decision_on_a_stale_view_is_refused_naming_who_decided(moderator: Any) -> None:
    comment = CommentFactory.create()
    other = role_user("Moderators", "otto")
    approve_comment(comment, moderator=other, expected_version=1)

    with pytest.raises(StaleDecision, match="otto approved it at") as refusal:
        reject_comment(comment, moderator=moderator, reason="Off topic", expected_version=1)

    assert "you saw version 1, it is now version 2" in str(refusal.value)
    assert stored_comment(comment.pk).status == Comment.Status.APPROVED
    assert ModerationDecision.objects.count() == 1


def test_deciding_the_same_way_twice_is_refused(moderator: Any) -> None:
    comment = approve_comment(CommentFactory.create(), moderator=moderator)

    with pytest.raises(ModerationError, match="already approved"):
        approve_comment(comment, moderator=moderator)

    assert ModerationDecision.objects.count() == 1


def test_an_editor_cannot_moderate() -> None:
    comment = CommentFactory.create()

    with pytest.raises(PermissionDenied, match="moderate_comment"):
        approve_comment(comment, moderator=role_user("Editors"))

    assert stored_comment(comment.pk).status == Comment.Status.PENDING


# The queue.


def test_the_queue_opens_on_pending_comments_oldest_first(moderator: Any) -> None:
    newest = CommentFactory.create()
    oldest = CommentFactory.create()
    middle = CommentFactory.create()
    decided = CommentFactory.create(status=Comment.Status.APPROVED)
    base = datetime.datetime(2025, 7, 1, tzinfo=datetime.UTC)
    for offset, comment in enumerate([oldest, middle, newest, decided]):
        Comment.objects.filter(pk=comment.pk).update(
            created_at=base + datetime.timedelta(hours=offset)
        )

    response = queue(client_for(moderator))

    assert list(response.context["cl"].result_list) == [oldest, middle, newest]


def test_each_row_shows_comment_author_origin_article_quote_and_tally(moderator: Any) -> None:
    article = PublishedArticleFactory.create(headline="Japan, US agree on 15% tariff")
    quoted = CommentFactory.create(article=article, author_handle="first_reader")
    ImportedCommentFactory.create(
        article=article,
        author_handle="tokyo_reader",
        body="Finally a deal.",
        quoted_text="Japan, US agree on 15% tariff",
        quotes_headline=True,
    )
    CommentFactory.create(article=article, quotes_comment=quoted, quoted_text="The first words")

    html = queue(client_for(moderator)).content.decode()

    assert "Finally a deal." in html and "tokyo_reader" in html
    assert "Imported with the page" in html and "Submitted through the API" in html
    link = reverse("admin:articles_article_change", args=[article.pk])
    assert f'<a href="{link}">Japan, US agree on 15% tariff</a>' in html
    assert re.search(
        r'<blockquote class="comment-quote"[^>]*><span class="quote-source">Quoting the headline:'
        r"</span> Japan, US agree on 15% tariff</blockquote>",
        html,
    )
    assert "Quoting first_reader’s comment:</span> The first words" in html
    assert "-6 ( +0 / -6 )" in html


PAYLOADS = [
    "<script>alert('queue')</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(2)">click</a>',
    '"><svg onload=alert(3)>',
]


def test_comment_text_renders_as_inert_text_in_the_queue_and_on_the_comment_page(
    moderator: Any,
) -> None:
    article = PublishedArticleFactory.create(headline="<b onmouseover=alert(4)>Headline</b>")
    comments = [
        CommentFactory.create(
            article=article, body=payload, author_handle=payload[:90], quoted_text=payload
        )
        for payload in PAYLOADS
    ]
    client = client_for(moderator)
    reject_comment(comments[0], moderator=moderator, reason=PAYLOADS[1])

    pages = [
        queue(client).content.decode(),
        queue(client, "?status=all").content.decode(),
        client.get(
            reverse("admin:articles_comment_change", args=[comments[0].pk])
        ).content.decode(),
        client.get(reverse("admin:articles_moderationdecision_changelist")).content.decode(),
    ]

    for html in pages:
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert 'href="javascript:' not in html
        assert "<svg onload" not in html
        assert "<b onmouseover" not in html
    assert "&lt;script&gt;alert(&#x27;queue&#x27;)&lt;/script&gt;" in pages[1]
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in pages[1]
    assert "&lt;a href=&quot;javascript:alert(2)&quot;&gt;click&lt;/a&gt;" in pages[1]


def test_bulk_approve_and_reject_with_a_reason(moderator: Any) -> None:
    approve_me, approve_too, reject_me = (
        CommentFactory.create(),
        CommentFactory.create(),
        CommentFactory.create(),
    )
    client = client_for(moderator)

    approved = act(client, "approve_selected", [approve_me, approve_too])
    rejected = act(
        client, "reject_selected", [reject_me], reason_code="abuse", reason="Insults another reader"
    )

    assert "2 comments approved." in approved.content.decode()
    assert "1 comment rejected." in rejected.content.decode()
    decisions = stored_decisions()
    assert decisions[approve_me.pk].to_status == "approved"
    assert decisions[reject_me.pk].to_status == "rejected"
    assert decisions[reject_me.pk].reason == "Insults another reader"
    assert decisions[reject_me.pk].reason_code == "abuse"
    assert all(d.moderator == moderator for d in decisions.values())


def test_bulk_reject_without_a_reason_decides_nothing_and_keeps_the_choice(
    moderator: Any,
) -> None:
    comments = [CommentFactory.create(), CommentFactory.create()]

    response = act(client_for(moderator), "reject_selected", comments, reason_code="other")

    html = response.content.decode()
    assert "Say in words why, with the reason “Other”." in html
    # The confirmation page again, with the selection, the action and the words kept.
    form = form_data(html, "confirm-form")
    assert form["action"] == "reject_selected"
    assert sorted(form["_selected_action"]) == sorted(str(c.pk) for c in comments)
    assert form["reason"] == "" and form["reason_code"] == "other"
    assert set(Comment.objects.values_list("status", flat=True)) == {"pending"}
    assert not ModerationDecision.objects.exists()


def test_a_bulk_decision_on_a_stale_row_is_refused_and_the_rest_applied(moderator: Any) -> None:
    fresh, stale = CommentFactory.create(), CommentFactory.create()
    client = client_for(moderator)
    queue(client)  # the moderator's view: both at version 1
    approve_comment(stale, moderator=role_user("Moderators", "otto"))
    stale.version = 1  # as shown in the moderator's page

    response = act(client, "spam_selected", [fresh, stale], reason_code="spam")

    html = response.content.decode()
    assert "1 comment marked as spam." in html
    assert f"Not applied to comment #{stale.pk}: otto approved it" in html
    assert stored_comment(stale.pk).status == Comment.Status.APPROVED
    assert ModerationDecision.objects.filter(comment=stale).count() == 1


def test_deciding_on_the_comment_page(moderator: Any) -> None:
    comment = CommentFactory.create(body="Good point about autos.")
    client = client_for(moderator)
    url = reverse("admin:articles_comment_change", args=[comment.pk])
    form = form_data(client.get(url).content, "comment_form")
    form.update({"decision": "rejected", "reason_code": "", "reason": ""})

    missing_reason = client.post(url, form)
    assert missing_reason.status_code == 200
    assert "Choose a reason to reject" in missing_reason.content.decode()
    assert stored_comment(comment.pk).status == Comment.Status.PENDING

    form.update({"reason_code": "other"})
    no_words = client.post(url, form)
    assert "Say in words why" in no_words.content.decode()
    form.update({"reason": "Said twice"})
    assert stored_comment(comment.pk).status == Comment.Status.PENDING

    form["reason_code"] = "duplicate"
    response = client.post(url, form, follow=True)

    assert f"Comment #{comment.pk} rejected." in response.content.decode()
    decision = stored_decision()
    assert (decision.reason_code, decision.reason) == ("duplicate", "Said twice")


def test_a_stale_decision_on_the_comment_page_is_refused_with_the_input_kept(
    moderator: Any,
) -> None:
    comment = CommentFactory.create()
    client = client_for(moderator)
    url = reverse("admin:articles_comment_change", args=[comment.pk])
    form = form_data(client.get(url).content, "comment_form")
    approve_comment(comment, moderator=role_user("Moderators", "otto"))
    form.update({"decision": "spam", "reason_code": "spam", "reason": "My reason stays"})

    response = client.post(url, form)

    html = response.content.decode()
    assert response.status_code == 200
    assert "otto approved it at" in html
    assert "My reason stays" in html
    assert stored_comment(comment.pk).status == Comment.Status.APPROVED


def test_filters_by_status_origin_article_and_date_with_counts(moderator: Any) -> None:
    article = ArticleFactory.create()
    mine = ImportedCommentFactory.create(article=article)
    CommentFactory.create(article=article)
    CommentFactory.create()
    CommentFactory.create(status=Comment.Status.SPAM)
    client = client_for(moderator)

    pending = queue(client)
    html = pending.content.decode()
    assert "Pending (3)" in html and "Spam (1)" in html and "All (4)" in html
    assert queue(client, "?status=spam").context["cl"].result_count == 1
    assert list(queue(client, "?origin__exact=imported").context["cl"].result_list) == [mine]
    assert queue(client, f"?article={article.pk}").context["cl"].result_count == 2
    # The admin's date filter links carry the offset ("2000-01-01 00:00:00+00:00").
    since = "?created_at__gte=2000-01-01+00%3A00%3A00%2B00%3A00"
    assert queue(client, since).context["cl"].result_count == 3
    assert "is not an article id" in queue(client, "?article=abc").content.decode()


def test_counts_follow_decisions_once_committed_without_a_recount(
    moderator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    comment = CommentFactory.create()
    client = client_for(moderator)
    assert "Pending (1)" in queue(client).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        approve_comment(comment, moderator=moderator)

    with CaptureQueriesContext(connection) as captured:
        html = queue(client).content.decode()
    assert "Pending (0)" in html and "Approved (1)" in html
    assert not [q for q in captured.captured_queries if "GROUP BY" in q["sql"].upper()]


def test_the_queue_never_counts_the_whole_table_on_a_page_load(moderator: Any) -> None:
    for _ in range(3):
        CommentFactory.create()
    client = client_for(moderator)
    queue(client)  # the first load of a minute computes the per-status counts

    with CaptureQueriesContext(connection) as captured:
        queue(client)

    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts, "the filtered queue is counted (capped)"
    for sql in counts:
        assert "articles_comment" in sql
        assert "WHERE" in sql.upper() and "LIMIT" in sql.upper(), sql


def test_the_queue_ordering_matches_its_index() -> None:
    queue_index = next(i for i in Comment._meta.indexes if i.name == "comment_queue_idx")
    assert list(queue_index.fields) == ["status", *CommentAdmin.ordering]


def test_comments_cannot_be_added_or_deleted_in_admin() -> None:
    comment = CommentFactory.create()
    admin_client = client_for(make_superuser())

    assert admin_client.get(reverse("admin:articles_comment_add")).status_code == 403
    assert (
        admin_client.post(reverse("admin:articles_comment_delete", args=[comment.pk])).status_code
        == 403
    )
    assert Comment.objects.filter(pk=comment.pk).exists()
