"""Turning parsed fields into a safe, complete `Article` (shared by every format parser).

Every parser hands its findings to `make_article`, so sanitising, ids, fall-back titles,
source hints and timestamps are decided in exactly one place.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime

from parallax.ingest.metadata import (
    KNOWN_OUTLETS,
    dateline_wire,
    guess_language,
    leading_dateline,
    source_from_name,
    source_from_url,
    trailing_wire,
    wire_name,
)
from parallax.ingest.sanitize import sanitize_line, sanitize_text
from parallax.model import Article, ParallaxError, Removed, Span, content_id

MAX_TITLE_CHARS = 300


class IngestError(ParallaxError):
    """Input that cannot be turned into articles (malformed JSON, a broken feed...)."""


class Issues(list[str]):
    """The warnings list parsers append to, plus per-record outcomes.

    Parsers take a plain `warnings: list[str]`; when ingest passes an `Issues` instead,
    a bad record in a many-article file (line 3 of a JSONL file, item 7 of a feed) is
    recorded with `record_problem` as a failed or skipped *record* naming the file and the
    line or record number, so the import report lists it like a failed file and the exit
    status says something failed, while the good records are still imported.

    Attributes:
        failed: `(record, reason)` for records that are malformed.
        skipped: `(record, reason)` for records with nothing to import.
    """

    def __init__(self, items: Sequence[str] = ()) -> None:
        super().__init__(items)
        self.failed: list[tuple[str, str]] = []
        self.skipped: list[tuple[str, str]] = []


def record_problem(
    warnings: list[str], name: str, record: str, reason: str, *, failed: bool = True
) -> None:
    """Report a bad record (`record` is e.g. "line 3", "record 2", "item 7").

    With an `Issues` list it becomes a failed/skipped record; with a plain list it stays a
    warning worded the same way ("feed.jsonl: line 3: malformed JSON; skipped").
    """
    if isinstance(warnings, Issues):
        (warnings.failed if failed else warnings.skipped).append((record, reason))
    else:
        warnings.append(f"{name}: {record}: {reason}; skipped")


_TRAILING_SPACE = re.compile(r"[^\S\n]+$", re.MULTILINE)


def identity_text(raw: str) -> str:
    """The form of `raw` an article's id is derived from.

    Line endings (CRLF, CR, LF), a BOM, whitespace at the ends of lines and blank lines
    at the start or end of the file are differences an editor, a download or a copy
    between systems introduces without changing the article, so they must not make a
    re-import look new. Everything else (every word, every line break) counts.
    """
    text = raw.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return _TRAILING_SPACE.sub("", text).strip("\n")


def legacy_id(raw: str) -> str:
    """The id earlier versions derived from `raw` exactly (before `identity_text`), so an
    article stored by them is still recognised when its file is imported again."""
    return content_id(raw)


def now_iso() -> str:
    """The current time as ISO 8601 UTC (seconds precision), for `imported_at`."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _fallback_title(body: str, name: str) -> str:
    """A title for an article that has none: its first line, else the file name."""
    for line in body.splitlines():
        line = re.sub(r"^[#>\s\\*-]+", "", line).strip()
        if line:
            return line[:120] + ("…" if len(line) > 120 else "")
    stem = re.split(r"[\\/]", name)[-1]
    return stem or "(untitled)"


MAX_TAGS = 30
MAX_TAG_CHARS = 60


def clean_tags(tags: Sequence[str]) -> list[str]:
    """Tags from the source's own metadata, made safe and usable on the command line.

    They are sanitised like every displayed field, stripped of the "+"/"-"/"#" that the
    `parallax tag ID +tag -tag` syntax would misread, de-duplicated case-insensitively and
    capped, because a hostile record could carry thousands.
    """
    out: list[str] = []
    seen: set[str] = set()
    for tag in tags:
        if not isinstance(tag, str):
            continue
        clean = (sanitize_line(tag) or "").lstrip("+-#").strip()[:MAX_TAG_CHARS].strip()
        if clean and clean.casefold() not in seen:
            seen.add(clean.casefold())
            out.append(clean)
        if len(out) >= MAX_TAGS:
            break
    return out


def _agency_in_text(body: str) -> str | None:
    """A wire named by the body's own dateline ("SEOUL (Yonhap) --") or closing credit.

    Only read, never cut: outside plain-text captures the body is what the source
    published, so it is left whole.
    """
    paras = [p for p in body[:20_000].split("\n\n") if p.strip()]
    if not paras:
        return None
    lead = leading_dateline(paras[0].lstrip("\\"))
    if lead:
        return wire_name(dateline_wire(lead))
    tail = trailing_wire(body[-2000:].rstrip())
    return wire_name(tail.group("wire")) if tail else None


def make_article(
    *,
    raw: str,
    body: str,
    fmt: str,
    name: str,
    title: str | None = None,
    source: str | None = None,
    agency: str | None = None,
    author: str | None = None,
    published: str | None = None,
    published_raw: str | None = None,
    url: str | None = None,
    language: str | None = None,
    removed: Sequence[Removed] = (),
    captions: Sequence[Span] = (),
    path: str | None = None,
    tags: Sequence[str] = (),
) -> Article:
    """Build an `Article` with every displayed field sanitised and the id from `raw`.

    `body` should already be sanitised by the parser (caption offsets refer to it); if it
    is not, it is sanitised here and the captions, whose offsets would no longer hold, are
    dropped rather than left pointing at the wrong text.
    """
    clean_body = sanitize_text(body).strip("\n")
    caps = [Span(c.start, c.end) for c in captions]
    if clean_body != body:
        shift = len(body) - len(body.lstrip("\n"))
        if sanitize_text(body) == body:
            caps = [Span(c.start - shift, c.end - shift) for c in caps]
        else:
            caps = []
    caps = [c for c in caps if 0 <= c.start < c.end <= len(clean_body)]
    clean_title = sanitize_line(title) or ""
    if len(clean_title) > MAX_TITLE_CHARS:
        clean_title = clean_title[:MAX_TITLE_CHARS].rstrip() + "…"
    if not clean_title:
        clean_title = sanitize_line(_fallback_title(clean_body, name)) or "(untitled)"
    clean_url = sanitize_line(url) or None
    if clean_url and not re.match(r"(?i)^[a-z][a-z0-9+.-]*://", clean_url):
        clean_url = None if " " in clean_url else clean_url
    src = sanitize_line(source) or None
    if src and " " not in src and src.lower() in KNOWN_OUTLETS:
        src = KNOWN_OUTLETS[src.lower()]  # a dataset's outlet code ("nyt") -> its name
    if src is None:
        src = sanitize_line(source_from_url(clean_url) or source_from_name(name)) or None
    if not agency and clean_body:
        agency = _agency_in_text(clean_body)
    return Article(
        id=content_id(identity_text(raw)),
        title=clean_title,
        body=clean_body,
        raw=raw,
        source=src,
        agency=sanitize_line(agency) or None,
        author=sanitize_line(author) or None,
        published=sanitize_line(published) or None,
        published_raw=sanitize_line(published_raw) or None,
        url=clean_url,
        language=sanitize_line(language) or guess_language(clean_body),
        removed=[Removed(sanitize_text(r.text), r.reason, r.offset) for r in removed],
        captions=caps,
        path=path,
        format=fmt,
        tags=clean_tags(tags),
        imported_at=now_iso(),
    )
