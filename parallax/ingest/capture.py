"""Plain-text web captures: text copied or saved from a news page, furniture and all.

The page layout is read from the text itself: a header (outlet name, date line, byline,
title, widget lines) before the first paragraph of prose, then the story, then a footer of
promo/share blocks. Metadata comes from the header, boilerplate is dropped and recorded in
`removed` with its offset in the raw text, photo captions stay in the body as `captions`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parallax.ingest import clean
from parallax.ingest.common import make_article
from parallax.ingest.limits import MAX_LINE_CHARS, MAX_PARAGRAPHS
from parallax.ingest.metadata import (
    KNOWN_OUTLETS,
    OUTLET_WORDS,
    date_line,
    dateline_wire,
    hint_matches_outlet,
    leading_dateline,
    parse_byline,
    source_from_url,
    squash,
    trailing_wire,
    wire_name,
)
from parallax.ingest.sanitize import sanitize_text
from parallax.model import Article, Removed, Span

_URL_LINE = re.compile(
    r"^(?:(?:source|url|link|original|from)\s*[:：]\s*)?(?P<url>https?://\S+)$", re.IGNORECASE
)
_SEGMENT_SPLIT = re.compile(r"\s+[|｜·•]\s+")
_HEADER_LIMIT = 20


@dataclass(slots=True)
class Para:
    """One paragraph unit of the capture: its stripped text and where it starts in raw."""

    text: str
    offset: int
    indent: int
    end: int = -1


def _paragraphs(raw: str) -> list[Para]:
    """Split `raw` into paragraph units, keeping offsets into `raw`.

    Each non-blank line is a unit, unless the text is hard-wrapped (every line short and
    blocks of several lines), in which case the lines of a block are joined with spaces.
    """
    lines: list[tuple[int, str]] = []
    pos = 0
    for line in raw.splitlines(keepends=True):
        content = line.splitlines()[0]
        # pathological lines are examined in bounded chunks
        for k in range(0, max(len(content), 1), MAX_LINE_CHARS):
            lines.append((pos + k, content[k : k + MAX_LINE_CHARS]))
        pos += len(line)
    blocks: list[list[tuple[int, str]]] = [[]]
    for off, text in lines:
        if text.strip():
            blocks[-1].append((off, text))
        elif blocks[-1]:
            blocks.append([])
    blocks = [b for b in blocks if b]
    longest = max((len(t) for _, t in lines), default=0)
    wrapped = longest <= 100 and any(len(b) >= 3 for b in blocks)
    paras: list[Para] = []
    for block in blocks:
        units = (
            [block]
            if wrapped and not any(clean.is_bullet(t) for _, t in block)
            else [[x] for x in block]
        )
        for unit in units:
            off, first = unit[0]
            indent = len(first) - len(first.lstrip())
            text = " ".join(t.strip() for _, t in unit)
            last_off, last = unit[-1]
            end = last_off + len(last.rstrip())
            paras.append(Para(text=text, offset=off + indent, indent=indent, end=end))
    return paras


def _head_end(raw: str) -> int:
    """Where the part of `raw` examined line by line ends (after 2 * MAX_PARAGRAPHS lines).

    Found with C-level `str.find`, so a file of a million lines is not split in Python.
    """
    pos = 0
    for _ in range(2 * MAX_PARAGRAPHS):
        found = raw.find("\n", pos)
        if found < 0:
            return len(raw)
        pos = found + 1
    return pos


def _outlet_like(text: str, hints: list[str]) -> bool:
    """Does a header line name the publication (rather than being a title)?"""
    ws = text.split()
    if not 1 <= len(ws) <= 6 or re.search(r"[.!?:,;\d]$", text) or re.search(r"\d", text):
        return False
    if hint_matches_outlet(text, hints) or squash(text) in KNOWN_OUTLETS:
        return True
    caps = all(w[:1].isupper() or w.lower() in ("of", "the", "and", "de", "la") for w in ws)
    return caps and bool(OUTLET_WORDS.search(text)) and len(ws) <= 5


_PROMO_SITE = re.compile(
    r"\b(?:on|from|at)\s+(?P<site>(?:the\s+)?[A-Za-z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,3})\s*$",
    re.IGNORECASE,
)


def _source_from_promo(removed: list[Removed]) -> str | None:
    """The site a page names in its own promo lines ("Latest Photo Galleries on xinmsn").

    Pages advertise themselves in their furniture; that is better evidence of the outlet
    than a file name. Social networks ("Follow us on Facebook") are not outlets.
    """
    for item in removed:
        if item.reason != "promo" or len(item.text) > 80:
            continue
        match = _PROMO_SITE.search(item.text)
        if not match:
            continue
        site = match.group("site").strip()
        if any(w in clean.SOCIAL_WORDS for w in clean.words(site)):
            continue
        return "The" + site[3:] if site.lower().startswith("the ") else site
    return None


_SECTION_WORDS = 3
_NAME_IN_PLACE = re.compile(
    r"^(?P<name>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3})\s+(?:in|at)\s+"
    r"[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,2}$"
)
"""A "Name Surname in City" byline line (The Guardian's style), only trusted in a header."""


_CAPTION_LABEL = re.compile(
    r"^(?:image|photo|picture|media|video)?\s*caption\s*[:：]?$", re.IGNORECASE
)
_SELF_CREDIT = re.compile(
    r"^(?:[A-Z][A-Za-z .,'’-]{0,40}?\s*)?\((?P<outlet>[^()\n]{1,30})\)\s*(?:--|[-–—:])\s*"
)


def _without_outlet(author: str | None, source: str | None) -> str | None:
    """A byline minus the outlet it names: "Elise Labott, CNN" on CNN is Elise Labott."""
    if not author:
        return author
    parts = [x.strip() for x in author.split(",")]
    kept = [
        x
        for x in parts
        if not (source and squash(x) == squash(source)) and squash(x) not in KNOWN_OUTLETS
    ]
    return ", ".join(kept) or None


def _headline_follows(paras: list[Para], start: int) -> bool:
    """Is there a longer, headline-shaped line later in the header (before the prose)?

    Pages put section labels and breadcrumbs above the headline; the headline is the
    first header line of more than `_SECTION_WORDS` words that is not furniture, a date,
    a byline or promo.
    """
    for p in paras[start : start + _HEADER_LIMIT]:
        text = p.text
        if clean.is_prose(text) or clean.is_caption(text):
            return False
        if (
            len(text.split()) > _SECTION_WORDS
            and not clean.is_furniture(text)
            and not clean.is_promo(text)
            and not date_line(text)
            and not parse_byline(text)
            and not _URL_LINE.match(text)
        ):
            return True
    return False


def parse_capture(
    raw: str, *, name: str, path: str | None = None, warnings: list[str] | None = None
) -> Article | None:
    """Parse one plain-text capture; None when nothing readable is left.

    Only the first `MAX_PARAGRAPHS` paragraphs are examined for boilerplate; a longer text
    (no real article has that many) keeps the rest verbatim, so time stays linear and small.
    """
    head_end = _head_end(raw)
    paras = _paragraphs(raw[:head_end])
    if not paras:
        return None
    tail = raw[head_end:]
    if len(paras) > MAX_PARAGRAPHS:
        tail = raw[paras[MAX_PARAGRAPHS].offset :]
        paras = paras[:MAX_PARAGRAPHS]
    if tail.strip() and warnings is not None:
        warnings.append(
            f"{name}: very long text; boilerplate removal covered the first "
            f"{len(paras)} paragraphs and the rest was kept as is"
        )
    removed: list[Removed] = []
    meta: dict[str, str | None] = {}
    hints = [name]

    def drop(p: Para, reason: str) -> None:
        # The exact raw text (a hard-wrapped paragraph keeps its line breaks), so that
        # raw[offset:offset + len(text)] == text and an undo can restore it verbatim.
        exact = raw[p.offset : p.end] if p.end > p.offset else p.text
        removed.append(Removed(exact, reason, p.offset))

    def take_metadata(p: Para) -> bool:
        """Consume a date/byline/URL line (or a " | "-joined line of them)."""
        url = _URL_LINE.match(p.text)
        if url:
            meta.setdefault("url", url.group("url"))
            hints.append(url.group("url"))
            drop(p, "source-line")
            return True
        segments = _SEGMENT_SPLIT.split(p.text)
        dates: list[tuple[str, str, bool]] = []
        bylines: list[tuple[str | None, str | None]] = []
        for seg in segments:
            dated = date_line(seg)
            byline = parse_byline(seg) if not dated else None
            if dated:
                dates.append(dated)
            elif byline:
                bylines.append(byline)
            elif not (len(segments) > 1 and (clean.is_furniture(seg) or not seg.strip())):
                return False
        if not dates and not bylines:
            return False
        for iso, text, is_update in dates:
            # A "Published" date wins over an "Updated" one, whichever comes first.
            if "published" not in meta or (meta.get("_update") and not is_update):
                meta["published"], meta["published_raw"] = iso, text
                meta["_update"] = "1" if is_update else ""
        for author, agency in bylines:
            if author and not meta.get("author"):
                meta["author"] = author
            if agency and not meta.get("agency"):
                meta["agency"] = agency
        drop(p, "dateline" if dates else "byline")
        return True

    title: str | None = None
    source: str | None = None
    i = 0
    while i < len(paras) and i < _HEADER_LIMIT:
        p = paras[i]
        if take_metadata(p):
            pass
        elif clean.is_furniture(p.text):
            drop(p, "navigation")
        elif clean.is_prose(p.text) or clean.is_caption(p.text):
            break
        elif title is None and source is None and _outlet_like(p.text, hints):
            source = p.text
            drop(p, "source-line")
        elif title is None and source is None and wire_name(p.text) and len(p.text) > 3:
            # The page of a wire service itself ("연합뉴스", "Yonhap News Agency").
            source = p.text
            meta.setdefault("agency", wire_name(p.text))
            drop(p, "source-line")
        elif clean.is_stray_word(p.text) and title is None:
            drop(p, "stray-word")
        elif title is None and not clean.subheading(p.text) and not clean.is_promo(p.text):
            if len(p.text.split()) <= _SECTION_WORDS and _headline_follows(paras, i + 1):
                # "World", "North Korea": the section breadcrumb above the real headline.
                drop(p, "section-label")
            else:
                title = p.text
                drop(p, "title")
        elif (
            title is not None and not meta.get("author") and (named := _NAME_IN_PLACE.match(p.text))
        ):
            # "Justin McCurry in Seoul": a byline without "By", under the headline.
            meta["author"] = named.group("name")
            drop(p, "byline")
        elif title is not None and clean.is_stray_word(p.text):
            drop(p, "stray-word")
        else:
            break
        i += 1

    body_paras = paras[i:]
    keep: list[tuple[Para, str]] = []  # (paragraph, kind) kind in text/heading/caption
    title_key = squash(title) if title else None
    n = len(body_paras)
    # footer_from[k]: paragraphs k.. are all page furniture (lists, indented blurbs, short
    # non-prose lines), so a promo/share line before them starts the page footer.
    footer_from = [True] * (n + 1)
    footer_from[n] = not tail  # text kept past the cap means this is not the page end
    for k in range(n - 1, -1, -1):
        q = body_paras[k]
        footer_from[k] = footer_from[k + 1] and (
            clean.is_bullet(q.text) or q.indent >= 2 or not clean.is_prose(q.text)
        )
    j = 0
    caption_next = False
    while j < n:
        p = body_paras[j]
        text = p.text
        after_label, caption_next = caption_next, False
        if _CAPTION_LABEL.match(text) and j + 1 < n:
            # "Image caption" on its own line introduces the caption that follows (BBC).
            drop(p, "caption-label")
            caption_next = True
        elif after_label and len(text) <= 600:
            keep.append((p, "caption"))
        elif clean.is_promo(text) or clean.is_furniture(text):
            footer = bool(keep) and footer_from[j + 1]
            if footer:
                drop(p, "promo" if clean.is_promo(text) else "share-widget")
                for q in body_paras[j + 1 :]:
                    drop(q, "promo")
                break
            drop(p, "promo" if clean.is_promo(text) else "navigation")
        elif clean.is_copyright(text):
            drop(p, "copyright")
        elif clean.is_credits(text):
            drop(p, "credits")
        elif title_key and squash(text) == title_key:
            drop(p, "repeated-headline")
        elif not clean.is_prose(text) and take_metadata(p):
            pass
        elif clean.subheading(text):
            keep.append((p, "heading"))
        elif (lone := trailing_wire(text)) and lone.start() == 0:
            # A paragraph that is only a wire credit ("(Yonhap)", "(서울=연합뉴스)").
            meta.setdefault("agency", wire_name(lone.group("wire")))
            drop(p, "agency-credit")
        elif clean.is_stray_word(text):
            drop(p, "stray-word")
        elif clean.is_caption(text):
            keep.append((p, "caption"))
        else:
            keep.append((p, "text"))
        j += 1

    # Wire credits opening the first or closing the last paragraph.
    texts = [p.text for p, _ in keep]
    agency = meta.get("agency")
    first_text = next((k for k, (_, kind) in enumerate(keep) if kind == "text"), None)
    if first_text is not None:
        m = leading_dateline(texts[first_text])
        if m:
            agency = agency or wire_name(dateline_wire(m))
            if m.groupdict().get("reporter") and not meta.get("author"):
                meta["author"] = m.group("reporter")
            removed.append(
                Removed(m.group("dateline").strip(), "dateline", keep[first_text][0].offset)
            )
            texts[first_text] = texts[first_text][m.end() :]
    if first_text is not None and source:
        # The outlet crediting itself like a wire: "(CNN) -- ", "LONDON (BBC) - ".
        m = _SELF_CREDIT.match(texts[first_text])
        if m and squash(m.group("outlet")) == squash(source):
            removed.append(Removed(m.group(0).strip(), "dateline", keep[first_text][0].offset))
            texts[first_text] = texts[first_text][m.end() :]
    last_text = max((k for k, (_, kind) in enumerate(keep) if kind == "text"), default=None)
    if last_text is not None:
        m = trailing_wire(texts[last_text])
        if m:
            agency = agency or wire_name(m.group("wire"))
            p = keep[last_text][0]
            credit = m.group(0).strip()
            raw_at = raw.find(credit, p.offset)
            removed.append(Removed(credit, "agency-credit", raw_at))
            texts[last_text] = texts[last_text][: m.start()]

    pieces: list[str] = []
    captions: list[Span] = []
    length = 0
    for (_, kind), text in zip(keep, texts, strict=True):
        text = sanitize_text(text, keep_newlines=False).strip()
        if not text:
            continue
        if kind == "heading":
            piece = "## " + clean.escape_markdown(clean.subheading(text) or text)
        else:
            piece = clean.escape_markdown(text)
        if pieces:
            length += 2
        if kind == "caption":
            captions.append(Span(length, length + len(piece)))
        pieces.append(piece)
        length += len(piece)
    if tail:
        tail_text = clean.escape_markdown(re.sub(r"\n{3,}", "\n\n", sanitize_text(tail).strip()))
        if tail_text:
            pieces.append(tail_text)
    body = "\n\n".join(pieces)
    if not body and not title:
        return None
    url = meta.get("url")
    if source is None:
        source = _source_from_promo(removed)
    author = _without_outlet(meta.get("author"), source)
    return make_article(
        raw=raw,
        body=body,
        fmt="capture",
        name=name,
        title=title,
        source=source or source_from_url(url),
        agency=agency,
        author=author,
        published=meta.get("published"),
        published_raw=meta.get("published_raw"),
        url=url,
        removed=sorted(removed, key=lambda r: r.offset),
        captions=captions,
        path=path,
    )
