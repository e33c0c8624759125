"""Reader comments through the API: submission, moderation visibility, throttling, limits."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from articles.api import throttles
from articles.models import Article, Comment
from articles.services.comments import CommentsClosed, submit_comment
from tests.articles.api_support import (
    assert_problem,
    editor_client,
    fresh_cache,  # noqa: F401
)
from tests.articles.factories import (
    ArticleFactory,
    CommentFactory,
    ImportedCommentFactory,
    PublishedArticleFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


def comments_url(article: Article) -> str:
    return f"/api/v1/articles/{article.slug}/comments/"


def post(client: Client, article: Article, payload: object, **extra: str):
    return client.post(comments_url(article), payload, content_type="application/json", **extra)


def listed(client: Client, article: Article) -> list[str]:
    response = client.get(comments_url(article))
    assert response.status_code == 200, response.content
    return [c["body"] for c in response.json()["results"]]


# Submission -------------------------------------------------------------------------------


def test_a_submitted_comment_is_pending_and_invisible_until_approved(client):
    article = PublishedArticleFactory()
    response = post(client, article, {"author_name": "Reader", "body": "Good reporting."})
    assert response.status_code == 201
    assert response.json()["status"] == "pending"
    assert response.json()["author_name"] == "Reader"
    assert response["Cache-Control"] == "no-store"
    comment = Comment.objects.get(uuid=response.json()["id"])
    assert (comment.origin, comment.status, comment.article) == ("api", "pending", article)
    assert comment.posted_at is not None
    assert listed(client, article) == []

    comment.status = Comment.Status.APPROVED
    comment.save()
    assert listed(client, article) == ["Good reporting."]


def test_anonymous_readers_never_see_pending_rejected_or_spam_comments(client):
    article = PublishedArticleFactory()
    for status in ("pending", "rejected", "spam"):
        CommentFactory(article=article, body=status, status=status)
    CommentFactory(article=article, body="approved", status="approved")
    ImportedCommentFactory(article=article, body="imported", status="approved")
    assert listed(client, article) == ["approved", "imported"]
    imported = client.get(comments_url(article)).json()["results"][1]
    assert (imported["score"], imported["votes_up"], imported["votes_down"]) == (-6, 0, 6)


def test_html_is_stored_and_shown_back_as_plain_text(client):
    article = PublishedArticleFactory()
    markup = '<script>alert("x")</script> <b>bold</b> &amp;'
    response = post(client, article, {"author_name": "<i>me</i>", "body": markup})
    assert response.status_code == 201
    assert response["Content-Type"] == "application/json"
    assert response.json()["body"] == markup
    comment = Comment.objects.get()
    assert comment.body == markup and comment.author_handle == "<i>me</i>"
    comment.status = "approved"
    comment.save()
    assert listed(client, article) == [markup]


def test_the_honeypot_rejects_a_filled_website_and_stores_nothing(client):
    article = PublishedArticleFactory()
    payload = {"author_name": "Bot", "body": "Buy now", "website": "http://spam.example"}
    assert_problem(post(client, article, payload), 400, "website")
    assert not Comment.objects.exists()
    payload["website"] = ""
    assert post(client, article, payload).status_code == 201


@pytest.mark.parametrize(
    ("payload", "names"),
    [
        ({"body": "No name"}, ["author_name"]),
        ({"author_name": "A"}, ["body"]),
        ({"author_name": "A", "body": "   "}, ["body"]),
        ({"author_name": "A", "body": "\u200b \u2060\u00a0"}, ["body"]),  # only invisible marks
        ({"author_name": "\u200b", "body": "ok"}, ["author_name"]),
        ({"author_name": "A", "body": "x" * 5001}, ["body"]),
        ({"author_name": "A" * 101, "body": "ok"}, ["author_name"]),
        ({"author_name": "A", "body": "bell \x07"}, ["body"]),
        ({"author_name": "A", "body": "nul \x00"}, ["body"]),
        ({"author_name": "A", "body": "ok", "rating": 5}, ["rating"]),
        ({"author_name": 5, "body": ["list"]}, ["author_name", "body"]),  # text is a string
    ],
)
def test_bad_comments_are_refused_by_field_and_nothing_is_stored(client, payload, names):
    body = assert_problem(post(client, PublishedArticleFactory(), payload), 400, *names)
    assert body["type"].endswith("/problems/invalid-body/")
    assert all(p["in"] == "body" for p in body["invalid_params"])
    assert not Comment.objects.exists()


def test_a_body_that_is_not_a_json_object_is_refused(client):
    article = PublishedArticleFactory()
    for payload in (["a", "list"], "null", "5"):  # strings are sent as they are
        body = assert_problem(post(client, article, payload), 400)
        assert 'Send a JSON object: {"author_name"' in body["detail"], payload
    broken = client.post(comments_url(article), "{not json", content_type="application/json")
    assert "JSON" in assert_problem(broken, 400)["detail"]
    form = client.post(comments_url(article), {"author_name": "A", "body": "B"})
    assert_problem(form, 415)
    assert not Comment.objects.exists()


def test_lengths_are_counted_as_stored_composed(client):
    """ "e" + a combining acute is stored as one "é": 4,000 of them are 4,000 characters."""
    article = PublishedArticleFactory()
    response = post(client, article, {"author_name": "A", "body": "e\u0301" * 4000})
    assert response.status_code == 201, response.content
    assert Comment.objects.get().body == "\u00e9" * 4000


def test_closed_and_unpublished_articles_refuse_comments(client):
    closed = PublishedArticleFactory(comments_open=False)
    body = assert_problem(post(client, closed, {"author_name": "A", "body": "Hi"}), 409)
    assert body["type"].endswith("/problems/comments-closed/")
    assert "closed" in body["detail"]
    draft = ArticleFactory(status=Article.Status.DRAFT)
    assert_problem(post(client, draft, {"author_name": "A", "body": "Hi"}), 404)
    editor = editor_client()
    body = assert_problem(post(editor, draft, {"author_name": "A", "body": "Hi"}), 409)
    assert "not published" in body["detail"]
    assert not Comment.objects.exists()


def test_comment_submission_is_throttled_per_client_with_retry_after(client, settings, monkeypatch):
    # Throttles count in fixed windows; pin the clock 15 s into one so none ends mid-test.
    monkeypatch.setattr(throttles.time, "time", lambda: 1_750_000_035.0)
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"comments": "3/min"},
    }
    article = PublishedArticleFactory()
    for i in range(3):
        assert post(client, article, {"author_name": "A", "body": f"n{i}"}).status_code == 201
    refused = post(client, article, {"author_name": "A", "body": "one more"})
    body = assert_problem(refused, 429)
    assert refused["Retry-After"] == "45"
    assert body["type"].endswith("/problems/throttled/")
    assert Comment.objects.count() == 3
    # Another client has its own allowance; reading is never throttled.
    other = post(client, article, {"author_name": "B", "body": "hi"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 201
    assert client.get(comments_url(article)).status_code == 200


def test_a_forged_forwarded_for_header_does_not_buy_a_new_allowance(client, settings, monkeypatch):
    monkeypatch.setattr(throttles.time, "time", lambda: 1_750_000_035.0)
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"comments": "2/min"},
    }
    article = PublishedArticleFactory()
    statuses = [
        post(
            client,
            article,
            {"author_name": "A", "body": f"n{i}"},
            HTTP_X_FORWARDED_FOR=f"10.0.0.{i}",
        ).status_code
        for i in range(4)
    ]
    assert statuses == [201, 201, 429, 429]  # counted by the connecting address
    # Behind one proxy that appends the client's address, that address is the client.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    forwarded = {"HTTP_X_FORWARDED_FOR": "1.2.3.4, 192.0.2.7"}
    assert post(client, article, {"author_name": "B", "body": "x"}, **forwarded).status_code == 201


def test_the_service_refuses_closed_articles_and_bad_text():
    with pytest.raises(CommentsClosed):
        submit_comment(PublishedArticleFactory(comments_open=False), author_name="A", body="B")
    with pytest.raises(CommentsClosed):
        submit_comment(ArticleFactory(), author_name="A", body="B")
    with pytest.raises(ValidationError) as error:
        submit_comment(PublishedArticleFactory(), author_name="", body="B")
    assert "author_name" in error.value.message_dict
    assert not Comment.objects.exists()
    comment = submit_comment(PublishedArticleFactory(), author_name=" A ", body="B\r\nC ")
    assert (comment.author_handle, comment.body, comment.status) == ("A", "B\nC", "pending")


# Reading ----------------------------------------------------------------------------------


def test_comments_page_with_a_cursor_in_either_order(client):
    article = PublishedArticleFactory()
    bodies = [CommentFactory(article=article, status="approved").body for _ in range(5)]
    first = client.get(comments_url(article), {"page_size": 2}).json()
    seen = [c["body"] for c in first["results"]]
    url = first["next"]
    while url:
        page = client.get(url).json()
        seen += [c["body"] for c in page["results"]]
        url = page["next"]
    assert seen == bodies
    newest = client.get(comments_url(article), {"ordering": "-created_at"}).json()
    assert [c["body"] for c in newest["results"]] == bodies[::-1]
    assert_problem(client.get(comments_url(article), {"ordering": "score"}), 400, "ordering")
    assert_problem(client.get(comments_url(article), {"q": "x"}), 400, "q")


@pytest.mark.parametrize("n", [1, 30])
def test_comment_list_costs_the_same_queries_for_1_or_30(client, django_assert_num_queries, n):
    article = PublishedArticleFactory()
    quoted = CommentFactory(article=article, status="approved")
    CommentFactory.create_batch(n, article=article, status="approved", quotes_comment=quoted)
    with django_assert_num_queries(3):  # the article, the validators, the page
        response = client.get(comments_url(article), {"page_size": 50})
    assert len(response.json()["results"]) == n + 1
    assert response.json()["results"][1]["quotes_comment"] == str(quoted.uuid)


def test_a_submitted_comment_shows_in_the_queue_counts_at_once(django_capture_on_commit_callbacks):
    from articles.services.queue_counts import status_counts

    article = PublishedArticleFactory()
    before = status_counts().get("pending", 0)
    with django_capture_on_commit_callbacks(execute=True):
        submit_comment(article, author_name="reader", body="A fair point about autos.")
    assert status_counts().get("pending", 0) == before + 1
