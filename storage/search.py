"""Full-text search index.

The index is a companion file `<stem>.fts.json`: `{"docs": [id, ...], "terms": {term:
"n n n"}}` where each posting list is a space-separated string of document numbers, plus an
append-only `<stem>.fts.log` of the batches imported since (see `SearchIndex`). Posting
strings are only split for the terms a query uses, so loading the index is one `json.loads`
and a query over 10,000 articles costs a few set intersections. Articles are immutable
content, so the index only grows on import. It is derived data: `parallax doctor --repair`
rebuilds it, and search scans whatever it misses.
"""

from __future__ import annotations

import bisect
import json
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType

from storage.files import append_durable, atomic_write, truncate

_numpy: ModuleType | bool | None = False


def _np() -> ModuleType | None:
    """numpy (it comes with spaCy), imported on first use: it costs 0.3-0.6 s at start-up,
    which a `parallax tag` or a reader opening must not pay. None when it is missing."""
    global _numpy
    if _numpy is False:
        try:
            import numpy
        except ImportError:  # pragma: no cover
            _numpy = None
        else:
            _numpy = numpy
    return _numpy  # type: ignore[return-value]


_WORD = re.compile(r"\w+", re.UNICODE)


def fold(text: str) -> str:
    """Case- and accent-insensitive form of `text` (é -> e, ß -> ss)."""
    if text.isascii():
        # Fast path (most news text): casefold of ASCII is lower(), NFKD changes nothing.
        return text.lower()
    text = unicodedata.normalize("NFKD", text.casefold())
    if text.isascii():
        return text
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def tokens(text: str) -> list[str]:
    return _WORD.findall(fold(text))


class SearchIndex:
    """An inverted index persisted beside the store, loaded lazily on first search.

    Two files: the base `<stem>.fts.json` and `<stem>.fts.log`, one JSON line per import
    batch (`{"first": N, "docs": [...], "terms": {...}}`, document numbers from N on). An
    import appends a line instead of rewriting the whole index (about 190 MB at 100,000
    articles); the log is folded into the base once it grows past half the base's size.
    Callers hold the store lock while adding. A torn last log line (a crash mid-append)
    is ignored and cut before the next append.
    """

    fold_min_bytes = 4 * 1024 * 1024

    def __init__(self, path: Path) -> None:
        self.path = path
        self.log_path = path.with_name(path.name.removesuffix(".json") + ".log")
        self._docs: list[str] | None = None
        self._terms: dict[str, str] = {}
        self._key: tuple[object, ...] | None = None
        self._sorted: list[str] | None = None
        self._log_end = 0
        self._log_torn = False

    def _stat(self) -> tuple[object, ...] | None:
        keys: list[object] = []
        for p in (self.path, self.log_path):
            try:
                st = p.stat()
            except FileNotFoundError:
                keys.append(None)
                continue
            # The inode too: the base is replaced atomically, so a new file is a new inode.
            keys.append((st.st_ino, st.st_mtime_ns, st.st_size))
        return None if keys == [None, None] else tuple(keys)

    def _load(self) -> None:
        key = self._stat()
        if self._docs is not None and key == self._key:
            return
        self._key = key
        self._sorted = None
        self._log_end = 0
        self._log_torn = False
        if key is None:
            self._docs, self._terms = [], {}
            return
        try:
            if self.path.exists():
                data = json.loads(self.path.read_text(encoding="utf-8"))
                self._docs = list(data["docs"])
                self._terms = dict(data["terms"])
            else:
                self._docs, self._terms = [], {}
            self._replay_log()
        except (OSError, ValueError, KeyError, TypeError):
            # The index is derived data: a damaged one is rebuilt by `parallax doctor`;
            # until then search falls back to scanning (see Library._matching_ids).
            self._docs, self._terms = None, {}
            raise

    def _replay_log(self) -> None:
        try:
            raw = self.log_path.read_bytes()
        except FileNotFoundError:
            return
        pos = 0
        while pos < len(raw):
            nl = raw.find(b"\n", pos)
            try:
                if nl < 0:
                    raise ValueError("torn line")
                entry = json.loads(raw[pos:nl])
                first, docs, terms = int(entry["first"]), list(entry["docs"]), dict(entry["terms"])
                assert self._docs is not None
                if first > len(self._docs):
                    raise ValueError(
                        f"index log line starts at document {first}: lines are missing"
                    )
            except (ValueError, KeyError, TypeError):
                if nl < 0 or nl == len(raw) - 1:
                    self._log_torn = True  # a crash mid-append: never completed
                    break
                raise
            if first == len(self._docs):
                self._merge(docs, terms)
            # else: already in the base (a crash between folding the log into the base
            # and emptying the log); replaying it again would duplicate documents.
            pos = nl + 1
        self._log_end = pos

    def _merge(self, docs: list[str], terms: dict[str, str]) -> None:
        assert self._docs is not None
        self._docs.extend(docs)
        self._sorted = None
        for term, joined in terms.items():
            old = self._terms.get(term)
            self._terms[term] = f"{old} {joined}" if old else joined

    def add(self, docs: Iterable[tuple[str, str]]) -> None:
        """Index `(article_id, text)` pairs and persist them (one appended log line)."""
        try:
            self._load()
        except (OSError, ValueError, KeyError, TypeError):
            self._docs, self._terms = [], {}
            self._log_end, self._log_torn = 0, False
            self._write_base()  # replace the damaged files with an empty index
        assert self._docs is not None
        known = set(self._docs)
        new_docs: list[str] = []
        postings: dict[str, list[str]] = {}
        for doc_id, text in docs:
            if doc_id in known:
                continue
            known.add(doc_id)
            n = str(len(self._docs) + len(new_docs))
            new_docs.append(doc_id)
            for term in set(tokens(text)):
                postings.setdefault(term, []).append(n)
        if not new_docs:
            return
        terms = {term: " ".join(nums) for term, nums in postings.items()}
        entry = {"first": len(self._docs), "docs": new_docs, "terms": terms}
        line = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
        if self._log_torn:
            truncate(self.log_path, self._log_end)
            self._log_torn = False
        append_durable(self.log_path, line.encode("utf-8") + b"\n")
        self._log_end += len(line.encode("utf-8")) + 1
        self._merge(new_docs, terms)
        try:
            base_size = self.path.stat().st_size
        except FileNotFoundError:
            base_size = 0
        if self._log_end > max(base_size // 2, self.fold_min_bytes):
            self.save()
        else:
            self._key = self._stat()

    def _write_base(self) -> None:
        payload = json.dumps(
            {"docs": self._docs or [], "terms": self._terms},
            ensure_ascii=False,
            separators=(",", ":"),
        )
        atomic_write(self.path, payload.encode("utf-8"))
        # Lines already in the base must not be replayed again: empty the log.
        atomic_write(self.log_path, b"")
        self._log_end = 0
        self._log_torn = False

    def save(self) -> None:
        """Fold everything into the base file and start an empty log."""
        self._write_base()
        self._key = self._stat()

    def rebuild(self, docs: Iterable[tuple[str, str]]) -> None:
        self._docs, self._terms, self._sorted = [], {}, None
        self._log_end, self._log_torn = 0, False
        self._write_base()
        self._key = self._stat()
        self.add(docs)

    def search(self, query: str) -> set[str] | None:
        """Ids of documents containing every word of `query` (the last word as a prefix).

        Returns None when the index is unusable, so the caller can fall back to a scan.
        """
        try:
            self._load()
        except (OSError, ValueError, KeyError, TypeError):
            return None
        assert self._docs is not None
        words = tokens(query)
        if not words:
            return set(self._docs)
        result: set[str] | None = None
        for i, word in enumerate(words):
            nums: set[str] = set()
            if i == len(words) - 1 and len(word) >= 3:
                # The last word is a prefix (search as you type): a binary search over the
                # sorted terms finds its range instead of scanning the whole vocabulary.
                if self._sorted is None:
                    self._sorted = sorted(self._terms)
                terms = self._sorted
                at = bisect.bisect_left(terms, word)
                while at < len(terms) and terms[at].startswith(word):
                    nums.update(self._terms[terms[at]].split())
                    at += 1
            else:
                posting = self._terms.get(word)
                if posting:
                    nums.update(posting.split())
            result = nums if result is None else result & nums
            if not result:
                return set()
        docs = self._docs
        return {docs[int(n)] for n in result or ()}

    def size(self) -> int:
        """How many articles the index covers (0 when it is unusable)."""
        try:
            self._load()
        except (OSError, ValueError, KeyError, TypeError):
            return 0
        return len(self._docs or ())

    def indexed(self) -> set[str]:
        try:
            self._load()
        except (OSError, ValueError, KeyError, TypeError):
            return set()
        return set(self._docs or ())
