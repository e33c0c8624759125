"""Helpers shared by the admin tests: role users, and reading a rendered admin form back into
the data a browser would post."""

from __future__ import annotations

import functools
import itertools
from html.parser import HTMLParser
from typing import Any, cast

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission, User
from django.test import Client

from articles.models import Comment, Correction, ModerationDecision

ROLES = ("Editors", "Moderators", "Read-only")
PASSWORD = "newsroom-test-password"
_serial = itertools.count()


@functools.cache
def _password_hash() -> str:
    return make_password(PASSWORD)  # hashed once: a hash costs about half a second


def make_user(username: str | None = None, **fields: Any) -> User:
    """A staff user who can log in with PASSWORD (without hashing it again)."""
    fields.setdefault("is_staff", True)
    return User.objects.create(
        username=username or f"user-{next(_serial)}", password=_password_hash(), **fields
    )


def make_superuser(username: str = "admin") -> User:
    return make_user(username, is_superuser=True)


def role_user(group: str, username: str | None = None) -> User:
    """A staff user in one of the groups the data migration creates."""
    user = make_user(username or f"{group.lower().replace('-', '')}-user")
    user.groups.add(Group.objects.get(name=group))
    return user


# Typed reads (the comment, decision and correction managers are typed for any model).


def stored_comment(pk: int) -> Comment:
    return cast(Comment, Comment.objects.get(pk=pk))


def stored_decision(**lookup: Any) -> ModerationDecision:
    return cast(ModerationDecision, ModerationDecision.objects.get(**lookup))


def stored_decisions() -> dict[int, ModerationDecision]:
    """Every decision, by comment id."""
    decisions = ModerationDecision.objects.select_related("moderator")
    return {d.comment_id: d for d in cast(list[ModerationDecision], list(decisions))}


def stored_correction(pk: int) -> Correction:
    return cast(Correction, Correction.objects.get(pk=pk))


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def group_codenames(group: str) -> set[str]:
    return set(Permission.objects.filter(group__name=group).values_list("codename", flat=True))


class _FormReader(HTMLParser):
    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._select_options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text: list[str] = []
        self._option_value: str | None = None
        self._option_selected = False
        self._option_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        if tag == "form" and attributes.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attributes:
                return
            if "disabled" in attributes:
                return
            self.fields.append((name, attributes.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name and "disabled" not in attributes:
            self._select, self._select_options = name, []
        elif tag == "option" and self._select is not None:
            self._option_value = attributes.get("value")
            self._option_selected = "selected" in attributes
            self._option_text = []
        elif tag == "textarea" and name and "disabled" not in attributes:
            self._textarea, self._text = name, []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)
        if self._option_value is None and self._select is not None:
            self._option_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if not self.inside:
            return
        if tag == "form":
            self.inside = False
        elif tag == "option" and self._select is not None:
            value = self._option_value
            if value is None:
                value = "".join(self._option_text).strip()
            self._select_options.append((value, self._option_selected))
            self._option_value = None
        elif tag == "select" and self._select is not None:
            chosen = [value for value, selected in self._select_options if selected]
            if not chosen and self._select_options:
                chosen = [self._select_options[0][0]]
            self.fields.extend((self._select, value) for value in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            self.fields.append((self._textarea, text.removeprefix("\n")))
            self._textarea = None


def form_data(html: str | bytes, form_id: str) -> dict[str, Any]:
    """The data a browser would submit from the form `form_id` of a rendered page."""
    reader = _FormReader(form_id)
    reader.feed(html.decode() if isinstance(html, bytes) else html)
    data: dict[str, Any] = {}
    for name, value in reader.fields:
        if name in data:
            existing = data[name]
            data[name] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            data[name] = value
    return data


def test_form_reader_reads_what_a_browser_would_post() -> None:
    html = """
    <form id="f"><input name="a" value="1"><input type="checkbox" name="b">
    <input type="checkbox" name="c" checked><select name="d"><option value="x">X</option>
    <option value="y" selected>Y</option></select><select name="e"><option value="">-</option>
    </select><textarea name="t">
hello &amp; bye</textarea><input type="submit" name="_save" value="Save"></form>
    <form id="other"><input name="z" value="9"></form>
    """
    assert form_data(html, "f") == {"a": "1", "c": "on", "d": "y", "e": "", "t": "hello & bye"}
