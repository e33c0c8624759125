"""The line model's fast ASCII character counts agree with Python's own character classes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from articles.importer.linemodel import _ascii_counts, _counts


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=300))
def test_ascii_counts_agree_with_str_methods(s: str) -> None:
    assert _ascii_counts(s) == _counts(s)
