"""RSS and Atom feed files through feedparser: one article per item.

Each item's raw text is its own `<item>`/`<entry>` element when those can be matched one to
one with what feedparser found, so re-importing the same item from a later version of the
feed is a no-op; otherwise a stable JSON rendering of the item stands in for it.
"""

from __future__ import annotations

import io
import json
import re
import time
from datetime import UTC, datetime
from typing import Any

from parallax.ingest.common import IngestError, make_article, record_problem
from parallax.ingest.limits import MAX_RECORDS
from parallax.ingest.metadata import parse_date, wire_name
from parallax.ingest.records import text_block
from parallax.ingest.sanitize import sanitize_text
from parallax.model import Article

_XML_ENCODING = re.compile(r"""(<\?xml[^>]*encoding\s*=\s*["'])[^"']*(["'])""", re.IGNORECASE)
_ITEM = re.compile(r"<(item|entry)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


def _iso(parsed: time.struct_time | None) -> str | None:
    if not parsed:
        return None
    try:
        return datetime(*parsed[:6], tzinfo=UTC).isoformat()
    except (TypeError, ValueError):
        return None


def _entry_body(entry: Any) -> str:
    contents = entry.get("content") or []
    for content in contents:
        value = content.get("value") if isinstance(content, dict) else None
        if value:
            return str(value)
    return str(entry.get("summary") or entry.get("description") or "")


def _problem(exc: object) -> str:
    """A parser complaint without the SAX "<unknown>:" prefix: "line 1:79: no element found"."""
    return re.sub(r"^<unknown>:", "line ", str(exc))[:200]


_ITEM_START = re.compile(r"<(?:item|entry)\b", re.IGNORECASE)


def _cap_items(text: str) -> tuple[str, bool]:
    """Cut the document before item MAX_RECORDS + 1 and close it, so feedparser never
    builds thousands of entries only for them to be dropped (time and memory stay bounded).
    """
    for count, match in enumerate(_ITEM_START.finditer(text), 1):
        if count > MAX_RECORDS:
            head = text[:2048].lower()
            closer = (
                "</feed>"
                if re.search(r"<feed\b", head)
                else "</rdf:RDF>"
                if "<rdf:rdf" in head
                else "</channel></rss>"
            )
            return text[: match.start()] + closer, True
    return text, False


def parse_feed(
    text: str, *, name: str, path: str | None = None, warnings: list[str] | None = None
) -> list[Article]:
    """Parse an RSS/Atom document into one article per item.

    Raises:
        IngestError: the document is not a readable feed, or has no items.
    """
    import feedparser

    warnings = warnings if warnings is not None else []
    text, capped = _cap_items(text)
    if capped:
        warnings.append(
            f"{name}: more than {MAX_RECORDS} items; only the first {MAX_RECORDS} were imported"
        )
    try:
        # A stream, never a str: feedparser treats a str as a URL or file path to open.
        clean = sanitize_text(text)
        data = _XML_ENCODING.sub(r"\1utf-8\2", clean[:512], count=1) + clean[512:]
        parsed = feedparser.parse(
            io.BytesIO(data.encode("utf-8", "replace")),
            sanitize_html=False,
            resolve_relative_uris=False,
        )
    except Exception as exc:
        raise IngestError(f"{name}: broken feed: {type(exc).__name__}: {exc}") from None
    entries = list(parsed.get("entries") or [])
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if not entries:
        detail = f": {_problem(problem)}" if problem else ""
        if parsed.get("version") or parsed.get("feed", {}).get("title"):
            raise IngestError(f"{name}: feed has no items{detail}")
        raise IngestError(f"{name}: not a valid RSS/Atom feed{detail}")
    if problem:
        warnings.append(
            f"{name}: feed is malformed ({_problem(problem)}); read what could be recovered"
        )
    if len(entries) > MAX_RECORDS:
        warnings.append(f"{name}: {len(entries)} items; only the first {MAX_RECORDS} were imported")
        entries = entries[:MAX_RECORDS]
    slices = [m.group(0) for m in _ITEM.finditer(text)]
    exact = len(slices) == len(entries) or (
        len(slices) >= len(entries) and len(entries) == MAX_RECORDS
    )
    feed_info = parsed.get("feed", {})
    source = feed_info.get("title") or None
    language = feed_info.get("language") or None
    articles: list[Article] = []
    for index, entry in enumerate(entries):
        title = entry.get("title")
        body = text_block(_entry_body(entry))
        if not body and not title:
            record_problem(warnings, name, f"item {index + 1}", "no title or text", failed=False)
            continue
        raw = (
            slices[index]
            if exact
            else json.dumps(
                {
                    k: entry.get(k)
                    for k in ("id", "title", "link", "published", "updated", "summary")
                },
                ensure_ascii=False,
                sort_keys=True,
                default=str,
            )
        )
        author = entry.get("author") or None
        agency = wire_name(author) if author else None
        if agency:
            author = None
        published_raw = entry.get("published") or entry.get("updated")
        # The written date keeps its own zone; feedparser's parsed form is UTC-normalised.
        published = parse_date(published_raw) or _iso(
            entry.get("published_parsed") or entry.get("updated_parsed")
        )
        src = (
            entry.get("source", {}).get("title") if isinstance(entry.get("source"), dict) else None
        )
        articles.append(
            make_article(
                raw=raw,
                body=body,
                fmt="feed",
                name=name,
                title=title,
                source=src or source,
                agency=agency,
                author=author,
                published=published,
                published_raw=published_raw,
                url=entry.get("link"),
                language=language,
                path=path,
                tags=[
                    str(t.get("term"))
                    for t in (entry.get("tags") or [])[:100]
                    if isinstance(t, dict) and t.get("term")
                ],
            )
        )
    return articles
