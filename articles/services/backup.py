"""Backups that keep history: `backup` writes every row with its own id; `restore` loads them
into an empty database and moves each id counter past every id the history remembers.

Why ids, not natural keys: django-reversion and the admin log name the object a revision or
log entry belongs to by its id (`Version.object_id`, `LogEntry.object_id`), and a revision's
stored data names its coverage links' rounds, officials, sources and users by id as well.
A natural-key dump (`dumpdata --natural-primary`) renumbers rows on load whenever ids have
gaps (a deleted article, a rolled-back import), so an article would lose its revisions and a
later one would show, and could revert to, someone else's. Keeping every id keeps all of that
exact without teaching reversion another key. Only what `migrate` creates itself is named by
its natural key: content types and permissions are not written (the new database has them),
and groups are matched by name (the data migration creates the editorial groups).

Why the counters: with ids kept, a new database would hand out the id of an article that was
deleted (its history is kept, so it can be recovered), and the newcomer would inherit that
history. `restore` sets each table's counter (a PostgreSQL sequence, SQLite's
`sqlite_sequence`) past the highest id in the table, in the history and in the admin log.
"""

from __future__ import annotations

import datetime
import gzip
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, cast

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.serializers import python
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.models import BigIntegerField, Max
from django.db.models.functions import Cast
from reversion.models import Version

from articles.services.audit import ServiceError

# Rows `migrate` creates in every database: never written; referred to by natural key.
CREATED_BY_MIGRATE = {"contenttypes.contenttype", "auth.permission"}
# Rows a data migration may already have created: written and matched by natural key.
MATCHED_BY_NAME = {"auth.group"}
# Not worth keeping: sessions (everyone logs in again).
SKIPPED = {"sessions.session"}
NATURAL_TARGETS = ("contenttypes.contenttype", "auth.permission", "auth.group")
CHUNK = 2000


class RestoreRefused(ServiceError):
    """The backup cannot be restored here; nothing was written."""


def backed_up_models() -> list[type[models.Model]]:
    """Every concrete model whose rows a backup holds, groups first (users name them)."""
    chosen = [
        model
        for model in apps.get_models()
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.label_lower not in CREATED_BY_MIGRATE | SKIPPED
    ]
    return sorted(chosen, key=lambda model: model._meta.label_lower not in MATCHED_BY_NAME)


class _Encoder(DjangoJSONEncoder):
    """Times to the microsecond (Django's encoder keeps milliseconds)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class _Writer(python.Serializer):
    """Django's serializer, writing each row as it goes, with its id; foreign keys by id,
    except to content types, permissions and groups (by natural key: their ids differ from
    one database to the next)."""

    def __init__(self, out: IO[str], natural: dict[str, dict[Any, Any]]) -> None:
        super().__init__()
        self.out, self.natural, self.written = out, natural, 0

    def _natural_key(self, model: type[models.Model], pk: Any) -> Any:
        label = model._meta.label_lower
        if label not in self.natural:
            rows: Any = model._default_manager.all()
            self.natural[label] = {obj.pk: obj.natural_key() for obj in rows}
        return self.natural[label][pk]

    def _value(self, obj: models.Model, field: Any) -> Any:
        return python.Serializer._value_from_field(self, obj, field)  # type: ignore[attr-defined]

    def _set(self, name: str, value: Any) -> None:
        cast(dict[str, Any], self._current)[name] = value

    def handle_fk_field(self, obj: models.Model, field: Any) -> None:
        target = field.remote_field.model
        if target._meta.label_lower not in NATURAL_TARGETS:
            self._set(field.name, self._value(obj, field))
            return
        pk = getattr(obj, field.attname)
        self._set(field.name, None if pk is None else self._natural_key(target, pk))

    def handle_m2m_field(self, obj: models.Model, field: Any) -> None:
        if not field.remote_field.through._meta.auto_created:
            return  # a through model is written as its own rows
        target = field.remote_field.model
        pks = getattr(obj, field.name).order_by("pk").values_list("pk", flat=True)
        if target._meta.label_lower in NATURAL_TARGETS:
            self._set(field.name, [self._natural_key(target, pk) for pk in pks])
        else:
            self._set(field.name, list(pks))

    def get_dump_object(self, obj: models.Model) -> dict[str, Any]:
        data: dict[str, Any] = {"model": str(obj._meta)}
        if obj._meta.label_lower not in MATCHED_BY_NAME:
            data["pk"] = self._value(obj, obj._meta.pk)
        data["fields"] = self._current
        return data

    def end_object(self, obj: models.Model) -> None:
        separator = ",\n" if self.written else "\n"
        row = json.dumps(self.get_dump_object(obj), cls=_Encoder, ensure_ascii=False)
        self.out.write(separator + row)
        self.written += 1
        self._current = None


@contextmanager
def _open(path: Path, mode: str) -> Iterator[IO[str]]:
    """A text file, gzip-compressed when its name ends in .gz."""
    if path.suffix == ".gz":
        with gzip.open(path, mode + "t", encoding="utf-8") as handle:
            yield cast(IO[str], handle)
    else:
        with path.open(mode, encoding="utf-8") as handle:
            yield handle


def write_backup(path: Path) -> dict[str, int]:
    """Write every row (`backed_up_models`) with its id to `path` (JSON, .json or .json.gz),
    in one read-only snapshot. Returns the number of rows written per model."""
    counts: dict[str, int] = {}
    natural: dict[str, dict[Any, Any]] = {}
    with transaction.atomic(), _open(path, "w") as out:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # one consistent view of every table
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        writer = _Writer(out, natural)
        out.write("[")
        for model in backed_up_models():
            before = writer.written
            rows = model._default_manager.order_by("pk").iterator(chunk_size=CHUNK)
            writer.serialize(rows)
            counts[model._meta.label_lower] = writer.written - before
        out.write("\n]\n")
    return counts


def _rows_present(chosen: list[type[models.Model]]) -> list[str]:
    return [
        f"{model._meta.verbose_name_plural} ({model._default_manager.count()})"
        for model in chosen
        if model._meta.label_lower not in MATCHED_BY_NAME and model._default_manager.exists()
    ]


def restore_backup(path: Path) -> dict[str, int]:
    """Load a backup written by `write_backup` into an empty (migrated) database, in one
    transaction, then move every id counter past the ids the history remembers.

    RestoreRefused when the database already holds rows (nothing is overwritten or mixed)
    or the file is no backup; nothing is written then. Returns the highest id remembered
    per table (the counters now start above them)."""
    if not path.is_file():
        raise RestoreRefused(f"No backup file at {path}.")
    chosen = backed_up_models()
    # A database flushed or created in this process has new content type ids.
    ContentType.objects.clear_cache()
    with transaction.atomic():
        present = _rows_present(chosen)
        if present:
            raise RestoreRefused(
                "The database is not empty: it holds "
                + ", ".join(present[:6])
                + (" and more" if len(present) > 6 else "")
                + ". Restore into a new database: create it, run `manage.py migrate`, then "
                "restore. Nothing was written."
            )
        try:
            call_command("loaddata", str(path), verbosity=0)
        except Exception as error:
            raise RestoreRefused(
                f"{path} could not be restored, nothing was written ({type(error).__name__}: "
                f"{str(error)[:300]})"
            ) from error
        return advance_id_counters(chosen)


def remembered_max_id(model: type[models.Model]) -> int:
    """The highest id of `model` in its table, its revisions and the admin log (0 if none)."""
    content_type = ContentType.objects.get_for_model(model)
    highest = model._default_manager.aggregate(top=Max("pk"))["top"] or 0
    for history in (Version, LogEntry):
        remembered = (
            history.objects.filter(content_type=content_type, object_id__regex=r"^[0-9]{1,18}$")
            .annotate(number=Cast("object_id", BigIntegerField()))
            .aggregate(top=Max("number"))["top"]
        )
        highest = max(highest, remembered or 0)
    return int(highest)


def advance_id_counters(chosen: list[type[models.Model]]) -> dict[str, int]:
    """Set each table's id counter so the next id is above every id it remembers."""
    done: dict[str, int] = {}
    with connection.cursor() as cursor:
        for model in chosen:
            if not isinstance(model._meta.pk, models.AutoField | models.BigAutoField):
                continue
            table, column = model._meta.db_table, model._meta.pk.column
            highest = remembered_max_id(model)
            done[table] = highest
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, %s), %s, %s)",
                    [connection.ops.quote_name(table), column, max(highest, 1), highest > 0],
                )
            elif connection.vendor == "sqlite" and highest:
                cursor.execute(
                    "UPDATE sqlite_sequence SET seq = MAX(seq, %s) WHERE name = %s",
                    [highest, table],
                )
                cursor.execute(
                    "INSERT INTO sqlite_sequence (name, seq) SELECT %s, %s WHERE NOT EXISTS "
                    "(SELECT 1 FROM sqlite_sequence WHERE name = %s)",
                    [table, highest, table],
                )
    return done


__all__ = [
    "RestoreRefused",
    "advance_id_counters",
    "backed_up_models",
    "remembered_max_id",
    "restore_backup",
    "write_backup",
]
