"""Two moderators deciding on the same comment at the same time, from two threads (two
database connections) on PostgreSQL: exactly one decision is applied, the other refused."""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from django.db import connection

from articles.services.moderation import StaleDecision, approve_comment, reject_comment
from articles.services.workflow import EditConflict, save_article
from tests.articles.admin_support import (
    role_user,
    stored_comment,
    stored_decision,
)
from tests.articles.factories import ArticleFactory, CommentFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def race(*steps: Callable[[], Any]) -> list[str]:
    """Run the steps in threads released together; each reports 'applied' or the refusal."""
    start = threading.Barrier(len(steps))
    outcomes: list[str] = [""] * len(steps)

    def run(index: int, step: Callable[[], Any]) -> None:
        try:
            start.wait()
            step()
            outcomes[index] = "applied"
        except (StaleDecision, EditConflict) as refusal:
            outcomes[index] = f"refused: {refusal}"
        except Exception as error:  # reported, so the assertion shows it
            outcomes[index] = f"error: {error!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, s)) for i, s in enumerate(steps)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_two_moderators_deciding_at_once_apply_exactly_one(requires_postgres: None) -> None:
    mona, otto = role_user("Moderators", "mona"), role_user("Moderators", "otto")
    for _ in range(3):  # a few rounds, so the threads really meet at the row lock
        comment = CommentFactory.create()
        seen_by_mona = stored_comment(comment.pk)
        seen_by_otto = stored_comment(comment.pk)

        outcomes = race(
            partial(approve_comment, seen_by_mona, moderator=mona, expected_version=1),
            partial(
                reject_comment, seen_by_otto, moderator=otto, reason="Off topic", expected_version=1
            ),
        )

        assert sorted(o.split(":")[0] for o in outcomes) == ["applied", "refused"], outcomes
        decision = stored_decision(comment=comment)
        stored = stored_comment(comment.pk)
        assert stored.version == 2
        assert stored.status == decision.to_status
        winner = "mona" if outcomes[0] == "applied" else "otto"
        assert decision.moderator.username == winner
        loser_message = outcomes[1] if winner == "mona" else outcomes[0]
        assert f"{winner} " in loser_message and "Reload the queue" in loser_message


def test_two_editors_saving_at_once_apply_exactly_one(requires_postgres: None) -> None:
    alice, bob = role_user("Editors", "alice"), role_user("Editors", "bob")
    article = ArticleFactory.create(dek="")
    copies = []
    for dek in ("Alice's dek", "Bob's dek"):
        copy = type(article).objects.get(pk=article.pk)
        copy.dek = dek
        copies.append(copy)

    outcomes = race(
        lambda: save_article(copies[0], editor=alice, expected_version=1, changed_fields=["dek"]),
        lambda: save_article(copies[1], editor=bob, expected_version=1, changed_fields=["dek"]),
    )

    assert sorted(o.split(":")[0] for o in outcomes) == ["applied", "refused"], outcomes
    stored = type(article).objects.get(pk=article.pk)
    assert stored.version == 2
    assert stored.dek == ("Alice's dek" if outcomes[0] == "applied" else "Bob's dek")
