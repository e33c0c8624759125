"""The moderation queue in a real browser: a moderator decides five comments with the keyboard
alone (and undoes one); the queue fits 1280 px and 390 px with no horizontal scroll; axe-core
finds nothing critical or serious on the queue, the bulk confirmation and the inbox."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest

from articles.models import Comment, ModerationDecision
from tests.articles.admin_support import role_user
from tests.articles.factories import (
    CommentFactory,
    ImportedCommentFactory,
    PublishedArticleFactory,
)
from tests.e2e.axe import axe_violations
from tests.e2e.test_desk import log_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LONG_URL = "https://example.com/" + "a-very-long-path-segment-" * 12


def pending_comments(count: int) -> list[Comment]:
    article = PublishedArticleFactory.create(
        headline="Japan, US agree on 15% tariff after the seventh round of talks in Washington",
        dek="Autos and parts fall to 15%; Japan commits $550 billion of investment.",
    )
    base = datetime.datetime(2025, 7, 24, 9, 0, tzinfo=datetime.UTC)
    comments = []
    for index in range(count):
        factory = ImportedCommentFactory if index % 2 else CommentFactory
        comment = factory.create(
            article=article,
            body=f"Comment {index + 1}: the deal is a relief for carmakers. See {LONG_URL}",
            quoted_text="Japan, US agree on 15% tariff" if index % 2 else "",
            quotes_headline=bool(index % 2),
        )
        Comment.objects.filter(pk=comment.pk).update(
            created_at=base + datetime.timedelta(minutes=index)
        )
        comments.append(comment)
    return comments


@pytest.fixture
def moderator_page(browser: Any, live_server: Any) -> Iterator[Any]:
    role_user("Moderators", "mona")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    tab = context.new_page()
    log_in(tab, live_server, "mona")
    yield tab
    context.close()


def press(page: Any, *keys: str) -> None:
    """Keys that end in a decision: the page reloads at the next comment."""
    with page.expect_navigation():
        for key in keys:
            page.keyboard.press(key)
    page.wait_for_selector("#result_list tbody tr.current, #changelist")


def current_comment(page: Any) -> int:
    return int(page.get_attribute("#result_list tbody tr.current .decide", "data-comment"))


def no_horizontal_scroll(page: Any) -> tuple[int, int]:
    return page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")  # type: ignore[no-any-return]


def test_a_moderator_decides_five_comments_with_the_keyboard_alone(
    moderator_page: Any, live_server: Any
) -> None:
    page = moderator_page
    c1, c2, c3, c4, c5, c6 = pending_comments(6)
    page.goto(f"{live_server.url}/admin/articles/comment/")
    assert current_comment(page) == c1.pk

    press(page, "a")  # approve the first
    assert current_comment(page) == c2.pk  # the next one came up
    assert f"Comment #{c1.pk} approved." in page.inner_text(".messagelist")
    # The page jumped to the next comment; what was done stays in view (the undo line, pinned
    # at the top), and the pinned tools cover none of the comment to decide.
    assert f"comment #{c1.pk}" in page.inner_text("#undo-form")
    tools_bottom, row_top, undo_top = page.evaluate(
        """() => [document.querySelector('.queue-tools').getBoundingClientRect().bottom,
              document.querySelector('#result_list tr.current').getBoundingClientRect().top,
              document.getElementById('undo-form').getBoundingClientRect().top]"""
    )
    assert 0 <= undo_top < 900
    assert row_top >= tools_bottom
    page.keyboard.press("r")  # reject: a reason is asked for first
    assert "Choose a reason" in page.inner_text("#queue-status")
    page.keyboard.press("Escape")  # changed my mind: nothing is waiting for a reason now
    assert "Cancelled" in page.inner_text("#queue-status")
    page.keyboard.press("1")  # a reason alone decides nothing
    assert current_comment(page) == c2.pk
    assert Comment.objects.get(pk=c2.pk).status == "pending"
    press(page, "r")  # the reason (off-topic) is chosen: r rejects at once
    assert current_comment(page) == c3.pk
    press(page, "3", "s")  # the reason first (spam), then spam
    assert current_comment(page) == c4.pk
    page.keyboard.press("j")  # skip to the fifth
    assert current_comment(page) == c5.pk
    press(page, "a")
    assert current_comment(page) == c6.pk
    page.keyboard.press("k")  # back to the fourth
    assert current_comment(page) == c4.pk
    press(page, "a")
    press(page, "u")  # undo that approval: the fourth is pending again
    assert f"Undone: comment #{c4.pk} is pending again." in page.inner_text(".messagelist")
    assert current_comment(page) == c4.pk
    press(page, "r", "2")  # reject it as abuse instead

    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert [statuses[c.pk] for c in (c1, c2, c3, c4, c5, c6)] == [
        "approved",
        "rejected",
        "spam",
        "rejected",
        "approved",
        "pending",
    ]
    codes = {
        d.comment_id: d.reason_code
        for d in ModerationDecision.objects.filter(to_status__in=["rejected", "spam"])
    }
    assert codes == {c2.pk: "off_topic", c3.pk: "spam", c4.pk: "abuse"}
    undo = ModerationDecision.objects.get(undoes__isnull=False)
    assert (undo.comment_id, undo.to_status) == (c4.pk, "pending")
    assert set(ModerationDecision.objects.values_list("moderator__username", flat=True)) == {"mona"}


def test_the_queue_fits_1280_and_390_px_without_horizontal_scroll(
    moderator_page: Any, live_server: Any
) -> None:
    page = moderator_page
    pending_comments(3)
    url = f"{live_server.url}/admin/articles/comment/"
    page.goto(url)
    width, inner = no_horizontal_scroll(page)
    assert width <= inner, f"1280 px: the queue is {width} px wide in a {inner} px window"

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url)
    width, inner = no_horizontal_scroll(page)
    assert width <= inner, f"390 px: the queue is {width} px wide in a {inner} px window"
    # Usable: the decision buttons and the comment text are on screen, not clipped off.
    button = page.locator(".decide-approved").first.bounding_box()
    assert button is not None and button["x"] + button["width"] <= 390
    body = page.locator(".comment-body").first.bounding_box()
    assert body is not None and body["x"] >= 0 and body["x"] + body["width"] <= 390


def test_axe_finds_nothing_critical_or_serious_on_the_moderation_pages(
    moderator_page: Any, live_server: Any
) -> None:
    page = moderator_page
    comments = pending_comments(3)
    found: dict[str, dict[str, list[Any]]] = {}

    page.goto(f"{live_server.url}/admin/articles/comment/")
    found["queue"] = axe_violations(page)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/admin/articles/comment/")
    found["queue at 390 px"] = axe_violations(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"{live_server.url}/admin/articles/comment/")
    page.check(f'input[name="_selected_action"][value="{comments[0].pk}"]')
    page.select_option('select[name="action"]', "reject_selected")
    page.click('button[name="index"]')
    page.wait_for_selector("#confirm-form")
    assert page.inner_text("#bulk-count") == "1"
    found["bulk confirmation"] = axe_violations(page)

    page.goto(f"{live_server.url}/admin/articles/comment/inbox/")
    found["inbox"] = axe_violations(page)
    page.goto(f"{live_server.url}/admin/")  # the moderator's landing page: the same figures
    assert page.inner_text("#inbox-pending") == "3"
    found["landing page"] = axe_violations(page)

    bad = {
        where: {impact: found[where][impact] for impact in ("critical", "serious")}
        for where in found
        if found[where]["critical"] or found[where]["serious"]
    }
    assert not bad, bad


def test_a_refused_click_keeps_the_choice_and_one_key_completes_it(
    moderator_page: Any, live_server: Any
) -> None:
    page = moderator_page
    first, second = pending_comments(2)
    page.goto(f"{live_server.url}/admin/articles/comment/")

    with page.expect_navigation():
        page.click(f'button[value="{first.pk}:rejected"]')  # no reason chosen

    assert "Choose a reason to reject" in page.inner_text(".messagelist")
    assert page.get_attribute(f"#comment-{first.pk}", "data-chosen") == "rejected"
    assert current_comment(page) == first.pk
    press(page, "5")  # duplicate: the kept choice goes through
    decision = ModerationDecision.objects.get()
    assert (decision.comment_id, decision.to_status, decision.reason_code) == (
        first.pk,
        "rejected",
        "duplicate",
    )
    assert current_comment(page) == second.pk
