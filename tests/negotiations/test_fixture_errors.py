"""A broken fixture file is named, with the record, and leaves the database as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError

from negotiations.models import Meeting, Official, Round
from tests.conftest import reference_fixture_files

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def meetings_fixture_with(tmp_path, bad_fields: dict) -> tuple[str, str]:
    meetings_file = next(f for f in reference_fixture_files() if "meetings" in f)
    meetings = json.loads(Path(meetings_file).read_text())
    bad = json.loads(json.dumps(meetings[3]))
    bad["fields"].update(bad_fields)
    bad["fields"]["slug"] = "broken-meeting"
    records = [meetings[0], bad, meetings[1]]
    path = tmp_path / "broken_meetings.json"
    path.write_text(json.dumps(records))
    return str(path), "broken-meeting"


def test_constraint_violation_names_file_and_record_and_rolls_back(tmp_path):
    files = [f for f in reference_fixture_files() if "meetings" not in f]
    call_command("loaddata", *files, verbosity=0)
    before = (Official.objects.count(), Round.objects.count(), Meeting.objects.count())

    path, slug = meetings_fixture_with(tmp_path, {"duration_minutes": 0})
    with pytest.raises((DatabaseError, CommandError)) as caught:
        call_command("loaddata", path, verbosity=0)

    message = str(caught.value)
    assert "broken_meetings.json" in message
    assert "negotiations.meeting" in message
    assert slug in message
    assert "meeting_duration_positive" in message or "check" in message.lower()
    assert (Official.objects.count(), Round.objects.count(), Meeting.objects.count()) == before


def test_unknown_reference_names_file_and_leaves_database_empty(tmp_path):
    call_command(
        "loaddata", *[f for f in reference_fixture_files() if "meetings" not in f], verbosity=0
    )
    path, _ = meetings_fixture_with(tmp_path, {"participants": [["no-such-official"]]})
    with pytest.raises(Exception) as caught:
        call_command("loaddata", path, verbosity=0)
    assert "broken_meetings.json" in str(caught.value)
    assert Meeting.objects.count() == 0


def test_malformed_json_names_the_file(tmp_path):
    path = tmp_path / "truncated.json"
    path.write_text('[{"model": "negotiations.official", "fields": {')
    with pytest.raises(Exception) as caught:
        call_command("loaddata", str(path), verbosity=0)
    assert "truncated.json" in str(caught.value)
    assert Official.objects.count() == 0
