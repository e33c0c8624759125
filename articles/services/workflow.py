"""Article workflow: create, save (with edit-conflict check), review, publish, retract, correct.

Every change is one atomic function that takes the acting editor as a keyword, checks the
editor's permission, writes an audit row (an admin `LogEntry`), records a revision in the
article's history (django-reversion, which follows the coverage links), and returns the object.
The shared pieces live beside it: `audit` (actor, refusals, permission check, audit row) and
`history` (revisions, the baseline revision, edit conflicts); their names are re-exported here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import reversion
from django.contrib.admin.models import ADDITION
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article, Correction
from articles.models.articles import ArticleStatus
from articles.services.audit import (
    Actor,
    ServiceError,
    and_list,
    describe_time,
    record_audit,
    require_perm,
)
from articles.services.history import (
    BASELINE_COMMENT,
    HISTORY_FOLLOW,
    LINK_MODELS,
    EditConflict,
    bump_version,
    check_edit_conflict,
    conflict_message,
    ensure_baseline,
    in_revision,
    register_history,
)
from articles.signals import article_was_changed


class TransitionNotAllowed(ServiceError):
    pass


class PublishRequirementsMissing(TransitionNotAllowed):
    def __init__(self, article: Article, missing: list[str]) -> None:
        self.missing = missing
        super().__init__(f"Cannot publish “{article}”: it still needs {and_list(missing)}.")


# Publication rules: `Article.missing_for_publication()` is the one definition.


def _missing_for(article: Article) -> list[str]:
    return article.missing_for_publication()


# The importer names a page without a headline "page-<file name>"; such a slug is replaced
# by the headline's at the first publication at the latest.
PLACEHOLDER_SLUG_PREFIX = "page-"


def headline_slug(article: Article) -> str:
    """The slug the headline gives, unique among articles (the importer's placeholder before
    an editor writes a headline)."""
    base = slugify(article.headline)[:80].strip("-")
    return Article.objects.unique_slug(base, exclude_pk=article.pk) if base else article.slug


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
    article_was_changed(article.pk, "created")
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
    changed = set(changed_fields)
    if current.slug_fixed and article.slug != current.slug:
        raise TransitionNotAllowed(
            f"The slug of a published article never changes: it stays “{current.slug}”, "
            "the address readers and links already use."
        )
    if not current.slug_fixed and "headline" in changed and "slug" not in changed:
        # Before the first publication the slug follows the editor's headline.
        slug = headline_slug(article)
        if slug != current.slug:
            article.slug = slug
            changed.add("slug")
    if article.status == Article.Status.PUBLISHED:
        missing = article.missing_for_publication(has_confirmed_round=True)
        if missing:
            raise TransitionNotAllowed(
                f"A published article keeps {and_list(missing)}; retract it first."
            )
    settled = _settle_review_items(article, changed)
    message = note or (
        f"Changed {and_list(sorted(changed))}." if changed else "Saved without changes."
    )
    if settled:
        message += f" Established {and_list(settled)}."
    with in_revision(editor, message, article_pk=article.pk):
        bump_version(article, expected_version)
        article.version = expected_version + 1
        article.save()
        record_audit(editor, article, message)
    article_was_changed(article.pk, "saved")
    return article


# Transitions: draft → in review → published → retracted. One table drives the services below
# and the admin's buttons (`articles.admin.workflow`).


def _check_publishable(current: Article) -> None:
    missing = _missing_for(current)
    if missing:
        raise PublishRequirementsMissing(current, missing)
    if current.slug.startswith(PLACEHOLDER_SLUG_PREFIX):
        # Still the importer's placeholder ("page-003-daa376ad"): the first publication gives
        # the article its address from the editor's headline, fixed from then on.
        current.slug = headline_slug(current)
        Article.objects.filter(pk=current.pk).update(slug=current.slug)


@dataclass(frozen=True)
class Transition:
    """One step of the workflow: who may take it, from which status to which, and its words."""

    name: str
    label: str  # the admin's button
    perm: str
    doing: str  # "publish this article", for refusals
    source: ArticleStatus
    target: ArticleStatus
    message: str  # the history's entry
    done: str  # what the editor is told: "“{article}” is published."
    needs_reason: bool = False  # the reason goes into the history
    check: Callable[[Article], None] | None = None


TRANSITIONS: dict[str, Transition] = {
    step.name: step
    for step in (
        Transition(
            name="submit",
            label="Submit for review",
            perm="articles.change_article",
            doing="submit this article for review",
            source=Article.Status.DRAFT,
            target=Article.Status.IN_REVIEW,
            message="Submitted for review.",
            done="“{article}” is now in review.",
        ),
        Transition(
            name="draft",
            label="Return to draft",
            perm="articles.change_article",
            doing="return this article to draft",
            source=Article.Status.IN_REVIEW,
            target=Article.Status.DRAFT,
            message="Returned to draft.",
            done="“{article}” is a draft again.",
        ),
        Transition(
            name="publish",
            label="Publish",
            perm="articles.publish_article",
            doing="publish this article",
            source=Article.Status.IN_REVIEW,
            target=Article.Status.PUBLISHED,
            message="Published.",
            done="“{article}” is published.",
            check=_check_publishable,
        ),
        Transition(
            name="retract",
            label="Retract",
            perm="articles.publish_article",
            doing="retract this article",
            source=Article.Status.PUBLISHED,
            target=Article.Status.RETRACTED,
            message="Retracted: {reason}",
            done="“{article}” is retracted.",
            needs_reason=True,
        ),
    )
}


def transitions_for(article: Article, user: Any) -> list[Transition]:
    """The steps `user` may take on `article` now, in the table's order."""
    return [
        step
        for step in TRANSITIONS.values()
        if article.status == step.source and user.has_perm(step.perm)
    ]


@transaction.atomic
def apply_transition(
    name: str,
    article: Article,
    *,
    editor: Actor,
    expected_version: int | None = None,
    reason: str = "",
) -> Article:
    """Take the workflow step `name` (a key of `TRANSITIONS`) on `article`, at the version the
    editor opened: checks the permission, the status it starts from and the step's own check;
    writes the status, the audit row and the revision (with the reason, where one is needed)."""
    step = TRANSITIONS.get(name)
    if step is None:
        raise TransitionNotAllowed(
            f"Unknown workflow step “{name}”: use one of {and_list(list(TRANSITIONS))}."
        )
    reason = reason.strip()
    if step.needs_reason and not reason:
        raise ServiceError(
            f"Give the reason to {step.label.lower()} the article; it is kept in the history."
        )
    require_perm(editor, step.perm, step.doing)
    current = Article.objects.select_for_update().get(pk=article.pk)
    if expected_version is not None and current.version != expected_version:
        raise EditConflict(
            conflict_message(article.pk, expected_version, current.version, doing=step.doing),
            current_version=current.version,
        )
    if current.status != step.source:
        raise TransitionNotAllowed(
            f"Cannot {step.doing}: “{current}” is {current.get_status_display().lower()}; "
            f"only an article that is {Article.Status(step.source).label.lower()} can be."
        )
    if step.check is not None:
        step.check(current)
    message = step.message.format(reason=reason)
    with in_revision(editor, message, article_pk=current.pk):
        bump_version(current, current.version, status=step.target)
        current.refresh_from_db()
        reversion.add_to_revision(current)
        record_audit(editor, current, message)
    article_was_changed(current.pk, str(step.target))  # the new status: "published", ...
    article.refresh_from_db()
    return article


def submit_for_review(
    article: Article, *, editor: Actor, expected_version: int | None = None
) -> Article:
    return apply_transition("submit", article, editor=editor, expected_version=expected_version)


def return_to_draft(
    article: Article, *, editor: Actor, expected_version: int | None = None
) -> Article:
    return apply_transition("draft", article, editor=editor, expected_version=expected_version)


def publish_article(
    article: Article, *, editor: Actor, expected_version: int | None = None
) -> Article:
    """Publish an article in review: it needs a headline, a published time, an outlet and at
    least one confirmed round link; the refusal names what is missing."""
    return apply_transition("publish", article, editor=editor, expected_version=expected_version)


def retract_article(
    article: Article, *, editor: Actor, reason: str, expected_version: int | None = None
) -> Article:
    return apply_transition(
        "retract", article, editor=editor, expected_version=expected_version, reason=reason
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
    kind_name = correction.get_kind_display().lower()
    article_word = "an" if kind_name[:1] in "aeiou" else "a"
    record_audit(editor, correction, f"Added {article_word} {kind_name}.", flag=ADDITION)
    article_was_changed(current.pk, "correction added")
    return correction


__all__ = [
    "BASELINE_COMMENT",
    "HISTORY_FOLLOW",
    "LINK_MODELS",
    "TRANSITIONS",
    "Actor",
    "EditConflict",
    "PublishRequirementsMissing",
    "ServiceError",
    "Transition",
    "TransitionNotAllowed",
    "add_correction",
    "apply_transition",
    "check_edit_conflict",
    "create_article",
    "describe_time",
    "ensure_baseline",
    "headline_slug",
    "in_revision",
    "publish_article",
    "record_audit",
    "register_history",
    "require_perm",
    "retract_article",
    "return_to_draft",
    "save_article",
    "submit_for_review",
    "transitions_for",
]
