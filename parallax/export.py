"""Export articles with their tags and notes, as Markdown or JSON.

Markdown is written for note-taking apps (Obsidian and the like): each article starts
with YAML front matter (id, title, source, agency, author, published, url, tags, story),
then the title, the body and the notes, each note under the passage it is anchored to as
a blockquote (or marked orphaned when that passage is gone). Obsidian reads front matter
only at the top of a file, so `export_folder` (one file per article) is the form to use
for a vault; a single file concatenates the per-article documents.

Every exported string is passed through `sanitize_text`: ingest already removed control
characters, but stored data may predate a rule, and an export is often printed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml

from parallax.anchors import locate
from parallax.ingest.sanitize import sanitize_line, sanitize_text
from parallax.model import Article, Note, Span

ExportItem = tuple[Article, Sequence[Note]]

_FRONT_FIELDS = ("source", "agency", "author", "published", "url", "story")


def front_matter(article: Article) -> str:
    """The article's YAML front matter block, `---` lines included."""
    data: dict[str, Any] = {
        "id": article.id,
        "title": sanitize_line(article.title) or "",
    }
    for name in _FRONT_FIELDS:
        value = getattr(article, name)
        if value:
            data[name] = sanitize_line(str(value))
    data["tags"] = [sanitize_line(t) for t in article.tags]
    if article.duplicate_of:
        data["duplicate_of"] = article.duplicate_of
    dumped = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000)
    return f"---\n{dumped}---"


CAPTION_LABEL = "Photo caption: "
"""What a caption is introduced by when shown or exported, so a reader never takes a
picture's description for the story's own prose."""


def caption_parts(body: str, captions: Sequence[Span]) -> list[tuple[str, bool]]:
    """`body` split into `(text, is_caption)` pieces in order, for renderers that set
    captions apart. Spans out of range or overlapping an earlier one are ignored (a body
    edited by hand must still render)."""
    parts: list[tuple[str, bool]] = []
    pos = 0
    for span in sorted(captions, key=lambda c: c.start):
        if span.start < pos or span.end > len(body) or span.end <= span.start:
            continue
        if span.start > pos:
            parts.append((body[pos : span.start], False))
        parts.append((body[span.start : span.end], True))
        pos = span.end
    if pos < len(body):
        parts.append((body[pos:], False))
    return parts


def markdown_body(article: Article) -> str:
    """The body for a Markdown export, captions as italic "Photo caption:" paragraphs.

    Body text is escaped Markdown already (ingest escapes it); it is sanitised once more
    and each caption paragraph is wrapped in `*...*` only when it holds no line break, so
    the emphasis cannot run into the next paragraph.
    """
    pieces = []
    for text, is_caption in caption_parts(article.body, article.captions):
        clean = sanitize_text(text)
        if is_caption and clean.strip() and "\n" not in clean.strip():
            clean = f"*{CAPTION_LABEL}{clean.strip()}*"
        pieces.append(clean)
    return "".join(pieces).strip()


def _blockquote(text: str) -> str:
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.splitlines())


def article_markdown(article: Article, notes: Sequence[Note]) -> str:
    """One article as a Markdown document (front matter, title, byline, body, notes)."""
    title = sanitize_line(article.title) or "(untitled)"
    parts = [front_matter(article), "", f"# {title}", ""]
    byline = " · ".join(
        sanitize_line(x) or ""
        for x in (article.source, article.agency, article.author, article.published)
        if x
    )
    if byline:
        parts += [f"*{byline}*", ""]
    parts += [markdown_body(article), ""]
    if notes:
        parts += ["## Notes", ""]
        for note in notes:
            if note.anchor is not None:
                parts.append(_blockquote(sanitize_text(note.anchor.quote)))
                if locate(note.anchor, article.body) is None:
                    parts += [">", "> *(orphaned: this passage is no longer in the article)*"]
                parts.append("")
            parts += [sanitize_text(note.text).strip(), ""]
            parts += [f"*note {note.id} · {note.updated}*", ""]
    return "\n".join(parts).rstrip() + "\n"


def export_markdown(items: Iterable[ExportItem]) -> str:
    """Several articles in one Markdown file, one front-matter document after another."""
    return "\n".join(article_markdown(a, n) for a, n in items)


def article_record(article: Article, notes: Sequence[Note]) -> dict[str, Any]:
    """One article as an export record: every stored field plus its notes, each note
    with where its passage is now (`span`) or `orphaned: true`."""
    data = article.to_dict()
    records = []
    for note in notes:
        record = note.to_dict()
        span = locate(note.anchor, article.body) if note.anchor is not None else None
        record["orphaned"] = note.anchor is not None and span is None
        record["span"] = [span.start, span.end] if span else None
        records.append(record)
    data["notes"] = records
    return data


def export_json(items: Iterable[ExportItem]) -> list[dict[str, Any]]:
    """Articles as a JSON-ready list of records."""
    return [article_record(a, n) for a, n in items]


def export_json_text(items: Iterable[ExportItem]) -> str:
    """The JSON export as text, with control and bidi characters escaped (safe to print)."""
    return _dumps(export_json(items)) + "\n"


# json escapes C0 itself; C1 (8-bit CSI/OSC) and bidi controls are escaped here as well.
_UNSAFE_IN_JSON = re.compile("[\u007f-\u009f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")


def _dumps(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def safe_filename(article: Article, suffix: str = ".md") -> str:
    """A portable file name: a slug of the title plus the id (unique, stable)."""
    title = sanitize_line(article.title) or ""
    stem = re.sub(r"[^\w\- ]+", "", title).strip()
    stem = re.sub(r"\s+", " ", stem)[:60].strip() or "article"
    return f"{stem} ({article.id}){suffix}"


def export_folder(folder: Path, items: Iterable[ExportItem], fmt: str = "markdown") -> list[Path]:
    """One file per article in `folder` (created if missing); returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for article, notes in items:
        if fmt == "json":
            path = folder / safe_filename(article, ".json")
            path.write_text(_dumps(article_record(article, notes)) + "\n", encoding="utf-8")
        else:
            path = folder / safe_filename(article)
            path.write_text(article_markdown(article, notes), encoding="utf-8")
        written.append(path)
    return written
