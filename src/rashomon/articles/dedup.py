"""Near-duplicate and wire-copy detection: word shingles, MinHash, LSH bands.

The band hashes are stored with each article, so finding an article's copies is an index
lookup in the store, not a scan; the exact shingle overlap then confirms each candidate.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from .ids import normalise_text

__all__ = ["SHINGLE", "NUM_PERM", "BANDS", "shingles", "band_keys", "overlap", "Overlap", "is_copy"]

SHINGLE = 5
NUM_PERM = 64
BANDS = 16  # 16 bands × 4 rows: candidates from a Jaccard of ~0.5 up
_ROWS = NUM_PERM // BANDS
# The prime must be below the products a*x (a, x up to 2^31, 2^32) so that they wrap many times:
# with p = 2^61-1 they barely wrap, every permutation ranks shingles almost by x, the 64 minima
# all fall on the same few shingles and a 70% wire copy shares all bands or none.
_PRIME = np.uint64((1 << 31) - 1)
_MIX = np.uint64(1_000_003)
_rng = np.random.default_rng(20241127)  # fixed seed: band keys must be stable across runs
_A = _rng.integers(1, (1 << 31) - 1, NUM_PERM, dtype=np.uint64)
_B = _rng.integers(0, (1 << 31) - 1, NUM_PERM, dtype=np.uint64)


def shingles(text: str) -> np.ndarray:
    """Unique hashes (below 2^32) of the normalised text's word 5-grams."""
    words = normalise_text(text).split()
    if not words:
        return np.zeros(0, dtype=np.uint64)
    vocab: dict[str, int] = {}
    word_hash = np.fromiter((vocab.setdefault(w, zlib.crc32(w.encode())) for w in words),
                            dtype=np.uint64, count=len(words))
    k = min(SHINGLE, len(words))
    # Polynomial hash of each window, computed for all windows at once (uint64 wraps by design).
    grams = np.zeros(len(words) - k + 1, dtype=np.uint64)
    for j in range(k):
        grams = grams * _MIX + word_hash[j:len(words) - k + 1 + j]
    return np.unique((grams ^ (grams >> np.uint64(32))) & np.uint64(0xFFFFFFFF))


def band_keys(hashes: np.ndarray) -> list[int]:
    """One signed 63-bit key per LSH band (fits a BIGINT column)."""
    if hashes.size == 0:
        return []
    # (a*x + b) mod p with x < 2^32 and a, b < 2^31 stays below 2^63: no overflow.
    sig = ((hashes[None, :] * _A[:, None] + _B[:, None]) % _PRIME).min(axis=1)
    rows = sig.reshape(BANDS, _ROWS)
    keys = []
    for band, row in enumerate(rows):
        digest = zlib.crc32(row.tobytes(), band) | (band << 32)
        keys.append(int(digest))
    return keys


# A trimmed wire copy keeps most of the original. A short piece quoted inside a long article is
# not a copy of it, and letting containment link those chains unrelated long articles together.
MIN_LENGTH_RATIO = 0.5


@dataclass(frozen=True)
class Overlap:
    jaccard: float
    containment: float   # share of the shorter text's shingles found in the longer one
    length_ratio: float  # shorter / longer, in shingles


def overlap(a: np.ndarray, b: np.ndarray) -> Overlap:
    if a.size == 0 or b.size == 0:
        return Overlap(0.0, 0.0, 0.0)
    common = np.intersect1d(a, b, assume_unique=True).size
    short, long = sorted((a.size, b.size))
    return Overlap(common / (a.size + b.size - common), common / short, short / long)


def is_copy(ov: Overlap, jaccard: float, containment: float) -> bool:
    """Same article, possibly lightly edited or trimmed: counts as one source downstream."""
    return ov.jaccard >= jaccard or (ov.containment >= containment and ov.length_ratio >= MIN_LENGTH_RATIO)
