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
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from django.db import connection, connections

from articles.importer.reference import Reference, load_reference
from articles.importer.store import PageResult, import_entries
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
    """The results of `entries` (from `store.expand_paths`), in their order, imported by
    `jobs` worker processes."""
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
    done = 0
    connections.close_all()  # each worker opens its own; none may share this one's socket
    try:
        with ProcessPoolExecutor(
            max_workers=min(jobs, len(shares)),
            mp_context=multiprocessing.get_context("fork"),
            initializer=_start_worker,
        ) as pool:
            futures = {pool.submit(import_share, share): share for share in shares}
            try:
                for future in as_completed(futures):
                    for index, result in future.result():
                        results[index] = result
                    done += len(futures[future])
                    if progress:
                        progress(done, len(entries), str(futures[future][-1][1]))
            except BrokenProcessPool as error:
                for future in futures:
                    future.cancel()
                stopped = (
                    f"its worker process stopped ({error}); it may have been stored: "
                    "import it again to see"
                )
                for index, (path, _) in enumerate(entries):
                    if results[index] is None:
                        results[index] = PageResult(
                            file_name=str(path), outcome="failed", reason=stopped
                        )
    finally:
        _run.clear()
    return [result for result in results if result is not None]


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
