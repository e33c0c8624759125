"""A missing or damaged line model is an error at startup, with what to do about it."""

from __future__ import annotations

from pathlib import Path

import pytest

from articles.checks import line_model_loads
from articles.importer import linemodel


@pytest.fixture
def model_at(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    def use(path: Path) -> None:
        monkeypatch.setattr(linemodel, "MODEL_PATH", path)
        linemodel.load_model.cache_clear()

    yield use
    linemodel.load_model.cache_clear()


def test_the_shipped_model_passes() -> None:
    linemodel.load_model.cache_clear()
    assert line_model_loads() == []


@pytest.mark.parametrize(
    "content", [None, "{not json", '{"features": ["other"], "stage2_features": []}']
)
def test_a_missing_or_damaged_model_is_an_error(model_at, tmp_path: Path, content) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "linemodel.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    model_at(path)
    (error,) = line_model_loads()
    assert error.id == "articles.E001"
    assert "train_segmenter" in error.hint
