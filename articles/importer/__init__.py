"""Import of raw pages: segment every line, extract what the page states, suggest coverage.

- `reader`: reads a file, refuses bad input with a reason, detects the encoding.
- `segmenter`: classifies every line (headline, metadata, caption, reporting, comment, ...),
  with `lines` (what a line is by itself), `body` (where the story is: its blocks, the head above
  it, teasers after it), `comments` (reader comments, their headers, tallies and quotes) and
  `vocabulary` (the words and shapes of page furniture).
- `dates`: the date forms pages use, made time-zone aware only when the page states the zone.
- `metadata`: turns a segmentation into the article's fields and its reader comments.
- `reference`: one snapshot per run of sources, officials, rounds, meetings and measures.
- `suggest`: coverage suggestions, each with the sentence that supports it (`officials`: names,
  aliases and close spellings).
- `services`: `import_page` / `import_paths`, one transaction per page.
"""
