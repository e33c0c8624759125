"""Template tags of the desk: the editor's and the moderator's inbox on the admin's landing
page, each for those who hold the role's permission."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import template

from articles.admin.inbox import editor_inbox
from articles.admin.inbox_moderation import moderator_inbox

register = template.Library()


def _for(context: Any, perm: str, build: Callable[[Any], dict[str, Any]]) -> dict[str, Any] | None:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm(perm):
        return None
    return build(user)


@register.simple_tag(takes_context=True)
def desk_editor_inbox(context: Any) -> dict[str, Any] | None:
    """The editor's inbox for an editor (anyone who may change articles), else None."""
    return _for(context, "articles.change_article", editor_inbox)


@register.simple_tag(takes_context=True)
def desk_moderator_inbox(context: Any) -> dict[str, Any] | None:
    """The moderator's figures for a moderator (anyone who may moderate comments), else None."""
    return _for(context, "articles.moderate_comment", moderator_inbox)
