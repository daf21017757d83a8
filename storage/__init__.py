"""The store: one small interface (`Library`) over durable TinyDB files.

See `storage.library` for the on-disk layout and `storage.protocol` for the interface a
future server-backed store would implement.
"""

from __future__ import annotations

from storage.errors import (
    ContentError,
    StoreCorruptError,
    StoreError,
    StoreLockedError,
    StoreNotFoundError,
    StoreVersionError,
)
from storage.library import Library
from storage.protocol import AddResult, ArticleFilter, ArticleSummary, LibraryProtocol, StoreStats

__all__ = [
    "AddResult",
    "ArticleFilter",
    "ArticleSummary",
    "ContentError",
    "Library",
    "LibraryProtocol",
    "StoreCorruptError",
    "StoreError",
    "StoreLockedError",
    "StoreNotFoundError",
    "StoreStats",
    "StoreVersionError",
]
