"""App-wide messages that screens and widgets post to each other.

Widgets never reach into other screens: they post one of these and whoever cares (usually
the app or the library screen) handles it with `@on(...)`. That keeps screens owned by
different modules decoupled: the notes screen does not know how the library screen opens
an article, it only says which one.
"""

from __future__ import annotations

from textual.message import Message


class OpenArticle(Message):
    """Open an article in the library screen's reading pane.

    Attributes:
        article_id: the article to open (full id).
        span: an optional `(start, end)` range of `Article.body` to scroll to and mark,
            e.g. a note's anchored passage.
    """

    def __init__(self, article_id: str, span: tuple[int, int] | None = None) -> None:
        super().__init__()
        self.article_id = article_id
        self.span = span


class LibraryChanged(Message):
    """The store changed (triage, tags, notes, another process): views should reload."""


class FilterByEntity(Message):
    """Filter the library list to articles mentioning an entity.

    Attributes:
        key: the entity identity key from analysis (e.g. "person:john kerry").
        text: the entity as written, for display in the active-filter line.
    """

    def __init__(self, key: str, text: str) -> None:
        super().__init__()
        self.key = key
        self.text = text
