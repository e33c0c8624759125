"""Admin actions that run a service on each selected row, and say what was refused."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from django.contrib import messages
from django.http import HttpRequest

from articles.services.audit import ServiceError

T = TypeVar("T")
SHOWN_REFUSALS = 10


@dataclass
class BulkOutcome:
    applied: int = 0
    refused: list[str] = field(default_factory=list)


def apply_each(items: Iterable[T], step: Callable[[T], object]) -> BulkOutcome:
    """Run `step` on every item; a refusal (ServiceError) is collected, never raised."""
    outcome = BulkOutcome()
    for item in items:
        try:
            step(item)
        except ServiceError as refusal:
            outcome.refused.append(str(refusal))
        else:
            outcome.applied += 1
    return outcome


def report_refusals(request: HttpRequest, refused: list[str]) -> None:
    """One warning a refusal, each naming why; the rest counted."""
    for problem in refused[:SHOWN_REFUSALS]:
        messages.warning(request, problem)
    if len(refused) > SHOWN_REFUSALS:
        messages.warning(request, f"… and {len(refused) - SHOWN_REFUSALS} more not applied.")
