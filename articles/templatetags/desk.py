"""Template tags of the desk: the editor's inbox on the admin's landing page."""

from __future__ import annotations

from typing import Any

from django import template

from articles.admin.inbox import editor_inbox

register = template.Library()


@register.simple_tag(takes_context=True)
def desk_editor_inbox(context: Any) -> dict[str, Any] | None:
    """The editor's inbox for an editor (anyone who may change articles), else None."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("articles.change_article"):
        return None
    return editor_inbox(user)
