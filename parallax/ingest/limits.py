"""Size and shape limits for ingest, so hostile or huge input costs bounded time and memory.

Articles come from the open web: a 2 GB "article", a feed with a million items or a line of
ten million characters must be refused or capped with a clear message, never hang the import.
"""

from __future__ import annotations

import os
import re

MAX_BYTES_ENV = "PARALLAX_MAX_BYTES"
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
"""Files larger than this (20 MB) are refused from `stat` alone, without being read."""

MAX_RECORDS = 5000
"""Most articles taken from one JSON/JSONL/feed file; the rest are dropped with a warning."""

MAX_LINE_CHARS = 200_000
"""Longest line the capture parser examines as a unit; longer lines are split."""

MAX_JSON_DEPTH = 64
"""Deepest JSON nesting walked when looking for article fields."""

MAX_HTML_DEPTH = 512
"""Deepest HTML tag nesting passed to the extractor; deeper documents are flattened."""

MAX_BODY_PARTS = 20_000
"""Most paragraphs/sentences joined from a list-shaped JSON body."""

MAX_PARAGRAPHS = 20_000
"""Paragraphs of a capture examined for boilerplate; the rest is kept as plain text."""

MAX_EXTRACT_CHARS = 4_000_000
"""Largest HTML page given to trafilatura (news pages are far smaller); bigger pages are
read with the linear fallback parser so a huge page cannot take minutes."""


def max_bytes(override: int | None = None) -> int:
    """The effective size limit: the argument, else `PARALLAX_MAX_BYTES`, else 20 MB.

    A malformed environment value falls back to the default rather than failing the import,
    because a typo in a variable should not stop a user reading their news.
    """
    if override is not None and override > 0:
        return override
    env = os.environ.get(MAX_BYTES_ENV, "").strip()
    if env:
        try:
            value = int(float(env))
        except ValueError:
            return DEFAULT_MAX_BYTES
        if value > 0:
            return value
    return DEFAULT_MAX_BYTES


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?\s*$", re.IGNORECASE)


def parse_size(text: str) -> int:
    """A size given by a user ("20MB", "500k", "1.5 GB", "2048") in bytes.

    Raises:
        ValueError: not a positive size, with a message saying how to write one.
    """
    match = _SIZE.match(text)
    if not match or float(match.group(1)) <= 0:
        raise ValueError(f"{text!r} is not a size; write e.g. 50MB, 500KB or 1048576")
    scale = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[match.group(2).lower()]
    return int(float(match.group(1)) * scale)


def human_size(n: int) -> str:
    """A short human size ("20 MB", "512 bytes") for error messages."""
    if n < 1024:
        return f"{n} bytes"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / (1024 * 1024):.1f} MB"
