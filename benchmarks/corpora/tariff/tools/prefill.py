#!/usr/bin/env python3
"""Pre-fill a page's line labels from the current segmenter, for a person to review and fix.

    cd benchmarks/corpora/tariff && ../../../.venv/bin/python tools/prefill.py pages/ID.txt

writes `labels/ID.tsv`: one row per line of the page, `class<TAB>text` (the text is shown for the
reviewer only, with tabs as spaces; the benchmark reads the class column and checks the row count).
It refuses to overwrite a labels file that exists: those hold a person's review.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
sys.path.insert(0, str(ROOT))

from articles.importer.segmenter import segment  # noqa: E402


def main(paths: list[str]) -> int:
    for name in paths:
        page = Path(name)
        target = page.parent.parent / "labels" / (page.stem + ".tsv")
        if target.exists():
            print(f"{target}: exists, left alone")
            continue
        text = page.read_text(encoding="utf-8")
        seg = segment(text)
        rows = [
            f"{line.cls}\t{line.text.replace(chr(9), ' ').rstrip(chr(13))}" for line in seg.lines
        ]
        target.write_text("\n".join(rows) + "\n", encoding="utf-8")
        print(f"{target}: {len(rows)} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
