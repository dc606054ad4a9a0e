"""Near-duplicate detection with MinHash LSH: keep the first, point the others at it."""

from __future__ import annotations

import re

import numpy as np
from datasketch import MinHash, MinHashLSH

NUM_PERM = 64
SHINGLE = 5
SCHEME = "affine32"
_WORDS = re.compile(r"\w+")


def signature(text: str) -> np.ndarray:
    """Return the MinHash signature of a text's 5-word shingles."""
    words = _WORDS.findall(text.lower())
    shingles = {" ".join(words[i:i + SHINGLE]).encode() for i in range(max(1, len(words) - SHINGLE + 1))}
    m = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    m.update_batch(list(shingles))
    return m.hashvalues


class NearDuplicates:
    """An index of documents seen so far; `add` names the first near-duplicate of a new one."""

    def __init__(self, threshold: float = 0.8):
        self.lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self.threshold = threshold
        self.seen: list[tuple[str, MinHash]] = []

    def add(self, doc_id: str, hashvalues: np.ndarray) -> str | None:
        """Index a document; return the id of the earliest document it nearly duplicates."""
        m = MinHash(num_perm=NUM_PERM, hashvalues=hashvalues, scheme=SCHEME)
        # LSH finds candidates; the signature estimate confirms them.
        hits = sorted(k for k in self.lsh.query(m) if self.seen[k][1].jaccard(m) >= self.threshold)
        self.lsh.insert(len(self.seen), m)
        self.seen.append((doc_id, m))
        return self.seen[hits[0]][0] if hits else None
