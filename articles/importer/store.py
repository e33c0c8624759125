"""Import raw pages: nothing lost, nothing overwritten, a failure confined to its page.

`import_page` stores one decoded page: the RawDocument (exact text, SHA-256 of the bytes, import
report), a draft Article, the reader comments as pending Comments and the suggested coverage
links. An HTML page is read into the same classified lines by `html` and stored the same way;
its RawDocument keeps the HTML. `import_paths` reads files and folders and stores their pages
several to a transaction (`BATCH_PAGES`); when anything in a batch fails, the batch is rolled
back and each of its pages stored again in a transaction of its own, so a page that fails
leaves nothing behind and the others still import.

Re-importing identical bytes changes nothing. A changed page under a known file name becomes a
new RawDocument of the same article; the article is flagged (`source_changed`) and its fields
stay as the editor left them. New comments and new suggestions found on the changed page are
added; existing links, whatever their status (a rejected suggestion included), are never touched.

What an import changes goes through the services' building blocks, as every desk change does:
the audit row (`record_audit`, for a user), the version bump (`bump_version`) and, once committed,
the moderation queue's cached counts (`count_arrivals`) when pending comments arrive.
"""

from __future__ import annotations

import logging
import os
import re
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE
from django.db import DatabaseError, IntegrityError, transaction
from django.utils.text import slugify

from articles.importer.analysis import analyse
from articles.importer.dates import find_date
from articles.importer.html import segment_html
from articles.importer.limits import clean_draft, comment_fields
from articles.importer.metadata import ArticleDraft
from articles.importer.reader import SYMLINK_REFUSED, Page, PageRefused, read_page
from articles.importer.reference import Reference, load_reference
from articles.importer.report import differences, import_report
from articles.importer.segmenter import Segmentation, segment
from articles.importer.suggest import Suggestions
from articles.models import LINK_KINDS, Article, Comment, RawDocument
from articles.services.audit import NamedActor, record_audit
from articles.services.history import bump_version
from articles.services.queue_counts import count_arrivals
from articles.signals import article_was_changed
from newsroom.routers import pinned_to_primary

logger = logging.getLogger(__name__)

# Comment UUIDs derive from the page's SHA-256 and the comment's position, so a re-import
# finds the same comments and the desk's fixture can name them.
COMMENT_NAMESPACE = uuid.UUID("6f1f3c1e-5d0a-4b7e-9a57-2d4c0e8b7a11")
# Pages stored in one transaction by `import_paths` (a failure redoes them one by one).
BATCH_PAGES = 20
# Tries to store one page when another process takes its slug meanwhile. Workers choosing a
# slug from one base wait for each other (`unique_slugs(hold=True)`); this is for bases that
# overlap ("report" and "report-2") and for SQLite.
STORE_ATTEMPTS = 10
PAGE_SUFFIXES = (".txt", ".html", ".htm")
FOLLOW = "links are not followed: import what it points to by its own path"


@dataclass
class PageResult:
    """What happened to one page; `reason` says why when it failed."""

    file_name: str
    outcome: str  # "created", "changed", "unchanged" or "failed"
    reason: str = ""
    raw_document_id: int | None = None
    article_slug: str = ""
    comments: int = 0
    links: dict[str, int] = field(default_factory=dict)
    needs_review: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ImportRun:
    results: list[PageResult]
    dry_run: bool = False

    @property
    def failed(self) -> list[PageResult]:
        return [result for result in self.results if result.outcome == "failed"]

    def counts(self) -> dict[str, int]:
        counted = Counter(result.outcome for result in self.results)
        return {key: counted.get(key, 0) for key in ("created", "changed", "unchanged", "failed")}

    def as_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "pages": len(self.results),
            "counts": self.counts(),
            "results": [result.as_dict() for result in self.results],
        }


def comment_uuid(sha256: str, position: int) -> uuid.UUID:
    return uuid.uuid5(COMMENT_NAMESPACE, f"{sha256}:{position}")


def import_paths(
    paths: Iterable[str | Path],
    *,
    actor: NamedActor | None = None,
    dry_run: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
    jobs: int = 1,
) -> ImportRun:
    """Import every page under `paths` (files, or folders of .txt and .html pages); a page that
    fails leaves nothing behind and the others still import. `actor` is recorded as the
    importer of each page (in its import report, and, for a user, in an audit row on the
    article); without one, neither names anyone.

    The reference is read once. Pages are stored several to a transaction (`BATCH_PAGES`); when
    anything in one fails, that transaction is rolled back and each of its pages is stored again
    in a transaction of its own, so the failure stays with its page. A dry run stores each page
    in its own transaction and rolls it back. With `jobs` > 1 the pages are shared among that
    many worker processes (`parallel`); the results come back in the order of the pages."""
    entries = expand_paths(paths)
    if jobs > 1 and len(entries) > 1:
        from articles.importer.parallel import import_in_parallel

        results = import_in_parallel(
            entries, jobs=jobs, actor=actor, dry_run=dry_run, progress=progress
        )
        return ImportRun(results=results, dry_run=dry_run)
    with pinned_to_primary():  # what a batch stores, the next must see (as each worker does)
        results = import_entries(
            entries, actor=actor, reference=load_reference(), dry_run=dry_run, progress=progress
        )
    return ImportRun(results=results, dry_run=dry_run)


def import_entries(
    entries: list[tuple[Path, str]],
    *,
    actor: NamedActor | None,
    reference: Reference,
    dry_run: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
) -> list[PageResult]:
    """The results of `entries` (from `expand_paths`), in their order, one each. `progress`
    hears of each page before it is read."""
    max_bytes = settings.NEWSROOM_IMPORT_MAX_BYTES
    total = len(entries)
    results: list[PageResult | None] = []
    batch = _Batch()

    def flush() -> None:
        try:
            settled = batch.store(actor=actor, reference=reference)
        except Exception as error:  # the database gone, say: these pages fail, the run goes on
            settled = [(slot, _failure(path, error)) for slot, path, _ in batch.pages]
        for slot, result in settled:
            results[slot] = result
        batch.clear()

    for index, (path, problem) in enumerate(entries):
        if progress:
            progress(index, total, str(path))
        if problem:
            results.append(PageResult(file_name=str(path), outcome="failed", reason=problem))
        elif dry_run:
            results.append(_import_file(path, max_bytes, actor, reference, dry_run=True))
        else:
            page = _read(path, max_bytes)
            if isinstance(page, PageResult):
                results.append(page)
            else:
                if batch.clashes_with(page):
                    flush()
                results.append(None)
                batch.add(len(results) - 1, path, page)
                if len(batch.pages) >= BATCH_PAGES:
                    flush()
    flush()
    if progress:
        progress(total, total, "")
    missing = [entries[slot][0] for slot, result in enumerate(results) if result is None]
    assert not missing, f"no result for {missing}"
    return [result for result in results if result is not None]


def _failure(path: Path | str, error: Exception) -> PageResult:
    logger.exception("import of %s failed", path)
    return PageResult(
        file_name=str(path),
        outcome="failed",
        reason=f"could not be imported, nothing was saved ({type(error).__name__}: "
        f"{str(error)[:200]})",
    )


def _read(path: Path, max_bytes: int) -> Page | PageResult:
    try:
        return read_page(path, max_bytes=max_bytes)
    except PageRefused as refusal:
        return PageResult(file_name=str(path), outcome="failed", reason=str(refusal))
    except Exception as error:  # one page's surprise must not abort the other pages
        return _failure(path, error)


def _import_file(
    path: Path, max_bytes: int, actor: NamedActor | None, reference: Reference, *, dry_run: bool
) -> PageResult:
    """One page on its own: read, then `import_page` (its own transaction)."""
    page = _read(path, max_bytes)
    if isinstance(page, PageResult):
        return page
    try:
        return import_page(page, actor=actor, reference=reference, dry_run=dry_run)
    except Exception as error:  # one page's surprise must not abort the other pages
        return _failure(path, error)


class _Batch:
    """Pages read and waiting to be stored together: `store` looks up which are stored already
    (one query), segments the others and stores them in one transaction; if anything fails
    there, each is stored again on its own (`import_page`). Two pages with the same bytes or
    the same file name never share a batch (`clashes_with`): the later one must see the
    earlier one stored, as it would one page at a time."""

    def __init__(self) -> None:
        self.pages: list[tuple[int, Path, Page]] = []
        self._keys: set[str] = set()

    def clashes_with(self, page: Page) -> bool:
        return page.sha256 in self._keys or "name:" + page.file_name in self._keys

    def add(self, slot: int, path: Path, page: Page) -> None:
        self.pages.append((slot, path, page))
        self._keys.update((page.sha256, "name:" + page.file_name))

    def clear(self) -> None:
        self.pages, self._keys = [], set()

    def store(
        self, *, actor: NamedActor | None, reference: Reference
    ) -> list[tuple[int, PageResult]]:
        if not self.pages:
            return []
        settled: list[tuple[int, PageResult]] = []
        stored = {
            raw.sha256: raw
            for raw in RawDocument.objects.filter(sha256__in=[p.sha256 for _, _, p in self.pages])
            .select_related("article")
            .only("pk", "sha256", "file_name", "received_at", "article__slug")
        }
        todo: list[tuple[int, Path, Page, Segmentation]] = []
        for slot, path, page in self.pages:
            existing = stored.get(page.sha256)
            if existing is not None:
                settled.append((slot, _unchanged(page, existing)))
                continue
            try:
                seg = _segmented(page, reference)
            except Exception as error:  # one page's surprise must not abort the other pages
                settled.append((slot, _failure(path, error)))
                continue
            if isinstance(seg, PageResult):
                settled.append((slot, seg))
            else:
                todo.append((slot, path, page, seg))
        if len(todo) > 1:
            try:
                with transaction.atomic():
                    settled += _store_batch(todo, actor=actor, reference=reference)
                todo = []
            except Exception:  # stored again one by one below, so the failure finds its page
                logger.warning(
                    "a batch of %d pages failed; storing them one by one", len(todo), exc_info=True
                )
        for slot, path, page, seg in todo:
            try:
                result = import_page(page, actor=actor, reference=reference, segmentation=seg)
            except Exception as error:  # one page's surprise must not abort the other pages
                result = _failure(path, error)
            settled.append((slot, result))
        return settled


def expand_paths(paths: Iterable[str | Path]) -> list[tuple[Path, str]]:
    """Files as given and the pages (.txt, .html, .htm) under each folder (sorted, hidden ones
    skipped), each with the reason it is refused ("" when it is to be read).

    Links are never followed: a link named on the command line or found in a folder is listed
    as refused (`reader.read_page` refuses it too, and anything else that is not a regular
    file), and a folder's links to other folders are not entered, so nothing outside the
    named paths is read."""
    entries: list[tuple[Path, str]] = []
    for raw in paths:
        path = Path(raw)
        if path.is_symlink():
            entries.append((path, SYMLINK_REFUSED))
        elif path.is_dir():
            found = _pages_under(path)
            if not found:
                entries.append((path, "is a folder with no .txt pages in it (nor .html or .htm)"))
            entries += found
        elif not path.exists():
            entries.append((path, "no such file or folder"))
        else:
            entries.append((path, ""))
    return entries


def _pages_under(folder: Path) -> list[tuple[Path, str]]:
    found: list[tuple[Path, str]] = []
    root = os.path.realpath(folder)
    for directory, folders, files in os.walk(folder, followlinks=False):
        folders[:] = [name for name in folders if not name.startswith(".")]
        for name in folders:
            if (Path(directory) / name).is_symlink():
                found.append((Path(directory) / name, "is a symbolic link to a folder; " + FOLLOW))
        for name in files:
            path = Path(directory) / name
            if name.startswith(".") or path.suffix.lower() not in PAGE_SUFFIXES:
                continue
            inside = os.path.commonpath([root, os.path.realpath(path.parent)]) == root
            found.append((path, "" if inside else f"is outside {folder}; {FOLLOW}"))
    return sorted(found)


def import_page(
    page: Page,
    *,
    actor: NamedActor | None = None,
    reference: Reference | None = None,
    dry_run: bool = False,
    segmentation: Segmentation | None = None,
) -> PageResult:
    """Import one decoded page in one transaction; a failure leaves nothing behind.
    `segmentation`: the page's, when it has been segmented already."""
    existing = (
        RawDocument.objects.filter(sha256=page.sha256)
        .select_related("article")
        .only("pk", "file_name", "received_at", "article__slug")
        .first()
    )
    if existing is not None:
        return _unchanged(page, existing)
    reference = reference if reference is not None else load_reference()
    seg = segmentation if segmentation is not None else _segmented(page, reference)
    if isinstance(seg, PageResult):
        return seg
    for attempt in range(1, STORE_ATTEMPTS + 1):
        try:
            with transaction.atomic():
                result = _store(page, seg, actor=actor, reference=reference)
                if dry_run:
                    transaction.set_rollback(True)
            return result
        except IntegrityError as error:
            # Another run stored the same page (or took the slug) meanwhile: look again.
            clash = RawDocument.objects.filter(sha256=page.sha256).only("pk", "file_name").first()
            if clash is not None:
                return PageResult(
                    file_name=page.file_name,
                    outcome="unchanged",
                    reason=f"imported meanwhile as {clash.file_name}",
                    raw_document_id=clash.pk,
                )
            failure: DatabaseError = error
            if attempt < STORE_ATTEMPTS:
                continue  # the slug, taken meanwhile: the next try picks the next free one
        except DatabaseError as error:
            failure = error
        break
    return PageResult(
        file_name=page.file_name,
        outcome="failed",
        reason=f"could not be stored, nothing was saved ({type(failure).__name__}: {failure})",
    )


def _segmented(page: Page, reference: Reference) -> Segmentation | PageResult:
    """The page's segmentation, or its failed result when its markup holds no article."""
    try:
        return segment_page(page, reference)
    except PageRefused as refusal:
        return PageResult(file_name=page.file_name, outcome="failed", reason=str(refusal))


def _unchanged(page: Page, existing: RawDocument) -> PageResult:
    return PageResult(
        file_name=page.file_name,
        outcome="unchanged",
        reason=f"identical to {existing.file_name}, imported {existing.received_at:%Y-%m-%d %H:%M}",
        raw_document_id=existing.pk,
        article_slug=existing.article.slug if existing.article else "",
    )


def _store_batch(
    todo: list[tuple[int, Path, Page, Segmentation]],
    *,
    actor: NamedActor | None,
    reference: Reference,
) -> list[tuple[int, PageResult]]:
    """Store several pages (distinct bytes and file names, none stored yet) inside the
    caller's transaction: a page under a file name already imported goes through `_store` (a
    changed page); the new ones together, a few statements for all of them (`_store_new`)."""
    names = [page.file_name for _, _, page, _ in todo]
    known = set(
        RawDocument.objects.filter(file_name__in=names, article__isnull=False).values_list(
            "file_name", flat=True
        )
    )
    settled: list[tuple[int, PageResult]] = []
    new: list[tuple[int, Page, Segmentation]] = []
    for slot, _, page, seg in todo:
        if page.file_name in known:
            settled.append((slot, _store(page, seg, actor=actor, reference=reference)))
        else:
            new.append((slot, page, seg))
    return settled + _store_new(new, actor=actor, reference=reference)


def _store_new(
    pages: list[tuple[int, Page, Segmentation]],
    *,
    actor: NamedActor | None,
    reference: Reference,
) -> list[tuple[int, PageResult]]:
    """New pages (no article has their file name) stored as `_store` stores one, inside the
    caller's transaction, but each table written once for all of them: the slugs looked up in
    one query, then one INSERT each for the articles, the raw documents, the comments and each
    kind of link (and an UPDATE for comments quoting comments)."""
    if not pages:
        return []
    analyses = [(page, seg, analyse(seg, reference)) for _, page, seg in pages]
    drafts = [clean_draft(analysis.draft) for _, _, analysis in analyses]
    articles = [
        _article(draft, page, slug)
        for (page, _, _), draft, slug in zip(
            analyses,
            drafts,
            Article.objects.unique_slugs(
                [_slug_base(d, p.file_name) for (p, _, _), d in zip(analyses, drafts, strict=True)],
                hold=True,
            ),
            strict=True,
        )
    ]
    Article.objects.bulk_create(articles)
    raws: list[RawDocument] = []
    comments: list[Comment] = []
    links: dict[str, list[Any]] = {}
    counted: list[tuple[int, list[Comment], dict[str, int]]] = []
    for (page, seg, analysis), draft, article in zip(analyses, drafts, articles, strict=True):
        raw = _raw_document(page, article)
        new_comments, dropped = _comment_rows(seg, article, raw, changed=False)
        rows = _link_rows(analysis.suggestions, article, changed=False)
        count = {kind: len(kind_rows) for kind, kind_rows in rows.items()}
        raw.import_report = _report(
            page, seg, draft, analysis.suggestions, "created", actor, new_comments, count, dropped
        )
        raws.append(raw)
        comments += new_comments
        for kind, kind_rows in rows.items():
            links.setdefault(kind, []).extend(kind_rows)
        counted.append((article.pk, new_comments, count))
    RawDocument.objects.bulk_create(raws)
    _insert_comments(comments)
    for kind, kind_rows in links.items():
        LINK_KINDS[kind].model.objects.bulk_create(kind_rows)
    results = []
    for (slot, page, _), draft, article, raw, (_, new_comments, count) in zip(
        pages, drafts, articles, raws, counted, strict=True
    ):
        results.append(
            (
                slot,
                _stored(
                    page,
                    article,
                    raw,
                    actor,
                    "created",
                    len(new_comments),
                    count,
                    draft.needs_review,
                ),
            )
        )
    return results


def segment_page(page: Page, reference: Reference) -> Segmentation:
    """The page's lines, classified: an HTML page through its markup (`html`), a text page by
    the segmenter. PageRefused when an HTML page has no article text."""
    if page.markup == "html":
        return segment_html(page.text, source_names=reference.source_names())
    return segment(page.text, source_names=reference.source_names())


def _store(
    page: Page, seg: Segmentation, *, actor: NamedActor | None, reference: Reference
) -> PageResult:
    analysis = analyse(seg, reference)
    draft, found = clean_draft(analysis.draft), analysis.suggestions
    previous = (
        RawDocument.objects.filter(file_name=page.file_name, article__isnull=False)
        .select_related("article")
        .defer("text", "import_report")
        .order_by("-received_at", "-id")
        .first()
    )
    if previous is not None and previous.article is not None:
        article, outcome = previous.article, "changed"
    else:
        previous, article, outcome = None, _create_article(draft, page), "created"
    raw = _raw_document(page, article)
    # The comments and links are counted before anything is written, so that the raw row is
    # written once, with its report.
    new_comments, dropped = _comment_rows(seg, article, raw, changed=previous is not None)
    links = _create_links(found, article, changed=previous is not None)
    comments = len(new_comments)
    report = _report(page, seg, draft, found, outcome, actor, new_comments, links, dropped)
    if previous is not None:
        report["changes"] = differences(article, draft)
        # Under the row lock an editor's save cannot slip in between reading and bumping.
        current = Article.objects.select_for_update().only("pk", "version").get(pk=article.pk)
        bump_version(current, current.version, source_changed=True)
    raw.import_report = report
    raw.save(force_insert=True)
    _insert_comments(new_comments)
    return _stored(
        page,
        article,
        raw,
        actor,
        outcome,
        comments,
        links,
        list(article.needs_review) if previous else draft.needs_review,
        changed=previous is not None,
    )


def _raw_document(page: Page, article: Article) -> RawDocument:
    """The page's raw row (unsaved, its report still to come)."""
    return RawDocument(
        file_name=page.file_name,
        sha256=page.sha256,
        text=page.text,
        encoding=page.encoding,
        size_bytes=len(page.data),
        article=article,
    )


def _report(
    page: Page,
    seg: Segmentation,
    draft: ArticleDraft,
    found: Suggestions,
    outcome: str,
    actor: NamedActor | None,
    comments: list[Comment],
    links: dict[str, int],
    dropped: list[str],
) -> dict[str, Any]:
    """The import report of a page, as its raw row keeps it."""
    report = import_report(page, seg, draft, found, outcome, actor, len(comments), links)
    report["notes"] += dropped
    if page.markup == "html":
        report["markup"] = "html"  # line numbers count the lines read out of the HTML:
        report["extracted_text"] = seg.reconstruct()
    return report


def _stored(
    page: Page,
    article: Article,
    raw: RawDocument,
    actor: NamedActor | None,
    outcome: str,
    comments: int,
    links: dict[str, int],
    needs_review: list[str],
    *,
    changed: bool = False,
) -> PageResult:
    """What follows a page's rows: the queue's counts and the domain signal once committed,
    the audit row (a user's import), and the page's result."""
    if comments:
        # The moderation queue's cached counts must include the new pending comments.
        transaction.on_commit(
            partial(count_arrivals, article_id=article.pk, pending=comments), robust=True
        )
    if actor is not None and actor.pk is not None:  # a system actor has no user to name
        record_audit(
            actor,
            article,
            f"Imported {page.file_name} ({outcome}).",
            flag=CHANGE if changed else ADDITION,
        )
    article_was_changed(article.pk, f"imported ({outcome})")
    return PageResult(
        file_name=page.file_name,
        outcome=outcome,
        raw_document_id=raw.pk,
        article_slug=article.slug,
        comments=comments,
        links=links,
        needs_review=needs_review,
    )


def _slug_base(draft: ArticleDraft, file_name: str) -> str:
    base = slugify(draft.headline)[:80].strip("-") if draft.headline else ""
    if not base:
        stem = slugify(Path(file_name).stem.replace("_", "-"))
        stem = re.sub(r"[0-9a-f]{9,}", lambda match: match.group(0)[:8], stem)
        base = f"page-{stem}"[:80].strip("-")
    return base


def _create_article(draft: ArticleDraft, page: Page) -> Article:
    slug = Article.objects.unique_slugs([_slug_base(draft, page.file_name)], hold=True)[0]
    article = _article(draft, page, slug)
    article.save(force_insert=True)
    return article


def _article(draft: ArticleDraft, page: Page, slug: str) -> Article:
    return Article(
        headline=draft.headline,
        slug=slug,
        dek=draft.dek,
        body=draft.body,
        byline=draft.byline,
        dateline=draft.dateline,
        published_at=draft.published.to_aware() if draft.published else None,
        published_time_known=bool(draft.published and draft.published.has_time),
        outlet_id=draft.outlet.id if draft.outlet else None,
        wire_id=draft.wire.id if draft.wire else None,
        photo_caption=draft.photo_caption,
        photo_credit=draft.photo_credit,
        copyright_line=draft.copyright_line,
        language=draft.language,
        status=Article.Status.DRAFT,
        needs_review=draft.needs_review,
    )


def _comment_rows(
    seg: Segmentation, article: Article, raw: RawDocument, *, changed: bool
) -> tuple[list[Comment], list[str]]:
    """The pending imported comments to create (unsaved); on a changed page, only those the
    article does not have yet. Also notes on what had to be left out (`limits`). Each comment's
    `quotes_comment` is set when it quotes one of the page's comments (new, or kept)."""
    known: dict[tuple[str, str], Comment] = {}
    if changed:
        known = {
            (c.author_handle, c.body): c
            for c in Comment.objects.filter(article=article, origin=Comment.Origin.IMPORTED)
        }
    by_position: dict[int, Comment] = {}
    new: list[Comment] = []
    notes: list[str] = []
    for block in seg.comments:
        fields = comment_fields(block)
        if not fields.body.strip():
            notes.append(f"comment {block.position}: only control characters; not stored")
            continue
        match = known.get((fields.author_handle, fields.body))
        if match is not None:
            by_position[block.position] = match
            continue
        notes += fields.notes
        # Only a label with a full date, a time and a zone is an instant ("Today 06:39 pm JST"
        # depends on the day the page was viewed, which the page does not say).
        stated = find_date(block.posted_label) if block.posted_label else None
        comment = Comment(
            uuid=comment_uuid(raw.sha256, block.position),
            article=article,
            raw_document=raw,
            position=block.position,
            author_handle=fields.author_handle,
            body=fields.body,
            posted_label=fields.posted_label,
            posted_at=stated.to_aware() if stated and stated.has_time else None,
            origin=Comment.Origin.IMPORTED,
            status=Comment.Status.PENDING,
            **fields.tally,
            quoted_text=fields.quoted_text,
            quotes_headline=block.quotes == "headline",
        )
        by_position[block.position] = comment
        new.append(comment)
    fresh = {id(comment) for comment in new}
    for block in seg.comments:
        stored = by_position.get(block.position)
        if stored is None or id(stored) not in fresh:  # left out (`limits`), or kept
            continue
        if block.quotes_position and block.quotes_position in by_position:
            stored.quotes_comment = by_position[block.quotes_position]
    return new, notes


def _insert_comments(new: list[Comment]) -> None:
    """Write `_comment_rows`' comments (the raw document saved): one INSERT, then one UPDATE
    for those quoting another new comment (its id is known only once inserted)."""
    if not new:
        return
    quoting = {
        id(comment): comment.quotes_comment
        for comment in new
        if comment.quotes_comment is not None and comment.quotes_comment.pk is None
    }
    for comment in new:
        if id(comment) in quoting:
            comment.quotes_comment = None
    Comment.objects.bulk_create(new)
    if any(comment.pk is None for comment in new):
        pks = dict(Comment.objects.filter(uuid__in=[c.uuid for c in new]).values_list("uuid", "pk"))
        for comment in new:
            comment.pk = pks[comment.uuid]
    later = []
    for comment in new:
        if id(comment) in quoting:
            comment.quotes_comment = quoting[id(comment)]
            later.append(comment)
    if later:
        Comment.objects.bulk_update(later, ["quotes_comment"])


def _create_links(found: Suggestions, article: Article, *, changed: bool) -> dict[str, int]:
    """Suggested links; a target the article already links to (in any status) is skipped."""
    created: dict[str, int] = {}
    for kind, rows in _link_rows(found, article, changed=changed).items():
        LINK_KINDS[kind].model.objects.bulk_create(rows)
        created[kind] = len(rows)
    return created


def _link_rows(found: Suggestions, article: Article, *, changed: bool) -> dict[str, list[Any]]:
    """The suggested links to create (unsaved), by kind; a target the article already links to
    (in any status) is skipped. Only kinds with suggestions are named."""
    rows_of: dict[str, list[Any]] = {}
    for kind, link_kind in LINK_KINDS.items():
        model, field_name = link_kind.model, link_kind.target_column
        items = found.of(kind)
        if not items:
            continue
        existing: set[int] = set()
        if changed:
            existing = set(model.objects.filter(article=article).values_list(field_name, flat=True))
        rows_of[kind] = [
            model(
                article=article,
                origin=model.Origin.SUGGESTED,
                status=model.Status.SUGGESTED,
                evidence=item.evidence,
                basis=item.basis,
                reason=item.via[:300],
                matched=list(item.terms),
                **{field_name: item.target_id},
            )
            for item in items
            if item.target_id not in existing
        ]
    return rows_of
