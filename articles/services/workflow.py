"""Article workflow: create, save (with edit-conflict check), review, publish, retract, correct.

Every change is one atomic function that takes the acting editor as a keyword, checks the
editor's permission, writes an audit row (an admin `LogEntry`), records a revision in the
article's history (django-reversion, which follows the coverage links), and returns the object.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

import reversion
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from reversion.models import Version

from articles.models import (
    Article,
    Correction,
    CoverageLink,
    MeasureLink,
    MeetingLink,
    OfficialLink,
    RoundLink,
)
from articles.models.articles import ArticleStatus

LINK_MODELS: tuple[type[CoverageLink], ...] = (RoundLink, MeetingLink, OfficialLink, MeasureLink)
# Reverse names of the link tables on Article: the article's history follows them, so a link
# change is part of the article's revision and reverting the article restores its links.
HISTORY_FOLLOW = ("roundlinks", "meetinglinks", "officiallinks", "measurelinks")


class Actor(Protocol):
    """The acting user: anything with a primary key and Django's permission check."""

    pk: Any

    def has_perm(self, perm: str, obj: Any = ...) -> bool: ...


class ServiceError(Exception):
    """A change refused, with a message a person can act on. Nothing was written."""


class TransitionNotAllowed(ServiceError):
    pass


class PublishRequirementsMissing(TransitionNotAllowed):
    def __init__(self, article: Article, missing: list[str]) -> None:
        self.missing = missing
        super().__init__(f"Cannot publish “{article}”: it still needs {_and_list(missing)}.")


class EditConflict(ServiceError):
    """Someone saved the article after the editor opened it; the save was refused."""

    def __init__(self, message: str, *, current_version: int) -> None:
        self.current_version = current_version
        super().__init__(message)


def register_history() -> None:
    """Register articles and their links with django-reversion (idempotent)."""
    for model in LINK_MODELS:
        if not reversion.is_registered(model):
            reversion.register(model)
    if not reversion.is_registered(Article):
        # The search vector is derived (a PostgreSQL trigger rebuilds it); never restore it.
        reversion.register(Article, follow=HISTORY_FOLLOW, exclude=("search_vector",))



# Shared helpers for the article services (also used by coverage and moderation).


def require_perm(actor: Actor, perm: str, doing: str) -> None:
    if not actor.has_perm(perm):
        raise PermissionDenied(f"You are not allowed to {doing} (needs the {perm} permission).")


def record_audit(actor: Actor, obj: models.Model, message: str, *, flag: int = CHANGE) -> LogEntry:
    """Write the audit row for a change: an admin LogEntry naming who did what."""
    return LogEntry.objects.create(
        user_id=actor.pk,
        content_type_id=ContentType.objects.get_for_model(obj, for_concrete_model=False).pk,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        action_flag=flag,
        change_message=message,
    )


@contextmanager
def in_revision(actor: Actor, comment: str) -> Iterator[None]:
    """Record the enclosed changes in the history: a revision of their own, or, inside the
    admin's change view, the revision the admin is already recording (which names the user
    and the change message)."""
    if reversion.is_active():
        yield
        return
    with reversion.create_revision(atomic=False):
        if isinstance(actor, models.Model):
            reversion.set_user(actor)
        reversion.set_comment(comment)
        yield


def describe_time(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S %Z")


def _and_list(items: Iterable[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# Edit conflicts.


def _conflict_message(article_pk: int, expected: int, current: int) -> str:
    saves = max(current - expected, 1)
    versions = list(
        Version.objects.get_for_object_reference(Article, article_pk)
        .select_related("revision__user")
        .order_by("-pk")[: min(saves, 5)]
    )
    if versions:
        parts = []
        for version in versions:
            revision = version.revision
            who = str(revision.user) if revision.user else "someone"
            what = f" (“{revision.comment}”)" if revision.comment else ""
            parts.append(f"{who} at {describe_time(revision.date_created)}{what}")
        saved = "; ".join(parts)
    else:
        entry = (
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(Article),
                object_id=str(article_pk),
            )
            .select_related("user")
            .order_by("-action_time", "-pk")
            .first()
        )
        saved = (
            f"{entry.user} at {describe_time(entry.action_time)} (“{entry.get_change_message()}”)"
            if entry
            else "another editor"
        )
    return (
        f"Not saved: this article was changed after you opened it, by {saved}. "
        f"You opened version {expected}; it is now version {current}. "
        "Your changes are still in the form below and nothing was overwritten: open the "
        "article's history in a new tab to see what changed, then reload and re-apply yours."
    )


def check_edit_conflict(article_pk: int, expected_version: int) -> Article:
    """Lock the article's row and refuse if it moved on from the version the editor opened.

    Returns the locked row (status and version as stored). The lock holds until the
    surrounding transaction ends, so the save that follows cannot be overtaken.
    """
    current = Article.objects.select_for_update().only("pk", "version", "status").get(pk=article_pk)
    if current.version != expected_version:
        raise EditConflict(
            _conflict_message(article_pk, expected_version, current.version),
            current_version=current.version,
        )
    return current


def _bump_version(article: Article, from_version: int, **values: Any) -> None:
    """`UPDATE ... SET version = version + 1 WHERE id = ? AND version = ?`: the optimistic check
    that also holds where the row lock is a no-op (SQLite)."""
    updated = Article.objects.filter(pk=article.pk, version=from_version).update(
        version=F("version") + 1, updated_at=timezone.now(), **values
    )
    if updated != 1:
        current = Article.objects.values_list("version", flat=True).get(pk=article.pk)
        raise EditConflict(
            _conflict_message(article.pk, from_version, current), current_version=current
        )


# Publication rules.


def missing_for_publication(
    *,
    headline: str,
    published_at: datetime.datetime | None,
    outlet_id: int | None,
    has_confirmed_round: bool,
) -> list[str]:
    missing = []
    if not headline.strip():
        missing.append("a headline")
    if published_at is None:
        missing.append("a published time")
    if outlet_id is None:
        missing.append("an outlet")
    if not has_confirmed_round:
        missing.append("a confirmed round link")
    return missing


def _missing_for(article: Article) -> list[str]:
    return missing_for_publication(
        headline=article.headline,
        published_at=article.published_at,
        outlet_id=article.outlet_id,
        has_confirmed_round=RoundLink.objects.filter(
            article_id=article.pk, status=RoundLink.Status.CONFIRMED
        ).exists(),
    )


REVIEW_FIELDS = {"headline", "published_at", "outlet", "byline", "body"}


def _settle_review_items(article: Article, changed_fields: set[str]) -> list[str]:
    """Drop the review items the editor has now established; mark an editor-written headline."""
    settled = []
    for item in list(article.needs_review):
        if item in REVIEW_FIELDS and item in changed_fields and getattr(article, item):
            settled.append(item)
    if settled:
        article.needs_review = [item for item in article.needs_review if item not in settled]
        if "headline" in settled:
            article.headline_by_editor = True
    return settled


# Saving.


@transaction.atomic
def create_article(article: Article, *, editor: Actor) -> Article:
    """Store a new article as a draft at version 1."""
    require_perm(editor, "articles.add_article", "add articles")
    article.status = Article.Status.DRAFT
    article.version = 1
    with in_revision(editor, "Created."):
        article.save()
        record_audit(editor, article, "Created as a draft.", flag=ADDITION)
    return article


@transaction.atomic
def save_article(
    article: Article,
    *,
    editor: Actor,
    expected_version: int,
    changed_fields: Iterable[str] = (),
    note: str = "",
) -> Article:
    """Save an editor's changes to an article they opened at `expected_version`.

    Refused with `EditConflict` (naming who saved last, when and what) if the article was saved
    since; the status is not changed here (use the transitions). Bumps the version.
    """
    require_perm(editor, "articles.change_article", "edit articles")
    current = check_edit_conflict(article.pk, expected_version)
    if article.status != current.status:
        raise TransitionNotAllowed(
            "The status changes only through submit for review, publish and retract."
        )
    if article.status == Article.Status.PUBLISHED:
        missing = missing_for_publication(
            headline=article.headline,
            published_at=article.published_at,
            outlet_id=article.outlet_id,
            has_confirmed_round=True,
        )
        if missing:
            raise TransitionNotAllowed(
                f"A published article keeps {_and_list(missing)}; retract it first."
            )
    changed = set(changed_fields)
    settled = _settle_review_items(article, changed)
    message = note or (
        f"Changed {_and_list(sorted(changed))}." if changed else "Saved without changes."
    )
    if settled:
        message += f" Established {_and_list(settled)}."
    with in_revision(editor, message):
        _bump_version(article, expected_version)
        article.version = expected_version + 1
        article.save()
        record_audit(editor, article, message)
    return article


# Transitions: draft → in review → published → retracted.


def _transition(
    article: Article,
    *,
    editor: Actor,
    perm: str,
    doing: str,
    allowed_from: ArticleStatus,
    to: ArticleStatus,
    message: str,
    expected_version: int | None,
    check: Any = None,
) -> Article:
    require_perm(editor, perm, doing)
    current = Article.objects.select_for_update().get(pk=article.pk)
    if expected_version is not None and current.version != expected_version:
        raise EditConflict(
            _conflict_message(article.pk, expected_version, current.version),
            current_version=current.version,
        )
    if current.status != allowed_from:
        raise TransitionNotAllowed(
            f"Cannot {doing}: “{current}” is {current.get_status_display().lower()}; "
            f"only an article that is {Article.Status(allowed_from).label.lower()} can be."
        )
    if check is not None:
        check(current)
    with in_revision(editor, message):
        _bump_version(current, current.version, status=to)
        current.refresh_from_db()
        reversion.add_to_revision(current)
        record_audit(editor, current, message)
    article.refresh_from_db()
    return article


@transaction.atomic
def submit_for_review(
    article: Article, *, editor: Actor, expected_version: int | None = None
) -> Article:
    return _transition(
        article,
        editor=editor,
        perm="articles.change_article",
        doing="submit this article for review",
        allowed_from=Article.Status.DRAFT,
        to=Article.Status.IN_REVIEW,
        message="Submitted for review.",
        expected_version=expected_version,
    )


@transaction.atomic
def return_to_draft(
    article: Article, *, editor: Actor, expected_version: int | None = None
) -> Article:
    return _transition(
        article,
        editor=editor,
        perm="articles.change_article",
        doing="return this article to draft",
        allowed_from=Article.Status.IN_REVIEW,
        to=Article.Status.DRAFT,
        message="Returned to draft.",
        expected_version=expected_version,
    )


def _check_publishable(current: Article) -> None:
    missing = _missing_for(current)
    if missing:
        raise PublishRequirementsMissing(current, missing)


@transaction.atomic
def publish_article(
    article: Article, *, editor: Actor, expected_version: int | None = None
) -> Article:
    """Publish an article in review: it needs a headline, a published time, an outlet and at
    least one confirmed round link; the refusal names what is missing."""
    return _transition(
        article,
        editor=editor,
        perm="articles.publish_article",
        doing="publish this article",
        allowed_from=Article.Status.IN_REVIEW,
        to=Article.Status.PUBLISHED,
        message="Published.",
        expected_version=expected_version,
        check=_check_publishable,
    )


@transaction.atomic
def retract_article(
    article: Article, *, editor: Actor, reason: str, expected_version: int | None = None
) -> Article:
    reason = reason.strip()
    if not reason:
        raise ServiceError("Give the reason for the retraction; it is kept in the history.")
    return _transition(
        article,
        editor=editor,
        perm="articles.publish_article",
        doing="retract this article",
        allowed_from=Article.Status.PUBLISHED,
        to=Article.Status.RETRACTED,
        message=f"Retracted: {reason}",
        expected_version=expected_version,
    )


@transaction.atomic
def add_correction(article: Article, *, editor: Actor, kind: str, text: str) -> Correction:
    """Append a correction, clarification or update to a published article."""
    require_perm(editor, "articles.add_correction", "add corrections")
    text = text.strip()
    if kind not in Correction.Kind.values:
        raise ServiceError(
            f"Unknown kind {kind!r}: use one of {', '.join(Correction.Kind.values)}."
        )
    if not text:
        raise ServiceError("A correction needs its text.")
    current = (
        Article.objects.select_for_update()
        .only("pk", "status", "headline", "slug")
        .get(pk=article.pk)
    )
    if current.status != Article.Status.PUBLISHED:
        raise ServiceError(
            f"Corrections are added to published articles; “{current}” is "
            f"{current.get_status_display().lower()}, so edit it directly."
        )
    correction = Correction.objects.create(
        article=current, kind=kind, text=text, created_at=timezone.now(), created_by_id=editor.pk
    )
    record_audit(
        editor, correction, f"Added a {correction.get_kind_display().lower()}.", flag=ADDITION
    )
    return correction
