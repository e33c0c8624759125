"""End to end, in a real browser: the editor accepts a suggested round link and publishes the
article; the moderator approves one comment and rejects another with a reason."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from articles.models import Article, Comment, CoverageLink, RoundLink
from tests.articles.admin_support import (
    PASSWORD,
    role_user,
    stored_comment,
    stored_decisions,
)
from tests.articles.factories import (
    ArticleFactory,
    CommentFactory,
    PublishedArticleFactory,
    RoundLinkFactory,
    SourceFactory,
)
from tests.negotiations.factories import RoundFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def log_in(page: Any, live_server: Any, username: str) -> None:
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click('input[type="submit"]')
    page.wait_for_selector("#site-name")
    assert "/admin/login/" not in page.url


def test_the_editor_accepts_a_suggested_round_link_and_publishes(
    page: Any, live_server: Any
) -> None:
    role_user("Editors", "erin")
    article = ArticleFactory.create(
        status=Article.Status.IN_REVIEW,
        headline="Akazawa, Lutnick hold fourth round of tariff talks",
        outlet=SourceFactory.create(name="Japan Today", slug="japan-today"),
        published_at=datetime.datetime(2025, 5, 24, 9, 0, tzinfo=datetime.UTC),
    )
    link = RoundLinkFactory.create(
        article=article,
        round=RoundFactory.create(number=4),
        evidence="Akazawa met Lutnick in Washington in a fourth round of talks.",
    )
    log_in(page, live_server, "erin")

    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    assert "it needs: a confirmed round link" in page.inner_text("#workflow-panel")
    evidence = page.input_value('textarea[name="roundlinks-0-evidence"]')
    assert evidence == "Akazawa met Lutnick in Washington in a fourth round of talks."
    assert "Suggested by the importer" in page.inner_text("#roundlinks-group")
    page.select_option('select[name="roundlinks-0-decision"]', "accept")
    page.click('input[name="_continue"]')
    page.wait_for_selector(".messagelist .success")
    assert "Ready to publish" in page.inner_text("#workflow-panel")
    assert "Confirmed" in page.inner_text("#roundlinks-group")

    page.click('#workflow-panel button[value="publish"]')
    page.wait_for_selector("#publish-confirmation")  # publishing asks first
    page.click("#confirm-publish")
    page.wait_for_selector(".messagelist .success")

    assert "is published" in page.inner_text(".messagelist")
    assert page.inner_text("#article-status") == "Published"
    link = RoundLink.objects.select_related("confirmed_by").get(pk=link.pk)
    assert link.status == CoverageLink.Status.CONFIRMED
    assert link.confirmed_by is not None and link.confirmed_by.username == "erin"
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.version == 3  # the save, then publishing


def test_the_moderator_approves_one_comment_and_rejects_another_with_a_reason(
    page: Any, live_server: Any
) -> None:
    role_user("Moderators", "mona")
    article = PublishedArticleFactory.create(headline="Japan, US agree on 15% tariff")
    good = CommentFactory.create(article=article, body="A fair deal for carmakers.")
    bad = CommentFactory.create(article=article, body="<b>Buy cheap watches</b> at spam.example")
    log_in(page, live_server, "mona")

    page.goto(f"{live_server.url}/admin/articles/comment/")
    assert "Buy cheap watches" in page.inner_text("#result_list")  # shown as text
    assert page.locator("#result_list b").count() == 0
    page.check(f'input[name="_selected_action"][value="{good.pk}"]')
    page.select_option('select[name="action"]', "approve_selected")
    page.click('button[name="index"]')
    page.click('#confirm-form input[type="submit"]')
    page.wait_for_selector(".messagelist .success")
    assert "1 comment approved." in page.inner_text(".messagelist")

    page.check(f'input[name="_selected_action"][value="{bad.pk}"]')
    page.select_option('select[name="action"]', "reject_selected")
    page.select_option('select[name="reason_code"]', "spam")
    page.fill('input[name="reason"]', "Advertising")
    page.click('button[name="index"]')
    page.wait_for_selector("#confirm-form")  # a bulk decision says how many, and asks
    assert page.inner_text("#bulk-count") == "1"
    page.click('#confirm-form input[type="submit"]')
    page.wait_for_selector(".messagelist .success")

    assert "1 comment rejected." in page.inner_text(".messagelist")
    assert "Pending (0)" in page.inner_text("#changelist-filter")
    assert stored_comment(good.pk).status == Comment.Status.APPROVED
    assert stored_comment(bad.pk).status == Comment.Status.REJECTED
    decisions = stored_decisions()
    assert (decisions[bad.pk].reason_code, decisions[bad.pk].reason) == ("spam", "Advertising")
    assert decisions[good.pk].to_status == Comment.Status.APPROVED
    assert {d.moderator.username for d in decisions.values()} == {"mona"}
