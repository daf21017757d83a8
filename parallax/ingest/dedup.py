"""Near-duplicate detection: the same wire copy published by two sites.

Two sites running one AFP or Yonhap story rarely carry byte-identical text: one cuts the
last paragraphs, one localises spelling ("programme" -> "program"), one adds an editor's
line or drops the caption. Such pairs share most of their word 3-shingles, while two
different articles about the same event share almost none, so the test is on shingles:

- a MinHash signature (`SIGNATURE_SIZE` minima of multiply-shift hashes, numpy-vectorised)
  estimates the Jaccard similarity of two shingle sets from 256 bytes per article;
- with the shingle count, it also estimates *containment* (how much of the shorter text
  is in the longer one), which catches a copy trimmed to half its length;
- LSH banding (`BANDS` bands of `ROWS` rows) finds candidates without comparing a new
  article with every stored one; candidates are then checked on the full signature.

`NearDuplicateIndex` keeps the signatures of stored articles in a companion file beside
the store (`<stem>.minhash.npz`, a derived cache: it is rebuilt from article bodies when it
is missing, stale or written by another version), so a signature is computed once per
article, at import. See `benchmarks/near_duplicates.py` for recall and false positives.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

SIGNATURE_SIZE = 64
ROWS = 2
BANDS = SIGNATURE_SIZE // ROWS
SHINGLE = 3
MIN_SHINGLES = 40
"""Shorter texts (a headline-only record, a caption) match by chance too easily."""
MAX_WORDS = 20_000
MAX_CHARS = 400_000
CHUNK = 4096
JACCARD_THRESHOLD = 0.5
CONTAINMENT_THRESHOLD = 0.8
VERSION = 1
"""Bump when tokens, shingles, hash family or seed change: caches of other versions are
rebuilt instead of being compared with incompatible signatures."""

_WORD = re.compile(r"\w+", re.UNICODE)
_SEED = 20140213
_rng = np.random.default_rng(_SEED)
_MULT = _rng.integers(1, 2**63, SIGNATURE_SIZE, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_ADD = _rng.integers(0, 2**63, SIGNATURE_SIZE, dtype=np.uint64)
_EMPTY = np.full(SIGNATURE_SIZE, np.iinfo(np.uint32).max, dtype=np.uint32)


@dataclass(frozen=True, slots=True)
class Signature:
    """A text's MinHash signature and how many distinct shingles it had."""

    values: np.ndarray
    shingles: int

    @property
    def usable(self) -> bool:
        return self.shingles >= MIN_SHINGLES


def _shingle_hashes(text: str) -> np.ndarray:
    """64-bit hashes of the distinct word 3-shingles of `text` (case-folded words only,
    so markup escapes, punctuation and line breaks do not matter)."""
    # A wire story is a few thousand words; a 20 MB "article" must not cost minutes or
    # gigabytes, so only its head is fingerprinted.
    words = _WORD.findall(text[:MAX_CHARS].casefold())[:MAX_WORDS]
    grams = {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
    if not grams:
        return np.zeros(0, dtype=np.uint64)
    digest = b"".join(hashlib.blake2b(g.encode(), digest_size=8).digest() for g in grams)
    return np.frombuffer(digest, dtype="<u8").astype(np.uint64)


def signature(text: str) -> Signature:
    """The MinHash signature of `text` (see the module docstring)."""
    hashes = _shingle_hashes(text)
    if hashes.size == 0:
        return Signature(_EMPTY.copy(), 0)
    # Multiply-shift hashing mod 2**64 (numpy wraps uint64 arithmetic), top 32 bits kept;
    # in chunks, so memory stays at CHUNK x SIGNATURE_SIZE words.
    best = np.full(SIGNATURE_SIZE, np.iinfo(np.uint64).max, dtype=np.uint64)
    for start in range(0, hashes.size, CHUNK):
        part = hashes[start : start + CHUNK, None]
        mixed = (part * _MULT[None, :] + _ADD[None, :]) >> np.uint64(32)
        np.minimum(best, mixed.min(axis=0), out=best)
    return Signature(best.astype(np.uint32), int(hashes.size))


def similarity(a: Signature, b: Signature) -> tuple[float, float]:
    """Estimated (Jaccard similarity, containment of the shorter text in the longer)."""
    jaccard = float(np.count_nonzero(a.values == b.values)) / SIGNATURE_SIZE
    common = jaccard * (a.shingles + b.shingles) / (1 + jaccard)
    smaller = min(a.shingles, b.shingles)
    return jaccard, (min(common / smaller, 1.0) if smaller else 0.0)


def is_near_duplicate(a: Signature, b: Signature) -> bool:
    """Same wire copy? Both texts long enough, and similar or one contained in the other."""
    if not (a.usable and b.usable):
        return False
    jaccard, containment = similarity(a, b)
    return jaccard >= JACCARD_THRESHOLD or containment >= CONTAINMENT_THRESHOLD


def _band_keys(values: np.ndarray) -> list[int]:
    rows = values.astype(np.uint64).reshape(BANDS, ROWS)
    return [
        (band << 64) | (int(row[0]) << 32) | int(row[1]) for band, row in enumerate(rows.tolist())
    ]


@dataclass
class NearDuplicateIndex:
    """Signatures of the articles in one store, with an LSH band index over them.

    Attributes:
        path: the cache file (None: in memory only, e.g. tests).
        ids: article ids in insertion order (older first, so the original of a pair is
            the article stored first).
        signatures: id -> signature.
    """

    path: Path | None = None
    ids: list[str] = field(default_factory=list)
    signatures: dict[str, Signature] = field(default_factory=dict)
    _bands: dict[int, list[str]] = field(default_factory=dict, repr=False)
    _dirty: bool = False

    @classmethod
    def for_store(cls, store: str | os.PathLike[str]) -> NearDuplicateIndex:
        """The index cached beside `store` (`library.json` -> `library.minhash.npz`)."""
        store = Path(store)
        index = cls(path=store.with_name(store.stem + ".minhash.npz"))
        index._load()
        return index

    def _load(self) -> None:
        if self.path is None or not self.path.exists():
            return
        try:
            with np.load(self.path, allow_pickle=False) as data:
                if int(data["version"]) != VERSION:
                    self._dirty = True
                    return
                ids = [str(i) for i in data["ids"].tolist()]
                values = data["values"].astype(np.uint32)
                counts = data["counts"].astype(np.int64)
        except (OSError, ValueError, KeyError, TypeError):
            self._dirty = True  # a damaged cache is rebuilt from the bodies
            return
        if values.shape != (len(ids), SIGNATURE_SIZE) or counts.shape != (len(ids),):
            self._dirty = True
            return
        for i, article_id in enumerate(ids):
            self._put(article_id, Signature(values[i], int(counts[i])))

    def _put(self, article_id: str, sig: Signature) -> None:
        if article_id in self.signatures:
            return
        self.ids.append(article_id)
        self.signatures[article_id] = sig
        if sig.usable:
            for key in _band_keys(sig.values):
                self._bands.setdefault(key, []).append(article_id)

    def add(self, article_id: str, sig: Signature) -> None:
        """Remember a stored article's signature (saved by `save`)."""
        if article_id not in self.signatures:
            self._put(article_id, sig)
            self._dirty = True

    def find(self, sig: Signature, *, exclude: str | None = None) -> str | None:
        """The earliest-stored near-duplicate of `sig`, or None."""
        if not sig.usable:
            return None
        candidates: set[str] = set()
        for key in _band_keys(sig.values):
            candidates.update(self._bands.get(key, ()))
        candidates.discard(exclude or "")
        order = {article_id: n for n, article_id in enumerate(self.ids)}
        for article_id in sorted(candidates, key=order.__getitem__):
            if is_near_duplicate(sig, self.signatures[article_id]):
                return article_id
        return None

    def missing(self, stored_ids: Iterable[str]) -> list[str]:
        """Stored articles the cache has no signature for (imported by another process
        while this cache was being replaced, or before the cache existed)."""
        return [i for i in stored_ids if i not in self.signatures]

    def forget_except(self, stored_ids: set[str]) -> None:
        """Drop signatures of articles no longer in the store, so they are never named
        as a twin."""
        gone = [i for i in self.ids if i not in stored_ids]
        if not gone:
            return
        kept = [(i, self.signatures[i]) for i in self.ids if i in stored_ids]
        self.ids, self.signatures, self._bands = [], {}, {}
        for article_id, sig in kept:
            self._put(article_id, sig)
        self._dirty = True

    def save(self) -> None:
        """Write the cache atomically (temp file + rename), owner-only; never raises:
        losing the cache costs a recomputation, not data."""
        if self.path is None or not self._dirty:
            return
        values = (
            np.stack([self.signatures[i].values for i in self.ids])
            if self.ids
            else np.zeros((0, SIGNATURE_SIZE), dtype=np.uint32)
        )
        counts = np.array([self.signatures[i].shingles for i in self.ids], dtype=np.int64)
        tmp: str | None = None
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
            with os.fdopen(fd, "wb") as fh:
                np.savez(
                    fh,
                    version=np.int64(VERSION),
                    ids=np.array(self.ids, dtype=str),
                    values=values,
                    counts=counts,
                )
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
            tmp = None
            self._dirty = False
        except OSError:
            pass
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
