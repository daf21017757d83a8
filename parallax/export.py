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

import contextlib
import json
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml

from parallax.anchors import locate
from parallax.ingest.clean import escape_markdown
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
    lines = [f"{key}: {_yaml_value(value)}" for key, value in data.items()]
    return "---\n" + "\n".join(lines) + "\n---"


_MARKUP_CHARS = str.maketrans({c: f"\\u{ord(c):04x}" for c in "<>[]`"})


def _yaml_value(value: Any) -> str:
    """One front-matter value as YAML that is inert as Markdown too.

    Only the first article of a single-file export sits at the top of the file, where
    note apps read front matter; the others' blocks are rendered as Markdown. So strings
    holding `<`, `>`, brackets or backticks (raw HTML, links, code) are written as
    JSON-style double-quoted YAML with those characters as `\\uXXXX` escapes: the YAML
    value is unchanged, and Markdown sees no tag or link.
    """
    if isinstance(value, list):
        return "[" + ", ".join(_yaml_value(v) for v in value) + "]"
    text = str(value)
    if any(c in text for c in "<>[]`"):
        return json.dumps(text, ensure_ascii=False).translate(_MARKUP_CHARS)
    dumped = yaml.safe_dump(text, allow_unicode=True, width=10_000, default_flow_style=True)
    return dumped.removesuffix("\n...\n").removesuffix("\n")


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
        clean = safe_body(text)
        if is_caption and clean.strip() and "\n" not in clean.strip():
            clean = f"*{CAPTION_LABEL}{clean.strip()}*"
        pieces.append(clean)
    return "".join(pieces).strip()


def _blockquote(text: str) -> str:
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.splitlines())


def inline_markdown(text: str | None) -> str:
    """An untrusted one-line field (title, source, author) as literal Markdown text: no
    line breaks, and every character Markdown would read as syntax escaped, so a title
    like `*[x](javascript:...)` or `# ...` renders as it reads inside a heading or the
    italic byline."""
    return escape_markdown(sanitize_line(text) or "")


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HTML_START = re.compile(r"(?<!\\)<(?=[A-Za-z!/?])")


def safe_body(body: str) -> str:
    """A stored body made safe to embed in a bigger Markdown file.

    Bodies are Markdown (escaped at ingest for captures, kept as written for `.md`
    imports), so two things could still leak out of one article into the rest of an
    export: raw HTML (`<script>`, an unclosed `<!--` that hides everything after it) and
    an unclosed code fence that turns the following articles into code. Outside code
    fences `<` before a tag is escaped; an open fence is closed at the end.
    """
    out: list[str] = []
    fence: str | None = None
    for line in sanitize_text(body).split("\n"):
        match = _FENCE.match(line)
        if fence is None:
            if match:
                fence = match.group(1)
                out.append(line)
                continue
            out.append(_HTML_START.sub(r"\\<", line))
        else:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
            out.append(line)
    if fence is not None:
        out.append(fence)
    return "\n".join(out)


def article_markdown(article: Article, notes: Sequence[Note]) -> str:
    """One article as a Markdown document (front matter, title, byline, body, notes)."""
    title = inline_markdown(article.title) or "(untitled)"
    parts = [front_matter(article), "", f"# {title}", ""]
    byline = " · ".join(
        inline_markdown(x)
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
                parts.append(_blockquote(safe_body(note.anchor.quote)))
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


def write_private(path: Path, text: str) -> None:
    """Write `text` to `path` atomically and readable by the owner only (0600).

    Exports hold the user's notes and reading list: no broader than the store they came
    from. A temporary file in the same folder is renamed over the target, so an
    interrupted export never leaves a half-written file in place of a good one.
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def export_folder(folder: Path, items: Iterable[ExportItem], fmt: str = "markdown") -> list[Path]:
    """One file per article in `folder` (created if missing); returns the files written."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    written = []
    for article, notes in items:
        if fmt == "json":
            path = folder / safe_filename(article, ".json")
            write_private(path, _dumps(article_record(article, notes)) + "\n")
        else:
            path = folder / safe_filename(article)
            write_private(path, article_markdown(article, notes))
        written.append(path)
    return written
