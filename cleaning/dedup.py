"""Near-duplicate detection with MinHash LSH: keep the first, point the others at it."""

from __future__ import annotations

import numpy as np

NUM_PERM = 64
SHINGLE = 5
_MAX = np.uint64((1 << 32) - 1)
_RNG = np.random.default_rng(1)
# One multiply-shift hash ((a * h + b) >> 32, a odd) per signature slot, the same in every process.
_A = _RNG.integers(1, 1 << 63, size=NUM_PERM, dtype=np.uint64) | np.uint64(1)
_B = _RNG.integers(0, 1 << 63, size=NUM_PERM, dtype=np.uint64)
# Word hashes are polynomial in a large odd base, so the base has an inverse modulo 2**64.
_BASE = 0x100000001B3
_BASE_INVERSE = pow(_BASE, -1, 1 << 64)
POWERS_KEPT = 1 << 18
_POWERS: dict[int, np.ndarray] = {}  # base -> its powers up to POWERS_KEPT (`_powers`)
# Bytes of the lowercased UTF-8 text that belong to words: ASCII letters, digits and
# underscore, and every non-ASCII byte (letters of other scripts; but see `_separate_punctuation`).
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
    shingles = words[:count] & _MAX  # the first word's step, from zeros
    for k in range(1, min(SHINGLE, len(words))):
        shingles = (shingles * np.uint64(1_000_003) + words[k:k + count]) & _MAX
    # One row per slot, so each minimum runs over contiguous memory; the shift keeps the order,
    # so it is taken of the minima alone.
    hashes = np.multiply.outer(_A, shingles)
    hashes += _B[:, None]
    return hashes.min(axis=1) >> np.uint64(32)


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
    in_word = _WORD_BYTE.take(data)
    _separate_punctuation(data, in_word)
    edges = run_edges(in_word)
    starts, ends = edges[::2], edges[1::2]
    if not len(starts):
        return np.zeros(1, dtype=np.uint64)
    powers = _powers(_BASE, len(data))  # powers[i] = BASE**i
    sums = np.zeros(len(data) + 1, dtype=np.uint64)  # sums[i]: the bytes before i
    (data * powers[1:]).cumsum(dtype=np.uint64, out=sums[1:])
    return (sums[ends] - sums[starts]) * _powers(_BASE_INVERSE, len(data))[starts]


def run_edges(marks: np.ndarray) -> np.ndarray:
    """Return where each run of True in a boolean array starts and ends (exclusive), in turn.

    What ``np.flatnonzero(np.diff(marks, prepend=False, append=False))``
    gives, in fewer steps: numpy's `diff` costs more to call than to run on
    a page's bytes.

    >>> run_edges(np.array([True, True, False, True]))
    array([0, 2, 3, 4])
    """
    padded = np.zeros(len(marks) + 2, dtype=bool)
    padded[1:-1] = marks
    return (padded[1:] != padded[:-1]).nonzero()[0]


def _powers(base: int, n: int) -> np.ndarray:
    """Return base**0 .. base**n modulo 2**64 (numpy's unsigned overflow wraps).

    A text of up to `POWERS_KEPT` bytes (nearly every page) takes a slice of a
    table kept per base (2 MB each), not a product of its own.
    """
    if n < POWERS_KEPT and base in _POWERS:
        return _POWERS[base][:n + 1]
    factors = np.full(max(n, POWERS_KEPT) + 1, base, dtype=np.uint64)
    factors[0] = 1
    powers = np.cumprod(factors)
    if n < POWERS_KEPT:
        _POWERS[base] = powers
    return powers[:n + 1]


def _separate_punctuation(data: np.ndarray, in_word: np.ndarray) -> None:
    """Mark the bytes of U+0080..U+00BF (C2 xx) and U+2000..U+203F (E2 80 xx) as not in a word."""
    for lead in (b"\xc2", b"\xe2\x80"):
        size = len(lead) + 1  # the lead bytes and one more
        hits = (data[:len(data) - size + 1] == lead[0]).nonzero()[0]
        for k in range(1, len(lead)):
            hits = hits[data[hits + k] == lead[k]]
        in_word[hits[:, None] + np.arange(size)] = False


class NearDuplicates:
    """An index of the documents seen so far; `add` names the first near-duplicate of a new one.

    Banded LSH: documents that agree on a whole band of signature slots are
    candidates, and the share of equal slots (the Jaccard estimate) confirms
    them. The parent holds it for the whole corpus, so it is lean: per
    document its 64 uint32 slots and one integer key per band, 1.3 KB with
    the id (datasketch's index with the signatures took 1.9 KB, measured with
    tracemalloc on 17,259 documents; importing datasketch also pulls in
    scipy, some 50 MB in every process).
    """

    def __init__(self, threshold: float = 0.8):
        bands, rows = bands_and_rows(threshold, NUM_PERM)
        self.bands = [slice(k * rows, (k + 1) * rows) for k in range(bands)]
        self.buckets: list[dict[int, list[int]]] = [{} for _ in self.bands]
        self.threshold = threshold
        self.ids: list[str] = []
        self.signatures = np.empty((1024, NUM_PERM), dtype=np.uint32)

    def add(self, doc_id: str, hashvalues: np.ndarray) -> str | None:
        """Index a document; return the id of the earliest document it nearly duplicates."""
        signature = hashvalues.astype(np.uint32)
        keys = [hash(signature[band].tobytes()) for band in self.bands]
        candidates = sorted({k for bucket, key in zip(self.buckets, keys, strict=True) for k in bucket.get(key, ())})
        original = next((self.ids[k] for k in candidates
                         if np.mean(self.signatures[k] == signature) >= self.threshold), None)
        self._store(doc_id, signature, keys)
        return original

    def _store(self, doc_id: str, signature: np.ndarray, keys: list[int]) -> None:
        n = len(self.ids)
        if n == len(self.signatures):
            self.signatures = np.concatenate((self.signatures, np.empty_like(self.signatures)))
        self.signatures[n] = signature
        self.ids.append(doc_id)
        for bucket, key in zip(self.buckets, keys, strict=True):
            bucket.setdefault(key, []).append(n)


def bands_and_rows(threshold: float, slots: int) -> tuple[int, int]:
    """Choose how many bands of how many slots make the LSH for `threshold`: datasketch's rule.

    The chance that two documents of Jaccard similarity s share a band of r
    slots out of b bands is 1 - (1 - s**r)**b; the choice minimises the mean
    of its area below the threshold (false candidates) and of its shortfall
    above it (missed ones). 0.8 gives 5 bands of 11 slots.

    >>> bands_and_rows(0.8, 64), bands_and_rows(0.5, 64)
    ((5, 11), (14, 4))
    """
    s = np.linspace(0.0, 1.0, 2001)
    below, above = s <= threshold, s >= threshold
    best, best_error = (1, 1), float("inf")
    for b in range(1, slots + 1):
        for r in range(1, slots // b + 1):
            shared = 1 - (1 - s**r) ** b
            error = 0.5 * np.trapezoid(shared[below], s[below]) + 0.5 * np.trapezoid(1 - shared[above], s[above])
            if error < best_error:
                best, best_error = (b, r), error
    return best
