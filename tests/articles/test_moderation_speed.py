"""Moderation at speed: one-click decisions from the queue with reason codes, the next comment
after each, a refused decision keeping the moderator's choice, undo while fresh, bulk decisions
confirmed with their count, the moderator's inbox, and flat query counts."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Comment, ModerationDecision
from articles.services.moderation import (
    UNDO_WINDOW,
    ModerationError,
    approve_comment,
    moderation_summary,
    reject_comment,
    undo_decision,
    undoable_decision,
)
from tests.articles.admin_support import (
    client_for,
    form_data,
    role_user,
    stored_comment,
    stored_decision,
)
from tests.articles.factories import (
    ArticleFactory,
    CommentFactory,
    ImportedCommentFactory,
    PublishedArticleFactory,
)

pytestmark = pytest.mark.django_db

QUEUE = "admin:articles_comment_changelist"
DECIDE = "admin:articles_comment_decide"
UNDO = "admin:articles_comment_undo"


@pytest.fixture(autouse=True)
def fresh_counts() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def moderator() -> Any:
    return role_user("Moderators", "mona")


def queue_html(client: Client, query: str = "") -> str:
    response = client.get(reverse(QUEUE) + query)
    assert response.status_code == 200
    return response.content.decode()


def click(client: Client, comment: Comment, status: str, **fields: str) -> Any:
    """What a row's button posts: the whole changelist form, to the decide view."""
    data = form_data(queue_html(client, "?status=all"), "changelist-form")
    data.update(fields)
    data["decide"] = f"{comment.pk}:{status}"
    return client.post(reverse(DECIDE), data)


def spaced(comments: list[Comment]) -> None:
    base = datetime.datetime(2025, 7, 1, tzinfo=datetime.UTC)
    for offset, comment in enumerate(comments):
        Comment.objects.filter(pk=comment.pk).update(
            created_at=base + datetime.timedelta(minutes=offset)
        )


# Reasons and undo, in the service.


def test_a_reason_code_and_words_are_stored_with_the_decision(moderator: Any) -> None:
    comment = CommentFactory.create()

    reject_comment(
        comment, moderator=moderator, reason_code="personal_data", reason="Posts a phone number"
    )

    decision = stored_decision()
    assert (decision.reason_code, decision.reason) == ("personal_data", "Posts a phone number")
    assert decision.get_reason_code_display() == "Personal data"


def test_a_bad_or_misplaced_reason_code_is_refused(moderator: Any) -> None:
    comment = CommentFactory.create()

    with pytest.raises(ModerationError, match="“rude” is not a reason"):
        reject_comment(comment, moderator=moderator, reason_code="rude")
    with pytest.raises(ModerationError, match="Say in words why"):
        reject_comment(comment, moderator=moderator, reason_code="other")
    with pytest.raises(ModerationError, match="goes with rejecting or marking as spam only"):
        approve_comment(comment, moderator=moderator, reason_code="abuse")

    assert not ModerationDecision.objects.exists()
    assert stored_comment(comment.pk).status == Comment.Status.PENDING


def test_undo_returns_the_comment_and_records_the_undo(moderator: Any) -> None:
    comment = CommentFactory.create()
    reject_comment(comment, moderator=moderator, reason_code="off_topic")
    decision = stored_decision()
    assert undoable_decision(moderator) == decision

    undo_decision(decision, moderator=moderator)

    assert stored_comment(comment.pk).status == Comment.Status.PENDING
    assert stored_comment(comment.pk).version == 3
    undo = ModerationDecision.objects.get(undoes=decision)
    assert (undo.from_status, undo.to_status, undo.moderator) == ("rejected", "pending", moderator)
    assert undoable_decision(moderator) is None  # an undo is not undone in turn
    with pytest.raises(ModerationError, match="undone already"):
        undo_decision(decision, moderator=moderator)


def test_undo_is_refused_once_the_decision_is_stale_or_not_yours(moderator: Any) -> None:
    old, other, redecided = CommentFactory.create_batch(3)
    approve_comment(old, moderator=moderator)
    late = stored_decision(comment=old)
    ModerationDecision.objects.filter(pk=late.pk).update(
        decided_at=timezone.now() - UNDO_WINDOW - datetime.timedelta(seconds=1)
    )
    late.refresh_from_db()
    approve_comment(other, moderator=role_user("Moderators", "otto"))
    approve_comment(redecided, moderator=moderator)
    reject_comment(redecided, moderator=role_user("Moderators", "pia"), reason_code="abuse")

    with pytest.raises(ModerationError, match="more than 2 minutes ago"):
        undo_decision(late, moderator=moderator)
    with pytest.raises(ModerationError, match="only the moderator who took a decision"):
        undo_decision(stored_decision(comment=other), moderator=moderator)
    first = ModerationDecision.objects.filter(comment=redecided).order_by("pk").first()
    assert first is not None
    with pytest.raises(ModerationError, match="was decided again"):
        undo_decision(first, moderator=moderator)

    assert stored_comment(old.pk).status == Comment.Status.APPROVED
    assert stored_comment(redecided.pk).status == Comment.Status.REJECTED
    assert not ModerationDecision.objects.filter(undoes__isnull=False).exists()
    assert undoable_decision(moderator) is None


def test_the_moderation_summary_counts_pending_oldest_and_today(moderator: Any) -> None:
    first, second, third = CommentFactory.create_batch(3)
    spaced([first, second, third])
    approve_comment(third, moderator=moderator)
    reject_comment(second, moderator=role_user("Moderators", "otto"), reason_code="spam")
    yesterday = timezone.now() - datetime.timedelta(days=1, hours=1)
    ModerationDecision.objects.filter(comment=second).update(decided_at=yesterday)

    summary = moderation_summary(moderator)
    first.refresh_from_db()

    assert summary.pending == 1
    assert (summary.oldest_pending_id, summary.oldest_pending) == (first.pk, first.created_at)
    assert (summary.decided_today, summary.decided_today_by_me) == (1, 1)


# One click from the queue.


def test_each_row_has_approve_reject_and_spam_buttons_with_a_reason(moderator: Any) -> None:
    comment = CommentFactory.create()

    html = queue_html(client_for(moderator))

    for status, label in (("approved", "Approve"), ("rejected", "Reject"), ("spam", "Spam")):
        assert re.search(
            rf'<button type="submit" class="button decide-{status}" name="decide" '
            rf'value="{comment.pk}:{status}" formaction="[^"]*/decide/"[^>]*>{label}</button>',
            html,
        )
    assert f'<select id="code-{comment.pk}" name="code-{comment.pk}">' in html
    assert '<option value="personal_data">Personal data</option>' in html
    rows = html[html.index('<table id="result_list">') : html.index("</table>")]
    assert not re.search(r"<[^>]*\s(style|on[a-z]+)=", rows)  # CSP: no inline style or handler
    assert "<script>" not in html
    assert "articles/moderation-queue.js" in html


def test_a_click_decides_and_the_next_pending_comment_comes_up(moderator: Any) -> None:
    first, second, third = CommentFactory.create_batch(3)
    spaced([first, second, third])
    client = client_for(moderator)

    response = click(client, second, "rejected", **{f"code-{second.pk}": "duplicate"})

    assert response.status_code == 302
    assert response["Location"].endswith(f"#comment-{third.pk}")
    decision = stored_decision()
    assert (decision.comment_id, decision.to_status, decision.reason_code) == (
        second.pk,
        "rejected",
        "duplicate",
    )
    assert decision.moderator == moderator
    html = client.get(response["Location"]).content.decode()
    assert f"Comment #{second.pk} rejected (Duplicate). Press u to undo." in html
    assert f'id="comment-{third.pk}"' in html
    # Approving the last one brings the start of the queue back up.
    assert click(client, third, "approved")["Location"].endswith(f"#comment-{first.pk}")


def test_a_missing_reason_keeps_the_chosen_action_and_reason(moderator: Any) -> None:
    comment = CommentFactory.create()
    client = client_for(moderator)

    response = click(client, comment, "spam")

    assert response["Location"].endswith(f"#comment-{comment.pk}")
    html = client.get(response["Location"]).content.decode()
    assert "Choose a reason to mark as spam" in html
    assert f'data-comment="{comment.pk}" data-chosen="spam"' in html
    assert 'class="button decide-spam chosen"' in html

    response = click(client, comment, "rejected", **{f"code-{comment.pk}": "other"})

    html = client.get(response["Location"]).content.decode()
    assert "Say in words why, with the reason “Other”." in html
    assert f'data-comment="{comment.pk}" data-chosen="rejected"' in html
    assert '<option value="other" selected>Other</option>' in html
    assert not ModerationDecision.objects.exists()
    # Words with it, and the decision goes through; the kept choice is gone.
    response = click(
        client,
        comment,
        "rejected",
        **{f"code-{comment.pk}": "other", f"note-{comment.pk}": "Sells watches"},
    )
    assert (stored_decision().reason_code, stored_decision().reason) == ("other", "Sells watches")
    assert 'data-chosen="rejected"' not in client.get(response["Location"]).content.decode()


def test_a_stale_click_is_refused_and_keeps_the_choice(moderator: Any) -> None:
    comment = CommentFactory.create()
    client = client_for(moderator)
    data = form_data(queue_html(client), "changelist-form")
    approve_comment(comment, moderator=role_user("Moderators", "otto"))
    data.update({"decide": f"{comment.pk}:rejected", f"code-{comment.pk}": "abuse"})

    response = client.post(reverse(DECIDE), data)

    html = client.get(response["Location"]).content.decode()
    assert "otto approved it at" in html
    assert stored_comment(comment.pk).status == Comment.Status.APPROVED
    assert ModerationDecision.objects.count() == 1


def test_the_decide_and_undo_views_need_the_moderate_permission() -> None:
    comment = CommentFactory.create()
    editor = client_for(role_user("Editors"))

    refused = editor.post(reverse(DECIDE), {"decide": f"{comment.pk}:approved"})

    assert refused.status_code == 403
    assert editor.post(reverse(UNDO), {"decision": "1"}).status_code == 403
    assert client_for(role_user("Moderators")).get(reverse(DECIDE)).status_code == 405
    assert stored_comment(comment.pk).status == Comment.Status.PENDING


def test_undo_from_the_queue_and_refused_after_the_window(moderator: Any) -> None:
    comment = CommentFactory.create()
    client = client_for(moderator)
    click(client, comment, "rejected", **{f"code-{comment.pk}": "abuse"})
    decision = stored_decision()

    html = queue_html(client)
    form = form_data(html, "undo-form")
    assert form["decision"] == str(decision.pk)
    assert "Undo (u)" in html
    response = client.post(reverse(UNDO), form, follow=True)

    assert f"Undone: comment #{comment.pk} is pending again." in response.content.decode()
    assert stored_comment(comment.pk).status == Comment.Status.PENDING

    click(client, comment, "approved")
    again = ModerationDecision.objects.filter(to_status="approved").get()
    ModerationDecision.objects.filter(pk=again.pk).update(
        decided_at=timezone.now() - UNDO_WINDOW - datetime.timedelta(seconds=5)
    )
    assert 'id="undo-form"' not in queue_html(client)
    late = client.post(reverse(UNDO), {"decision": str(again.pk)}, follow=True)
    assert "more than 2 minutes ago" in late.content.decode()
    assert stored_comment(comment.pk).status == Comment.Status.APPROVED


# Bulk decisions are confirmed with their count.


def test_a_bulk_decision_over_a_filter_says_how_many_and_asks_first(moderator: Any) -> None:
    article = ArticleFactory.create()
    on_it = CommentFactory.create_batch(3, article=article)
    CommentFactory.create_batch(2)  # another article's: outside the filter
    client = client_for(moderator)
    url = reverse(QUEUE) + f"?article={article.pk}"
    data = {
        "action": "spam_selected",
        "index": "0",
        "select_across": "1",
        "_selected_action": [str(on_it[0].pk)],
        "reason_code": "spam",
    }

    asked = client.post(url, data)

    html = asked.content.decode()
    assert asked.status_code == 200
    assert 'This will leave <strong id="bulk-count">3</strong> comments marked as spam' in html
    assert not ModerationDecision.objects.exists()
    confirm = form_data(html, "confirm-form")
    assert (confirm["post"], confirm["select_across"], confirm["reason_code"]) == (
        "yes",
        "1",
        "spam",
    )

    done = client.post(url, confirm, follow=True)

    assert "3 comments marked as spam." in done.content.decode()
    assert set(Comment.objects.filter(status="spam").values_list("pk", flat=True)) == {
        c.pk for c in on_it
    }
    assert Comment.objects.filter(status="pending").count() == 2


# The queue shows what a decision needs, and costs the same for 1 or 50 rows.


def test_each_comment_shows_the_headline_an_excerpt_the_quote_and_the_tally(
    moderator: Any,
) -> None:
    article = PublishedArticleFactory.create(
        headline="Japan, US agree on 15% tariff", dek="Autos fall to 15% under the July deal."
    )
    ImportedCommentFactory.create(
        article=article, body="Good.", quoted_text="15% tariff", quotes_headline=True
    )

    html = queue_html(client_for(moderator))

    assert "Japan, US agree on 15% tariff</a>" in html
    assert '<p class="article-excerpt">Autos fall to 15% under the July deal.</p>' in html
    assert "Quoting the headline:</span> 15% tariff" in html
    assert "Tally -6 ( +0 / -6 )" in html


def queue_queries(client: Client) -> int:
    client.get(reverse(QUEUE))  # the first load of a minute fills the cached counts
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse(QUEUE)).status_code == 200
    return len(captured.captured_queries)


def test_the_queue_costs_the_same_queries_for_1_and_50_comments(moderator: Any) -> None:
    client = client_for(moderator)
    quoted = ImportedCommentFactory.create()
    reject_comment(CommentFactory.create(), moderator=moderator, reason_code="abuse")
    one = queue_queries(client)

    for index in range(49):
        factory = ImportedCommentFactory if index % 2 else CommentFactory
        factory.create(
            article=ArticleFactory.create(), quotes_comment=quoted, quoted_text="earlier words"
        )
    fifty = queue_queries(client)

    assert one == fifty
    assert Comment.objects.filter(status="pending").count() == 50


# The moderator's inbox.


def test_the_moderator_inbox_shows_pending_oldest_wait_and_today(moderator: Any) -> None:
    oldest, newer = CommentFactory.create_batch(2)
    Comment.objects.filter(pk=oldest.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2, hours=3, minutes=5)
    )
    approve_comment(newer, moderator=moderator)
    client = client_for(moderator)

    html = client.get(reverse("admin:articles_comment_inbox")).content.decode()

    assert '<dd id="inbox-pending">1</dd>' in html
    assert "2 days 3 hours" in html and f"#comment-{oldest.pk}" in html
    assert '<dd id="inbox-today">1 (1 by you)</dd>' in html
    assert reverse(QUEUE) in html
    assert (
        client_for(role_user("Editors")).get(reverse("admin:articles_comment_inbox")).status_code
        == 403
    )


def test_the_inbox_costs_the_same_queries_whatever_the_queue(moderator: Any) -> None:
    client = client_for(moderator)
    url = reverse("admin:articles_comment_inbox")
    CommentFactory.create()
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    CommentFactory.create_batch(49)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(small.captured_queries) == len(large.captured_queries)
