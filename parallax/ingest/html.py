"""HTML pages: main text and metadata through trafilatura, with a plain fallback.

trafilatura is a well-kept extractor that finds the article among page furniture and
reads title/author/date/site metadata. Tiny fragments, truncated pages or pages it finds no
article in fall back to a tolerant stdlib parser, so a broken page still yields its text.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

from parallax.ingest import clean
from parallax.ingest.common import IngestError, make_article
from parallax.ingest.limits import MAX_EXTRACT_CHARS, MAX_HTML_DEPTH
from parallax.ingest.metadata import parse_date, wire_name
from parallax.ingest.sanitize import sanitize_text
from parallax.model import Article

_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "section",
        "article",
        "header",
        "footer",
        "tr",
        "table",
        "figure",
        "figcaption",
        "pre",
        "hr",
        "dd",
        "dt",
        "main",
        "aside",
    ]
)
_SKIP_TAGS = frozenset(
    ["script", "style", "noscript", "template", "svg", "head", "iframe", "object"]
)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/?)>")
_META_DATE = re.compile(
    r"""<meta\b[^>]*(?:property|name|itemprop)\s*=\s*["'](?:article:published_time|og:published_time|"""
    r"""datePublished|pubdate|publish[-_]?date|date|dc\.date)["'][^>]*>""",
    re.IGNORECASE,
)
_CONTENT_ATTR = re.compile(r"""content\s*=\s*["']([^"']{4,64})["']""", re.IGNORECASE)
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)


class _TextExtractor(HTMLParser):
    """Collects visible text with paragraph breaks at block elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.title: list[str] = []
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self.skip += 1
        if tag == "title":
            self.in_title = True
        if tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS and self.skip:
            self.skip -= 1
        if tag == "title":
            self.in_title = False
        if tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        elif not self.skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Visible text of an HTML fragment, paragraphs separated by blank lines."""
    parser = _TextExtractor()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # HTMLParser is tolerant, but never let a fragment crash ingest
        return re.sub(r"<[^>]*>", " ", unescape(html))
    text = "".join(parser.parts)
    paras = [re.sub(r"\s+", " ", p).strip() for p in re.split(r"\n\s*\n", text)]
    return "\n\n".join(p for p in paras if p)


_SKIPPED_ELEMENT = re.compile(
    r"<(script|style|noscript|template|svg|head|iframe|object)\b.{0,200000}?</\1\s*>",
    re.IGNORECASE | re.DOTALL,
)
_BLOCK_TAG = re.compile(r"</?(?:" + "|".join(sorted(_BLOCK_TAGS)) + r")\b[^>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^>]*>")


def _fast_text(html: str) -> str:
    """Visible text of a huge page in a few C-level regex passes (no parser, linear time)."""
    html = _SKIPPED_ELEMENT.sub(" ", html)
    html = _BLOCK_TAG.sub("\n\n", html)
    text = unescape(_ANY_TAG.sub("", html))
    paras = (re.sub(r"\s+", " ", p).strip() for p in re.split(r"\n\s*\n", text))
    return "\n\n".join(p for p in paras if p)


def _max_depth(html: str) -> int:
    """Approximate tag nesting depth (cheap regex scan, no tree built)."""
    depth = best = 0
    for m in _TAG.finditer(html):
        tag = m.group(2).lower()
        if tag in _VOID or m.group(3):
            continue
        if m.group(1):
            depth = max(0, depth - 1)
        else:
            depth += 1
            best = max(best, depth)
            if best > MAX_HTML_DEPTH:
                break
    return best


def parse_html(
    text: str, *, name: str, path: str | None = None, warnings: list[str] | None = None
) -> list[Article]:
    """Extract the article from one HTML page.

    Raises:
        IngestError: the page holds no readable text at all.
    """
    warnings = warnings if warnings is not None else []
    raw = text
    # Strip escape sequences before lxml sees them: it drops a bare ESC but leaves "[31m".
    text = sanitize_text(text)
    huge = len(text) > MAX_EXTRACT_CHARS
    too_deep = not huge and _max_depth(text) > MAX_HTML_DEPTH
    doc = None
    if too_deep:
        warnings.append(
            f"{name}: HTML nested more than {MAX_HTML_DEPTH} levels deep; extracted as plain text"
        )
    elif huge:
        warnings.append(
            f"{name}: HTML page is over {MAX_EXTRACT_CHARS // 1_000_000} million characters; "
            "extracted as plain text without boilerplate removal"
        )
    else:
        try:
            import trafilatura

            doc = trafilatura.bare_extraction(
                text,
                with_metadata=True,
                include_comments=False,
                output_format="python",
                include_formatting=False,
                include_tables=True,
                # No "extensive" date search: it guesses from copyright footers and URLs
                # ("© 2014" -> 2014-01-01), and a wrong date is worse than none.
                date_extraction_params={"original_date": True, "extensive_search": False},
            )
        except Exception as exc:  # broken markup must degrade, not fail the batch
            warnings.append(
                f"{name}: main-text extraction failed ({type(exc).__name__}); using plain text"
            )
            doc = None
    title = author = source = url = date = language = body = None
    if doc is not None:
        get = doc.get if isinstance(doc, dict) else lambda k: getattr(doc, k, None)
        title, author, source = get("title"), get("author"), get("sitename")
        url, date, language = get("url"), get("date"), get("language")
        body = get("text")
    fallback = _fast_text(text) if huge else html_to_text(text)
    if not body or (len(body) < 0.2 * len(fallback) and len(fallback) < 2000):
        body = fallback
        if title is None:
            match = re.search(r"<title[^>]*>(.*?)</title>", text[:20000], re.IGNORECASE | re.DOTALL)
            title = unescape(re.sub(r"<[^>]*>", "", match.group(1))).strip() if match else None
    if not body or not body.strip():
        if title:
            body = ""
        else:
            raise IngestError(f"{name}: HTML page has no readable text")
    paras = [re.sub(r"[ \t]+", " ", p).strip() for p in re.split(r"\n\s*\n|\n", body)]
    if title:
        paras = [p for p in paras if p.strip() != title.strip()] or paras
    md = clean.escape_markdown("\n\n".join(p for p in paras if p))
    meta_date = _META_DATE.search(text[:200_000])
    if meta_date:
        content = _CONTENT_ATTR.search(meta_date.group(0))
        if content and parse_date(content.group(1)):
            date = content.group(1)  # keeps the time and zone trafilatura drops
    agency = None
    if author and wire_name(author):
        agency, author = wire_name(author), None
    return [
        make_article(
            raw=raw,
            body=md,
            fmt="html",
            name=name,
            title=title,
            source=source,
            agency=agency,
            author=author,
            published=parse_date(date) if date else None,
            published_raw=date,
            url=url,
            language=language,
            path=path,
        )
    ]
