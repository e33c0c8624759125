"""Import pages in several processes: `import_paths(..., jobs=N)`, `import_pages --jobs N`.

The pages are dealt out in shares of `SHARE_PAGES` to N worker processes, forked from this one
once the reference has been read (each worker has it without a query) and every database
connection closed (each worker opens its own). A worker imports its share as one process does
(`store.import_entries`: several pages to a transaction, a failure redone page by page), and
the results come back, page by page, in the order of the pages.

Pages with the same file name go to the same share, in their order, so a changed page is still
stored after the page it changes. Two files with the same bytes may be read by two workers at
once: the first to commit stores the page and the other reports it unchanged (the unique
SHA-256 of RawDocument), though which of the two that is may differ from one run to the next.

Forking needs a database server every worker can reach on its own: PostgreSQL, not SQLite.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections

from articles.importer.reader import read_page
from articles.importer.reference import Reference, load_reference
from articles.importer.store import PageResult, import_entries
from articles.models import RawDocument
from articles.services.audit import NamedActor
from newsroom.routers import pinned_to_primary

# Pages a worker is handed at a time: a few transactions' worth (`store.BATCH_PAGES`).
SHARE_PAGES = 60
# What the forked workers need and cannot be sent (or need not be, being forked): set once.
_run: dict[str, Any] = {}
# Connections a worker inherited, kept (never used, never closed) so that no finalizer ends the
# parent's session through the shared socket.
_inherited: list[Any] = []

Entry = tuple[Path, str]


class ParallelImportRefused(Exception):
    """Pages cannot be imported in several processes here (the message says why)."""


def import_in_parallel(
    entries: list[Entry],
    *,
    jobs: int,
    actor: NamedActor | None,
    dry_run: bool,
    progress: Callable[[int, int, str], None] | None,
) -> list[PageResult]:
    """The results of `entries` (from `store.expand_paths`), in their order, one each,
    imported by `jobs` worker processes.

    A worker that stops (killed, out of memory) breaks the pool: the shares not finished are
    handed to a new pool once (pages their first worker stored are found stored and reported
    unchanged). A share whose worker fails, or that breaks a pool twice, has each page without
    a result looked up by its bytes: stored, or failed with what went wrong."""
    if jobs > max_jobs():
        raise ParallelImportRefused(
            f"more than this machine can use: at most {max_jobs()} (twice "
            "its CPUs), each job holding a database connection"
        )
    if connection.vendor == "sqlite":
        raise ParallelImportRefused(
            "importing in several processes needs PostgreSQL: SQLite takes one writer at a "
            "time (import with one job)"
        )
    if "fork" not in multiprocessing.get_all_start_methods():
        raise ParallelImportRefused("importing in several processes needs fork (Linux, macOS)")
    _run.update(reference=load_reference(), actor=actor, dry_run=dry_run)
    shares = deal(entries)
    results: list[PageResult | None] = [None] * len(entries)
    trouble: dict[int, str] = {}
    try:
        pending = list(range(len(shares)))
        for _ in range(2):
            pending = _pool(shares, pending, jobs, results, trouble, progress)
            if not pending:
                break
    finally:
        _run.clear()
    for k, reason in trouble.items():
        for index, path, _ in shares[k]:
            if results[index] is None:
                results[index] = _after_trouble(path, reason)
    missing = [entries[index][0] for index, result in enumerate(results) if result is None]
    assert not missing, f"no result for {missing}"
    return [result for result in results if result is not None]


def max_jobs() -> int:
    return 2 * (os.cpu_count() or 1)


def _pool(
    shares: list[list[tuple[int, Path, str]]],
    pending: list[int],
    jobs: int,
    results: list[PageResult | None],
    trouble: dict[int, str],
    progress: Callable[[int, int, str], None] | None,
) -> list[int]:
    """Import the `pending` shares in a new pool of workers; the shares left unfinished when a
    worker stopped (none when none did). What went wrong with a share is kept in `trouble`."""
    connections.close_all()  # each worker opens its own; none may share this one's socket
    finished: set[int] = set()
    total = len(results)
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(pending)),
        mp_context=multiprocessing.get_context("fork"),
        initializer=_start_worker,
    ) as pool:
        futures = {pool.submit(import_share, shares[k]): k for k in pending}
        try:
            for future in as_completed(futures):
                k = futures[future]
                try:
                    for index, result in future.result():
                        results[index] = result
                    trouble.pop(k, None)  # a share redone after a stopped worker, done now
                except BrokenProcessPool:
                    raise
                except Exception as error:  # the worker's database gone, say
                    trouble[k] = f"its worker failed ({type(error).__name__}: {error})"
                finished.add(k)
                if progress:
                    progress(sum(r is not None for r in results), total, str(shares[k][-1][1]))
        except BrokenProcessPool as error:
            for future in futures:
                future.cancel()
            left = [k for k in pending if k not in finished]
            for k in left:
                trouble[k] = f"its worker process stopped ({error})"
            return left
    return []


def _after_trouble(path: Path, reason: str) -> PageResult:
    """A page whose worker gave no result: stored (found by its bytes), or failed."""
    try:
        page = read_page(path, max_bytes=settings.NEWSROOM_IMPORT_MAX_BYTES)
    except Exception as error:  # unreadable now: it was not stored from what is there
        return PageResult(
            file_name=str(path),
            outcome="failed",
            reason=f"{reason}; the page cannot be read again ({type(error).__name__}: {error})",
        )
    stored = RawDocument.objects.filter(sha256=page.sha256).only("pk", "file_name").first()
    if stored is not None:
        return PageResult(
            file_name=page.file_name,
            outcome="unchanged",
            reason=f"stored as {stored.file_name} (found after {reason})",
            raw_document_id=stored.pk,
        )
    return PageResult(
        file_name=page.file_name,
        outcome="failed",
        reason=f"{reason}; nothing of this page was saved: import it again",
    )


def deal(entries: list[Entry]) -> list[list[tuple[int, Path, str]]]:
    """The entries, numbered, in shares of about `SHARE_PAGES`; every page of one file name in
    the share of the first, in order."""
    shares: list[list[tuple[int, Path, str]]] = []
    by_name: dict[str, int] = {}
    for index, (path, problem) in enumerate(entries):
        name = path.name
        if name in by_name:
            shares[by_name[name]].append((index, path, problem))
            continue
        if not shares or len(shares[-1]) >= SHARE_PAGES:
            shares.append([])
        by_name[name] = len(shares) - 1
        shares[-1].append((index, path, problem))
    return shares


def _start_worker() -> None:
    """In a new worker: forget any connection inherited from the parent without closing it
    (closing would end the parent's session); the worker opens its own."""
    for alias in connections:
        wrapper = connections[alias]
        if wrapper.connection is not None:
            _inherited.append(wrapper.connection)
            wrapper.connection = None


def import_share(share: list[tuple[int, Path, str]]) -> list[tuple[int, PageResult]]:
    """In a worker: import a share of the pages, one process's way; (index, result) each."""
    reference: Reference = _run["reference"]
    with pinned_to_primary():
        results = import_entries(
            [(path, problem) for _, path, problem in share],
            actor=_run["actor"],
            reference=reference,
            dry_run=_run["dry_run"],
        )
    return [(index, result) for (index, _, _), result in zip(share, results, strict=True)]


__all__ = ["ParallelImportRefused", "deal", "import_in_parallel", "import_share"]
