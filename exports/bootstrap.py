"""Seeded bootstrap over documents: resample weights and percentile intervals.

Documents are the unit that is resampled (spans of one document are not
independent of each other). The same seed gives the same intervals.
"""

from __future__ import annotations

import numpy as np

RESAMPLES = 1000
CONFIDENCE = 0.95
CHUNK = 200  # resamples weighted at once: bounds memory on a large corpus


def resample_indices(documents: int, resamples: int, seed: int) -> np.ndarray:
    """Draw `resamples` rows of `documents` indices with replacement (resamples x documents)."""
    rng = np.random.default_rng(seed)
    return rng.integers(0, documents, size=(resamples, documents)) if documents else np.zeros((resamples, 0), int)


def weights_of(indices: np.ndarray, documents: int) -> np.ndarray:
    """Turn resampled indices into how many times each document was drawn (resamples x documents).

    >>> weights_of(np.array([[0, 0, 2]]), 3).tolist()
    [[2.0, 0.0, 1.0]]
    """
    weights = np.zeros((len(indices), documents))
    rows = np.repeat(np.arange(len(indices)), indices.shape[1])
    np.add.at(weights, (rows, indices.ravel()), 1.0)
    return weights


def chunks(indices: np.ndarray, documents: int):
    """Yield the resample weights a chunk at a time."""
    for start in range(0, len(indices), CHUNK):
        yield weights_of(indices[start : start + CHUNK], documents)


def interval(values: np.ndarray, confidence: float = CONFIDENCE) -> list[float] | None:
    """Percentile interval of the finite resampled values; None when fewer than half are defined.

    >>> interval(np.array([0.0, 0.5, 1.0, np.nan]), 0.5)
    [0.25, 0.75]
    """
    finite = values[np.isfinite(values)]
    if not len(values) or 2 * len(finite) < len(values):
        return None
    tail = (1 - confidence) / 2
    low, high = np.quantile(finite, [tail, 1 - tail])
    return [round(float(low), 6), round(float(high), 6)]
