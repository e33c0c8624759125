"""An article's history and its edit conflicts.

- History: django-reversion records articles with their coverage links (the article follows
  them), so a link change is a revision of the article and a revert restores the links. An
  article that arrived without a revision (imported, or loaded from fixtures) gets a baseline
  revision of its stored state before its first change in the desk, so that first change has a
  diff and can be reverted.
- Edit conflicts: every save bumps `Article.version`; a save or transition from a page opened
  at an older version is refused, naming who saved what since.
- Revert (`hold_for_revert`, `restore_live_state`): django-reversion restores a revision's data
  and links; the version counter and the status stay as they are now, so an open form elsewhere
  still conflicts and the workflow is not bypassed. The editor's save that follows
  (`save_article`, from the page of the revision) records the revert.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import reversion
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from reversion.models import Version

from articles.models import LINK_KINDS, LINK_MODELS, Article
from articles.services.audit import Actor, ServiceError, describe_time, require_perm

# Reverse names of the link tables on Article: the article's history follows them, so a link
# change is part of the article's revision and reverting the article restores its links.
HISTORY_FOLLOW = tuple(kind.related_name for kind in LINK_KINDS.values())
BASELINE_COMMENT = "As it stood before its first change in the desk (imported or loaded)."


def register_history() -> None:
    """Register articles and their links with django-reversion (idempotent)."""
    for model in LINK_MODELS:
        if not reversion.is_registered(model):
            reversion.register(model)
    if not reversion.is_registered(Article):
        # The search vector is derived (a PostgreSQL trigger rebuilds it); never restore it.
        reversion.register(Article, follow=HISTORY_FOLLOW, exclude=("search_vector",))


def ensure_baseline(article_pk: int) -> bool:
    """Record the article's stored state, links included, as its first revision if it has none
    yet. Call it before the change, outside any revision being recorded. True if recorded."""
    if reversion.is_active():
        return False  # it would merge into the revision being recorded, after the change
    with transaction.atomic():
        # The row lock makes two first changes at once record one baseline (PostgreSQL).
        article = Article.objects.select_for_update().filter(pk=article_pk).first()
        if article is None:
            return False
        if Version.objects.get_for_object_reference(Article, article_pk).exists():
            return False
        with reversion.create_revision(atomic=False):
            reversion.set_comment(BASELINE_COMMENT)
            reversion.add_to_revision(article)
    return True


@contextmanager
def in_revision(actor: Actor, comment: str, *, article_pk: int | None = None) -> Iterator[None]:
    """Record the enclosed changes in the history: a revision of their own, or, inside the
    admin's change view, the revision the admin is already recording (which names the user
    and the change message). With `article_pk`, an article without history first gets its
    baseline revision."""
    if reversion.is_active():
        yield
        return
    if article_pk is not None:
        ensure_baseline(article_pk)
    with reversion.create_revision(atomic=False):
        if isinstance(actor, models.Model):
            reversion.set_user(actor)
        reversion.set_comment(comment)
        yield


# Edit conflicts.


class EditConflict(ServiceError):
    """Someone saved the article after the editor opened it; the save was refused."""

    def __init__(self, message: str, *, current_version: int) -> None:
        self.current_version = current_version
        super().__init__(message)


def _saved_at_version(version: Version) -> int:
    """The article version a revision recorded (0 if it cannot be read back)."""
    try:
        return int(version.field_dict.get("version") or 0)
    except Exception:  # a revision from an older schema: not one of the conflicting saves
        return 0


def _describe_saves(article_pk: int, expected: int, current: int) -> str:
    recent = list(
        Version.objects.get_for_object_reference(Article, article_pk)
        .select_related("revision__user")
        .order_by("-pk")[:20]
    )
    # The revisions made since the editor's version, newest first; else the latest ones.
    since = [version for version in recent if _saved_at_version(version) > expected]
    shown = (since or recent[: max(current - expected, 1)])[:5]
    if shown:
        parts = []
        for version in shown:
            revision = version.revision
            who = str(revision.user) if revision.user else "someone"
            what = f" (“{revision.comment}”)" if revision.comment else ""
            parts.append(f"{who} at {describe_time(revision.date_created)}{what}")
        return "; ".join(parts)
    entry = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Article), object_id=str(article_pk)
        )
        .select_related("user")
        .order_by("-action_time", "-pk")
        .first()
    )
    if entry is None:
        return "another editor"
    return f"{entry.user} at {describe_time(entry.action_time)} (“{entry.get_change_message()}”)"


def conflict_message(article_pk: int, expected: int, current: int, *, doing: str = "") -> str:
    """Why a save (or, with `doing`, a workflow step) from a stale page was refused."""
    saves = _describe_saves(article_pk, expected, current)
    versions = f"You opened version {expected}; it is now version {current}."
    if doing:
        return (
            f"Cannot {doing}: it was changed after you opened it, by {saves}. {versions} "
            "Nothing was changed: reload the article, check what changed, then try again."
        )
    return (
        f"Not saved: this article was changed after you opened it, by {saves}. {versions} "
        "Your changes are still in the form below and nothing was overwritten: open the "
        "article's history in a new tab to see what changed, then reload and re-apply yours."
    )


def check_edit_conflict(article_pk: int, expected_version: int) -> Article:
    """Lock the article's row and refuse if it moved on from the version the editor opened.

    Returns the locked row (status and version as stored). The lock holds until the
    surrounding transaction ends, so the save that follows cannot be overtaken.
    """
    current = (
        Article.objects.select_for_update()
        .only("pk", "version", "status", "slug")
        .get(pk=article_pk)
    )
    if current.version != expected_version:
        raise EditConflict(
            conflict_message(article_pk, expected_version, current.version),
            current_version=current.version,
        )
    return current


def bump_version(article: Article, from_version: int, **values: Any) -> None:
    """`UPDATE ... SET version = version + 1 WHERE id = ? AND version = ?`: the optimistic check
    that also holds where the row lock is a no-op (SQLite)."""
    updated = Article.objects.filter(pk=article.pk, version=from_version).update(
        version=F("version") + 1, updated_at=timezone.now(), **values
    )
    if updated != 1:
        current = Article.objects.values_list("version", flat=True).get(pk=article.pk)
        raise EditConflict(
            conflict_message(article.pk, from_version, current), current_version=current
        )


__all__ = [
    "BASELINE_COMMENT",
    "HISTORY_FOLLOW",
    "LINK_MODELS",
    "EditConflict",
    "bump_version",
    "check_edit_conflict",
    "conflict_message",
    "ensure_baseline",
    "in_revision",
    "register_history",
]


# Reverting to an earlier revision.

LiveState = dict[str, Any]


def hold_for_revert(article_pk: Any, *, editor: Actor) -> LiveState | None:
    """Before a revision of the article is restored: check the editor may change articles,
    lock the article's row until the surrounding transaction ends, and return its live version
    counter and status (None if there is no such article)."""
    require_perm(editor, "articles.change_article", "revert articles")
    live = (
        Article.objects.select_for_update()
        .filter(pk=article_pk)
        .values("version", "status")
        .first()
    )
    return dict(live) if live is not None else None


def restore_live_state(article_pk: Any, live: LiveState) -> None:
    """After a revision's data was restored: put back the live version counter and status, so
    the revert is saved (and conflict-checked) as a change to the article as it is now.

    Refused, nothing kept, if the revision lacks what the live status needs (a published
    article keeps its headline, published time and outlet)."""
    try:
        with transaction.atomic():
            Article.objects.filter(pk=article_pk).update(**live)
    except IntegrityError:
        status = Article.Status(live["status"]).label.lower()
        raise ServiceError(
            f"This revision cannot be restored while the article is {status}: it lacks a "
            "headline, a published time or an outlet. Retract the article first."
        ) from None
