"""Migration 0011 keeps every earlier refusal valid: a rejection or spam decision recorded with
its reason in words only gets the code "other", so the new constraints hold on old rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("articles", "0010_link_reasons_article_zone")]
AFTER = [("articles", "0011_moderation_reason_codes_and_undo")]


# serialized_rollback: its flush then leaves the tables empty for the next test that restores
# the database (the browser tests); a plain flush re-creates content types they then collide with.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_earlier_refusals_are_coded_other_and_approvals_left_uncoded() -> None:
    executor = MigrationExecutor(connection)
    try:
        check_backfill(executor)
    finally:  # the schema as every other test expects it: all migrations applied
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def check_backfill(executor: MigrationExecutor) -> None:
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    user = old.get_model("auth", "User").objects.create(username="old-moderator")
    article = old.get_model("articles", "Article").objects.create(
        slug="old-article", body="Text.", language="en"
    )
    Comment = old.get_model("articles", "Comment")
    Decision = old.get_model("articles", "ModerationDecision")
    rows = {}
    for status, reason in (("rejected", "Insults"), ("spam", "Ads"), ("approved", "")):
        comment = Comment.objects.create(article=article, body="Words", origin="api")
        rows[status] = Decision.objects.create(
            comment=comment,
            moderator=user,
            from_status="pending",
            to_status=status,
            reason=reason,
            decided_at="2025-07-24T09:00:00Z",
        ).pk

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    codes = dict(
        new.get_model("articles", "ModerationDecision").objects.values_list("pk", "reason_code")
    )

    assert codes == {rows["rejected"]: "other", rows["spam"]: "other", rows["approved"]: ""}
