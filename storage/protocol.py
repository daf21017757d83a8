"""The storage protocol: what the CLI and the reader may ask of a store.

`storage.Library` (TinyDB on local files) implements it today. A server-backed store for
teams would implement the same protocol (see README, "Storage"), so nothing above this
layer changes when one appears.

Conventions:
- Ids may be given as unique prefixes wherever an article id is taken; `NotFoundError` /
  `AmbiguousIdError` (from `parallax.model`) otherwise.
- Every mutating call is atomic and durable before it returns, and safe against other
  processes using the same store (read-modify-write under a cross-process lock).
  `edit_stories(fn)` extends that to callers: `fn` gets the stories re-read under the
  lock and its result is saved before the lock is released, so two processes regrouping
  at once never lose each other's changes (`save_stories` is a blind replace).
- Summaries are the light list-row view (`ArticleSummary`): no body, raw or analysis, so
  the list pane can hold 100,000 of them cheaply.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol, runtime_checkable

from parallax.model import Analysis, Anchor, Article, Flag, Note, Story
from storage.errors import ContentError

SortKey = Literal["date", "source", "title", "imported"]


@dataclass(slots=True, frozen=True)
class ArticleFilter:
    """Which articles a list shows. `None` means "don't filter on this".

    Archived articles are hidden unless `archived` is True (only archived) or `all_` is set.
    `search` matches words in title and body (all words must match, case- and
    accent-insensitive). `entity` is an entity `key` from analysis.
    """

    source: str | None = None
    agency: str | None = None
    tag: str | None = None
    read: bool | None = None
    starred: bool | None = None
    archived: bool | None = None
    all_: bool = False
    story: str | None = None
    entity: str | None = None
    search: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    ids: frozenset[str] | None = None


@dataclass(slots=True)
class ArticleSummary:
    """One list row: everything the list pane and `parallax list` show."""

    id: str
    title: str
    source: str | None
    agency: str | None
    author: str | None
    published: str | None
    tags: list[str]
    read: bool
    starred: bool
    archived: bool
    story: str | None
    duplicate_of: str | None = None
    note_count: int = 0

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title,
            "source": self.source,
            "agency": self.agency,
            "author": self.author,
            "published": self.published,
            "tags": list(self.tags),
            "read": self.read,
            "starred": self.starred,
            "archived": self.archived,
            "story": self.story,
        }


@dataclass(slots=True)
class AddResult:
    """What happened to one article handed to `add_articles`.

    status: "imported", or "skipped" (identical content already stored; `reason` says so).
    duplicate_of: the stored twin (same wire copy) the article names in its own
        `duplicate_of`, set by ingest's near-duplicate check before the article is added.
    """

    id: str
    status: Literal["imported", "skipped"]
    reason: str | None = None
    duplicate_of: str | None = None


@dataclass(slots=True)
class StoreStats:
    total: int = 0
    unread: int = 0
    starred: int = 0
    archived: int = 0
    sources: dict[str, int] = field(default_factory=dict)


@runtime_checkable
class LibraryProtocol(Protocol):
    """The one interface to a store of articles and the user's state about them."""

    path: object
    schema_version: int

    # -- articles -------------------------------------------------------------------------
    def add_articles(self, articles: Sequence[Article]) -> list[AddResult]: ...
    def get(self, id_or_prefix: str) -> Article: ...
    def resolve_id(self, id_or_prefix: str) -> str: ...
    def summary(self, article_id: str) -> ArticleSummary: ...
    def list(
        self,
        flt: ArticleFilter | None = None,
        sort: SortKey = "date",
        reverse: bool = True,
        limit: int | None = None,
    ) -> list[ArticleSummary]:
        """Matching summaries in `sort` order; only the first `limit` when it is given
        (the same rows a full list starts with, without building the others)."""
        ...

    def count(self, flt: ArticleFilter | None = None) -> int: ...
    def stats(self) -> StoreStats: ...
    def set_analysis(self, article_id: str, analysis: Analysis) -> None: ...
    def iter_articles(
        self,
        ids: Iterable[str] | None = None,
        *,
        on_damaged: Callable[[ContentError], None] | None = None,
    ) -> Iterable[Article]: ...

    # -- user state ----------------------------------------------------------------------
    def set_flag(self, article_ids: str | Sequence[str], flag: Flag, value: bool) -> None: ...
    def update_tags(
        self, article_ids: str | Sequence[str], add: Iterable[str] = (), remove: Iterable[str] = ()
    ) -> None: ...
    def all_tags(self) -> dict[str, int]: ...
    def add_note(self, article_id: str, text: str, anchor: Anchor | None = None) -> Note: ...
    def update_note(self, note_id: str, text: str) -> Note: ...
    def delete_note(self, note_id: str) -> None: ...
    def notes(self, article_id: str | None = None) -> builtins.list[Note]: ...

    # -- stories -------------------------------------------------------------------------
    def stories(self) -> builtins.list[Story]: ...
    def story(self, story_id: str) -> Story: ...
    def save_stories(self, stories: Sequence[Story]) -> None: ...
    def edit_stories(
        self, fn: Callable[[builtins.list[Story]], Sequence[Story] | None]
    ) -> builtins.list[Story]: ...

    # -- lifecycle -----------------------------------------------------------------------
    def changed_since_open(self) -> bool: ...
    def refresh(self) -> bool: ...
    def close(self) -> None: ...
