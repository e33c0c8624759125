"""Numbers the admin reads from a request: a Unicode digit ("²", for which `isdigit()` is true
and `int()` fails), a number past the 64-bit range or plain text get a clear message, never a
server error, and change nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from articles.admin.params import parse_id
from articles.models import Article, Comment, ModerationDecision
from tests.articles.admin_support import client_for, role_user
from tests.articles.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:articles_comment_changelist")
NOT_NUMBERS = ["²", "\u0661\u0662", "9" * 30, "-3", "0", "3.0", " 4", "four"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("12", 12), ("0012", 12), (str(2**63 - 1), 2**63 - 1), ("", None), (None, None)]
    + [(raw, None) for raw in [*NOT_NUMBERS, str(2**63)]],
)
def test_parse_id_reads_ascii_whole_numbers_in_range_only(raw: Any, expected: Any) -> None:
    assert parse_id(raw) == expected


@pytest.mark.parametrize("raw", NOT_NUMBERS)
def test_the_queue_article_filter_answers_a_bad_id_with_a_message(raw: str) -> None:
    CommentFactory.create(body="A pending comment on the talks.")
    client = client_for(role_user("Moderators", "mona"))

    response = client.get(QUEUE, {"article": raw})

    assert response.status_code == 200
    html = response.content.decode()
    assert "is not an article id (ids are whole numbers, such as 12)." in html
    assert "A pending comment on the talks." not in html  # the filter shows nothing


def test_a_bulk_decision_with_a_unicode_digit_as_the_seen_version_is_refused() -> None:
    refused, fine = CommentFactory.create(), CommentFactory.create()
    client = client_for(role_user("Moderators", "mona"))
    data = {
        "action": "approve_selected",
        "index": "0",
        "post": "yes",  # past the confirmation page, as its button sends
        "_selected_action": [refused.pk, fine.pk],
        f"seen-{refused.pk}": "²",
        f"seen-{fine.pk}": "1",
    }

    response = client.post(QUEUE, data, follow=True)

    assert response.status_code == 200
    html = response.content.decode()
    assert f"Comment #{refused.pk} was not decided: the page sent “²”" in html
    assert "1 comment approved." in html
    assert Comment.objects.get(pk=refused.pk).status == Comment.Status.PENDING
    assert Comment.objects.get(pk=fine.pk).status == Comment.Status.APPROVED
    assert not ModerationDecision.objects.filter(comment=refused).exists()


def test_a_workflow_step_with_a_unicode_digit_as_the_loaded_version_changes_nothing() -> None:
    article = ArticleFactory.create(headline="A draft about autos")
    client = client_for(role_user("Editors"))
    url = reverse("admin:articles_article_workflow", args=[article.pk, "submit"])

    response = client.post(url, {"loaded_version": "²"}, follow=True)

    assert response.status_code == 200
    assert "Nothing was changed: the page sent “²” as the version" in response.content.decode()
    stored = Article.objects.get(pk=article.pk)
    assert (stored.status, stored.version) == (Article.Status.DRAFT, 1)
