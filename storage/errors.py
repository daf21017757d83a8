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
