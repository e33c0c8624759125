"""System checks: what the importer needs is there and sound before any page is imported."""

from __future__ import annotations

from typing import Any

from django.core import checks


@checks.register()
def line_model_loads(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """The segmenter's line model ships with the code; a missing or damaged file would change
    what every import keeps, so it is an error at startup rather than a surprise per page."""
    from articles.importer import linemodel

    try:
        model = linemodel.load_model()
    except (OSError, ValueError, KeyError, TypeError) as error:
        return [
            checks.Error(
                f"The importer's line model cannot be loaded: {error}",
                hint="Restore articles/importer/linemodel.json from the repository, or "
                "retrain it: python benchmarks/train_segmenter.py",
                id="articles.E001",
            )
        ]
    if model is None:
        return [
            checks.Error(
                f"The importer's line model is missing ({linemodel.MODEL_PATH}).",
                hint="Restore it from the repository, or retrain it: "
                "python benchmarks/train_segmenter.py",
                id="articles.E001",
            )
        ]
    return []
