"""Template tags of the desk: the editor's and the moderator's inbox on the admin's landing
page, each for those who hold the role's permission."""

from __future__ import annotations

from typing import Any

from django import template

from articles.admin.inbox import editor_inbox
from articles.admin.inbox_moderation import moderator_inbox

register = template.Library()


@register.simple_tag(takes_context=True)
def desk_editor_inbox(context: Any) -> dict[str, Any] | None:
    """The editor's inbox for an editor (anyone who may change articles), else None."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("articles.change_article"):
        return None
    return editor_inbox(user)


@register.simple_tag(takes_context=True)
def desk_moderator_inbox(context: Any) -> dict[str, Any] | None:
    """The moderator's figures for a moderator (anyone who may moderate comments), else None."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("articles.moderate_comment"):
        return None
    return moderator_inbox(user)
