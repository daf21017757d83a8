"""JSON and JSONL article records with the field names news datasets commonly use.

A file may hold one object, an array of objects, an object wrapping a list ("articles",
"items", ...), or one object per line (JSONL). Bodies may be a string, a list of
paragraphs, or a list of paragraphs that are lists of sentences (the BASIL
`body-paragraphs` shape). A bad line in a JSONL file is skipped with a warning naming the
line; the good records still import.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from parallax.ingest import clean
from parallax.ingest.common import IngestError, make_article, record_problem
from parallax.ingest.limits import MAX_BODY_PARTS, MAX_RECORDS
from parallax.ingest.metadata import parse_date, wire_name
from parallax.ingest.sanitize import sanitize_text
from parallax.model import Article

TITLE_KEYS = ("title", "headline", "heading", "name")
SOURCE_KEYS = (
    "source-name",
    "source_name",
    "sourceName",
    "outlet",
    "publisher",
    "publication",
    "site_name",
    "siteName",
    "sitename",
    "newspaper",
    "source",
    "site",
    "media",
)
AGENCY_KEYS = ("agency", "wire", "news_agency", "newsAgency")
AUTHOR_KEYS = ("author", "authors", "byline", "by", "creator", "writer")
DATE_KEYS = (
    "published",
    "publishedAt",
    "published_at",
    "date",
    "datePublished",
    "pubDate",
    "pub_date",
    "publication_date",
    "publish_date",
    "timestamp",
    "time",
    "created_at",
    "createdAt",
    "updated",
    "updatedAt",
    "dateModified",
)
URL_KEYS = (
    "url",
    "link",
    "href",
    "canonical_url",
    "canonicalUrl",
    "permalink",
    "uri",
    "source_url",
)
LANG_KEYS = ("language", "lang", "locale", "inLanguage")
BODY_KEYS = (
    "body",
    "body-paragraphs",
    "body_paragraphs",
    "bodyParagraphs",
    "paragraphs",
    "text",
    "content",
    "articleBody",
    "article_body",
    "article",
    "story",
    "full_text",
    "fulltext",
    "description",
    "summary",
)
TAG_KEYS = ("tags", "keywords", "categories", "category", "topics", "subjects")
WRAPPER_KEYS = (
    "articles",
    "items",
    "data",
    "results",
    "entries",
    "posts",
    "stories",
    "docs",
    "records",
)

_HTML_HINT = re.compile(
    r"<(p|br|div|span|a|em|strong|b|i|ul|li|h[1-6]|blockquote|figure|img)\b[^>]*>", re.IGNORECASE
)


class RecordError(IngestError):
    """A JSON document that is not valid JSON or holds no article records."""


_KEY_PREFIX = re.compile(r"^(?:news|new|article|story|post|item|doc)[_-]?(?=[a-z])")


def _first(record: Mapping[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        if key in record and record[key] not in (None, "", [], {}):
            return record[key]
    lowered = {str(k).lower(): v for k, v in record.items()}
    for key in keys:
        value = lowered.get(key.lower())
        if value not in (None, "", [], {}):
            return value
    # Prefixed names ("newsTitle", "articleBody", "story_url") as a last resort.
    bare = {_KEY_PREFIX.sub("", k): v for k, v in lowered.items()}
    for key in keys:
        value = bare.get(key.lower())
        if value not in (None, "", [], {}):
            return value
    return None


def _article_like(value: Any) -> bool:
    return isinstance(value, Mapping) and (
        _first(value, TITLE_KEYS) is not None or _first(value, BODY_KEYS) is not None
    )


def _nested_records(record: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Article objects held inside a container record, two levels deep at most.

    Story roundups (AllSides: `{"issue", "date", "news": {"left": {...}, "right": {...}}}`)
    carry one article per slot; each becomes its own article, inheriting the container's
    date when it has none.
    """
    found: list[Mapping[str, Any]] = []
    for value in list(record.values())[:50]:
        children = list(value.values())[:50] if isinstance(value, Mapping) else [value]
        if isinstance(value, list):
            children = value[:50]
        if _article_like(value):
            children = [value]
        found.extend(c for c in children if _article_like(c))
    date = _first(record, DATE_KEYS)
    if date is not None:
        found = [c if _first(c, DATE_KEYS) is not None else {**c, "date": date} for c in found]
    return found


def records_to_articles(
    record: Mapping[str, Any],
    *,
    raw: str,
    name: str,
    path: str | None,
    warnings: list[str],
    where: str,
) -> list[Article]:
    """One article for an article record; one per nested article for a container record."""
    if not _article_like(record):
        nested = _nested_records(record)
        if nested:
            out: list[Article] = []
            for k, child in enumerate(nested, 1):
                child_raw = json.dumps(child, ensure_ascii=False, sort_keys=True, default=str)
                art = article_from_record(
                    child,
                    raw=child_raw,
                    name=name,
                    path=path,
                    fmt="json",
                    warnings=warnings,
                    where=f"{where}, article {k}",
                )
                if art:
                    out.append(art)
            return out
    art = article_from_record(
        record, raw=raw, name=name, path=path, fmt="json", warnings=warnings, where=where
    )
    return [art] if art else []


def as_name(value: Any) -> str | None:
    """A display name from a string, a {"name": ...} dict or a list of either."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, Mapping):
        return as_name(_first(value, ("name", "title", "display_name", "id")))
    if isinstance(value, list):
        names = [n for n in (as_name(v) for v in value[:20]) if n]
        return ", ".join(names) or None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def as_tags(value: Any) -> list[str]:
    """Tags from a list of names, a {"name"/"term": ...} list, or a comma-separated string."""
    if value is None or isinstance(value, bool):
        return []
    if isinstance(value, str):
        return [t.strip() for t in value[:2000].split(",") if t.strip()]
    if isinstance(value, Mapping):
        name = as_name(_first(value, ("name", "term", "label", "title")))
        return [name] if name else []
    if isinstance(value, list):
        out: list[str] = []
        for item in value[:100]:
            if isinstance(item, (str, Mapping)):
                out += as_tags(item) if isinstance(item, Mapping) else [item.strip()]
        return [t for t in out if t]
    return []


def as_date(value: Any) -> tuple[str | None, str | None]:
    """(ISO date, original string) from a date string or a Unix timestamp."""
    if value is None:
        return None, None
    if isinstance(value, bool):
        return None, None
    if isinstance(value, (int, float)):
        seconds = value / 1000 if value > 1e11 else value
        try:
            return datetime.fromtimestamp(seconds, UTC).isoformat(), str(value)
        except (OverflowError, OSError, ValueError):
            return None, str(value)
    if isinstance(value, Mapping):
        return as_date(_first(value, ("$date", "date", "value", "iso")))
    text = str(value)[:200]
    return parse_date(text), text


def text_block(text: str) -> str:
    """Plain text (maybe with HTML) -> escaped Markdown paragraphs separated by blank lines.

    Sanitising comes first: Markdown escaping would otherwise split an escape sequence
    ("ESC [" -> "ESC \\[") and leave its payload behind as visible junk.
    """
    text = sanitize_text(text)
    if _HTML_HINT.search(text):
        from parallax.ingest.html import html_to_text

        text = html_to_text(text)
    paras = [re.sub(r"[ \t]+", " ", p).strip() for p in re.split(r"\n\s*\n|\n", text)]
    return "\n\n".join(clean.escape_markdown(p) for p in paras if p)


def body_text(value: Any, warnings: list[str], where: str) -> str:
    """A record's body as Markdown, from a string or (nested) lists of paragraphs."""
    if value is None:
        return ""
    if isinstance(value, str):
        return text_block(value)
    if isinstance(value, Mapping):
        return body_text(
            _first(value, ("text", "value", "content", "body", "html")), warnings, where
        )
    if isinstance(value, list):
        paras: list[str] = []
        for part in value[:MAX_BODY_PARTS]:
            if isinstance(part, list):
                sentences = [
                    s.strip() for s in part[:MAX_BODY_PARTS] if isinstance(s, str) and s.strip()
                ]
                para = " ".join(sentences)
            elif isinstance(part, Mapping):
                para = body_text(part, warnings, where)
            elif isinstance(part, str):
                para = part
            else:
                continue
            block = text_block(para) if not isinstance(part, Mapping) else para
            if block:
                paras.append(block)
        if len(value) > MAX_BODY_PARTS:
            warnings.append(
                f"{where}: body has {len(value)} parts; only the first {MAX_BODY_PARTS} kept"
            )
        return "\n\n".join(paras)
    return text_block(str(value))


def article_from_record(
    record: Mapping[str, Any],
    *,
    raw: str,
    name: str,
    path: str | None,
    fmt: str,
    warnings: list[str],
    where: str,
) -> Article | None:
    """Build an article from one mapping of common field names; None if it has no text."""
    title = as_name(_first(record, TITLE_KEYS))
    body = body_text(_first(record, BODY_KEYS), warnings, where)
    if not body.strip() and not title:
        which = where.removeprefix(f"{name}: ")
        record_problem(warnings, name, which, "record has no title or body text", failed=False)
        return None
    source_val = _first(record, SOURCE_KEYS)
    source = as_name(source_val)
    author = as_name(_first(record, AUTHOR_KEYS))
    agency = as_name(_first(record, AGENCY_KEYS))
    if author and wire_name(author):
        agency, author = agency or wire_name(author), None
    published, published_raw = as_date(_first(record, DATE_KEYS))
    url = _first(record, URL_KEYS)
    language = _first(record, LANG_KEYS)
    return make_article(
        raw=raw,
        body=body,
        fmt=fmt,
        name=name,
        title=title,
        source=source,
        agency=wire_name(agency) or agency,
        author=author,
        published=published,
        published_raw=published_raw,
        url=url if isinstance(url, str) else as_name(url),
        language=language if isinstance(language, str) else None,
        path=path,
        tags=as_tags(_first(record, TAG_KEYS)),
    )


def _array_slices(text: str, limit: int | None = None) -> tuple[list[tuple[Any, str]], bool] | None:
    """Elements of a top-level JSON array with their exact source text, or None.

    Decodes one element at a time and stops after `limit`, so an enormous array costs
    memory for the records kept, not for the whole document. Returns (elements, more):
    `more` is True when elements beyond the limit were left unread.
    """
    decoder = json.JSONDecoder()
    i = text.index("[") + 1
    out: list[tuple[Any, str]] = []
    n = len(text)
    while True:
        while i < n and text[i] in " \t\r\n,":
            i += 1
        if i >= n:
            return None
        if text[i] == "]":
            return (out, False) if not text[i + 1 :].strip() else None
        if limit is not None and len(out) >= limit:
            return out, True
        obj, end = decoder.raw_decode(text, i)
        out.append((obj, text[i:end]))
        i = end


def _jsonl(text: str, name: str, path: str | None, warnings: list[str]) -> list[Article]:
    articles: list[Article] = []
    bad = 0
    count = 0
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        count += 1
        if count > MAX_RECORDS:
            warnings.append(f"{name}: more than {MAX_RECORDS} records; the rest were not imported")
            break
        try:
            record = json.loads(line)
        except (ValueError, RecursionError) as exc:
            bad += 1
            record_problem(warnings, name, f"line {lineno}", f"malformed JSON ({_short(exc)})")
            continue
        if not isinstance(record, Mapping):
            bad += 1
            record_problem(warnings, name, f"line {lineno}", "not a JSON object")
            continue
        articles += records_to_articles(
            record,
            raw=line,
            name=name,
            path=path,
            warnings=warnings,
            where=f"{name}: line {lineno}",
        )
    if not articles and bad:
        raise RecordError(f"{name}: no valid JSON records ({bad} malformed or non-object line(s))")
    return articles


def _short(exc: BaseException) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} (column {exc.colno})"
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return str(exc)[:120]


def parse_records(
    text: str, *, name: str, path: str | None = None, warnings: list[str] | None = None
) -> list[Article]:
    """Parse a JSON or JSONL document into articles.

    Raises:
        RecordError: the document is not JSON/JSONL or holds no article records.
    """
    warnings = warnings if warnings is not None else []
    stripped = text.strip().lstrip("\ufeff")
    is_jsonl = name.lower().endswith((".jsonl", ".ndjson"))
    data: Any = None
    items: list[tuple[Any, str]] | None = None
    if not is_jsonl and stripped.startswith("["):
        try:
            sliced = _array_slices(stripped, MAX_RECORDS)
        except (ValueError, RecursionError):
            sliced = None  # malformed: json.loads below reports where
        if sliced is not None:
            items, more = sliced
            if more:
                warnings.append(
                    f"{name}: more than {MAX_RECORDS} records; only the first {MAX_RECORDS} "
                    "were imported"
                )
            return _articles(items, name, path, warnings)
    if not is_jsonl:
        try:
            data = json.loads(stripped)
        except RecursionError:
            raise RecordError(f"{name}: JSON is nested too deeply to read") from None
        except json.JSONDecodeError as exc:
            lines = [ln for ln in stripped.splitlines() if ln.strip()]
            if exc.msg == "Extra data" or (
                len(lines) > 1 and all(ln.lstrip().startswith("{") for ln in lines[:5])
            ):
                is_jsonl = True
            else:
                raise RecordError(
                    f"{name}: malformed JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
                ) from None
    if is_jsonl:
        return _jsonl(stripped, name, path, warnings)
    if isinstance(data, list):
        items = [
            (x, json.dumps(x, ensure_ascii=False, sort_keys=True)) for x in data[: MAX_RECORDS + 1]
        ]
    elif isinstance(data, Mapping):
        wrapped = next((data[k] for k in WRAPPER_KEYS if isinstance(data.get(k), list)), None)
        if wrapped is not None and not _first(data, BODY_KEYS):
            items = [
                (x, json.dumps(x, ensure_ascii=False, sort_keys=True))
                for x in wrapped[: MAX_RECORDS + 1]
            ]
            data = wrapped
        else:
            items = [(data, text)]
    else:
        raise RecordError(f"{name}: JSON holds a {type(data).__name__}, not article objects")
    if len(items) > MAX_RECORDS:
        warnings.append(f"{name}: {len(data)} records; only the first {MAX_RECORDS} were imported")
        items = items[:MAX_RECORDS]
    return _articles(items, name, path, warnings)


def _articles(
    items: list[tuple[Any, str]], name: str, path: str | None, warnings: list[str]
) -> list[Article]:
    """Articles from (record, raw text) pairs; raises when none of them is an article."""
    articles: list[Article] = []
    for index, (record, raw) in enumerate(items, 1):
        where = f"{name}: record {index}"
        if not isinstance(record, Mapping):
            record_problem(warnings, name, f"record {index}", "not a JSON object")
            continue
        articles += records_to_articles(
            record, raw=raw, name=name, path=path, warnings=warnings, where=where
        )
    if not articles and items:
        raise RecordError(f"{name}: no article records found (objects need a title or body field)")
    return articles
