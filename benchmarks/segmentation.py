#!/usr/bin/env python3
"""How well the importer reads real pages it has never seen, beside the field's anchors.

    .venv/bin/python benchmarks/segmentation.py            # the table, dev and held-out apart
    .venv/bin/python benchmarks/segmentation.py --json     # the same figures as JSON, last line

Corpora (in the repo, see `benchmarks/corpora/`):
- article-extraction: 88 real pages of the public article-extraction benchmark, each as HTML, as
  a plain-text rendering and with its checked article body. Scored by that benchmark's metric.
- tariff: real pages about the 2025 Japan-US talks, every line labelled with its class, and the
  facts each page states (headline, date, outlet, wire, officials, rounds).

Contenders, in the same run on the same pages: the importer on the plain text; the importer on
the HTML; trafilatura and jusText on the HTML; keep-every-line on the text. On the tariff pages,
which have no HTML, jusText and trafilatura read the text with one <p> per line.

Each corpus is split once (article-extraction by key, tariff by site, `segscore`); nothing is
tuned on the held-out half, and it is reported on its own. Throughput is measured on the
article-extraction renderings (5-100 KB), one process, with the peak RSS before and after.
"""

from __future__ import annotations

import argparse
import functools
import html as html_lib
import json
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import segscore  # noqa: E402


def setup_django() -> Any:
    """A throwaway SQLite database with the reference fixtures; returns the loaded Reference."""
    folder = tempfile.mkdtemp(prefix="newsroom-segbench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    fixtures = sorted(str(p) for p in (ROOT / "fixtures" / "reference").glob("*.json"))
    call_command("loaddata", *fixtures, verbosity=0)
    from articles.importer.reference import load_reference

    return load_reference()


def importer_text(ref: Any) -> Callable[[str], Any]:
    from articles.importer.analysis import analyse_text

    return lambda text: analyse_text(text, ref)


def prediction(result: Any, ref: Any) -> segscore.Prediction:
    draft, found = result.draft, result.suggestions
    officials = {o.id: o.slug for o in ref.officials}
    rounds = {r.id: r.number for r in ref.rounds}

    def names(stated: str, source: Any) -> list[str] | None:
        found = ([stated] if stated else []) + ([source.name, *source.names] if source else [])
        return found or None

    return segscore.Prediction(
        classes=[str(line.cls) for line in result.lines] if result.lines else [],
        body=draft.body,
        facts={
            "headline": draft.headline or None,
            "date": draft.published.day.isoformat() if draft.published else None,
            "outlet": names(draft.outlet_name, draft.outlet),
            "wire": names(draft.wire_name, draft.wire),
        },
        officials={officials[s.target_id] for s in found.of("official")},
        rounds={rounds[s.target_id] for s in found.of("round")},
    )


def trafilatura_html(html: str) -> str:
    import trafilatura

    return trafilatura.extract(html) or ""


def justext_html(html: str) -> str:
    import justext

    paragraphs = justext.justext(html.encode("utf-8"), justext.get_stoplist("English"))
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def as_paragraphs(text: str) -> str:
    body = "".join(f"<p>{html_lib.escape(line)}</p>" for line in text.split("\n") if line.strip())
    return f"<html><body>{body}</body></html>"


def throughput(analyse: Callable[[str], Any], texts: list[str], rounds: int) -> dict[str, Any]:
    analyse(texts[0])
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    cpu_started = time.process_time()
    done = 0
    rss_after_first = rss_before
    for k in range(rounds):
        for text in texts:
            analyse(text)
            done += 1
        if k == 0:
            rss_after_first = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    return {
        "pages": done,
        "seconds": round(elapsed, 2),
        "pages_per_s": round(done / elapsed, 1),
        # CPU time is what one process spends; it holds when other work shares the machine.
        "pages_per_cpu_s": round(done / cpu, 1),
        "kb_per_page": round(sum(len(t.encode()) for t in texts) / len(texts) / 1024, 1),
        "peak_rss_mb_after_first_pass": round(rss_after_first, 1),
        "peak_rss_mb_at_end": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def body_row(score: segscore.BodyScore) -> dict[str, Any]:
    return {
        "pages": score.pages,
        "f1": round(score.f1, 3),
        "precision": round(score.precision, 3),
        "recall": round(score.recall, 3),
    }


def tariff_row(score: segscore.TariffScore) -> dict[str, Any]:
    op, orc = score.pr(score.officials)
    rp, rr = score.pr(score.rounds)
    return {
        "pages": score.pages,
        "body": body_row(score.body),
        "line_accuracy": {
            cls: round(right / total, 3) for cls, (right, total) in sorted(score.per_class.items())
        },
        "line_counts": {cls: total for cls, (_, total) in sorted(score.per_class.items())},
        "leaked_lines": score.leaked,
        "leaked_pages": score.leaked_pages,
        "reporting_kept": round(score.reporting_kept, 4),
        "reporting_lost": score.reporting_lost,
        "metadata": {name: dict(counts) for name, counts in score.facts.items()},
        "metadata_right_or_empty": round(score.fact_share("right", "empty"), 3),
        "metadata_wrong": sum(c["wrong"] for c in score.facts.values()),
        "wrong": score.wrong,
        "officials": {"precision": round(op, 3), "recall": round(orc, 3), **score.officials},
        "rounds": {
            "precision": round(rp, 3),
            "recall": round(rr, 3),
            "invented": score.rounds["fp"],
            **score.rounds,
        },
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    ref = setup_django()
    from articles.importer import analysis

    ours = importer_text(ref)
    figures: dict[str, Any] = {"article_extraction": {}, "tariff": {}}
    for split in args.splits:
        pages = segscore.ae_pages(split)
        row: dict[str, Any] = {
            "importer, text": body_row(
                segscore.score_bodies(pages, lambda p: ours(p.text).draft.body)
            ),
            "keep every line, text": body_row(segscore.score_bodies(pages, lambda p: p.text)),
        }
        if hasattr(analysis, "analyse_html"):
            row["importer, HTML"] = body_row(
                segscore.score_bodies(
                    pages, lambda p: analysis.analyse_html(p.html, ref).draft.body
                )
            )
        if not args.no_anchors:
            row["trafilatura, HTML"] = body_row(
                segscore.score_bodies(pages, lambda p: trafilatura_html(p.html))
            )
            row["jusText, HTML"] = body_row(
                segscore.score_bodies(pages, lambda p: justext_html(p.html))
            )
        figures["article_extraction"][split] = row

        tpages = segscore.tariff_pages(split)
        trow: dict[str, Any] = {
            "importer, text": tariff_row(
                segscore.score_tariff(tpages, lambda p: prediction(ours(p.text), ref))
            ),
            "keep every line, text": body_row(segscore.score_bodies(tpages, lambda p: p.text)),
        }
        if not args.no_anchors:
            trow["trafilatura, text as <p>"] = body_row(
                segscore.score_bodies(tpages, lambda p: trafilatura_html(as_paragraphs(p.text)))
            )
            trow["jusText, text as <p>"] = body_row(
                segscore.score_bodies(tpages, lambda p: justext_html(as_paragraphs(p.text)))
            )
        trow["sites"] = len({p.site for p in tpages})
        figures["tariff"][split] = trow
    if args.rounds:
        # The measure: pages of 5-50 KB (the article-extraction pages of that size; the
        # tariff pages are the store's first 2 KB of each page, too small to count).
        texts = [p.text for p in segscore.ae_pages("all") if 5 <= len(p.text.encode()) / 1024 <= 50]
        figures["throughput"] = throughput(ours, texts, args.rounds)
    return figures


def print_table(figures: dict[str, Any]) -> None:
    ae, tr = figures["article_extraction"], figures["tariff"]
    splits = list(ae)
    label = {"dev": "dev", "heldout": "held-out"}
    print("## Body extraction, article-extraction pages (word 4-gram F1 / precision / recall)\n")
    print("| contender | " + " | ".join(f"{label[s]} F1 / P / R" for s in splits) + " |")
    print("|---|" + "---|" * len(splits))
    for name in ae[splits[0]]:
        print(f"| {name} | " + " | ".join(_bpr(ae[s][name]) for s in splits) + " |")
    print(
        "\npages: "
        + ", ".join(f"{label[s]} {ae[s]['importer, text']['pages']}" for s in splits)
        + "\n"
    )
    print("## Tariff corpus (real pages on the 2025 talks, every line labelled)\n")
    print("| measure | " + " | ".join(label[s] for s in splits) + " |")
    print("|---|" + "---|" * len(splits))
    ours = {s: tr[s]["importer, text"] for s in splits}

    def row(name: str, fn: Callable[[dict[str, Any]], str]) -> None:
        print(f"| {name} | " + " | ".join(fn(ours[s]) for s in splits) + " |")

    print(
        "| pages (sites) | "
        + " | ".join(f"{ours[s]['pages']} ({tr[s]['sites']})" for s in splits)
        + " |"
    )
    row("body F1 / P / R", lambda m: _bpr(m["body"]))
    for name in ("keep every line, text", "trafilatura, text as <p>", "jusText, text as <p>"):
        if name in tr[splits[0]]:
            print(f"| anchor: {name} | " + " | ".join(_bpr(tr[s][name]) for s in splits) + " |")
    row("chrome or comment lines in bodies", lambda m: str(m["leaked_lines"]))
    row("reporting lines kept", lambda m: f"{m['reporting_kept']:.1%} (lost {m['reporting_lost']})")
    row("metadata right or honestly empty", lambda m: f"{m['metadata_right_or_empty']:.1%}")
    row("metadata wrong", lambda m: str(m["metadata_wrong"]))
    row(
        "officials P / R",
        lambda m: f"{m['officials']['precision']:.2f} / {m['officials']['recall']:.2f}",
    )
    row(
        "rounds P / R (invented)",
        lambda m: (
            f"{m['rounds']['precision']:.2f} / {m['rounds']['recall']:.2f} "
            f"({m['rounds']['invented']})"
        ),
    )
    classes = sorted({c for s in splits for c in ours[s]["line_accuracy"]})
    for cls in classes:
        row(f"line accuracy: {cls}", functools.partial(_acc, cls=cls))
    for s in splits:
        m = ours[s]
        print(
            f"\nmetadata outcomes, {label[s]}: "
            + "; ".join(
                f"{k}: " + ", ".join(f"{o} {n}" for o, n in sorted(v.items()))
                for k, v in m["metadata"].items()
            )
        )
        for line in m["wrong"]:
            print(f"  wrong: {line}")
        for line in m["leaked_pages"]:
            print(f"  leaked: {line}")
    if "throughput" in figures:
        t = figures["throughput"]
        print(
            f"\n## Throughput\n\n{t['pages_per_s']} pages/s, {t['pages_per_cpu_s']} pages per CPU "
            f"second ({t['pages']} pages of 5-50 KB, "
            f"{t['kb_per_page']} KB on average in {t['seconds']} s, one process); peak RSS "
            f"{t['peak_rss_mb_after_first_pass']} MB after the first pass, "
            f"{t['peak_rss_mb_at_end']} MB at the end"
        )


def _bpr(b: dict[str, Any]) -> str:
    return f"{b['f1']:.3f} / {b['precision']:.3f} / {b['recall']:.3f}"


def _acc(row: dict[str, Any], *, cls: str) -> str:
    if cls not in row["line_accuracy"]:
        return "–"
    return f"{row['line_accuracy'][cls]:.1%} of {row['line_counts'][cls]}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--no-anchors", action="store_true", help="skip trafilatura and jusText")
    parser.add_argument("--rounds", type=int, default=3, help="throughput passes (0: none)")
    parser.add_argument(
        "--dev-only", action="store_true", help="score the development split only (for tuning)"
    )
    args = parser.parse_args()
    args.splits = ("dev",) if args.dev_only else ("dev", "heldout")
    figures = run(args)
    print_table(figures)
    if args.json:
        print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
