"""Markdown files, optionally with YAML front matter holding the metadata.

The body is already Markdown, so it is kept as written (sanitised); metadata comes from
the front matter with the same field names as JSON records, and a leading "# Title"
heading serves as the title when the front matter has none.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from parallax.ingest.common import make_article
from parallax.ingest.metadata import wire_name
from parallax.ingest.records import (
    AGENCY_KEYS,
    AUTHOR_KEYS,
    DATE_KEYS,
    LANG_KEYS,
    SOURCE_KEYS,
    TAG_KEYS,
    TITLE_KEYS,
    URL_KEYS,
    _first,
    as_date,
    as_name,
    as_tags,
)
from parallax.ingest.sanitize import sanitize_text
from parallax.model import Article, Removed

_FRONT = re.compile(
    r"\A\ufeff?---[ \t]*\r?\n(?P<yaml>.*?)(?:\r?\n)(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL
)
_H1 = re.compile(r"\A\s*#\s+(?P<title>[^\n]+?)\s*#*\s*(?:\n|\Z)")
_MAX_FRONT = 64 * 1024


def parse_markdown(
    text: str, *, name: str, path: str | None = None, warnings: list[str] | None = None
) -> list[Article]:
    """Parse one Markdown article (front matter optional)."""
    warnings = warnings if warnings is not None else []
    meta: Mapping[str, object] = {}
    removed: list[Removed] = []
    body = text
    body_offset = 0
    match = (
        _FRONT.match(text[: _MAX_FRONT + 16]) if text.lstrip("\ufeff").startswith("---") else None
    )
    if match:
        try:
            import yaml

            loaded = yaml.safe_load(match.group("yaml"))
        except Exception as exc:  # malformed YAML: keep the body, report the problem
            warnings.append(
                f"{name}: front matter is not valid YAML ({type(exc).__name__}); metadata ignored"
            )
            loaded = None
        if isinstance(loaded, Mapping):
            meta = loaded
        elif loaded is not None:
            warnings.append(f"{name}: front matter is not a mapping; metadata ignored")
        removed.append(Removed(match.group(0), "front-matter", 0))
        body = text[match.end() :]
        body_offset = match.end()
    title = as_name(_first(meta, TITLE_KEYS)) if meta else None
    h1 = _H1.match(body)
    if h1 and (title is None or h1.group("title").strip() == title.strip()):
        title = title or h1.group("title").strip()
        heading = h1.group(0)
        lead = len(heading) - len(heading.lstrip())
        removed.append(Removed(heading.strip(), "title", body_offset + h1.start() + lead))
        body = body[h1.end() :]
    author = as_name(_first(meta, AUTHOR_KEYS)) if meta else None
    agency = as_name(_first(meta, AGENCY_KEYS)) if meta else None
    if author and wire_name(author):
        agency, author = agency or wire_name(author), None
    published, published_raw = as_date(_first(meta, DATE_KEYS)) if meta else (None, None)
    url = _first(meta, URL_KEYS) if meta else None
    language = _first(meta, LANG_KEYS) if meta else None
    clean_body = sanitize_text(body).strip()
    if not clean_body and not title:
        return []
    return [
        make_article(
            raw=text,
            body=clean_body,
            fmt="markdown",
            name=name,
            title=title,
            source=as_name(_first(meta, SOURCE_KEYS)) if meta else None,
            agency=wire_name(agency) or agency,
            author=author,
            published=published,
            published_raw=published_raw,
            url=url if isinstance(url, str) else None,
            language=language if isinstance(language, str) else None,
            removed=removed,
            path=path,
            tags=as_tags(_first(meta, TAG_KEYS)) if meta else [],
        )
    ]
