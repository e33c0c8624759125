#!/usr/bin/env python3
"""Benchmark: `import_pages` throughput on PostgreSQL, pages of 2-10 KB, beside two anchors.

    DATABASE_URL=postgres://root@127.0.0.1:5432/test .venv/bin/python benchmarks/import_pages.py
    ... benchmarks/import_pages.py --sizes 1000           # one size only
    ... benchmarks/import_pages.py --quick                # 100 pages, for CI

DATABASE_URL names the PostgreSQL server; the benchmark creates its own database (named after
its process, never the one in the URL), migrates it, loads fixtures/reference/*.json, and drops
it at the end.

The pages are generated, deterministically (--seed), as .txt files in a temporary folder, from
real page text: each starts from one of the five pages in seeds/ (whole pages, with their
mastheads, comments and tallies) or one of the labelled real pages of
benchmarks/corpora/tariff/pages/ that has a headline (English and Japanese). Its headline line
becomes "Report <n>: <headline>" (so every page is distinct, with a slug of its own), and the
reporting paragraphs of other real pages in the same language (lines labelled `reporting` in
the corpus's labels, whole pages in turn) are inserted after its story's last paragraph until
it reaches a size drawn uniformly from 2-10 KB (UTF-8 bytes). Where the story ends is read
from the corpus labels, and for a seed from one segmentation of it before anything is timed.

Each timed run is a child process of its own (so its peak RSS is its own), started on an empty
set of imported tables, importing a folder of N pages:

- `import_paths`: what `manage.py import_pages FOLDER` runs (the same function, the reference
  loaded once, each page segmented, analysed and stored with its article, comments, links and
  report); with --jobs 2 as well (N worker processes; their CPU and peak RSS are added in);
- anchor "raw rows only": each page read, decoded and hashed as the importer does
  (`reader.read_page`) and its RawDocument row inserted, nothing else: the floor of storing
  pages one by one;
- anchor "segment + analyse only": each page read, segmented and analysed against the same
  reference (`store.segment_page`, `analysis.analyse`), nothing stored: where the CPU goes.

For each it reports wall seconds, CPU seconds (time.process_time, and the workers' own for
--jobs), pages per wall second and per CPU second, and peak RSS; for `import_paths` also the
queries per page (counted on a separate small batch with CaptureQueriesContext) and the
linearity: pages/s at the largest size over pages/s at the smallest. The machine is shared:
pages per CPU second and the ratios within one run travel, wall seconds do not.

It prints one table and, last, one JSON line (goals: >= 250 pages/s per CPU second in one
process at every size, linear within 20% from the smallest size to the largest, peak RSS <=
300 MB). It exits non-zero when a run fails or a page fails to import.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.server import maintenance  # noqa: E402

SEEDS = ROOT / "seeds"
CORPUS = ROOT / "benchmarks" / "corpora" / "tariff"
MIN_BYTES, MAX_BYTES = 2 * 1024, 10 * 1024
GOAL_PAGES_PER_SECOND, GOAL_RSS_MB, GOAL_LINEARITY = 250.0, 300.0, 0.8
# The tables an import writes, emptied before each run (links and comments by CASCADE).
IMPORTED_TABLES = ("articles_rawdocument", "articles_article", "articles_importjob")
MODES = ("import", "raw", "analyse")
CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def fail(message: str) -> None:
    print(f"import benchmark: {message}", file=sys.stderr)
    sys.exit(2)


def server_urls(name: str) -> tuple[str, str]:
    """(URL of the server's maintenance database, URL of the benchmark's own database)."""
    from benchmarks.server import database_urls

    needs = "this benchmark needs PostgreSQL (the import's cost is its round trips there)"
    return database_urls("import benchmark", needs, name)


def setup_django(bench_url: str, cache_dir: str) -> None:
    from benchmarks.server import setup_django_on

    setup_django_on(bench_url, cache_dir)


# The pages ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Base:
    """A real page: its lines, its headline's line and its story's last line (0-based)."""

    name: str
    lines: tuple[str, ...]
    headline: int
    story_end: int
    japanese: bool


def _japanese(text: str) -> bool:
    return len(CJK.findall(text)) > len(text) // 10


def corpus_bases() -> tuple[list[Base], dict[bool, list[list[str]]]]:
    """The labelled tariff pages with a headline, and every page's reporting paragraphs (by
    language: True for Japanese)."""
    bases: list[Base] = []
    paragraphs: dict[bool, list[list[str]]] = {False: [], True: []}
    for labels in sorted((CORPUS / "labels").glob("*.tsv")):
        page = CORPUS / "pages" / f"{labels.stem}.txt"
        lines = page.read_text(encoding="utf-8").split("\n")
        classes = [row.split("\t", 1)[0] for row in labels.read_text(encoding="utf-8").split("\n")]
        classes = classes[: len(lines)]
        japanese = _japanese("\n".join(lines))
        reporting = [lines[n] for n, c in enumerate(classes) if c == "reporting" and lines[n]]
        if reporting:
            paragraphs[japanese].append(reporting)
        heads = [n for n, c in enumerate(classes) if c == "headline"]
        ends = [n for n, c in enumerate(classes) if c == "reporting"]
        if heads and ends and ends[-1] > heads[0]:
            bases.append(Base(page.name, tuple(lines), heads[0], ends[-1], japanese))
    return bases, paragraphs


def seed_bases() -> list[Base]:
    """The five seed pages, their headline and story's end read by one segmentation each."""
    from articles.importer.segmenter import segment

    bases = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        seg = segment(text)
        heads = [line.number - 1 for line in seg.lines if line.cls == "headline"]
        ends = [line.number - 1 for line in seg.lines if line.cls == "reporting"]
        if heads and ends:
            lines = tuple(text.split(seg.newline))
            bases.append(Base(path.name, lines, heads[0], ends[-1], _japanese(text)))
    return bases


def page_text(n: int, seed: int, bases: list[Base], paragraphs: dict[bool, list[list[str]]]) -> str:
    """Page `n`: a real page with a headline of its own, grown with other real pages' reporting
    paragraphs (same language, inserted after its story) to a size drawn from 2-10 KB."""
    rng = random.Random(f"{seed}:{n}")
    base = rng.choice(bases)
    target = rng.randint(MIN_BYTES, MAX_BYTES)
    lines = list(base.lines)
    lines[base.headline] = f"Report {n + 1}: {lines[base.headline].strip()}"
    size = len("\n".join(lines).encode("utf-8"))
    donors = [p for p in paragraphs[base.japanese] if p] or paragraphs[False]
    extra: list[str] = []
    while size < target:
        for paragraph in rng.choice(donors):
            if size >= target:
                break
            extra += ["", paragraph]
            size += len(paragraph.encode("utf-8")) + 2
    while size > MAX_BYTES and extra:
        size -= len(extra.pop().encode("utf-8")) + len(extra.pop().encode("utf-8")) + 2
    at = base.story_end + 1
    return "\n".join([*lines[:at], *extra, *lines[at:]])


def generate(folder: Path, count: int, seed: int) -> dict[str, Any]:
    """`count` pages in `folder`, page-00000.txt on; their sizes, checked to be 2-10 KB."""
    corpus, paragraphs = corpus_bases()
    bases = seed_bases() + corpus
    folder.mkdir(parents=True, exist_ok=True)
    sizes = []
    for n in range(count):
        data = page_text(n, seed, bases, paragraphs).encode("utf-8")
        if not MIN_BYTES <= len(data) <= MAX_BYTES:
            fail(f"page {n} is {len(data)} bytes, not 2-10 KB")
        (folder / f"page-{n:05d}.txt").write_bytes(data)
        sizes.append(len(data))
    return {
        "pages": count,
        "bases": len(bases),
        "mean_bytes": round(sum(sizes) / count),
        "min_bytes": min(sizes),
        "max_bytes": max(sizes),
    }


# One timed run (a child process) -----------------------------------------------------------


def peak_rss_mb() -> float:
    """This process's peak RSS: VmHWM (getrusage's ru_maxrss keeps the parent's peak across
    exec, so a child would report the benchmark's own), and that of its largest worker."""
    own = 0.0
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                own = int(line.split()[1]) / 1024
    except OSError:  # not Linux
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return max(own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_mode(mode: str, folder: Path, jobs: int) -> dict[str, Any]:
    """Time one mode over every page in `folder` (in this process, after Django is set up)."""
    from django.conf import settings

    from articles.importer.analysis import analyse
    from articles.importer.reader import read_page
    from articles.importer.reference import load_reference
    from articles.importer.store import expand_paths, import_paths, segment_page
    from articles.models import RawDocument

    paths = [path for path, problem in expand_paths([folder]) if not problem]
    max_bytes = settings.NEWSROOM_IMPORT_MAX_BYTES
    failed: list[str] = []
    cpu0, children0, wall0 = time.process_time(), child_cpu(), time.perf_counter()
    if mode == "import":
        run = import_paths([folder], jobs=jobs)
        failed = [f"{r.file_name}: {r.reason}" for r in run.failed]
        counts = run.counts()
    elif mode == "raw":
        for path in paths:
            page = read_page(path, max_bytes=max_bytes)
            RawDocument.objects.create(
                file_name=page.file_name,
                sha256=page.sha256,
                text=page.text,
                encoding=page.encoding,
                size_bytes=len(page.data),
                import_report={},
            )
        counts = {"created": len(paths)}
    else:
        reference = load_reference()
        for path in paths:
            page = read_page(path, max_bytes=max_bytes)
            analyse(segment_page(page, reference), reference)
        counts = {"analysed": len(paths)}
    wall = time.perf_counter() - wall0
    cpu = (time.process_time() - cpu0) + (child_cpu() - children0)
    rss = peak_rss_mb()
    return {
        "pages": len(paths),
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "pages_per_s": round(len(paths) / wall, 1),
        "pages_per_cpu_s": round(len(paths) / cpu, 1),
        "peak_rss_mb": round(rss, 1),
        "counts": counts,
        "failed": failed[:5],
        "failures": len(failed),
    }


def count_queries(folder: Path) -> dict[str, Any]:
    """Queries per page of `import_paths` over `folder` (a small batch, not timed)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articles.importer.store import import_paths

    with CaptureQueriesContext(connection) as captured:
        run = import_paths([folder])
    pages = len(run.results)
    return {
        "pages": pages,
        "queries": len(captured.captured_queries),
        "queries_per_page": round(len(captured.captured_queries) / pages, 2),
        "failures": len(run.failed),
    }


def child_main(args: argparse.Namespace) -> None:
    """`--child MODE`: one run, its figures as the last line (JSON)."""
    setup_django(os.environ["DATABASE_URL"], args.cache_dir)
    if args.child == "queries":
        figures = count_queries(Path(args.folder))
    else:
        figures = run_mode(args.child, Path(args.folder), args.jobs)
    print(json.dumps(figures))


# The parent --------------------------------------------------------------------------------


def prepare(cache_dir: str) -> None:
    from glob import glob

    from django.core.management import call_command

    setup_django(os.environ["DATABASE_URL"], cache_dir)
    call_command("migrate", verbosity=0)
    call_command(
        "loaddata", *sorted(glob(str(ROOT / "fixtures" / "reference" / "*.json"))), verbosity=0
    )


def empty_imported_tables(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"TRUNCATE {', '.join(IMPORTED_TABLES)} CASCADE")
        conn.execute("VACUUM ANALYZE")


def run_child(mode: str, folder: Path, jobs: int, bench_url: str, cache_dir: str) -> dict[str, Any]:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        mode,
        "--folder",
        str(folder),
        "--jobs",
        str(jobs),
        "--cache-dir",
        cache_dir,
    ]
    env = {**os.environ, "DATABASE_URL": bench_url}
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    lines = result.stdout.strip().splitlines()
    if result.returncode != 0 or not lines or not lines[-1].startswith("{"):
        fail(f"the {mode} run over {folder.name} failed:\n{result.stderr[-3000:]}")
    figures: dict[str, Any] = json.loads(lines[-1])
    return figures


@dataclass
class Row:
    what: str
    size: int
    jobs: int
    figures: dict[str, Any]


def print_table(rows: list[Row]) -> None:
    print(
        f"{'run':<28} {'pages':>6} {'jobs':>4} {'wall s':>7} {'cpu s':>7} "
        f"{'pages/s':>8} {'pages/cpu s':>11} {'peak RSS MB':>11}"
    )
    for row in rows:
        f = row.figures
        print(
            f"{row.what:<28} {row.size:>6} {row.jobs:>4} {f['wall_s']:>7.2f} {f['cpu_s']:>7.2f} "
            f"{f['pages_per_s']:>8.1f} {f['pages_per_cpu_s']:>11.1f} {f['peak_rss_mb']:>11.1f}"
        )


LABELS = {
    "import": "import_paths",
    "raw": "anchor: raw rows only",
    "analyse": "anchor: segment+analyse only",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[1000, 10_000], help="pages per run"
    )
    parser.add_argument("--quick", action="store_true", help="100 pages, no --jobs run (CI)")
    parser.add_argument("--jobs", type=int, default=2, help="workers of the parallel run (0: none)")
    parser.add_argument(
        "--jobs-sizes", type=int, nargs="*", default=None, help="sizes run with --jobs (smallest)"
    )
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument(
        "--database", default=f"newsroom_bench_import_{os.getpid()}", help="its own database"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--child", choices=[*MODES, "queries"], help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    parser.add_argument("--cache-dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main(args)
        return
    if args.quick:
        args.sizes, args.jobs = [100], 0
    sizes = sorted(set(args.sizes))
    jobs_sizes = sizes[:1] if args.jobs_sizes is None else sorted(set(args.jobs_sizes))
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", args.database):
        fail(f"--database {args.database!r}: lower-case letters, digits and _ only")
    started = time.perf_counter()
    server, bench = server_urls(args.database)
    maintenance(server, f"DROP DATABASE IF EXISTS {args.database} WITH (FORCE)")
    maintenance(server, f"CREATE DATABASE {args.database}")
    rows: list[Row] = []
    try:
        with tempfile.TemporaryDirectory(prefix="import-bench-") as temp:
            cache_dir = str(Path(temp) / "cache")
            os.environ["DATABASE_URL"] = bench
            prepare(cache_dir)
            from django.db import connections

            connections.close_all()
            generated = {}
            for size in sizes:
                generated[size] = generate(Path(temp) / f"pages-{size}", size, args.seed)
                print(f"generated {size} pages: {generated[size]}", flush=True)
            small = Path(temp) / "pages-queries"
            generate(small, 20, args.seed + 1)
            empty_imported_tables(bench)
            queries = run_child("queries", small, 1, bench, cache_dir)
            print(f"queries: {queries}", flush=True)
            plan = [("import", size, 1) for size in sizes]
            plan += [("raw", size, 1) for size in sizes]
            plan += [("analyse", size, 1) for size in sizes]
            if args.jobs > 1:
                plan += [("import", size, args.jobs) for size in jobs_sizes if size in generated]
            for mode, size, jobs in plan:
                empty_imported_tables(bench)
                figures = run_child(mode, Path(temp) / f"pages-{size}", jobs, bench, cache_dir)
                rows.append(Row(LABELS[mode], size, jobs, figures))
                print(f"{LABELS[mode]}, {size} pages, jobs {jobs}: {figures}", flush=True)
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # Django may not be set up yet
            pass
        if not args.keep:
            maintenance(server, f"DROP DATABASE IF EXISTS {args.database} WITH (FORCE)")
    print_table(rows)
    figures = summary(rows, sizes, queries, generated, args)
    figures["seconds"] = round(time.perf_counter() - started, 1)
    print(f"goals met: {figures['goals_met']}; the run took {figures['seconds']} s", flush=True)
    print(json.dumps(figures))
    failures = sum(row.figures["failures"] for row in rows) + queries["failures"]
    if failures:
        fail(f"{failures} pages failed to import")


def summary(
    rows: list[Row],
    sizes: list[int],
    queries: dict[str, Any],
    generated: dict[int, dict[str, Any]],
    args: argparse.Namespace,
) -> dict[str, Any]:
    def find(mode: str, size: int, jobs: int = 1) -> dict[str, Any] | None:
        for row in rows:
            if row.what == LABELS[mode] and row.size == size and row.jobs == jobs:
                return row.figures
        return None

    ours: dict[int, dict[str, Any]] = {}
    for size in sizes:
        found = find("import", size)
        if found is None:
            raise SystemExit(f"import benchmark: no import run of {size} pages")
        ours[size] = found
    one = list(ours.values())
    slowest = min(f["pages_per_cpu_s"] for f in one)
    linearity = round(ours[sizes[-1]]["pages_per_cpu_s"] / ours[sizes[0]]["pages_per_cpu_s"], 2)
    rss = max(f["peak_rss_mb"] for f in one)
    by_size: dict[str, Any] = {}
    for size in sizes:
        row: dict[str, Any] = {"import": ours[size]}
        for mode in ("raw", "analyse"):
            anchor = find(mode, size)
            if anchor is not None and ours[size] is not None:
                row[mode] = anchor
                row[f"cpu_ratio_to_{mode}"] = round(
                    ours[size]["pages_per_cpu_s"] / anchor["pages_per_cpu_s"],
                    3,
                )
        parallel = find("import", size, args.jobs) if args.jobs > 1 else None
        if parallel is not None:
            row[f"jobs_{args.jobs}"] = parallel
            row[f"jobs_{args.jobs}_wall_speedup"] = round(
                parallel["pages_per_s"] / ours[size]["pages_per_s"],
                2,
            )
        by_size[str(size)] = row
    return {
        "sizes": sizes,
        "generated": {str(k): v for k, v in generated.items()},
        "queries": queries,
        "by_size": by_size,
        "pages_per_cpu_s": slowest,
        "pages_per_s": min(f["pages_per_s"] for f in one),
        "linearity": linearity,
        "peak_rss_mb": rss,
        "goal_pages_per_s": GOAL_PAGES_PER_SECOND,
        "goal_rss_mb": GOAL_RSS_MB,
        "goal_linearity": GOAL_LINEARITY,
        "goals_met": {
            "pages_per_s": slowest >= GOAL_PAGES_PER_SECOND,
            "linear": linearity >= GOAL_LINEARITY,
            "rss": rss <= GOAL_RSS_MB,
        },
    }


if __name__ == "__main__":
    main()
