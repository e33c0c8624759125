"""Property-based tests: random and mutated pages never make the segmenter raise, and every
line is classified exactly once so the page can be rebuilt from its lines."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.importer.metadata import extract
from articles.importer.reference import Reference, SourceRef
from articles.importer.segmenter import LineClass, segment
from articles.importer.suggest import suggest

REPO = Path(__file__).resolve().parents[2]
SEED_LINES = [
    line
    for path in sorted((REPO / "seeds").glob("*.txt"))
    for line in path.read_text(encoding="utf-8").split("\n")
]
PAGE_LINES = [
    line
    for path in sorted((Path(__file__).parent / "pages").glob("*.txt"))
    if path.read_bytes().isascii() or path.name == "japanese_page.txt"
    for line in path.read_text(encoding="utf-8").split("\n")
]
NAMES = ["Japan Today", "Reuters", "KYODO", "THE ASAHI SHIMBUN", "wowkorea.jp", "Edaily"]
REFERENCE = Reference(
    sources=[
        SourceRef(1, "japan-today", "Japan Today", "outlet", ("Japan Today",), "japantoday.com"),
        SourceRef(2, "reuters", "Reuters", "wire", ("Reuters", "Thomson Reuters"), ""),
    ]
)
CLASSES = set(LineClass)
PROPERTY_SETTINGS = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# Lines with the shapes the segmenter looks for, to mix into random pages.
SHAPED = st.sampled_from(
    [
        "",
        "-6 ( +0 / -6 )",
        "2 Comments",
        "0 Comments",
        "Login to comment",
        "danToday\u00a0\u00a0 06:39 pm JST",
        "© KYODO",
        "Copyrights(C) Edaily wowkorea.jp 78",
        "By Makiko Yamazaki",
        "WASHINGTON",
        " date 2025-05-30  Japan Today",
        "2025/06/29 21:31 KST",
        "12:29 JST, August 28, 2025",
        "Washington, May 23 (Jiji Press)--Akazawa met Lutnick for 90 minutes.",
        "Related articles",
        "A A A",
        "https://example.org/x",
        "Home > News > Politics",
        "\u3000",
        "\r",
        "\x0c",
        "(",
        "【ワシントン時事】",
    ]
)


def check(text: str) -> None:
    seg = segment(text, source_names=NAMES)
    assert seg.reconstruct() == text
    assert [line.number for line in seg.lines] == list(range(1, len(seg.lines) + 1))
    assert all(line.cls in CLASSES for line in seg.lines)
    draft = extract(seg, REFERENCE)
    suggest(draft.body, headline=draft.headline, day=None, ref=REFERENCE)


@PROPERTY_SETTINGS
@given(st.text())
def test_any_text_is_segmented_without_error(text: str) -> None:
    check(text)


@PROPERTY_SETTINGS
@given(st.lists(st.one_of(SHAPED, st.sampled_from(SEED_LINES), st.text(max_size=80)), max_size=60))
def test_pages_built_from_page_like_lines_are_segmented(lines: list[str]) -> None:
    check("\n".join(lines))


@PROPERTY_SETTINGS
@given(
    st.sampled_from(sorted((REPO / "seeds").glob("*.txt"))),
    st.lists(
        st.tuples(
            st.sampled_from(["drop", "duplicate", "swap", "insert", "truncate", "crlf"]),
            st.integers(min_value=0, max_value=10_000),
            st.one_of(SHAPED, st.sampled_from(PAGE_LINES), st.text(max_size=40)),
        ),
        max_size=12,
    ),
)
def test_mutated_seeds_are_segmented(path: Path, mutations: list[tuple[str, int, str]]) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    for action, at, new in mutations:
        i = at % (len(lines) or 1)
        if action == "drop" and lines:
            del lines[i]
        elif action == "duplicate" and lines:
            lines.insert(i, lines[i])
        elif action == "swap" and len(lines) > 1:
            j = (i + 1) % len(lines)
            lines[i], lines[j] = lines[j], lines[i]
        elif action == "insert":
            lines.insert(i, new)
        elif action == "truncate" and lines:
            lines[i] = lines[i][: at % 50]
        elif action == "crlf" and lines:
            lines[i] += "\r"
    check("\n".join(lines))
