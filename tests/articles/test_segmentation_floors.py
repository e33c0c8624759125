"""The importer on real pages it was not written for: accuracy floors on the labelled corpora.

The pages and their labels are in `benchmarks/corpora/` (the article-extraction benchmark's
88 development pages, and the tariff corpus of real pages on the 2025 talks, every line labelled
by a person). `benchmarks/segmentation.py` prints the full table beside the anchors; this test
holds the figures the importer reached, so a change that loses accuracy fails here. The floors
are the held-out split's (nothing was tuned on it) unless a name says otherwise; where they sit
below issue 9's targets, the README says so.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from articles.importer.analysis import analyse_html, analyse_text
from articles.importer.reference import Reference
from benchmarks import segscore
from benchmarks.segmentation import prediction

ROOT = Path(__file__).resolve().parents[2]
# Addresses kept out of every corpus here for an independent check (a copy of shared/'s list).
EXCLUDED = [
    line[2:].strip().split("://", 1)[-1].removeprefix("www.")
    for line in (segscore.CORPORA / "EXCLUDED.md").read_text(encoding="utf-8").splitlines()
    if line.startswith("- http")
]


def test_the_tariff_corpus_is_real_labelled_and_wide() -> None:
    pages = segscore.tariff_pages()  # raises on a labels file that does not fit its page
    assert len(EXCLUDED) == 20
    assert len(pages) >= 40
    assert len({p.site for p in pages}) >= 20
    covered = {c for p in pages for c in p.covers}
    for kind in ("japanese", "forum", "government", "live-blog", "paywall"):
        assert any(kind in c for c in covered), kind
    for page in pages:
        assert (
            page.id == "t" + hashlib.sha1(page.url.encode(), usedforsecurity=False).hexdigest()[:12]
        )
        assert page.checked, f"{page.id}: the labels must say how they were checked"
        address = page.url.split("://", 1)[-1].removeprefix("www.")
        assert address not in EXCLUDED, page.url
    splits = {p.split for p in pages}
    assert splits == {"dev", "heldout"}
    # One outlet never sits on both sides of the split.
    assert not {p.site for p in pages if p.split == "dev"} & {
        p.site for p in pages if p.split == "heldout"
    }


def test_the_line_model_is_trained_on_development_pages_only() -> None:
    spec = json.loads((ROOT / "articles/importer/linemodel.json").read_text(encoding="utf-8"))
    dev = len(segscore.ae_pages("dev")) + len(segscore.tariff_pages("dev"))
    assert spec["trained_on"]["pages"] - spec["trained_on"]["desk_pages"] == dev


def test_the_importer_holds_its_floors_on_real_pages(ref: Reference) -> None:
    failures: list[str] = []

    def floor(name: str, value: float, least: float) -> None:
        if value < least:
            failures.append(f"{name}: {value:.3f} < {least}")

    def ceiling(name: str, value: float, most: float) -> None:
        if value > most:
            failures.append(f"{name}: {value} > {most}")

    heldout = segscore.ae_pages("heldout")
    text = segscore.score_bodies(heldout, lambda p: analyse_text(p.text, ref).draft.body)
    floor("article-extraction held-out, text, F1", text.f1, 0.91)
    floor("article-extraction held-out, text, precision", text.precision, 0.90)
    html = segscore.score_bodies(heldout, lambda p: analyse_html(p.html, ref).draft.body)
    floor("article-extraction held-out, HTML, F1", html.f1, 0.95)
    floor("article-extraction held-out, HTML, precision", html.precision, 0.95)

    tariff = segscore.score_tariff(
        segscore.tariff_pages("heldout"), lambda p: prediction(analyse_text(p.text, ref), ref)
    )
    floor("tariff held-out body F1", tariff.body.f1, 0.90)
    # 2026-12-04: the held-out half grew from 22 to 33 pages (11 new sites) and the model was
    # retrained on 14 more development pages; measured 28 lines and 93.2% (were 20 and 96.4%
    # on the 22 pages). Later that day it grew to 49 pages (16 more sites): before retraining,
    # 30 lines, 85.6% kept, 6 facts wrong and 1 invented round; retrained on the 14 new
    # development pages, 32 lines and 95.4% kept (the facts unchanged). The floors hold what
    # was measured, not what was hoped for.
    ceiling("tariff held-out chrome/comment lines in bodies", tariff.leaked, 32)
    floor("tariff held-out reporting lines kept", tariff.reporting_kept, 0.93)
    floor(
        "tariff held-out metadata right or honestly empty",
        tariff.fact_share("right", "empty"),
        0.85,
    )
    ceiling("tariff held-out metadata wrong", sum(c["wrong"] for c in tariff.facts.values()), 6)
    official_p, official_r = tariff.pr(tariff.officials)
    floor("tariff held-out official precision", official_p, 0.95)
    floor("tariff held-out official recall", official_r, 0.95)
    ceiling("tariff held-out invented rounds", tariff.rounds["fp"], 1)
    assert not failures, "\n".join(failures)
