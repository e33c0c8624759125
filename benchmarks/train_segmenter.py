#!/usr/bin/env python3
"""Train the segmenter's line model on the development split of the corpora; write it as JSON.

    .venv/bin/python benchmarks/train_segmenter.py          # writes articles/importer/linemodel.json

Deterministic (fixed seeds, no early stopping, one thread), well under a minute on 2 cores.

Training lines (development split only; `segscore` holds the split, nothing held out is read):
- article-extraction pages: a line of the plain-text rendering is the story when most of its
  word 4-grams are in the checked article body (a line of under four words: when its words
  stand in the body in that order and a neighbouring line is the story);
- tariff pages: a line is the story when a person labelled it `reporting`.
Lines are weighted by the square root of their length, since the body metric counts words; the
tariff pages, which are the desk's own kind of page, count twice.

Stage 1 learns from each line's features and its neighbours'; stage 2 also sees the stage-1
verdicts on the lines around it, taken out of fold (5 folds grouped by page) so that it learns
how much to trust them on pages the first stage has not seen.
"""

from __future__ import annotations

import json
import math
import os
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from sklearn.ensemble import HistGradientBoostingClassifier  # noqa: E402
from sklearn.model_selection import GroupKFold  # noqa: E402

from articles.importer import linemodel  # noqa: E402
from articles.importer import vocabulary as v  # noqa: E402
from articles.importer.segmenter import segment  # noqa: E402
from benchmarks import segscore  # noqa: E402

PARAMS = {
    "max_iter": 150,
    "max_depth": 4,
    "learning_rate": 0.1,
    "min_samples_leaf": 20,
    "l2_regularization": 1.0,
    "early_stopping": False,
    "random_state": 7,
}


def source_names() -> list[str]:
    rows = json.loads((ROOT / "fixtures" / "reference" / "05_sources.json").read_text("utf-8"))
    names = []
    for row in rows:
        names += [row["fields"]["name"], *row["fields"].get("aliases", [])]
    return names


def ae_labels(norm: list[str], truth: str) -> list[int]:
    tokens = segscore.TOKEN.findall(truth)
    grams = set(segscore.shingles(truth).keys())
    joined = " " + " ".join(tokens) + " "
    labels = [0] * len(norm)
    short: list[int] = []
    for i, s in enumerate(norm):
        words = segscore.TOKEN.findall(s)
        if len(words) >= 4:
            own = [tuple(words[k : k + 4]) for k in range(len(words) - 3)]
            labels[i] = int(sum(g in grams for g in own) >= 0.5 * len(own))
        elif words and (" " + " ".join(words) + " ") in joined:
            short.append(i)
    nonblank = [i for i, s in enumerate(norm) if s]
    position = {i: k for k, i in enumerate(nonblank)}
    for i in short:
        k = position[i]
        near = [nonblank[j] for j in (k - 1, k + 1) if 0 <= j < len(nonblank)]
        labels[i] = int(any(labels[j] for j in near))
    return labels


def page_rows(text: str, labels_of: Any, names: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    seg = segment(text, source_names=names, learned=False)
    norm = [v.normalise(line.text) for line in seg.lines]
    rule = [str(line.cls) for line in seg.lines]
    extra = [line.extra for line in seg.lines]
    idx, x = linemodel.line_features(norm, rule, extra)
    labels = labels_of(norm)
    y = np.array([labels[i] for i in idx], dtype=np.int64)
    w = np.array([math.sqrt(max(len(norm[i]), 1)) for i in idx])
    return x, y, w


def export(clf: HistGradientBoostingClassifier) -> dict[str, Any]:
    trees = []
    depth = 0
    for (predictor,) in clf._predictors:
        nodes = predictor.nodes
        trees.append(
            {
                "feature": nodes["feature_idx"].tolist(),
                "threshold": nodes["num_threshold"].tolist(),
                "left": nodes["left"].tolist(),
                "right": nodes["right"].tolist(),
                "leaf": nodes["is_leaf"].astype(bool).tolist(),
                "value": nodes["value"].tolist(),
                "missing_left": nodes["missing_go_to_left"].astype(bool).tolist(),
            }
        )
        depth = max(depth, int(nodes["depth"].max()))
    return {"baseline": float(np.ravel(clf._baseline_prediction)[0]), "depth": depth, "trees": trees}


def main() -> int:
    started = time.perf_counter()
    names = source_names()
    xs, ys, ws, groups = [], [], [], []
    pages = 0
    for page in segscore.ae_pages("dev"):
        x, y, w = page_rows(page.text, lambda norm, t=page.truth: ae_labels(norm, t), names)
        xs.append(x), ys.append(y), ws.append(w), groups.append(np.full(len(y), pages))
        pages += 1
    tariff = segscore.tariff_pages("dev")
    for tpage in tariff:
        gold = [int(c in segscore.BODY_CLASSES) for c in tpage.classes]
        x, y, w = page_rows(tpage.text, lambda norm, g=gold: g, names)
        xs.append(x), ys.append(y), ws.append(2 * w), groups.append(np.full(len(y), pages))
        pages += 1
    x, y, w, g = np.vstack(xs), np.concatenate(ys), np.concatenate(ws), np.concatenate(groups)
    print(f"{pages} pages ({len(tariff)} tariff), {len(y)} lines, {int(y.sum())} of the story")

    oof = np.zeros(len(y))
    for train, test in GroupKFold(n_splits=5).split(x, y, g):
        fold = HistGradientBoostingClassifier(**PARAMS).fit(x[train], y[train], sample_weight=w[train])
        oof[test] = fold.predict_proba(x[test])[:, 1]
    stage1 = HistGradientBoostingClassifier(**PARAMS).fit(x, y, sample_weight=w)
    x2 = np.vstack(
        [linemodel.stage2_features(x[g == k], oof[g == k]) for k in range(pages)]
    )
    y2 = np.concatenate([y[g == k] for k in range(pages)])
    w2 = np.concatenate([w[g == k] for k in range(pages)])
    stage2 = HistGradientBoostingClassifier(**PARAMS).fit(x2, y2, sample_weight=w2)
    spec = {
        "about": "Line model of the segmenter; made by benchmarks/train_segmenter.py. Do not edit.",
        "features": list(linemodel.FEATURES),
        "stage2_features": list(linemodel.STAGE2_FEATURES),
        "threshold": 0.5,
        "trained_on": {"pages": pages, "tariff_pages": len(tariff), "lines": int(len(y))},
        "params": PARAMS,
        "stage1": export(stage1),
        "stage2": export(stage2),
    }
    # The exported trees must agree with scikit-learn's own prediction.
    check = linemodel.Forest(spec["stage1"]).probability(x[:2000])
    assert np.allclose(check, stage1.predict_proba(x[:2000])[:, 1], atol=1e-9), "export differs"
    linemodel.MODEL_PATH.write_text(json.dumps(spec, separators=(",", ":")), encoding="utf-8")
    linemodel.load_model.cache_clear()
    print(f"wrote {linemodel.MODEL_PATH.relative_to(ROOT)} in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
