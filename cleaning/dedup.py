"""Near-duplicate detection with MinHash LSH: keep the first, point the others at it."""

from __future__ import annotations

import re
import zlib

import numpy as np
from datasketch import LeanMinHash, MinHashLSH

NUM_PERM = 64
SHINGLE = 5
SCHEME = "affine32"
_WORDS = re.compile(r"\w+")
_MAX = np.uint64((1 << 32) - 1)
_RNG = np.random.default_rng(1)
# One multiply-shift hash ((a * h + b) >> 32, a odd) per signature slot, the same in every process.
_A = _RNG.integers(1, 1 << 63, size=NUM_PERM, dtype=np.uint64) | np.uint64(1)
_B = _RNG.integers(0, 1 << 63, size=NUM_PERM, dtype=np.uint64)


def signature(text: str) -> np.ndarray:
    """Return the MinHash signature of a text's 5-word shingles, computed with numpy.

    Words are hashed once (crc32) and shingle hashes combined from them, so the
    cost is one hash per word rather than per shingle string.
    """
    words = np.array([zlib.crc32(w.encode()) for w in _WORDS.findall(text.lower())] or [0], dtype=np.uint64)
    count = max(1, len(words) - SHINGLE + 1)
    shingles = np.zeros(count, dtype=np.uint64)
    for k in range(min(SHINGLE, len(words))):
        shingles = (shingles * np.uint64(1_000_003) + words[k:k + count]) & _MAX
    shingles = np.unique(shingles)
    with np.errstate(over="ignore"):
        return ((np.outer(shingles, _A) + _B) >> np.uint64(32)).min(axis=0)


class NearDuplicates:
    """An index of documents seen so far; `add` names the first near-duplicate of a new one."""

    def __init__(self, threshold: float = 0.8):
        self.lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self.threshold = threshold
        self.seen: list[tuple[str, np.ndarray]] = []

    def add(self, doc_id: str, hashvalues: np.ndarray) -> str | None:
        """Index a document; return the id of the earliest document it nearly duplicates."""
        m = LeanMinHash(seed=1, hashvalues=hashvalues, scheme=SCHEME)
        # LSH finds candidates; the share of equal signature slots (the Jaccard estimate) confirms them.
        hits = sorted(k for k in self.lsh.query(m) if np.mean(self.seen[k][1] == hashvalues) >= self.threshold)
        self.lsh.insert(len(self.seen), m, check_duplication=False)
        self.seen.append((doc_id, hashvalues))
        return self.seen[hits[0]][0] if hits else None
