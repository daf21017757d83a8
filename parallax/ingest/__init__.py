"""Ingest: files, directories and stdin in many formats -> sanitised `Article`s.

Public contract (other packages code against it)::

    from parallax.ingest import ingest_paths, ingest_text, IngestResult

`ingest_paths` yields one `IngestResult` per input file and never raises for bad input: a
binary, undecodable, oversized, unreadable or malformed file becomes a "failed" result with
a reason naming the file, an empty file a "skipped" one, and the rest of the batch goes on.
Formats: plain-text web captures ("capture"), Markdown with YAML front matter ("markdown"),
HTML ("html"), JSON/JSONL records ("json") and RSS/Atom feeds ("feed").
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Literal

from parallax.ingest.common import IngestError, Issues
from parallax.ingest.decode import BinaryInputError, decode_bytes
from parallax.ingest.limits import human_size
from parallax.ingest.limits import max_bytes as effective_max_bytes
from parallax.model import Article

__all__ = ["FORMATS", "IngestError", "IngestResult", "detect_format", "ingest_paths", "ingest_text"]

Status = Literal["ok", "skipped", "failed"]
FORMATS = ("capture", "markdown", "html", "json", "feed")

_EXTENSIONS: dict[str, str] = {
    ".txt": "capture",
    ".text": "capture",
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".json": "json",
    ".jsonl": "json",
    ".ndjson": "json",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
    ".feed": "feed",
}
_FORMAT_ALIASES = {
    "txt": "capture",
    "text": "capture",
    "md": "markdown",
    "htm": "html",
    "jsonl": "json",
    "ndjson": "json",
    "rss": "feed",
    "atom": "feed",
    "xml": "feed",
}


@dataclass(slots=True)
class IngestResult:
    """The outcome for one input file (or stdin).

    Attributes:
        path: the path as given (or "-" for stdin).
        status: "ok" (articles imported), "skipped" (nothing to import, e.g. empty) or
            "failed" (bad input; `reason` says what and where).
        articles: the articles found (a feed or JSONL file gives many).
        reason: why the file was skipped or failed, naming the file.
        warnings: non-fatal problems (replaced bytes, caps hit, metadata ignored).
        failed_records: `(record, reason)` per malformed record of a many-article file
            (record is "line 3", "record 2", "item 7"); the good records are in `articles`.
        skipped_records: `(record, reason)` per record with nothing to import (including
            articles left with no body text after cleaning).
    """

    path: str
    status: Status
    articles: list[Article] = field(default_factory=list)
    reason: str | None = None
    warnings: list[str] = field(default_factory=list)
    failed_records: list[tuple[str, str]] = field(default_factory=list)
    skipped_records: list[tuple[str, str]] = field(default_factory=list)


def detect_format(name: str, text: str) -> str:
    """The format of `text`: from the file extension, else by sniffing the content."""
    ext = os.path.splitext(name.lower())[1]
    by_ext = _EXTENSIONS.get(ext)
    head = text.lstrip("\ufeff \t\r\n")[:2048]
    low = head.lower()
    if by_ext == "feed" and not re.search(r"<(rss|feed|rdf:rdf)\b", low):
        return "html" if re.search(r"<(html|body|article|div|p)\b", low) else "feed"
    if by_ext == "capture" and re.match(r"(<!doctype html|<html\b)", low):
        return "html"  # a page saved as .txt ("Save as... text") still holding its markup
    if by_ext:
        return by_ext
    if head.startswith(("{", "[")):
        return "json"
    if re.match(
        r"<\?xml[^>]*>\s*(<!--.*?-->\s*)*<(rss|feed|rdf:rdf)\b", low, re.DOTALL
    ) or re.match(r"<(rss|feed|rdf:rdf)\b", low):
        return "feed"
    if re.match(r"(<!doctype html|<html\b|<\?xml)", low) or re.search(
        r"<(head|body|article)\b", low[:1024]
    ):
        return "html"
    if head.startswith("---\n") or head.startswith("---\r\n") or re.match(r"#{1,6} \S", head):
        return "markdown"
    return "capture"


def _parse(text: str, fmt: str, name: str, path: str | None, warnings: list[str]) -> list[Article]:
    """Dispatch to the format parser; parsers raise `IngestError` for malformed input."""
    if fmt == "capture":
        from parallax.ingest.capture import parse_capture

        article = parse_capture(text, name=name, path=path, warnings=warnings)
        return [article] if article else []
    if fmt == "markdown":
        from parallax.ingest.markdown import parse_markdown

        return parse_markdown(text, name=name, path=path, warnings=warnings)
    if fmt == "html":
        from parallax.ingest.html import parse_html

        return parse_html(text, name=name, path=path, warnings=warnings)
    if fmt == "json":
        from parallax.ingest.records import parse_records

        return parse_records(text, name=name, path=path, warnings=warnings)
    if fmt == "feed":
        from parallax.ingest.feed import parse_feed

        return parse_feed(text, name=name, path=path, warnings=warnings)
    raise IngestError(f"{name}: unknown format {fmt!r} (known: {', '.join(FORMATS)})")


def _normalise_fmt(fmt: str | None) -> str | None:
    if fmt is None:
        return None
    fmt = fmt.lower().lstrip(".")
    fmt = _FORMAT_ALIASES.get(fmt, fmt)
    if fmt not in FORMATS:
        raise IngestError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    return fmt


def ingest_text(text: str, *, name: str = "<text>", fmt: str | None = None) -> list[Article]:
    """Parse already-decoded `text` into articles (tests, pasted text, other packages).

    Raises:
        IngestError: the text is malformed for its format (e.g. invalid JSON).
    """
    chosen = _normalise_fmt(fmt) or detect_format(name, text)
    if not text.strip():
        return []
    path = name if not name.startswith("<") else None
    return _parse(text, chosen, name, path, [])


def _ingest_bytes(data: bytes, display: str, path: str | None) -> IngestResult:
    """Decode and parse one file's bytes into a result (never raises for bad input)."""
    if not data.strip():
        return IngestResult(display, "skipped", reason=f"{display}: empty file, nothing to import")
    try:
        decoded = decode_bytes(data, name=display)
    except BinaryInputError as exc:
        return IngestResult(
            display, "failed", reason=f"{display}: not a text file: looks like {exc}"
        )
    warnings = Issues(decoded.warnings)
    text = decoded.text
    if not text.strip():
        return IngestResult(
            display,
            "skipped",
            reason=f"{display}: empty file, nothing to import",
            warnings=warnings,
        )
    fmt = detect_format(display if display != "-" else "", text)
    try:
        articles = _parse(text, fmt, display, path, warnings)
    except IngestError as exc:
        return IngestResult(display, "failed", reason=str(exc), warnings=warnings)
    except RecursionError:
        return IngestResult(
            display,
            "failed",
            reason=f"{display}: input is nested too deeply to parse",
            warnings=warnings,
        )
    except Exception as exc:  # a parser bug must not abort the user's whole batch
        return IngestResult(
            display,
            "failed",
            reason=f"{display}: could not parse as {fmt}: {type(exc).__name__}: {exc}",
            warnings=warnings,
        )
    skipped = list(warnings.skipped)
    kept: list[Article] = []
    for number, article in enumerate(articles, 1):
        if article.body.strip():
            kept.append(article)
            continue
        which = f"article {number}" if len(articles) > 1 else "article"
        skipped.append((which, f"no article text left after cleaning (title: {article.title!r})"))
    if not kept:
        if len(articles) == 1 and not warnings.failed:
            reason = f"{display}: {skipped[-1][1]}"
            return IngestResult(display, "skipped", reason=reason, warnings=list(warnings))
        if not warnings.failed and not skipped:
            reason = f"{display}: no article text found ({fmt})"
            return IngestResult(display, "skipped", reason=reason, warnings=list(warnings))
    return IngestResult(
        display,
        "ok" if kept else "skipped",
        articles=kept,
        reason=None if kept else f"{display}: no article with text in it",
        warnings=list(warnings),
        failed_records=list(warnings.failed),
        skipped_records=skipped,
    )


def _is_store_file(path: Path, stores: Sequence[Path]) -> bool:
    """Is `path` a store, or one of the companion files/folders sharing its stem
    (`library.journal`, `library.content/`...)? Importing those would read the user's
    own store back in as articles."""
    if not stores:
        return False
    try:
        resolved = path.resolve()
    except OSError:
        return False
    for store in stores:
        if resolved.parent != store.parent:
            continue
        if resolved.name == store.name or resolved.name.startswith(store.stem + "."):
            return True
    return False


def _store_skip(display: str) -> IngestResult:
    return IngestResult(
        display,
        "skipped",
        reason=f"{display}: part of the Parallax store being imported into; not an article",
    )


def _walk(
    root: Path, errors: list[IngestResult] | None = None, stores: Sequence[Path] = ()
) -> Iterator[Path]:
    """Files under `root`, sorted, skipping hidden files and directories.

    A directory that cannot be listed is reported through `errors` (as a failed result)
    instead of vanishing silently from the import. The store's own folders (`stores`) are
    reported as skipped through `errors` too, and not descended into.
    """
    try:
        entries = sorted(root.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        if errors is not None:
            errors.append(
                IngestResult(
                    str(root),
                    "failed",
                    reason=f"{root}: cannot list directory: {exc.strerror or exc}",
                )
            )
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir() and not entry.is_symlink():
            if _is_store_file(entry, stores):
                if errors is not None:
                    errors.append(_store_skip(str(entry)))
                continue
            yield from _walk(entry, errors, stores)
        elif entry.is_file():
            yield entry


def _ingest_file(p: Path, display: str, limit: int) -> IngestResult:
    try:
        size = p.stat().st_size
    except OSError as exc:
        return IngestResult(
            display, "failed", reason=f"{display}: cannot read: {exc.strerror or exc}"
        )
    if size > limit:
        return IngestResult(
            display,
            "failed",
            reason=f"{display}: file is {human_size(size)}, over the {human_size(limit)} limit "
            f"(raise it with --max-size or PARALLAX_MAX_BYTES)",
        )
    try:
        with p.open("rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        return IngestResult(
            display, "failed", reason=f"{display}: cannot read: {exc.strerror or exc}"
        )
    if len(data) > limit:
        return IngestResult(
            display,
            "failed",
            reason=f"{display}: file grew past the {human_size(limit)} limit while reading",
        )
    return _ingest_bytes(data, display, str(p.resolve()))


def ingest_paths(
    paths: Sequence[str],
    *,
    stdin: BinaryIO | None = None,
    max_bytes: int | None = None,
    exclude_stores: Sequence[str | os.PathLike[str]] = (),
) -> Iterator[IngestResult]:
    """Yield one `IngestResult` per input file; directories recurse, "-" reads stdin.

    Files found inside directories are taken when their extension is a known article
    format; others are reported as skipped, so a stray image in a folder is not an error.
    A file named explicitly is always tried (and fails clearly if it is not text).
    A store in `exclude_stores` and its companion files are skipped wherever they turn up
    (`parallax import ~/` must not read the user's own `library.json` as articles).
    """
    limit = effective_max_bytes(max_bytes)
    stores = [Path(s).expanduser().resolve() for s in exclude_stores]
    for given in paths:
        if given == "-":
            yield _ingest_stdin(stdin, limit)
            continue
        p = Path(given).expanduser()
        if p.is_dir():
            found = False
            errors: list[IngestResult] = []
            for child in _walk(p, errors, stores):
                yield from errors
                errors.clear()
                found = True
                display = str(child)
                if _is_store_file(child, stores):
                    yield _store_skip(display)
                    continue
                if child.suffix.lower() not in _EXTENSIONS:
                    yield IngestResult(
                        display,
                        "skipped",
                        reason=f"{display}: not an article file type ({child.suffix or 'no extension'})",
                    )
                    continue
                yield _ingest_file(child, display, limit)
            if errors:
                found = True
                yield from errors
            if not found:
                yield IngestResult(
                    given, "skipped", reason=f"{given}: directory has no files to import"
                )
            continue
        if not p.exists():
            yield IngestResult(given, "failed", reason=f"{given}: no such file or directory")
            continue
        if not p.is_file():
            yield IngestResult(given, "failed", reason=f"{given}: not a regular file")
            continue
        if _is_store_file(p, stores):
            yield _store_skip(given)
            continue
        yield _ingest_file(p, given, limit)


def _ingest_stdin(stdin: BinaryIO | None, limit: int) -> IngestResult:
    import sys

    stream = stdin if stdin is not None else getattr(sys.stdin, "buffer", None)
    if stream is None:
        return IngestResult("-", "failed", reason="-: standard input is not available")
    try:
        data = stream.read(limit + 1)
    except (OSError, ValueError) as exc:
        return IngestResult("-", "failed", reason=f"-: cannot read standard input: {exc}")
    if isinstance(data, str):  # a text stream was passed: accept it
        data = data.encode("utf-8", "surrogatepass")
    if len(data) > limit:
        return IngestResult(
            "-",
            "failed",
            reason=f"-: standard input is over the {human_size(limit)} limit (raise it with --max-size or PARALLAX_MAX_BYTES)",
        )
    return _ingest_bytes(data, "-", None)
