"""Store errors: each names the file and says what to do."""

from __future__ import annotations

from parallax.model import ParallaxError


class StoreError(ParallaxError):
    """The store cannot be read or written; nothing was changed."""

    exit_code = 3


class StoreCorruptError(StoreError):
    """A store file cannot be parsed. It is left byte-for-byte untouched."""


class StoreVersionError(StoreError):
    """The store was written by a newer Parallax (unknown schema version)."""


class StoreLockedError(StoreError):
    """Another process held the store lock for too long."""


class StoreNotFoundError(StoreError):
    """There is no store at the path, and the command only reads (nothing was created)."""


class ContentError(StoreError):
    """One article's content file is missing or damaged; other articles are unaffected.

    Attributes:
        article_id: the article whose content cannot be read.
        path: the content file.
    """

    def __init__(self, message: str, article_id: str = "", path: object = None) -> None:
        super().__init__(message)
        self.article_id = article_id
        self.path = path
