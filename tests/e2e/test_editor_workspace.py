"""End to end, in a real browser: the editor decides suggested links on their cards (one or two
actions each, by mouse or keyboard), previews the article and publishes it after confirming;
the article page has no horizontal overflow at 390 px; axe-core finds nothing critical or
serious on the article page and its cards."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest

from articles.models import Article, CoverageLink, OfficialLink, RoundLink
from tests.articles.admin_support import PASSWORD, role_user
from tests.articles.factories import (
    ArticleFactory,
    OfficialLinkFactory,
    RoundLinkFactory,
    SourceFactory,
)
from tests.e2e.axe import axe_violations
from tests.negotiations.factories import OfficialFactory, RoundFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BODY = (
    "Tokyo sent its chief negotiator back to Washington.\n"
    "Akazawa met Lutnick in Washington in a fourth round of talks. "
    "They spoke for 130 minutes.\n"
    "Bessent did not attend the meeting."
)


def open_tab(browser: Any, width: int) -> Any:
    # bypass_csp: axe-core is injected as a script tag, which a strict CSP would refuse.
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    context.set_default_timeout(20_000)
    return context.new_page()


@pytest.fixture
def desk(browser: Any) -> Iterator[Any]:
    tab = open_tab(browser, 1440)
    yield tab
    tab.context.close()


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    tab = open_tab(browser, 390)
    yield tab
    tab.context.close()


def log_in(page: Any, live_server: Any, username: str) -> None:
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click('input[type="submit"]')
    page.wait_for_selector("#site-name")


def article_with_suggestions() -> tuple[Article, RoundLink, OfficialLink]:
    article = ArticleFactory.create(
        status=Article.Status.IN_REVIEW,
        headline="Akazawa, Lutnick hold fourth round of tariff talks",
        dek="The talks ran to 130 minutes.",
        body=BODY,
        outlet=SourceFactory.create(name="Japan Today", slug="japan-today"),
        published_at=datetime.datetime(2025, 5, 24, 0, 30, tzinfo=datetime.UTC),
        published_time_known=True,
    )
    round_link = RoundLinkFactory.create(
        article=article,
        round=RoundFactory.create(number=4),
        evidence="Akazawa met Lutnick in Washington in a fourth round of talks.",
        basis=CoverageLink.Basis.ORDINAL,
        reason="'fourth round'",
        matched=["fourth round"],
    )
    official_link = OfficialLinkFactory.create(
        article=article,
        official=OfficialFactory.create(name="Scott Bessent", slug="scott-bessent-x"),
        evidence="Bessent did not attend the meeting.",
        basis=CoverageLink.Basis.ALIAS,
        reason="name 'Bessent'",
        matched=["Bessent"],
    )
    return article, round_link, official_link


def assert_accessible(page: Any, where: str, context: str | None = None) -> None:
    """axe-core: no critical and no serious violations (the rules and targets if there are)."""
    violations = axe_violations(page, context)
    bad = {impact: violations[impact] for impact in ("critical", "serious") if violations[impact]}
    details = "\n".join(
        f"{impact}: {v['id']} ({v['help']}) at {v['targets']}"
        for impact, found in bad.items()
        for v in found
    )
    assert not bad, f"{where}:\n{details}"


def test_the_editor_decides_links_on_cards_previews_and_publishes(
    desk: Any, live_server: Any
) -> None:
    role_user("Editors", "erin")
    article, round_link, official_link = article_with_suggestions()
    log_in(desk, live_server, "erin")
    assert "Articles needing review" in desk.inner_text("#editor-inbox")
    assert_accessible(desk, "the editor's inbox", "#editor-inbox")
    assert_accessible(desk, "the editor's landing page")
    assert "Newsroom desk" in desk.inner_text("#site-name")
    desk.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")

    round_card = f"#card-round-{round_link.pk}"
    assert desk.inner_text(f"{round_card} mark") == "fourth round"
    assert "Round ordinal" in desk.inner_text(round_card)
    assert_accessible(desk, "article page with its cards")
    assert_accessible(desk, "the cards", "#link-cards")

    # Accept: one click.
    desk.click(f"{round_card} button[data-decision='accept']")
    desk.wait_for_selector(f"{round_card}.link-card-confirmed")
    assert "Confirmed by erin on" in desk.inner_text(round_card)

    # Reject with the keyboard: back on the page the next card awaiting a decision has the
    # focus, so one key decides it.
    official_card = f"#card-official-{official_link.pk}"
    desk.wait_for_function(
        f"document.activeElement && document.activeElement.id === '{official_card[1:]}'"
    )
    desk.keyboard.press("r")
    desk.wait_for_selector(f"{official_card}.link-card-rejected")
    assert "Rejected by erin on" in desk.inner_text(official_card)
    assert RoundLink.objects.get(pk=round_link.pk).status == CoverageLink.Status.CONFIRMED
    assert OfficialLink.objects.get(pk=official_link.pk).status == CoverageLink.Status.REJECTED
    assert_accessible(desk, "after the decisions")

    # Preview: what "View on site" opens.
    desk.click("a.viewsitelink")
    desk.wait_for_selector("#headline")
    assert "Preview" in desk.inner_text("#preview-banner")
    assert desk.inner_text("#headline") == article.headline
    assert "24 May 2025, 09:30 JST" in desk.inner_text("#published")
    assert_accessible(desk, "the reader page")
    desk.go_back()

    # Publish asks first.
    desk.click('#workflow-panel button[value="publish"]')
    desk.wait_for_selector("#publish-confirmation")
    assert Article.objects.get(pk=article.pk).status == Article.Status.IN_REVIEW
    desk.click("#confirm-publish")
    desk.wait_for_selector(".messagelist .success")
    assert desk.inner_text("#article-status") == "Published"
    published = Article.objects.get(pk=article.pk)
    assert published.status == Article.Status.PUBLISHED
    assert published.slug == article.slug  # an editor's slug stays; it is fixed from now on
    anonymous = desk.context.browser.new_context(bypass_csp=True).new_page()
    anonymous.goto(f"{live_server.url}{published.get_absolute_url()}")
    assert anonymous.inner_text("#headline") == article.headline
    assert anonymous.locator("#preview-banner").count() == 0
    anonymous.goto(f"{live_server.url}/")  # the readers' list: "View site"
    assert article.headline in anonymous.inner_text("#article-list")
    assert_accessible(anonymous, "the readers' list of articles")
    anonymous.context.close()


def test_the_article_page_fits_390_px_with_no_horizontal_overflow(
    phone: Any, live_server: Any
) -> None:
    role_user("Editors", "erin")
    article, round_link, _ = article_with_suggestions()
    log_in(phone, live_server, "erin")

    phone.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    phone.wait_for_selector("#link-cards")

    overflow = phone.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert overflow[0] <= overflow[1], f"scrollWidth {overflow[0]} > innerWidth {overflow[1]}"
    accept = phone.locator(f"#card-round-{round_link.pk} button[data-decision='accept']")
    box = accept.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert_accessible(phone, "the article page at 390 px")


def test_the_article_list_fits_1440_px_with_no_sideways_scroll(desk: Any, live_server: Any) -> None:
    role_user("Editors", "erin")
    article_with_suggestions()
    ArticleFactory.create(
        headline="Japan, U.S. fail again to reach agreement on tariffs as Akazawa and Lutnick "
        "end sixth round of ministerial talks in Washington without a deal",
        needs_review=["published_at", "outlet", "byline"],
    )
    log_in(desk, live_server, "erin")
    desk.goto(f"{live_server.url}/admin/articles/article/")
    desk.wait_for_selector("#result_list")
    inner, outer = desk.evaluate(
        "() => { const r = document.querySelector('#changelist .results');"
        " return [r.scrollWidth, r.clientWidth]; }"
    )
    assert inner <= outer, f"the list is {inner} px wide in a {outer} px column"
