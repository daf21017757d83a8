"""`JournalStorage`: a TinyDB `Storage` made of a JSON snapshot plus an append-only journal.

Plain TinyDB `JSONStorage` rewrites the whole file in place on every write: slow on a big
store, and a crash mid-write leaves a torn file. Here:

- `library.json` is a snapshot in TinyDB's own JSON layout (tables -> doc id -> document),
  replaced atomically (`files.atomic_write`) and only on compaction or migration.
- `library.journal` holds one JSON line per committed write: `{"g": GEN, "ops": [[table,
  doc_id, document-or-null], ...]}`, appended and fsynced before the write returns. A
  keystroke-sized change writes a keystroke-sized line.
- On open (and on `sync`) the journal is replayed over the snapshot. Lines from an older
  generation (left by a crash between a compaction's two steps) are skipped; a torn last
  line (never acknowledged) is ignored and cut off before the next append.

The owner of the storage (`storage.Library`) tells it which documents a TinyDB write
touches through `pending`; a write without that hint falls back to a full atomic snapshot,
so correctness never depends on the hint.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from storage.errors import StoreCorruptError, StoreError
from storage.files import append_durable, atomic_write, truncate

META_TABLE = "_meta"
META_ID = "1"

Data = dict[str, dict[str, Any]]


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building large acyclic structures.

    Loading a store creates hundreds of thousands of dicts and lists; each allocation
    burst triggers a full GC pass over everything built so far (about a third of the
    open time at 10,000 articles). Parsed JSON has no reference cycles, so nothing is
    lost by collecting once afterwards instead.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _stat_key(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def shape_problem(data: Any) -> str | None:
    """Why `data` is not a snapshot in our layout, or None if it is.

    Valid JSON of the wrong shape (a list, a table that is not an object, an article
    without an id) must be refused on open with a clear error, not crash later in a
    list or a write that could then replace the file.
    """
    if not isinstance(data, dict):
        return f"the top level is a {type(data).__name__}, not an object of tables"
    for table, docs in data.items():
        if not isinstance(docs, dict):
            return f"table {table!r} is not an object of documents"
        for doc_id, doc in docs.items():
            if not isinstance(doc, dict):
                return f"document {doc_id!r} in table {table!r} is not an object"
    for doc_id, doc in data.get("articles", {}).items():
        if not isinstance(doc.get("id"), str) or (not doc_id.isdigit() and doc["id"] != doc_id):
            return f"article {doc_id!r} has no matching id"
    return None


def parse_entry(entry: Any) -> tuple[int, list[list[Any]]]:
    """The generation and operations of one journal line; ValueError if malformed."""
    if not isinstance(entry, dict):
        raise ValueError("a journal entry is not an object")
    gen, ops = entry["g"], entry["ops"]
    if not isinstance(gen, int) or not isinstance(ops, list):
        raise ValueError("a journal entry needs an integer g and a list of ops")
    for op in ops:
        if (
            not isinstance(op, list)
            or len(op) != 3
            or not isinstance(op[0], str)
            or not isinstance(op[1], str)
            or not (op[2] is None or isinstance(op[2], dict))
        ):
            raise ValueError(f"malformed journal operation {str(op)[:80]}")
        if op[0] == "articles" and op[2] is not None and op[2].get("id") != op[1]:
            raise ValueError(f"journal article {op[1][:20]!r} has no matching id")
    return gen, ops


class JournalStorage(Storage):
    """Snapshot + journal storage. Not thread-safe; callers hold the store lock to write."""

    def __init__(
        self,
        path: Path,
        journal_path: Path,
        *,
        compact_ops: int = 5000,
        compact_bytes: int = 16 * 1024 * 1024,
        backup_dir: Path | None = None,
    ) -> None:
        self.path = path
        self.backup_dir = backup_dir
        self.journal_path = journal_path
        self.compact_ops = compact_ops
        self.compact_bytes = compact_bytes
        self.data: Data = {}
        self.pending: list[tuple[str, str]] | None = None
        self.changed_docs: set[tuple[str, str]] = set()
        self._gen = 0
        self._offset = 0
        self._torn_at: int | None = None
        self._ops = 0
        self._snapshot_key: tuple[int, int, int] | None = None
        self.load()

    # -- TinyDB Storage API ----------------------------------------------------------------

    def read(self) -> Data:
        return self.data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self.data = data
        pending, self.pending = self.pending, None
        if pending is None:
            self.snapshot()
            return
        ops = [[table, doc_id, data.get(table, {}).get(doc_id)] for table, doc_id in pending]
        self.append(ops)

    def close(self) -> None:
        pass

    # -- snapshot and journal ----------------------------------------------------------------

    @property
    def generation(self) -> int:
        return self._gen

    def meta(self) -> dict[str, Any]:
        return dict(self.data.get(META_TABLE, {}).get(META_ID, {}))

    def load(self) -> None:
        with gc_paused():
            self._load()

    def _load(self) -> None:
        """(Re)read the snapshot and replay the whole journal.

        The snapshot's stat key is recorded only once it parsed: if it did not, the next
        `sync` must try (and fail) again rather than believe it is up to date, since a
        write on top of stale data could otherwise replace a file we could not read.
        """
        key = _stat_key(self.path)
        if key is None:
            self.data = {}
        else:
            try:
                raw = self.path.read_bytes()
            except OSError as exc:
                raise StoreError(f"cannot read store {self.path}: {exc.strerror}") from exc
            try:
                data = json.loads(raw) if raw.strip() else {}
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                raise StoreCorruptError(
                    f"store file {self.path} is corrupt ({exc}). It was left untouched; "
                    "run `parallax doctor --repair` to restore it from its backup."
                ) from exc
            problem = shape_problem(data)
            if problem:
                raise StoreCorruptError(
                    f"store file {self.path} is not a Parallax store or is damaged ({problem}). "
                    "It was left untouched; check the --store path, or run "
                    "`parallax doctor --repair` to restore it from its backup."
                )
            self.data = data
        self._snapshot_key = key
        self._gen = int(self.meta().get("gen", 0))
        self._offset = 0
        self._torn_at = None
        self._ops = 0
        self.changed_docs.clear()
        self._replay()

    def sync(self) -> bool:
        """Catch up with writes other processes made. Returns True if anything changed."""
        if _stat_key(self.path) != self._snapshot_key:
            self.load()
            return True
        before = self._offset
        self._replay()
        return self._offset != before

    def _replay(self) -> None:
        try:
            with open(self.journal_path, "rb") as fh:
                fh.seek(self._offset)
                chunk = fh.read()
        except FileNotFoundError:
            return
        except OSError as exc:
            raise StoreError(f"cannot read journal {self.journal_path}: {exc.strerror}") from exc
        pos = 0
        while pos < len(chunk):
            nl = chunk.find(b"\n", pos)
            if nl < 0:
                # A torn tail: a write that crashed before completing; never acknowledged.
                self._torn_at = self._offset + pos
                break
            line = chunk[pos:nl]
            pos = nl + 1
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
                gen, ops = parse_entry(entry)
            except (ValueError, KeyError, TypeError) as exc:
                if pos >= len(chunk):
                    # Garbage on the last line only: a torn write, same as above.
                    self._torn_at = self._offset + pos - len(line) - 1
                    break
                raise StoreCorruptError(
                    f"journal {self.journal_path} is damaged at byte {self._offset + pos}. "
                    "It was left untouched; run `parallax doctor --repair`."
                ) from exc
            if gen != self._gen:
                continue
            for table, doc_id, doc in ops:
                tbl = self.data.setdefault(table, {})
                if doc is None:
                    tbl.pop(doc_id, None)
                else:
                    tbl[doc_id] = doc
                self.changed_docs.add((table, doc_id))
            self._ops += 1
        else:
            self._torn_at = None
        consumed = pos if self._torn_at is None else self._torn_at - self._offset
        self._offset += consumed

    def append(self, ops: list[list[Any]]) -> None:
        """Durably append one committed write (a list of document puts/deletes)."""
        if self._torn_at is not None:
            truncate(self.journal_path, self._torn_at)
            self._offset = self._torn_at
            self._torn_at = None
        line = json.dumps({"g": self._gen, "ops": ops}, ensure_ascii=False, separators=(",", ":"))
        data = line.encode("utf-8") + b"\n"
        try:
            append_durable(self.journal_path, data)
        except StoreError:
            # Not acknowledged, so it must not come back on the next open either.
            with contextlib.suppress(OSError):
                os.truncate(self.journal_path, self._offset)
            raise
        self._offset += len(data)
        self._ops += 1
        if self._ops >= self.compact_ops or self._offset >= self.compact_bytes:
            # The write is already durable in the journal; compaction is housekeeping
            # that a full disk may postpone without failing the write.
            with contextlib.suppress(StoreError):
                self.snapshot(backup=True)

    def snapshot(self, *, backup: bool = False) -> None:
        """Write everything to a new snapshot and start an empty journal (compaction).

        With `backup` (compactions), the new snapshot is also copied into the rotating
        backups: if the snapshot is later damaged, `parallax doctor --repair` restores that
        copy and replays the journal written since (same generation), losing nothing.
        """
        new_gen = self._gen + 1
        meta = self.data.setdefault(META_TABLE, {}).setdefault(META_ID, {})
        meta["gen"] = new_gen
        # `_meta` first, so an open can read the schema from the first bytes
        # (`migrations._header_schema`) instead of parsing the whole file twice.
        ordered = {META_TABLE: self.data[META_TABLE]}
        ordered.update((k, v) for k, v in self.data.items() if k != META_TABLE)
        payload = json.dumps(ordered, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        try:
            atomic_write(self.path, payload)
        except Exception:
            meta["gen"] = self._gen
            raise
        self._gen = new_gen
        if backup and self.backup_dir is not None:
            from storage.migrations import backup as rotate_backup

            # Housekeeping: a full disk may skip a backup, never fail a durable write.
            with contextlib.suppress(StoreError, OSError):
                rotate_backup(self.path, self.backup_dir, "compact", payload)
        # The old journal's lines carry the old generation and are skipped from now on,
        # so emptying it is an optimisation that may be lost in a crash without harm.
        atomic_write(self.journal_path, b"")
        self._offset = 0
        self._torn_at = None
        self._ops = 0
        self._snapshot_key = _stat_key(self.path)

    def journal_size(self) -> int:
        try:
            return os.path.getsize(self.journal_path)
        except OSError:
            return 0
