"""Near-duplicate articles (the same wire story in two outlets, a lightly edited update).

MinHash signatures over word 3-shingles, indexed with LSH (datasketch): finding the
stored articles whose estimated Jaccard similarity with a new one is at least THRESHOLD
costs about the same however many articles are stored. Exact duplicates never get here:
the store keeps one copy per content hash. Nothing here knows of the database; see
`components.store.stories` for the part that assigns story ids to stored articles.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable
from typing import Any

import numpy as np
from datasketch import MinHash, MinHashLSH

THRESHOLD = 0.8  # estimated Jaccard similarity of shingle sets that makes two articles one story
SHINGLE_WORDS = 3
NUM_PERM = 128
MIN_SHINGLES = 10  # a few words in common say nothing about being the same story
_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, k: int = SHINGLE_WORDS) -> set[str]:
    """Lower-cased word k-grams; punctuation, case and spacing changes do not matter."""
    words = _WORD.findall(text.lower())
    if len(words) < k:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + k]) for i in range(len(words) - k + 1)}


def jaccard(a: str, b: str) -> float:
    """Exact Jaccard similarity of two texts' shingle sets (for tests and checks)."""
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / len(sa | sb) if sa or sb else 1.0


def signature(text: str, num_perm: int = NUM_PERM) -> MinHash | None:
    """The text's MinHash, or None when it is too short to compare."""
    grams = shingles(text)
    if len(grams) < MIN_SHINGLES:
        return None
    sig = MinHash(num_perm=num_perm)
    sig.update_batch([g.encode("utf-8") for g in grams])
    return sig


class NearDuplicateIndex:
    """Keys and their signatures; `find` gives the most similar key at or above the threshold."""

    def __init__(self, threshold: float = THRESHOLD, num_perm: int = NUM_PERM):
        self.threshold = threshold
        self.num_perm = num_perm
        # LSH below the threshold, for recall; each candidate is then checked on its signature.
        self._lsh = MinHashLSH(threshold=max(0.5, threshold - 0.1), num_perm=num_perm)
        self._hashes: dict[Hashable, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self._hashes)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._hashes

    def _sig(self, text_or_sig: str | MinHash | None) -> MinHash | None:
        return signature(text_or_sig, self.num_perm) if isinstance(text_or_sig, str) else text_or_sig

    def find(self, text_or_sig: str | MinHash | None) -> tuple[Hashable, float] | None:
        sig = self._sig(text_or_sig)
        if sig is None or not self._hashes:
            return None
        best: tuple[Hashable, float] | None = None
        for key in self._lsh.query(sig):
            similarity = float(np.count_nonzero(self._hashes[key] == sig.hashvalues)) / self.num_perm
            if similarity >= self.threshold and (best is None or similarity > best[1] or (similarity == best[1] and _before(key, best[0]))):
                best = (key, similarity)
        return best

    def add(self, key: Hashable, text_or_sig: str | MinHash | None) -> bool:
        """Index `key`; False when its text is too short to index or the key is already there."""
        sig = self._sig(text_or_sig)
        if sig is None or key in self._hashes:
            return False
        self._lsh.insert(key, sig)
        self._hashes[key] = sig.hashvalues.copy()
        return True


def _before(a: Any, b: Any) -> bool:
    try:
        return bool(a < b)
    except TypeError:
        return str(a) < str(b)


def group_near_duplicates(items: Iterable[tuple[Hashable, str]], threshold: float = THRESHOLD) -> dict[Hashable, Hashable]:
    """Each key -> the key of its story: the first item (in the given order) it is a near-duplicate of.

    Items are compared with every item before them, so the first of a story names it and
    an update of an update stays in the story of the original.
    """
    index = NearDuplicateIndex(threshold)
    story: dict[Hashable, Hashable] = {}
    for key, text in items:
        sig = signature(text, index.num_perm)
        match = index.find(sig)
        story[key] = story[match[0]] if match else key
        index.add(key, sig)
    return story
