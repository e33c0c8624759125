"""Import from the admin: the form, zip safety, the background job, its page, retries, and who
ran an import."""

from __future__ import annotations

import hashlib
import io
import signal
import stat
import time
from typing import Any

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.imports import jobs
from articles.imports.jobs import retry_import, run_job, start_import
from articles.imports.uploads import Entry, unpack
from articles.models import Article, ImportJob, ImportJobPage, RawDocument
from articles.models.imports import JobStatus, PageOutcome
from tests.articles.admin_support import role_user
from tests.articles.imports_support import CITES_KYODO, numbered_pages, seed, worker, zip_of

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
ADD_URL = "/admin/articles/importjob/add/"


def job_url(job: ImportJob, suffix: str = "change/") -> str:
    return f"/admin/articles/importjob/{job.pk}/{suffix}"


@pytest.fixture
def editor_client(client: Any, reference_data: None) -> Any:
    client.force_login(role_user("Editors", "erin"))
    return client


@pytest.fixture
def immediate(settings: Any) -> None:
    settings.TASKS = IMMEDIATE


# The way in.


@pytest.mark.django_db
def test_the_raw_document_add_page_leads_editors_to_the_import_form(editor_client: Any) -> None:
    response = editor_client.get("/admin/articles/rawdocument/add/")
    assert (response.status_code, response["Location"]) == (302, ADD_URL)
    form = editor_client.get(ADD_URL)
    assert form.status_code == 200
    html = form.content.decode()
    assert 'type="file"' in html and "multiple" in html and 'name="pasted_text"' in html
    assert "<script>" not in html.replace('<script src="', "")  # no inline script (CSP)
    listing = editor_client.get("/admin/articles/rawdocument/").content.decode()
    assert f'href="{ADD_URL}"' in listing and "Import pages" in listing


@pytest.mark.django_db
def test_a_moderator_cannot_import(client: Any) -> None:
    client.force_login(role_user("Moderators", "mo"))
    assert client.get(ADD_URL).status_code == 403
    assert client.get("/admin/articles/rawdocument/add/").status_code == 403


@pytest.mark.django_db
def test_the_request_returns_at_once_and_queues_the_job_for_a_worker(
    editor_client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            ADD_URL, {"uploads": [SimpleUploadedFile(*seed(0)), SimpleUploadedFile(*seed(1))]}
        )
    job = ImportJob.objects.get()
    assert response["Location"] == job_url(job)
    assert job.status == JobStatus.QUEUED and job.started_by_name == "erin"
    assert RawDocument.objects.count() == 0  # nothing imported in the request
    task = DBTaskResult.objects.get()
    assert task.args_kwargs["args"] == [job.pk] and str(task.id) == job.task_id
    assert [p.outcome for p in job.pages.all()] == ["pending", "pending"]


@pytest.mark.django_db
def test_an_editor_imports_files_and_a_pasted_page_and_reads_each_report(
    editor_client: Any, immediate: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            ADD_URL,
            {
                "uploads": [SimpleUploadedFile(*seed(1)), SimpleUploadedFile("blank.txt", b" \n")],
                "pasted_text": CITES_KYODO.replace("\n", "\r\n"),
                "pasted_name": "kyodo-0723",
            },
        )
    job = ImportJob.objects.with_counts().get()
    assert job.status == JobStatus.FINISHED
    assert (job.pages_created, job.pages_failed) == (2, 1)  # type: ignore[attr-defined]
    pasted = RawDocument.objects.get(file_name="kyodo-0723.txt")
    assert pasted.text == CITES_KYODO  # the browser's CRLF read back as the page's line breaks
    assert pasted.import_report["imported_by"] == "erin"
    assert LogEntry.objects.filter(user__username="erin", object_id=str(pasted.article_id)).exists()

    html = editor_client.get(response["Location"]).content.decode()
    assert "No outlet stated; the page cites Kyodo" in html
    assert "Headline: “Japan, US agree to keep talking on tariffs”" in html
    assert "Wire: Reuters" in html and "Outlet: Japan Today" in html
    assert "blank.txt: Failed" in html and "is empty (whitespace only)" in html
    assert f'href="/admin/articles/article/{pasted.article_id}/change/"' in html
    assert f'href="/admin/articles/rawdocument/{pasted.pk}/change/"' in html
    assert '<progress id="job-progress" max="3" value="3">' in html
    assert '<label for="job-progress">' in html
    assert "import_report" not in html and "{&quot;" not in html  # sentences, not JSON


@pytest.mark.django_db
def test_pasted_text_needs_a_page_name(editor_client: Any) -> None:
    response = editor_client.post(ADD_URL, {"pasted_text": "Some page", "pasted_name": "x.pdf"})
    assert "A pasted page is named .txt or .html, not .pdf" in response.content.decode()
    response = editor_client.post(ADD_URL, {"pasted_text": "Some page"})
    assert "Name the pasted page" in response.content.decode()
    response = editor_client.post(ADD_URL, {})
    assert "Choose files to import, or paste a page and name it." in response.content.decode()
    assert ImportJob.objects.count() == 0


# Zips.


def unpack_zip(data: bytes) -> dict[str, Entry]:
    entries = unpack([("pages.zip", len(data), io.BytesIO(data))], [])
    return {entry.file_name: entry for entry in entries}


def symlink(info: Any) -> None:
    info.external_attr = (stat.S_IFLNK | 0o777) << 16


def encrypted_zip(name: str, data: bytes) -> bytes:
    """A zip whose one member is flagged encrypted (bit 0 of its headers' flags)."""
    raw = bytearray(zip_of([(name, data)]))
    raw[6] |= 0x1  # the local header
    raw[raw.find(b"PK\x01\x02") + 8] |= 0x1  # the central directory
    return bytes(raw)


@pytest.mark.django_db
def test_a_zip_is_unpacked_safely_with_a_reason_for_each_refused_member(settings: Any) -> None:
    settings.NEWSROOM_IMPORT_MAX_BYTES = 1000
    good_name, good = "folder/good.txt", b"Headline\n\nSome reporting on tariffs.\n"
    data = zip_of(
        [
            (good_name, good),
            ("../escape.txt", good),
            ("/etc/absolute.txt", good),
            ("inner.zip", b"PK"),
            ("photo.png", b"\x89PNG"),
            ("__MACOSX/._good.txt", good),
            ("big.txt", b"x" * 1001),
        ],
        **{"link.txt": (symlink, b"/etc/passwd")},
    )
    entries = unpack_zip(data)
    assert entries["good.txt"].data == good and not entries["good.txt"].refusal
    reasons = {name: entry.refusal for name, entry in entries.items() if entry.refusal}
    assert reasons == {
        "pages.zip: ../escape.txt": "refused: its path leaves the archive (absolute, or with '..')",
        "pages.zip: /etc/absolute.txt": (
            "refused: its path leaves the archive (absolute, or with '..')"
        ),
        "pages.zip: inner.zip": "refused: an archive inside the archive; send its pages directly",
        "pages.zip: photo.png": (
            "skipped: not a page (only .txt, .html and .htm files are imported)"
        ),
        "pages.zip: __MACOSX/._good.txt": (
            "skipped: a hidden or system file (such as macOS metadata), not a page"
        ),
        "pages.zip: big.txt": (
            "is 1001 bytes, over the import limit of 1000 bytes a page (NEWSROOM_IMPORT_MAX_BYTES)"
        ),
        "pages.zip: link.txt": "refused: it is a symbolic link; only plain files are imported",
    }
    secret = unpack_zip(encrypted_zip("secret.txt", good))["pages.zip: secret.txt"]
    assert secret.refusal == "refused: it is encrypted; send it unencrypted"


@pytest.mark.django_db
def test_a_zip_that_understates_a_members_size_is_refused_when_read(settings: Any) -> None:
    settings.NEWSROOM_IMPORT_MAX_BYTES = 100
    data = zip_of([("bomb.txt", b"a" * 5000)])
    # Rewrite the member's declared size (central directory) to claim 10 bytes.
    marker = (5000).to_bytes(4, "little")
    data = data.replace(marker, (10).to_bytes(4, "little"))
    entries = unpack_zip(data)
    (only,) = entries.values()
    assert only.refusal and not only.data


@pytest.mark.django_db
def test_the_page_count_and_total_size_limits_refuse_what_is_past_them(settings: Any) -> None:
    settings.NEWSROOM_IMPORT_MAX_PAGES = 2
    entries = unpack_zip(zip_of([(f"p{i}.txt", b"page %d" % i) for i in range(3)]))
    assert [e.refusal for e in entries.values()] == [
        "",
        "",
        "not imported: one import takes at most 2 pages",
    ]
    settings.NEWSROOM_IMPORT_MAX_PAGES = 10
    archive = zip_of([("a.txt", b"a" * 300), ("b.txt", b"b" * 300)])
    assert len(archive) < 500  # the archive is within the limit, its pages together are not
    settings.NEWSROOM_IMPORT_MAX_UPLOAD_BYTES = 500
    entries = unpack_zip(archive)
    assert entries["a.txt"].refusal == ""
    assert "may come to 500 bytes together" in entries["pages.zip: b.txt"].refusal
    assert "not a zip archive" in unpack_zip(b"not a zip")["pages.zip"].refusal


@pytest.mark.django_db
def test_a_zip_sent_from_the_admin_imports_its_pages_and_lists_the_refused_members(
    editor_client: Any, immediate: None, django_capture_on_commit_callbacks: Any
) -> None:
    data = zip_of([seed(0), seed(1), ("../../evil.txt", b"x")])
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(ADD_URL, {"uploads": [SimpleUploadedFile("batch.zip", data)]})
    job = ImportJob.objects.get()
    outcomes = dict(job.pages.values_list("file_name", "outcome"))
    assert outcomes == {
        seed(0)[0]: "created",
        seed(1)[0]: "created",
        "batch.zip: ../../evil.txt": "refused",
    }
    html = editor_client.get(job_url(job)).content.decode()
    assert "batch.zip: ../../evil.txt: Refused" in html
    assert "its path leaves the archive" in html


# Failures, a killed worker, retries.


@pytest.mark.django_db
def test_a_failed_page_is_reported_and_a_retry_imports_it(
    reference_data: None,
    immediate: None,
    monkeypatch: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    editor = role_user("Editors", "erin")
    real = jobs.import_page

    def flaky(page: Any, **kwargs: Any) -> Any:
        if page.file_name == seed(1)[0]:
            raise ConnectionError("the reference service went away")
        return real(page, **kwargs)

    monkeypatch.setattr(jobs, "import_page", flaky)
    with django_capture_on_commit_callbacks(execute=True):
        job = start_import(editor, [Entry(*seed(0)), Entry(*seed(1))])
    failed = job.pages.get(outcome=PageOutcome.FAILED)
    assert "nothing was saved (ConnectionError: the reference service went away)" in failed.reason
    assert RawDocument.objects.count() == 1 and failed.data  # the bytes kept for a retry

    monkeypatch.setattr(jobs, "import_page", real)
    with django_capture_on_commit_callbacks(execute=True):
        assert retry_import(editor, job.pk) == 1
    assert list(job.pages.values_list("outcome", flat=True)) == ["created", "created"]
    assert RawDocument.objects.count() == 2 and Article.objects.count() == 2


@pytest.mark.django_db
def test_a_worker_dying_mid_page_leaves_nothing_half_written_and_a_retry_completes_it(
    editor_client: Any,
    immediate: None,
    settings: Any,
    monkeypatch: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from django.contrib.auth.models import User

    editor = User.objects.get(username="erin")
    pages = numbered_pages(4)
    job = start_import(editor, [Entry(name, data) for name, data in pages])  # not yet run
    real, calls = jobs.import_bytes, []

    def dies_on_the_third(*args: Any) -> Any:
        result = real(*args)  # the page's rows are written...
        calls.append(result)
        if len(calls) == 3:
            raise SystemExit("worker killed")  # ...and the process dies before it commits
        return result

    monkeypatch.setattr(jobs, "import_bytes", dies_on_the_third)
    with pytest.raises(SystemExit):
        run_job(job.pk)
    third = hashlib.sha256(pages[2][1]).hexdigest()
    assert not RawDocument.objects.filter(sha256=third).exists()  # rolled back with its page
    assert RawDocument.objects.count() == Article.objects.count() == 2
    assert list(job.pages.values_list("outcome", flat=True)) == [
        "created",
        "created",
        "pending",
        "pending",
    ]
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING  # the worker could not say anything

    settings.NEWSROOM_IMPORT_STALE_SECONDS = 0  # no word since: reported as interrupted
    html = editor_client.get(job_url(job)).content.decode()
    assert "Interrupted: the worker stopped answering" in html
    assert "Retry the 2 unfinished pages" in html

    monkeypatch.setattr(jobs, "import_bytes", real)
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(job_url(job, "retry/"))
    assert response.status_code == 302
    assert list(job.pages.values_list("outcome", flat=True)) == ["created"] * 4
    assert RawDocument.objects.count() == Article.objects.count() == 4
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.FINISHED, 2)


@pytest.mark.django_db
def test_a_running_job_cannot_be_retried(reference_data: None) -> None:
    editor = role_user("Editors", "erin")
    job = start_import(editor, [Entry(*seed(0))])
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    from articles.services.audit import ServiceError

    with pytest.raises(ServiceError, match="still running"):
        retry_import(editor, job.pk)


# The job's page: live progress, query counts.


def job_with_pages(editor: Any, count: int) -> ImportJob:
    job = ImportJob.objects.create(
        started_by=editor, started_by_name="erin", status=JobStatus.RUNNING
    )
    for i in range(count):
        article = Article.objects.create(headline=f"Story {i}", slug=f"story-{job.pk}-{i}")
        raw = RawDocument.objects.create(
            file_name=f"p{i}.txt",
            sha256=hashlib.sha256(f"{job.pk}-{i}".encode()).hexdigest(),
            text="t",
            size_bytes=1,
            article=article,
            import_report={
                "outcome": "created",
                "fields": {"outlet": "kyodo", "cited_sources": ["reuters"]},
                "needs_review": ["outlet"],
                "notes": ["a note"],
            },
        )
        ImportJobPage.objects.create(
            job=job, position=i, file_name=raw.file_name, outcome="created", raw_document=raw
        )
    ImportJobPage.objects.create(job=job, position=count, file_name="next.txt", data=b"x")
    return job


@pytest.mark.django_db
def test_the_job_page_and_its_progress_take_the_same_queries_for_1_and_50_pages(
    editor_client: Any,
) -> None:
    from django.contrib.auth.models import User

    editor = User.objects.get(username="erin")
    small, large = job_with_pages(editor, 1), job_with_pages(editor, 50)
    counts = {}
    for name, job in (("small", small), ("large", large)):
        for suffix in ("change/", "progress/"):
            editor_client.get(job_url(job, suffix))  # warm the session and caches
            with CaptureQueriesContext(connection) as queries:
                response = editor_client.get(job_url(job, suffix))
            assert response.status_code == 200
            counts[name, suffix] = len(queries)
    assert counts["small", "change/"] == counts["large", "change/"]
    assert counts["small", "progress/"] == counts["large", "progress/"]
    progress = editor_client.get(job_url(large, "progress/")).json()
    assert (progress["total"], progress["done"], progress["state"]) == (51, 50, "running")
    assert progress["counts"]["created"] == 50 and progress["counts"]["pending"] == 1
    assert progress["pages_html"].count("<section") == 51


# The worker as production runs it.


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_process_imports_a_job_and_a_killed_one_is_retried(
    reference_data: None, settings: Any
) -> None:
    editor = role_user("Editors", "erin")
    job = start_import(editor, [Entry(n, d) for n, d in numbered_pages(24)])
    process = worker()
    try:
        deadline = time.monotonic() + 120
        while job.pages.exclude(outcome=PageOutcome.PENDING).count() < 3:
            assert process.poll() is None, process.communicate()[0].decode()[-2000:]
            assert time.monotonic() < deadline, "the worker did not import any page"
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)  # no chance to finish the page or say anything
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    done = job.pages.exclude(outcome=PageOutcome.PENDING)
    assert 3 <= done.count() < 24, "the job should have been cut off mid-way"
    assert set(done.values_list("outcome", flat=True)) == {"created"}
    # Nothing half-written: every raw document belongs to a page marked done, with its article.
    assert set(RawDocument.objects.values_list("pk", flat=True)) == set(
        done.values_list("raw_document_id", flat=True)
    )
    assert Article.objects.count() == done.count()
    assert all(raw.import_report for raw in RawDocument.objects.all())
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING
    settings.NEWSROOM_IMPORT_STALE_SECONDS = 0
    assert job.is_stale()

    assert retry_import(editor, job.pk) == 24 - done.count()
    finisher = worker("--batch")
    output = finisher.communicate(timeout=300)[0].decode()
    assert finisher.returncode == 0, output[-2000:]
    job.refresh_from_db()
    assert job.status == JobStatus.FINISHED and job.attempts == 2
    assert set(job.pages.values_list("outcome", flat=True)) == {"created"}
    assert RawDocument.objects.count() == Article.objects.count() == 24


# Who ran an import.


@pytest.mark.django_db
def test_a_command_line_import_without_user_is_recorded_with_the_os_account(
    reference_data: None, tmp_path: Any
) -> None:
    import getpass

    name, data = seed(0)
    (tmp_path / name).write_bytes(data)
    call_command("import_pages", str(tmp_path), stdout=io.StringIO(), stderr=io.StringIO())
    job = ImportJob.objects.get()
    expected = f"import_pages (command line, OS user {getpass.getuser()})"
    assert (job.started_by, job.started_by_name, job.via) == (None, expected, "command line")
    page = job.pages.get()
    assert (page.outcome, page.raw_document.import_report["imported_by"]) == ("created", expected)


@pytest.mark.django_db
def test_a_command_line_import_with_user_names_the_user_and_a_dry_run_records_nothing(
    reference_data: None, tmp_path: Any
) -> None:
    user = role_user("Editors", "desk")
    name, data = seed(0)
    (tmp_path / name).write_bytes(data)
    out = {"stdout": io.StringIO(), "stderr": io.StringIO()}
    call_command("import_pages", "--dry-run", str(tmp_path), **out)
    assert ImportJob.objects.count() == 0
    call_command("import_pages", "--user", "desk", str(tmp_path), **out)
    job = ImportJob.objects.get()
    assert (job.started_by, job.started_by_name) == (user, "desk")
