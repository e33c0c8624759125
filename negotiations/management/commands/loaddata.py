"""Django's loaddata, with errors that name the fixture file and the record that failed.

Django already loads all fixtures in one transaction, so a failure leaves the database as it
was; its message, though, says `pk=None` for natural-key records and loses the file name for
references it resolves at the end. This names the file, the model and the natural key, so a
person can find and fix the record.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import loaddata
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, IntegrityError

SaveErrors = (DatabaseError, IntegrityError, ValueError, DeserializationError)


def describe(obj: Any) -> str:
    instance = obj.object
    try:
        key = list(instance.natural_key())
    except Exception:  # an unresolved foreign key: the key cannot be built
        key = None
    return f"record {instance._meta.label_lower}" + (f" {key!r}" if key else "")


class Command(loaddata.Command):
    def load_label(self, fixture_label: str) -> None:
        self._current_label = fixture_label
        super().load_label(fixture_label)

    def save_obj(self, obj: Any) -> bool:
        label = getattr(self, "_current_label", "?")
        try:
            saved = super().save_obj(obj)
        except SaveErrors as error:
            error.args = (f"{describe(obj)} could not be saved: {error.__cause__ or error}",)
            raise
        if obj.deferred_fields:
            # Forward references are resolved after every file is read: keep the file's name.
            save_deferred = obj.save_deferred_fields

            def save_deferred_fields(*args: Any, **kwargs: Any) -> None:
                try:
                    save_deferred(*args, **kwargs)
                except SaveErrors as error:
                    error.args = (
                        f"Problem installing fixture '{label}': {describe(obj)} "
                        f"refers to something that does not exist: {error}",
                    )
                    raise

            obj.save_deferred_fields = save_deferred_fields
        return saved
