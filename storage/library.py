"""`Library`: the one interface to a store of articles and the user's state about them.

Layout of a store named `library.json` (every companion shares the stem):

| file                    | holds                                                    | written |
|-------------------------|----------------------------------------------------------|---------|
| `library.json`          | TinyDB snapshot: `_meta`, `articles` (light records with  | on compaction |
|                         | all user state), `notes`, `stories`                      |         |
| `library.journal`       | fsynced append-only journal replayed over the snapshot  | every write |
| `library.content/ab/ID.json` | immutable content: body, raw, removed, captions, analysis | import, re-analysis |
| `library.fts.json`      | full-text index (derived; rebuilt by `parallax doctor`) | when the log grows |
| `library.fts.log`       | index batches appended since (see `storage.search`)     | import  |
| `library.lock`          | the cross-process lock                                   |         |
| `library.backups/`      | rotating backups before migrations and repairs          |         |

So a flag, tag or note change appends one short journal line instead of rewriting
megabytes, and the list pane reads only the light records (no bodies) at open. Every
read-modify-write runs under the lock after catching up with other processes' writes, so
two reader sessions and a cron import never lose each other's updates.
"""

from __future__ import annotations

import builtins
import contextlib
import dataclasses
import gc
import heapq
import json
import operator
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.table import Table

from parallax.model import (
    FLAGS,
    AmbiguousIdError,
    Analysis,
    Anchor,
    Article,
    Flag,
    Note,
    NotFoundError,
    Story,
    content_id,
)
from storage.errors import (
    ContentError,
    StoreCorruptError,
    StoreError,
    StoreNotFoundError,
    StoreVersionError,
)
from storage.files import StoreLock, atomic_write, atomic_write_many, ensure_dir
from storage.journal import META_ID, META_TABLE, JournalStorage, gc_paused
from storage.migrations import STORE_SCHEMA, migrate_if_needed
from storage.protocol import AddResult, ArticleFilter, ArticleSummary, SortKey, StoreStats
from storage.search import SearchIndex, tokens

ARTICLES = "articles"
NOTES = "notes"
STORIES = "stories"

# Fields kept in the light record (everything a list row, a filter or a sort needs).
_CONTENT_FIELDS = ("body", "raw", "removed", "captions", "analysis")
# The list pane builds thousands of summaries at start-up: fetch their fields in C.
_SUMMARY_FIELDS = operator.itemgetter(
    "id", "title", "source", "agency", "author", "published", "tags", "read", "starred", "archived"
)
_SUMMARY_TAIL = operator.itemgetter("story", "duplicate_of")
# Sort keys of `list()` over light records. The date key is one string, not a (date, id)
# tuple: it compares about twice as fast and orders the same ("\0" sorts before any
# character of a date).
_LIST_KEYS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "date": lambda r: f"{r.get('published') or ''}\0{r['id']}",
    "source": lambda r: ((r.get("source") or "").casefold(), r.get("published") or ""),
    "title": lambda r: (r.get("title") or "").casefold(),
    "imported": lambda r: r.get("imported_at") or "",
}


class _StrIdTable(Table):
    """A TinyDB table keyed by our own string ids (article, note and story ids)."""

    document_id_class = str  # type: ignore[assignment]

    def _get_next_id(self) -> Any:  # pragma: no cover - ids are always given
        raise ValueError("documents in this table need an explicit id")


class _TinyDB(TinyDB):
    table_class = _StrIdTable


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _companion(path: Path, suffix: str) -> Path:
    return path.with_name(path.stem + suffix)


class Library:
    """A store of articles on local files. Use `Library.open(path)`.

    Not thread-safe: one `Library` per thread (the reader keeps one in its main thread).
    """

    def __init__(self, path: Path, *, create: bool = True, compact_ops: int = 5000) -> None:
        self.path = Path(path)
        self.journal_path = _companion(self.path, ".journal")
        self.content_dir = _companion(self.path, ".content")
        self.backup_dir = _companion(self.path, ".backups")
        self.lock = StoreLock(_companion(self.path, ".lock"))
        self.search_index = SearchIndex(_companion(self.path, ".fts.json"))
        self._compact_ops = compact_ops
        if self.path.is_dir():
            raise StoreError(f"{self.path} is a folder, not a store file; check the --store path")
        if not self.path.exists():
            if not create:
                raise StoreNotFoundError(
                    f"no store at {self.path} (nothing was created); import articles to "
                    "create one, or check the --store path"
                )
            # Created on the first write (see `_sync`): a command that only reads (`list`
            # on a mistyped --store path) leaves no files behind.
            self._exists = False
            self.storage = self._new_storage()
        else:
            self._exists = True
            if not os.access(self.path, os.R_OK):
                raise StoreError(
                    f"cannot read store {self.path}: permission denied. Nothing was changed; "
                    "check the file's permissions and owner."
                )
            lock_existed = self.lock.path.exists()
            try:
                with self.lock.held():
                    self._load_existing()
            except StoreError:
                if not lock_existed:
                    # A file we refuse (not ours, damaged, newer) is left as we found it,
                    # and so is its folder: no stray lock file beside someone's JSON.
                    with contextlib.suppress(OSError):
                        self.lock.path.unlink()
                raise
        self.schema_version = STORE_SCHEMA
        # The records just loaded are a few million long-lived, acyclic objects: every
        # full collection would walk them all (0.5 s pauses at 100,000 articles, felt as
        # a stuck keystroke). Frozen, the collector skips them; refcounting still frees
        # them when a reload replaces them. Done once per open, not on every refresh, so
        # the reader's own objects made later stay collectable.
        gc.freeze()
        self._unseen_external = False
        self.db = _TinyDB(storage=_Passthrough, backend=self.storage)
        self._rebuild_indexes()

    def _new_storage(self) -> JournalStorage:
        return JournalStorage(
            self.path,
            self.journal_path,
            compact_ops=self._compact_ops,
            backup_dir=self.backup_dir,
        )

    def _load_existing(self) -> None:
        """Under the lock: migrate if old, load, and refuse what is not ours (untouched)."""
        migrate_if_needed(self.path, self.backup_dir, self.content_dir)
        self.storage = self._new_storage()
        meta = self.storage.meta()
        schema = int(meta.get("schema", STORE_SCHEMA if not meta else 1))
        if schema > STORE_SCHEMA:
            raise StoreVersionError(
                f"store {self.path} was written by a newer Parallax (schema {schema}, "
                f"this version reads up to {STORE_SCHEMA}); upgrade Parallax. "
                "The store was not changed."
            )
        if not meta:
            tables = sorted(self.storage.data)
            if tables:
                # Valid JSON but not ours (no `_meta`): writing our metadata into it would
                # change someone else's file (an empty TinyDB file included).
                raise StoreCorruptError(
                    f"{self.path} is not a Parallax store (it holds {', '.join(tables[:3])} "
                    "but no Parallax metadata). It was left untouched; check the --store path."
                )
            self._create_meta()

    def _create_meta(self) -> None:
        self.storage.data.setdefault(META_TABLE, {})[META_ID] = {
            "schema": STORE_SCHEMA,
            "gen": 0,
            "created": _now(),
        }
        self.storage.snapshot()

    @classmethod
    def open(
        cls, path: str | os.PathLike[str], create: bool = True, *, compact_ops: int = 5000
    ) -> Library:
        return cls(Path(path), create=create, compact_ops=compact_ops)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- internals ---------------------------------------------------------------------------

    @property
    def _records(self) -> dict[str, dict[str, Any]]:
        return self.storage.data.setdefault(ARTICLES, {})

    def _table(self, name: str) -> Table:
        return self.db.table(name)

    def _write(self, table: str, docs: dict[str, dict[str, Any] | None]) -> None:
        """Commit puts (dict) and deletes (None) in one table as one durable journal line."""
        self._write_tables({table: docs})

    def _write_tables(self, changes: dict[str, dict[str, dict[str, Any] | None]]) -> None:
        """Commit puts (dict) and deletes (None) in several tables as one durable line.

        This goes through TinyDB's `Storage` API (`storage.write(storage.read())` with the
        `pending` hint naming the touched documents) but not through `Table._update_table`:
        that rebuilds the whole table dict twice per write (converting every document id),
        which is O(N) per keystroke (about 30 ms at 100,000 articles). We mutate the table
        dict the storage returned in place, exactly what `_update_table`'s updater would do,
        and drop the TinyDB query cache of that table since we bypassed it.
        """
        store = self.storage
        store.pending = [(table, doc_id) for table, docs in changes.items() for doc_id in docs]
        try:
            data = store.read()
            for table, docs in changes.items():
                tdata = data.setdefault(table, {})
                for doc_id, doc in docs.items():
                    if doc is None:
                        tdata.pop(doc_id, None)
                    else:
                        tdata[doc_id] = doc
            store.write(data)
        except BaseException:
            store.pending = None
            # Roll back our in-memory view to what is durably stored.
            store.load()
            self._rebuild_indexes()
            raise
        for table, docs in changes.items():
            self._table(table).clear_cache()
            if table == ARTICLES:
                for doc_id in docs:
                    self._index_record(doc_id)
        self._open_key = self._files_key()

    def _sync(self) -> None:
        """Under the lock: catch up with other processes before a read-modify-write.

        Changes picked up here are remembered in `_unseen_external`, so the reader's next
        `changed_since_open()`/`refresh()` still reports them: our own write right after
        moves the files' stat key past them, and without the flag the reader would keep
        showing rows from before another session's change.
        """
        if not self._exists:
            # First write to a store opened before it existed: create it now (owner-only),
            # unless another process did meanwhile.
            if self.path.exists():
                self._load_existing()
                self._after_external_change()
                self._unseen_external = True
            else:
                self._create_meta()
            self._exists = True
            return
        if self.storage.sync():
            self._after_external_change()
            self._unseen_external = True

    def _after_external_change(self) -> None:
        for tbl in (ARTICLES, NOTES, STORIES):
            self._table(tbl).clear_cache()
        self._rebuild_indexes()
        self.storage.changed_docs.clear()

    def _rebuild_indexes(self) -> None:
        with gc_paused():
            self._build_indexes()

    def _build_indexes(self) -> None:
        self._facets: dict[str, dict[str, set[str]]] = {
            "source": {},
            "agency": {},
            "tag": {},
            "story": {},
        }
        # Built on the first entity filter: with ~40 entities per article it would be
        # most of the cost of opening a store, and only a few sessions filter by entity.
        self._entity_facet: dict[str, set[str]] | None = None
        self._entity_of: dict[str, list[str]] = {}
        self._doc_facets: dict[str, dict[str, list[str]]] = {}
        self._note_counts: dict[str, int] = {}
        # The same facets `_index_record` keeps, in one pass with no per-record removal
        # of old values (there are none yet): a third of the cost at 100,000 articles.
        facets = self._facets
        doc_facets = self._doc_facets
        for doc_id, rec in self._records.items():
            values = _facet_values(rec)
            for facet, vals in values.items():
                members = facets[facet]
                for v in vals:
                    members.setdefault(v, set()).add(doc_id)
            doc_facets[doc_id] = values
        for note in self.storage.data.get(NOTES, {}).values():
            aid = note.get("article_id")
            self._note_counts[aid] = self._note_counts.get(aid, 0) + 1
        self._open_key = self._files_key()

    def _index_record(self, doc_id: str) -> None:
        old = self._doc_facets.pop(doc_id, None)
        if old:
            for facet, old_values in old.items():
                for v in old_values:
                    members = self._facets[facet].get(v)
                    if members is not None:
                        members.discard(doc_id)
                        if not members:
                            del self._facets[facet][v]
        rec = self._records.get(doc_id)
        if self._entity_facet is not None:
            keys = rec.get("entity_keys", []) if rec is not None else []
            old_keys = self._entity_of.get(doc_id, [])
            # A flag or tag write copies the record but shares its entity list: skip.
            if keys is not old_keys:
                for key in old_keys:
                    members = self._entity_facet.get(key)
                    if members is not None:
                        members.discard(doc_id)
                for key in keys:
                    self._entity_facet.setdefault(key, set()).add(doc_id)
                self._entity_of[doc_id] = keys
        if rec is None:
            return
        values = _facet_values(rec)
        for facet, vals in values.items():
            for v in vals:
                self._facets[facet].setdefault(v, set()).add(doc_id)
        self._doc_facets[doc_id] = values

    def _entities(self) -> dict[str, set[str]]:
        if self._entity_facet is None:
            facet: dict[str, set[str]] = {}
            self._entity_of = {}
            for doc_id, rec in self._records.items():
                keys = rec.get("entity_keys", [])
                self._entity_of[doc_id] = keys
                for key in keys:
                    facet.setdefault(key, set()).add(doc_id)
            self._entity_facet = facet
        return self._entity_facet

    def _files_key(self) -> tuple[Any, ...]:
        keys: builtins.list[tuple[int, int, int] | None] = []
        for p in (self.path, self.journal_path):
            try:
                st = p.stat()
                keys.append((st.st_ino, st.st_mtime_ns, st.st_size))
            except FileNotFoundError:
                keys.append(None)
        return tuple(keys)

    def _content_path(self, article_id: str) -> Path:
        return self.content_dir / article_id[:2] / f"{article_id}.json"

    def _read_content(self, article_id: str) -> dict[str, Any]:
        """One article's content file, checked for shape; `ContentError` names the file."""
        path = self._content_path(article_id)
        try:
            content = json.loads(path.read_bytes())
        except FileNotFoundError:
            raise ContentError(
                f"the content of article {article_id} is missing ({path}); "
                "run `parallax doctor` to check the store",
                article_id,
                path,
            ) from None
        except (OSError, ValueError) as exc:
            raise ContentError(
                f"the content file of article {article_id} is damaged ({path}: {exc}); "
                "run `parallax doctor` to check the store, or re-import the article",
                article_id,
                path,
            ) from exc
        problem = _content_problem(content)
        if problem:
            raise ContentError(
                f"the content file of article {article_id} is damaged ({path}: {problem}); "
                "run `parallax doctor` to check the store, or re-import the article",
                article_id,
                path,
            )
        return content

    def _write_content(self, article_id: str, content: dict[str, Any]) -> None:
        path = self._content_path(article_id)
        ensure_dir(self.content_dir)
        ensure_dir(path.parent)
        atomic_write(path, json.dumps(content, ensure_ascii=False).encode("utf-8"))

    @staticmethod
    def _split(article: Article) -> tuple[dict[str, Any], dict[str, Any]]:
        data = _plain(article)
        content = {k: data.pop(k) for k in _CONTENT_FIELDS}
        analysis = article.analysis
        data["entity_keys"] = sorted({e.key for e in analysis.entities}) if analysis else []
        data["analysis_version"] = analysis.version if analysis else None
        data["words"] = len(article.body.split())
        return data, content

    def _record(self, article_id: str) -> dict[str, Any]:
        rec = self._records.get(article_id)
        if rec is None:
            raise NotFoundError(f"no article with id {article_id}")
        return rec

    def _summary(self, rec: dict[str, Any]) -> ArticleSummary:
        try:
            # Every record this version writes has all the fields: one C-level lookup.
            aid, title, source, agency, author, published, tags, read, starred, archived = (
                _SUMMARY_FIELDS(rec)
            )
            story, duplicate_of = _SUMMARY_TAIL(rec)
        except KeyError:  # a record from an older schema: fill in the defaults
            get = rec.get
            aid, title, source, agency, author, published = (
                rec["id"],
                get("title", ""),
                get("source"),
                get("agency"),
                get("author"),
                get("published"),
            )
            tags, read, starred, archived = (
                get("tags", ()),
                get("read"),
                get("starred"),
                get("archived"),
            )
            story, duplicate_of = get("story"), get("duplicate_of")
        return ArticleSummary(
            aid,
            title,
            source,
            agency,
            author,
            published,
            list(tags),
            bool(read),
            bool(starred),
            bool(archived),
            story,
            duplicate_of,
            self._note_counts.get(aid, 0),
        )

    # -- articles ------------------------------------------------------------------------------

    def resolve_id(self, id_or_prefix: str) -> str:
        key = id_or_prefix.strip()
        if not key:
            raise NotFoundError("an article id is required")
        records = self._records
        if key in records:
            return key
        matches = [i for i in records if i.startswith(key)]
        if not matches and self._files_key() != self._open_key:
            # Perhaps imported by another process since we last looked (a cron import
            # while the reader is open): catch up once, cheaply, before saying no.
            with self.lock.held():
                self._sync()
                self._open_key = self._files_key()
            records = self._records
            if key in records:
                return key
            matches = [i for i in records if i.startswith(key)]
        if not matches:
            raise NotFoundError(f"no article with id {key!r}; `parallax list` shows the ids")
        if len(matches) > 1:
            shown = ", ".join(sorted(matches)[:5])
            raise AmbiguousIdError(
                f"id prefix {key!r} matches {len(matches)} articles ({shown}...); give more characters"
            )
        return matches[0]

    def add_articles(self, articles: Sequence[Article]) -> list[AddResult]:
        """Store new articles. Identical content is skipped; an article's `duplicate_of`
        (its near-duplicate twin, found by ingest) is stored as given."""
        results: list[AddResult] = []
        with self.lock.held():
            self._sync()
            records = self._records
            new_docs: dict[str, dict[str, Any] | None] = {}
            contents: list[tuple[Path, dict[str, Any]]] = []
            index_docs: list[tuple[str, str]] = []
            for article in articles:
                if article.id in records or article.id in new_docs:
                    results.append(
                        AddResult(
                            article.id, "skipped", reason="already in the store (same content)"
                        )
                    )
                    continue
                record, content = self._split(article)
                record["imported_at"] = record.get("imported_at") or _now()
                # Near-duplicates are found by ingest (`parallax.ingest.dedup`, MinHash);
                # the store records its verdict and never second-guesses it.
                duplicate_of = article.duplicate_of
                record["duplicate_of"] = duplicate_of
                # Content first: a crash before the journal line leaves only an unreferenced
                # content file (harmless; `parallax doctor` removes it), never a dangling record.
                contents.append((self._content_path(article.id), content))
                new_docs[article.id] = record
                index_docs.append((article.id, f"{article.title}\n{article.body}"))
                results.append(AddResult(article.id, "imported", duplicate_of=duplicate_of))
            if new_docs:
                atomic_write_many(
                    [(p, json.dumps(c, ensure_ascii=False).encode("utf-8")) for p, c in contents]
                )
                self._write(ARTICLES, new_docs)
                # The articles are committed. The search index is derived data: failing to
                # update it must not report the import as failed (search scans what the
                # index misses; `parallax doctor --repair` rebuilds it).
                with contextlib.suppress(StoreError):
                    self.search_index.add(index_docs)
        return results

    def get(self, id_or_prefix: str) -> Article:
        article_id = self.resolve_id(id_or_prefix)
        rec = dict(self._record(article_id))
        content = self._read_content(article_id)
        data = {**rec, **content}
        try:
            return Article.from_dict(data)
        except (KeyError, TypeError, ValueError) as exc:
            path = self._content_path(article_id)
            raise ContentError(
                f"the stored article {article_id} cannot be read ({path}: {exc!r}); "
                "run `parallax doctor` to check the store, or re-import the article",
                article_id,
                path,
            ) from exc

    def iter_articles(
        self,
        ids: Iterable[str] | None = None,
        *,
        on_damaged: Callable[[ContentError], None] | None = None,
    ) -> Iterator[Article]:
        """The articles (all, or `ids` that exist), each with its content.

        Args:
            ids: which articles; unknown ids are skipped.
            on_damaged: if given, an article whose content file is missing or damaged is
                reported to it and skipped, so an export or a regrouping still covers all
                the others; without it the `ContentError` is raised.
        """
        for article_id in list(self._records) if ids is None else ids:
            if article_id in self._records:
                try:
                    article = self.get(article_id)
                except ContentError as exc:
                    if on_damaged is None:
                        raise
                    on_damaged(exc)
                    continue
                yield article

    def summary(self, article_id: str) -> ArticleSummary:
        return self._summary(self._record(self.resolve_id(article_id)))

    def _matching_ids(self, flt: ArticleFilter) -> Iterable[str]:
        candidates: set[str] | None = None

        def narrow(ids: set[str]) -> None:
            nonlocal candidates
            candidates = set(ids) if candidates is None else candidates & ids

        if flt.entity is not None:
            narrow(self._entities().get(flt.entity, set()))
        for facet, value in (
            ("source", flt.source),
            ("agency", flt.agency),
            ("tag", flt.tag),
            ("story", flt.story),
        ):
            if value is not None:
                key = value if facet == "story" else value.casefold()
                if facet == "story" and key not in self._facets["story"]:
                    # Accept a unique story id prefix.
                    hits = [s for s in self._facets["story"] if s.startswith(key)]
                    key = hits[0] if len(hits) == 1 else key
                narrow(self._facets[facet].get(key, set()))
        if flt.ids is not None:
            narrow(set(flt.ids))
        if flt.search:
            found = self.search_index.search(flt.search)
            if found is None:
                found = self._scan_search(flt.search, self._records)
            elif self.search_index.size() < len(self._records):
                # Articles the index misses (an index update that failed after an import
                # committed): scan just those, so search never silently drops articles.
                unindexed = set(self._records) - self.search_index.indexed()
                found |= self._scan_search(flt.search, unindexed)
            narrow(found)
        return self._records if candidates is None else candidates

    def _scan_search(self, query: str, ids: Iterable[str]) -> set[str]:
        words = tokens(query)
        if not words:
            return set(ids)
        hits = set()
        for article_id in ids:
            rec = self._records.get(article_id)
            if rec is None:
                continue
            try:
                body = self._read_content(article_id).get("body") or ""
            except StoreError:
                body = ""
            text = tokens(rec.get("title", "") + " " + body)
            if all(w in text for w in words[:-1]) and any(
                t.startswith(words[-1]) if len(words[-1]) >= 3 else t == words[-1] for t in text
            ):
                hits.add(article_id)
        return hits

    def list(
        self,
        flt: ArticleFilter | None = None,
        sort: SortKey = "date",
        reverse: bool = True,
        limit: int | None = None,
    ) -> list[ArticleSummary]:
        flt = flt or ArticleFilter()
        records = self._records
        rows = []
        for article_id in self._matching_ids(flt):
            rec = records.get(article_id)
            if rec is None:
                continue
            archived = bool(rec.get("archived"))
            if not flt.all_ and (archived != bool(flt.archived)):
                continue
            if flt.read is not None and bool(rec.get("read")) != flt.read:
                continue
            if flt.starred is not None and bool(rec.get("starred")) != flt.starred:
                continue
            if flt.date_from or flt.date_to:
                pub = rec.get("published") or ""
                if not pub:
                    continue
                if flt.date_from and pub[: len(flt.date_from)] < flt.date_from:
                    continue
                if flt.date_to and pub[: len(flt.date_to)] > flt.date_to:
                    continue
            rows.append(rec)
        key = _LIST_KEYS.get(sort, _LIST_KEYS["imported"])
        if limit is not None and limit < len(rows):
            # The reader's first page: a heap keeps `limit` rows, as sorted(...)[:limit] would.
            pick = heapq.nlargest if reverse else heapq.nsmallest
            rows = pick(max(limit, 0), rows, key=key)
        else:
            rows.sort(key=key, reverse=reverse)
        with gc_paused():
            return [self._summary(r) for r in rows]

    def count(self, flt: ArticleFilter | None = None) -> int:
        return len(self.list(flt))

    def stats(self) -> StoreStats:
        stats = StoreStats()
        for rec in self._records.values():
            stats.total += 1
            stats.unread += not rec.get("read")
            stats.starred += bool(rec.get("starred"))
            stats.archived += bool(rec.get("archived"))
            src = rec.get("source") or "(unknown)"
            stats.sources[src] = stats.sources.get(src, 0) + 1
        return stats

    def set_analysis(self, article_id: str, analysis: Analysis) -> None:
        article_id = self.resolve_id(article_id)
        with self.lock.held():
            self._sync()
            content = self._read_content(article_id)
            content["analysis"] = analysis.to_dict()
            self._write_content(article_id, content)
            rec = dict(self._record(article_id))
            rec["entity_keys"] = sorted({e.key for e in analysis.entities})
            rec["analysis_version"] = analysis.version
            self._write(ARTICLES, {article_id: rec})

    # -- user state ---------------------------------------------------------------------------

    def _ids(self, article_ids: str | Sequence[str]) -> builtins.list[str]:
        if isinstance(article_ids, str):
            article_ids = [article_ids]
        return [self.resolve_id(i) for i in article_ids]

    def set_flag(self, article_ids: str | Sequence[str], flag: Flag, value: bool) -> None:
        if flag not in FLAGS:
            raise ValueError(f"unknown flag {flag!r}")
        ids = self._ids(article_ids)
        with self.lock.held():
            self._sync()
            docs: dict[str, dict[str, Any] | None] = {}
            for i in ids:
                rec = self._record(i)
                if bool(rec.get(flag)) != value:
                    docs[i] = {**rec, flag: value}
            if docs:
                self._write(ARTICLES, docs)

    def update_tags(
        self,
        article_ids: str | Sequence[str],
        add: Iterable[str] = (),
        remove: Iterable[str] = (),
    ) -> None:
        ids = self._ids(article_ids)
        add, remove = list(add), {t.casefold() for t in remove}
        with self.lock.held():
            self._sync()
            docs: dict[str, dict[str, Any] | None] = {}
            for i in ids:
                rec = self._record(i)
                tags = [t for t in rec.get("tags", []) if t.casefold() not in remove]
                for t in add:
                    if t.casefold() not in {x.casefold() for x in tags}:
                        tags.append(t)
                if tags != rec.get("tags", []):
                    docs[i] = {**rec, "tags": tags}
            if docs:
                self._write(ARTICLES, docs)

    def all_tags(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for rec in self._records.values():
            for t in rec.get("tags", []):
                counts[t] = counts.get(t, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].casefold())))

    def add_note(self, article_id: str, text: str, anchor: Anchor | None = None) -> Note:
        article_id = self.resolve_id(article_id)
        now = _now()
        note = Note(
            id=content_id(article_id, text, now, str(time.monotonic_ns()), length=8),
            article_id=article_id,
            text=text,
            created=now,
            updated=now,
            anchor=anchor,
        )
        with self.lock.held():
            self._sync()
            self._write(NOTES, {note.id: note.to_dict()})
        self._note_counts[article_id] = self._note_counts.get(article_id, 0) + 1
        return note

    def _note_doc(self, note_id: str) -> dict[str, Any]:
        notes = self.storage.data.get(NOTES, {})
        if note_id in notes:
            return notes[note_id]
        matches = [k for k in notes if k.startswith(note_id)]
        if len(matches) == 1:
            return notes[matches[0]]
        if len(matches) > 1:
            raise AmbiguousIdError(f"note id prefix {note_id!r} matches several notes")
        raise NotFoundError(f"no note with id {note_id!r}; `parallax notes` lists them")

    def update_note(self, note_id: str, text: str) -> Note:
        with self.lock.held():
            self._sync()
            doc = dict(self._note_doc(note_id))
            doc["text"] = text
            doc["updated"] = _now()
            self._write(NOTES, {doc["id"]: doc})
        return Note.from_dict(doc)

    def delete_note(self, note_id: str) -> None:
        with self.lock.held():
            self._sync()
            doc = self._note_doc(note_id)
            self._write(NOTES, {doc["id"]: None})
            aid = str(doc.get("article_id"))
            self._note_counts[aid] = max(0, self._note_counts.get(aid, 1) - 1)

    def notes(self, article_id: str | None = None) -> builtins.list[Note]:
        wanted = self.resolve_id(article_id) if article_id else None
        notes = [
            Note.from_dict(d)
            for d in self.storage.data.get(NOTES, {}).values()
            if wanted is None or d.get("article_id") == wanted
        ]
        notes.sort(key=lambda n: (n.created, n.id))
        return notes

    # -- stories ----------------------------------------------------------------------------

    def stories(self) -> builtins.list[Story]:
        return [Story.from_dict(d) for d in self.storage.data.get(STORIES, {}).values()]

    def story(self, story_id: str) -> Story:
        stories = self.storage.data.get(STORIES, {})
        if story_id in stories:
            return Story.from_dict(stories[story_id])
        matches = [k for k in stories if k.startswith(story_id)]
        if len(matches) == 1:
            return Story.from_dict(stories[matches[0]])
        if len(matches) > 1:
            raise AmbiguousIdError(f"story id prefix {story_id!r} matches several stories")
        raise NotFoundError(f"no story with id {story_id!r}; `parallax stories` lists them")

    def save_stories(self, stories: Sequence[Story]) -> None:
        """Replace the whole set of stories and point each article at its story.

        A blind replace: stories another process saved since this one last read them are
        overwritten. Callers that derive the new set from the current one (grouping new
        imports, a split or merge) should use `edit_stories` instead.
        """
        with self.lock.held():
            self._sync()
            self._save_stories_locked(stories)

    def edit_stories(
        self, fn: Callable[[builtins.list[Story]], Sequence[Story] | None]
    ) -> builtins.list[Story]:
        """Read-modify-write the stories under the cross-process lock; no lost updates.

        Two processes grouping imports at once (a cron import while the reader merges two
        stories) would otherwise each read the stories, change them, and the later save
        would drop the earlier one's change. Here the stories are re-read under the lock
        (after catching up with other processes' writes), handed to `fn`, and what `fn`
        returns is saved before the lock is released.

        Args:
            fn: gets the current stories (fresh objects it may mutate) and returns the new
                set, or None to leave the stories as they are (nothing is written). It runs
                while other processes wait for the lock, so it should be quick: read
                article content before calling this.

        Returns:
            The stories as stored afterwards.
        """
        with self.lock.held():
            self._sync()
            current = self.stories()
            result = fn(current)
            if result is None:
                return self.stories()
            self._save_stories_locked(result)
            return self.stories()

    def _save_stories_locked(self, stories: Sequence[Story]) -> None:
        """Under the lock: save `stories` and the articles' story pointers in one write."""
        current = self.storage.data.get(STORIES, {})
        new = {s.id: s.to_dict() for s in stories if s.article_ids}
        story_docs: dict[str, dict[str, Any] | None] = {
            k: v for k, v in new.items() if current.get(k) != v
        }
        for k in current:
            if k not in new:
                story_docs[k] = None
        member_of = {aid: s.id for s in stories for aid in s.article_ids}
        article_docs: dict[str, dict[str, Any] | None] = {}
        for aid, rec in self._records.items():
            want = member_of.get(aid)
            if rec.get("story") != want:
                article_docs[aid] = {**rec, "story": want}
        # One journal line for both tables: a crash can never leave a story whose
        # articles do not point at it (or the reverse).
        changes = {STORIES: story_docs, ARTICLES: article_docs}
        if story_docs or article_docs:
            self._write_tables({t: d for t, d in changes.items() if d})

    # -- lifecycle ----------------------------------------------------------------------------

    def changed_since_open(self) -> bool:
        """Cheap check (two stats) for writes by another process since we last looked.

        Also True when one of our own writes caught up with another process's changes
        that `refresh()` has not reported yet.
        """
        return self._unseen_external or self._files_key() != self._open_key

    def refresh(self) -> bool:
        """Pick up other processes' writes. Returns True if anything changed since the
        last `refresh()` (including changes absorbed by our own writes meanwhile)."""
        if not self.changed_since_open():
            return False
        with self.lock.held():
            changed = self.storage.sync()
            if changed:
                self._after_external_change()
            changed = changed or self._unseen_external
            self._unseen_external = False
            self._open_key = self._files_key()
        return changed


def _facet_values(rec: dict[str, Any]) -> dict[str, list[str]]:
    """The facet values one light record is indexed under (source, agency and tags
    case-folded; story as is)."""
    source, agency, tags, story = (
        rec.get("source"),
        rec.get("agency"),
        rec.get("tags"),
        rec.get("story"),
    )
    return {
        "source": [source.casefold()] if source else [],
        "agency": [agency.casefold()] if agency else [],
        "tag": [t.casefold() for t in tags] if tags else [],
        "story": [story] if story else [],
    }


def _content_problem(content: Any) -> str | None:
    """Why a parsed content file is not one (valid JSON of the wrong shape), or None."""
    if not isinstance(content, dict):
        return "not an object"
    if not isinstance(content.get("body"), str):
        return "no body text"
    for key in ("raw",):
        if content.get(key) is not None and not isinstance(content[key], str):
            return f"{key} is not text"
    for key in ("removed", "captions"):
        if content.get(key) is not None and not isinstance(content[key], list):
            return f"{key} is not a list"
    if content.get("analysis") is not None and not isinstance(content["analysis"], dict):
        return "analysis is not an object"
    return None


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _plain(obj: Any) -> Any:
    """`dataclasses.asdict` for the model's dataclasses, several times faster.

    Same output as `Article.to_dict()`; `asdict` deep-copies every string and number
    through a generic path, which made it the largest cost of importing 10,000 analysed
    articles (about 40 entities each).
    """
    names = _FIELD_NAMES.get(type(obj))
    if names is None:
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            names = _FIELD_NAMES[type(obj)] = tuple(f.name for f in dataclasses.fields(obj))
        elif isinstance(obj, list | tuple):
            return [_plain(x) for x in obj]
        elif isinstance(obj, dict):
            return {k: _plain(v) for k, v in obj.items()}
        else:
            return obj
    return {n: _plain(getattr(obj, n)) for n in names}


class _Passthrough:
    """Lets TinyDB use an already-built storage instance (TinyDB wants a class)."""

    def __new__(cls, backend: JournalStorage) -> JournalStorage:  # type: ignore[misc]
        return backend


__all__ = ["Library"]
