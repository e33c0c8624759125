"""Import of raw pages: segment every line, extract what the page states, suggest coverage.

- `reader`: reads a file, refuses bad input with a reason, detects the encoding and whether
  the page is text or HTML.
- `segmenter`: classifies every line of a text page (headline, metadata, caption, reporting,
  comment, ...), with `reflow` (hard-wrapped paragraphs read as paragraphs), `lines` (what a line
  is by itself), `body` (where the story is: its blocks, the head above it, teasers after it),
  `comments` (reader comments, their headers, tallies and quotes), `vocabulary` (the words and
  shapes of page furniture) and `linemodel` (the trained classifier that decides, where the
  rules go by position, which lines are the story; `linemodel.json`, made by
  `benchmarks/train_segmenter.py`).
- `html`: an HTML page as the same classified lines: trafilatura's main text, the comment
  markup, and what JSON-LD, OpenGraph, `<time>` and meta tags state.
- `dates`: the date forms pages use, made time-zone aware only when the page states the zone.
- `credits`: outlet and wire credits in the forms pages write them.
- `metadata`: turns a segmentation into the article's fields and its reader comments.
- `reference`: one snapshot per run of sources, officials, rounds, meetings and measures.
- `suggest`: coverage suggestions, each with the sentence that supports it (`officials`: names,
  aliases in any script and close spellings).
- `analysis`: segmentation -> draft -> suggestions, the one path the store and the benchmark use.
- `store`: `import_page` / `import_paths`, one transaction per page, through the services'
  building blocks (audit, version, queue counts).
"""
