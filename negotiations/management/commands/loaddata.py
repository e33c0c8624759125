"""Django's loaddata, with errors that name the fixture file and the record that failed.

Django already loads all fixtures in one transaction, so a failure leaves the database as it
was; its message, though, says `pk=None` for natural-key records. This names the file, the
record's position in it and its natural key, so a person can find and fix the line.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import loaddata
from django.db import DatabaseError, IntegrityError


class Command(loaddata.Command):
    def load_label(self, fixture_label: str) -> None:
        self._record_number = 0
        super().load_label(fixture_label)

    def save_obj(self, obj: Any) -> bool:
        self._record_number = getattr(self, "_record_number", 0) + 1
        try:
            return super().save_obj(obj)
        except (DatabaseError, IntegrityError, ValueError) as error:
            instance = obj.object
            try:
                key = instance.natural_key()
            except Exception:  # an unresolved foreign key: the key cannot be built
                key = None
            record = f"record {instance._meta.label_lower}"
            if key:
                record += f" {list(key)!r}"
            error.args = (f"{record} could not be saved: {error.__cause__ or error}",)
            raise
