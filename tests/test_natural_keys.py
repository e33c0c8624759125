"""Every model has a natural key, so fixtures are stable across databases."""

from __future__ import annotations

import io
import json

import pytest
from django.apps import apps
from django.core.management import call_command

from tests.articles.factories import (
    CommentFactory,
    CorrectionFactory,
    ImportedCommentFactory,
    MeasureLinkFactory,
    MeetingLinkFactory,
    ModerationDecisionFactory,
    OfficialLinkFactory,
    RawDocumentFactory,
    RoundLinkFactory,
    UserFactory,
    WireFactory,
)
from tests.negotiations.factories import OfficialAliasFactory

DUMPED = ["negotiations", "articles", "auth.user"]


def dump() -> str:
    out = io.StringIO()
    call_command(
        "dumpdata",
        *DUMPED,
        natural_foreign=True,
        natural_primary=True,
        indent=1,
        stdout=out,
    )
    return out.getvalue()


def make_one_of_everything() -> None:
    editor = UserFactory(username="desk-editor")
    link = RoundLinkFactory(
        status="confirmed", confirmed_by=editor, confirmed_at="2025-06-01T00:00Z"
    )
    article = link.article
    article.wire = WireFactory()
    article.save()
    MeetingLinkFactory(article=article)
    OfficialLinkFactory(article=article)
    MeasureLinkFactory(article=article)
    raw = RawDocumentFactory(article=article)
    imported = ImportedCommentFactory(article=article, raw_document=raw, position=1)
    CommentFactory(article=article, quotes_comment=imported, quoted_text=imported.body)
    ModerationDecisionFactory(
        comment=imported,
        moderator=editor,
        to_status="rejected",
        reason_code="off_topic",
        reason="Off topic",
    )
    CorrectionFactory(article=article, created_by=editor)
    OfficialAliasFactory()
    from articles.models.imports import ImportJob, ImportJobPage

    job = ImportJob.objects.create(started_by=editor, started_by_name="desk-editor")
    ImportJobPage.objects.create(
        job=job, position=1, file_name=raw.file_name, outcome="created", raw_document=raw
    )
    ImportJobPage.objects.create(job=job, position=2, file_name="later.txt", data=b"Later.\n")


@pytest.mark.parametrize(
    "model",
    [m for a in ("negotiations", "articles") for m in apps.get_app_config(a).get_models()],
    ids=lambda m: m._meta.label,
)
def test_every_model_has_a_natural_key(model):
    assert callable(getattr(model, "natural_key", None)), model
    assert callable(getattr(model._default_manager, "get_by_natural_key", None)), model


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_dump_load_dump_is_identical_in_an_empty_database(reference_data, tmp_path):
    make_one_of_everything()
    first = dump()
    records = json.loads(first)
    assert all("pk" not in record for record in records if record["model"] != "auth.user")
    assert {r["model"] for r in records} >= {
        f"{m._meta.app_label}.{m._meta.model_name}"
        for a in ("negotiations", "articles")
        for m in apps.get_app_config(a).get_models()
    }

    call_command("flush", interactive=False, verbosity=0)
    assert dump() == "[\n]\n"

    path = tmp_path / "roundtrip.json"
    path.write_text(first)
    call_command("loaddata", str(path), verbosity=0)
    assert dump() == first
