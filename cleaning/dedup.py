"""Near-duplicate detection with MinHash LSH: keep the first, point the others at it."""

from __future__ import annotations

import numpy as np
from datasketch import LeanMinHash, MinHashLSH

NUM_PERM = 64
SHINGLE = 5
SCHEME = "affine32"
_MAX = np.uint64((1 << 32) - 1)
_RNG = np.random.default_rng(1)
# One multiply-shift hash ((a * h + b) >> 32, a odd) per signature slot, the same in every process.
_A = _RNG.integers(1, 1 << 63, size=NUM_PERM, dtype=np.uint64) | np.uint64(1)
_B = _RNG.integers(0, 1 << 63, size=NUM_PERM, dtype=np.uint64)
# Word hashes are polynomial in a large odd base, so the base has an inverse modulo 2**64.
_BASE = 0x100000001B3
_BASE_INVERSE = pow(_BASE, -1, 1 << 64)
# Bytes of the lowercased UTF-8 text that belong to words: ASCII letters, digits and
# underscore, and every non-ASCII byte (letters of other scripts; see `_WORD_BYTES`).
_WORD_BYTE = np.zeros(256, dtype=bool)
_WORD_BYTE[[*b"abcdefghijklmnopqrstuvwxyz0123456789_"]] = True
_WORD_BYTE[0x80:] = True


def signature(text: str) -> np.ndarray:
    """Return the MinHash signature of a text's 5-word shingles, computed with numpy.

    Words are found and hashed on the UTF-8 bytes in a few array operations
    (no Python loop over words), and shingle hashes are combined from them.
    """
    words = word_hashes(text)
    count = max(1, len(words) - SHINGLE + 1)
    shingles = np.zeros(count, dtype=np.uint64)
    for k in range(min(SHINGLE, len(words))):
        shingles = (shingles * np.uint64(1_000_003) + words[k:k + count]) & _MAX
    with np.errstate(over="ignore"):
        return ((np.outer(shingles, _A) + _B) >> np.uint64(32)).min(axis=0)


def word_hashes(text: str) -> np.ndarray:
    """Return a 64-bit hash of each word of `text` (lowercased), in order; [0] for a text without words.

    A word is a run of word bytes; typographic punctuation (U+0080 to U+00BF and
    U+2000 to U+203F: no-break space, quotes, dashes, ellipsis) separates words.
    A word's hash is the sum of its bytes times powers of `_BASE`, shifted to
    its own start, so the same word hashes the same wherever it stands.
    """
    data = np.frombuffer(text.lower().encode("utf-8"), dtype=np.uint8)
    if not len(data):
        return np.zeros(1, dtype=np.uint64)
    in_word = _WORD_BYTE[data]
    _separate_punctuation(data, in_word)
    edges = np.flatnonzero(np.diff(in_word, prepend=False, append=False))
    starts, ends = edges[::2], edges[1::2]
    if not len(starts):
        return np.zeros(1, dtype=np.uint64)
    powers = _powers(_BASE, len(data))  # powers[i] = BASE**i
    sums = np.cumsum(data * powers[1:], dtype=np.uint64)
    sums = np.concatenate((np.zeros(1, dtype=np.uint64), sums))  # sums[i]: the bytes before i
    return (sums[ends] - sums[starts]) * _powers(_BASE_INVERSE, len(data))[starts]


def _powers(base: int, n: int) -> np.ndarray:
    """Return base**0 .. base**n modulo 2**64 (numpy's unsigned overflow wraps)."""
    factors = np.full(n + 1, base, dtype=np.uint64)
    factors[0] = 1
    return np.cumprod(factors)


def _separate_punctuation(data: np.ndarray, in_word: np.ndarray) -> None:
    """Mark the bytes of U+0080..U+00BF (C2 xx) and U+2000..U+203F (E2 80 xx) as not in a word."""
    for lead, size in ((b"\xc2", 2), (b"\xe2\x80", 3)):
        hits = np.flatnonzero(data[:len(data) - size + 1] == lead[0])
        if len(lead) == 2:
            hits = hits[data[hits + 1] == lead[1]]
        for k in range(size):
            in_word[hits + k] = False


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
