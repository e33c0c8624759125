"""Coverage links: accept or reject the importer's suggestions, add and revise editor links.

A rejected suggestion keeps its row (status `rejected`), so the one-link-per-(article, target)
constraint stops a re-import from suggesting it again. Each change is recorded in the article's
history (the article follows its links) and in the audit log.
"""

from __future__ import annotations

from typing import Any

import reversion
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from articles.models import LINK_KINDS, Article, CoverageLink
from articles.services.audit import Actor, ServiceError, describe_time, record_audit, require_perm
from articles.services.history import LINK_MODELS, in_revision
from articles.signals import article_was_changed

LINK_MODEL_FOR_TARGET: dict[type[models.Model], type[CoverageLink]] = {
    kind.target_model: kind.model for kind in LINK_KINDS.values()
}


class LinkDecisionError(ServiceError):
    pass


def _label(link: Any) -> str:
    return f"{link._meta.verbose_name} to {link.target}"


def _locked(link: Any) -> Any:
    return (
        type(link)
        .objects.select_for_update(of=("self",))  # not the nullable joined confirmer
        .select_related("article", link.target_field, "confirmed_by")
        .get(pk=link.pk)
    )


def _copy_state(source: Any, link: Any) -> Any:
    for field in ("status", "origin", "evidence", "confirmed_by_id", "confirmed_at"):
        setattr(link, field, getattr(source, field))
    return link


@transaction.atomic
def confirm_link(link: Any, *, editor: Actor) -> Any:
    """Accept a suggested (or previously rejected) link: it becomes confirmed by `editor`."""
    require_perm(editor, "articles.confirm_coverage", "confirm coverage links")
    current = _locked(link)
    if current.status == CoverageLink.Status.CONFIRMED:
        who = current.confirmed_by.get_username() if current.confirmed_by else "someone"
        when = describe_time(current.confirmed_at) if current.confirmed_at else "earlier"
        raise LinkDecisionError(f"The {_label(current)} was already confirmed by {who} at {when}.")
    message = f"Confirmed the {_label(current)}."
    with in_revision(editor, message, article_pk=current.article_id):
        current.status = CoverageLink.Status.CONFIRMED
        current.confirmed_by_id = editor.pk
        current.confirmed_at = timezone.now()
        current.save(update_fields=["status", "confirmed_by", "confirmed_at"])
        reversion.add_to_revision(current.article)
        record_audit(editor, current, message)
    article_was_changed(current.article_id, "link confirmed")
    return _copy_state(current, link)


@transaction.atomic
def reject_link(link: Any, *, editor: Actor) -> Any:
    """Reject a link. The row stays (status `rejected`) so a re-import cannot revive it."""
    require_perm(editor, "articles.confirm_coverage", "reject coverage links")
    current = _locked(link)
    if current.status == CoverageLink.Status.REJECTED:
        raise LinkDecisionError(f"The {_label(current)} is already rejected.")
    message = f"Rejected the {_label(current)}."
    with in_revision(editor, message, article_pk=current.article_id):
        current.status = CoverageLink.Status.REJECTED
        current.confirmed_by = None
        current.confirmed_at = None
        current.save(update_fields=["status", "confirmed_by", "confirmed_at"])
        reversion.add_to_revision(current.article)
        record_audit(editor, current, message)
    article_was_changed(current.article_id, "link rejected")
    return _copy_state(current, link)


@transaction.atomic
def add_link(article: Article, *, editor: Actor, target: models.Model, evidence: str) -> Any:
    """An editor links an article to a round, meeting, official or measure: confirmed at once."""
    try:
        model = LINK_MODEL_FOR_TARGET[type(target)]
    except KeyError:
        raise ServiceError(f"Articles cannot be linked to a {type(target).__name__}.") from None
    require_perm(editor, "articles.confirm_coverage", "add coverage links")
    require_perm(editor, f"articles.add_{model._meta.model_name}", "add coverage links")
    evidence = evidence.strip()
    if not evidence:
        raise ServiceError("Quote the sentence of the article that supports the link.")
    existing = (
        model.objects.filter(article_id=article.pk, **{model.target_field: target})
        .only("status")
        .first()
    )
    if existing is not None:
        raise LinkDecisionError(
            f"“{article}” already has a link to {target} ({existing.get_status_display()}): "
            "accept or reject that one instead."
        )
    link = model(
        article_id=article.pk,
        origin=CoverageLink.Origin.EDITOR,
        status=CoverageLink.Status.CONFIRMED,
        evidence=evidence,
        confirmed_by_id=editor.pk,
        confirmed_at=timezone.now(),
        **{model.target_field: target},
    )
    message = f"Added the {_label(link)}."
    with in_revision(editor, message, article_pk=article.pk):
        link.save()
        reversion.add_to_revision(Article.objects.get(pk=article.pk))
        record_audit(editor, link, message, flag=ADDITION)
    article_was_changed(article.pk, "link added")
    return link


@transaction.atomic
def revise_link_evidence(link: Any, *, editor: Actor, evidence: str) -> Any:
    """Replace the sentence quoted as evidence for a link."""
    require_perm(editor, f"articles.change_{link._meta.model_name}", "edit coverage links")
    evidence = evidence.strip()
    if not evidence:
        raise ServiceError("Quote the sentence of the article that supports the link.")
    current = _locked(link)
    message = f"Revised the evidence for the {_label(current)}."
    with in_revision(editor, message, article_pk=current.article_id):
        current.evidence = evidence
        current.save(update_fields=["evidence"])
        reversion.add_to_revision(current.article)
        record_audit(editor, current, message)
    article_was_changed(current.article_id, "link evidence revised")
    return _copy_state(current, link)


def describe_decision(link: Any) -> str:
    """Who last decided on a link and when, as a person would say it ("confirmed by alice at
    ..."), for a refusal that names what happened meanwhile."""
    status = link.get_status_display().lower()
    if link.status == CoverageLink.Status.CONFIRMED and link.confirmed_by_id is not None:
        when = f" at {describe_time(link.confirmed_at)}" if link.confirmed_at else ""
        return f"{status} by {link.confirmed_by.get_username()}{when}"
    entry = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(type(link)), object_id=str(link.pk)
        )
        .select_related("user")
        .order_by("-action_time", "-pk")
        .first()
    )
    if entry is None:
        return status
    who, when = str(entry.user), describe_time(entry.action_time)
    return f"{status} (last change by {who} at {when})"


def is_link_model(model: type[models.Model]) -> bool:
    return model in LINK_MODELS
