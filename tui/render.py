"""Article Markdown -> Rich `Text`, with entity, quote, caption and note highlights.

Why not Textual's `Markdown` widget: it parses links into clickable actions and renders
through markup-aware paths, and it gives no way back from a body offset (where analysis
found an entity) to a screen line (where the reader must scroll). Here the body is parsed
with markdown-it-py (HTML disabled, so `<script>` shows as text) and every output character
remembers which body offset it came from. Analysis offsets then map straight onto the
rendered text, whatever Markdown syntax surrounded them.

Safety: nothing from the article is ever parsed as markup; text is appended to `Text`
objects with explicit styles only. Control, escape and bidi characters that survived ingest
(a store written by an older version, say) are replaced one-for-one by visible stand-ins
(`visible()`), so offsets stay aligned and the terminal never receives them. Links are
styled, never made clickable (no OSC 8 hyperlinks, no `@click` actions), and only http(s)
links are styled as links at all.
"""

from __future__ import annotations

import functools
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text

from parallax.anchors import locate
from parallax.model import Article, Entity, Note, Quote, Span

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

# -- safe display of untrusted strings ------------------------------------------------------

_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x20):
        if chr(code) not in "\n\t":
            table[code] = chr(0x2400 + code)  # control pictures: U+241B shows ESC as "␛"
    table[0x7F] = "\u2421"
    for code in range(0x80, 0xA0):
        table[code] = "\ufffd"
    for ch in _BIDI:
        table[ord(ch)] = "\ufffd"
    return table


_VISIBLE_TABLE = _build_table()
_LINE_TABLE = {**_VISIBLE_TABLE, ord("\n"): " ", ord("\t"): " "}


def visible(text: str) -> str:
    """Replace control, escape and bidi characters one-for-one with visible stand-ins.

    Length is preserved, so body offsets from analysis still line up.
    """
    return text.translate(_VISIBLE_TABLE)


def one_line(text: str | None) -> str:
    """A safe single-line version of a title, source, tag or name (newlines become spaces)."""
    if not text:
        return ""
    return text.translate(_LINE_TABLE)


def safe_text(text: str | None, style: str | Style = "") -> Text:
    """A `Text` of untrusted one-line content: never parsed as markup."""
    return Text(one_line(text), style=style, end="")


# -- entity types ---------------------------------------------------------------------------

ENTITY_TYPES: dict[str, tuple[str, ...]] = {
    "people": ("PERSON",),
    "orgs": ("ORG", "NORP"),
    "places": ("GPE", "LOC", "FAC"),
    "dates": ("DATE", "TIME"),
    "figures": ("MONEY", "PERCENT", "CARDINAL", "QUANTITY", "ORDINAL"),
    "other": (),
}
"""Display groups of spaCy labels; the legend and the side panel use these names."""

_LABEL_GROUP = {label: group for group, labels in ENTITY_TYPES.items() for label in labels}

# Each group differs by an attribute as well as a colour, so they stay distinct with NO_COLOR.
ENTITY_STYLES: dict[str, Style] = {
    "people": Style(color="#5fafff", bold=True),
    "orgs": Style(color="#ff875f", underline=True),
    "places": Style(color="#5fd787", italic=True),
    "dates": Style(color="#d787ff"),
    "figures": Style(color="#ffd75f", bold=True),
    "other": Style(color="#87afaf"),
}
QUOTE_STYLE = Style(color="#afaf87", italic=True)
SPEAKER_STYLE = Style(color="#878787", italic=True)
CAPTION_STYLE = Style(color="#8a8a8a", italic=True)
NOTE_STYLE = Style(underline=True, bgcolor="#3a3a00")
LINK_STYLE = Style(color="#5f87ff", underline=True)
HEADING_STYLE = Style(bold=True)
CODE_STYLE = Style(color="#bcbcbc", bgcolor="#262626")
MARK_STYLE = Style(reverse=True)


_DARK_ENTITY_STYLES = dict(ENTITY_STYLES)
_LIGHT_ENTITY_STYLES: dict[str, Style] = {
    "people": Style(color="#005fd7", bold=True),
    "orgs": Style(color="#af3f00", underline=True),
    "places": Style(color="#007a33", italic=True),
    "dates": Style(color="#8700af"),
    "figures": Style(color="#875f00", bold=True),
    "other": Style(color="#306060"),
}
_PALETTES: dict[bool, dict[str, Style]] = {
    True: {
        "QUOTE_STYLE": QUOTE_STYLE,
        "SPEAKER_STYLE": SPEAKER_STYLE,
        "CAPTION_STYLE": CAPTION_STYLE,
        "NOTE_STYLE": NOTE_STYLE,
        "LINK_STYLE": LINK_STYLE,
        "CODE_STYLE": CODE_STYLE,
    },
    False: {
        "QUOTE_STYLE": Style(color="#5f5f00", italic=True),
        "SPEAKER_STYLE": Style(color="#585858", italic=True),
        "CAPTION_STYLE": Style(color="#585858", italic=True),
        "NOTE_STYLE": Style(underline=True, bgcolor="#ffffaf"),
        "LINK_STYLE": Style(color="#0037c8", underline=True),
        "CODE_STYLE": Style(color="#303030", bgcolor="#e4e4e4"),
    },
}


def set_palette(dark: bool) -> None:
    """Switch the highlight colours for a dark or a light theme.

    Why: the dark palette's pale yellow and green vanish on a light background. The styles
    are module globals read when an article is rendered (and `ENTITY_STYLES` is updated in
    place, for the modules that imported it), so re-rendering after a switch is enough.
    """
    ENTITY_STYLES.update(_DARK_ENTITY_STYLES if dark else _LIGHT_ENTITY_STYLES)
    globals().update(_PALETTES[dark])


def entity_group(label: str) -> str:
    """The display group ("people", "orgs", ...) of a spaCy label."""
    return _LABEL_GROUP.get(label, "other")


def legend() -> Text:
    """One line naming each entity colour, shown under the article header."""
    text = Text(end="")
    for i, (group, style) in enumerate(ENTITY_STYLES.items()):
        if i:
            text.append(" ")
        text.append(group, style=style)
    text.append(" ")
    text.append("\u201cquote\u201d", style=QUOTE_STYLE)
    return text


# -- rendering ------------------------------------------------------------------------------


@dataclass(slots=True)
class Mark:
    """A highlighted range of the rendered text and what it stands for."""

    start: int
    end: int
    kind: str  # "entity" | "quote" | "note" | "sentence"
    index: int  # index into the analysis list (or notes list)


@dataclass(slots=True)
class RenderedBody:
    """The rendered body plus what the reader needs to navigate it.

    Attributes:
        text: logical lines separated by "\\n"; each may start with a prefix (bullet,
            quote bar) whose width is in `prefixes` so wrapped lines hang under it.
        src_to_out: for each body offset (and one past the end), the rendered offset, or
            -1 when the character is Markdown syntax that was not shown.
        prefixes: rendered offset of a logical line start -> hanging indent in cells.
        entities / quotes / notes / sentences: marks in rendered offsets, in body order.
        orphaned_notes: indexes (into the notes given) whose anchor was not found.
    """

    text: Text
    src_to_out: list[int]
    prefixes: dict[int, int] = field(default_factory=dict)
    entities: list[Mark] = field(default_factory=list)
    quotes: list[Mark] = field(default_factory=list)
    notes: list[Mark] = field(default_factory=list)
    sentences: list[Mark] = field(default_factory=list)
    orphaned_notes: list[int] = field(default_factory=list)

    def out_range(self, start: int, end: int) -> tuple[int, int] | None:
        """Rendered range covering body range `[start, end)`, or None if none of it shows."""
        n = len(self.src_to_out) - 1
        start, end = max(0, start), min(end, n)
        first = next((self.src_to_out[i] for i in range(start, end) if self.src_to_out[i] >= 0), -1)
        if first < 0:
            return None
        last = next(
            (self.src_to_out[i] for i in range(end - 1, start - 1, -1) if self.src_to_out[i] >= 0),
            first,
        )
        return first, last + 1

    def src_offset(self, out: int) -> int | None:
        """The body offset a rendered offset came from (None for synthetic characters)."""
        # src_to_out is increasing over mapped entries; search the nearest mapped one.
        mapped = [(o, s) for s, o in enumerate(self.src_to_out) if o >= 0]
        keys = [o for o, _ in mapped]
        i = bisect_right(keys, out) - 1
        return mapped[i][1] if i >= 0 else None


@functools.cache
def _markdown() -> MarkdownIt:
    """The Markdown parser, built on first use: importing markdown-it costs ~50 ms, which
    the reader's start-up (over SSH) does not need to pay before the first article."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def _is_http(url: str) -> bool:
    lowered = url.strip().lower()
    return lowered.startswith("http://") or lowered.startswith("https://")


class _Builder:
    """Accumulates rendered text and, per rendered character, its body offset."""

    def __init__(self, body: str) -> None:
        self.body = body
        self.text = Text(end="")
        self.out_src: list[int] = []
        self.prefixes: dict[int, int] = {}
        self.line_starts = [0]
        for i, ch in enumerate(body):
            if ch == "\n":
                self.line_starts.append(i + 1)
        self.prefix = ""  # hanging indent for continuation lines of the current block
        self.first_prefix = ""
        self.caption = False
        self.heading = False

    def synthetic(self, text: str, style: Style | str = "") -> None:
        self.text.append(text, style=style)
        self.out_src.extend([-1] * len(text))

    def start_line(self, prefix: str, style: Style | str = "") -> None:
        if self.text.plain and not self.text.plain.endswith("\n"):
            self.synthetic("\n")
        self.prefixes[len(self.text.plain)] = len(prefix)
        if prefix:
            self.synthetic(prefix, style)

    def mapped(self, content: str, src: int, style: Style | str = "") -> None:
        """Append `content` that appears in the body at `src`."""
        self.text.append(visible(content), style=style)
        self.out_src.extend(range(src, src + len(content)))

    def unmapped_text(self, content: str, cursor: int, limit: int, style: Style | str) -> int:
        """Append text whose exact source form differs (escapes, entities): map what we can."""
        for ch in content:
            pos = self.body.find(ch, cursor, min(limit, cursor + 12))
            self.text.append(visible(ch), style=style)
            if pos >= 0:
                self.out_src.append(pos)
                cursor = pos + 1
            else:
                self.out_src.append(-1)
        return cursor

    def line_offset(self, line: int) -> int:
        if line >= len(self.line_starts):
            return len(self.body)
        return self.line_starts[line]


def _render_inline(b: _Builder, token: Token, base: Style) -> None:
    children = token.children or []
    if token.map:
        cursor, limit = b.line_offset(token.map[0]), b.line_offset(token.map[1])
    else:
        cursor, limit = 0, len(b.body)
    limit = max(limit, cursor)
    styles: list[Style] = [base]
    for child in children:
        style = styles[-1]
        kind = child.type
        if kind in ("text", "code_inline"):
            content = child.content
            if kind == "code_inline":
                style = style + CODE_STYLE
            if not content:
                continue
            pos = b.body.find(content, cursor, limit)
            if pos >= 0:
                b.mapped(content, pos, style)
                cursor = pos + len(content)
            else:
                cursor = b.unmapped_text(content, cursor, limit, style)
        elif kind == "softbreak":
            pos = b.body.find("\n", cursor, limit)
            b.text.append(" ", style=style)
            b.out_src.append(pos if pos >= 0 else -1)
            if pos >= 0:
                cursor = pos + 1
        elif kind == "hardbreak":
            b.start_line(" " * len(b.prefix) if b.prefix else "")
        elif kind in ("em_open", "strong_open", "s_open"):
            extra = {
                "em_open": Style(italic=True),
                "strong_open": Style(bold=True),
                "s_open": Style(strike=True),
            }[kind]
            styles.append(style + extra)
        elif kind in ("em_close", "strong_close", "s_close", "link_close"):
            if len(styles) > 1:
                styles.pop()
        elif kind == "link_open":
            href = str(child.attrs.get("href", ""))
            # Styled only; never a live hyperlink or click action.
            styles.append(style + LINK_STYLE if _is_http(href) else style)
        elif kind == "image":
            alt = "".join(c.content for c in child.children or []) or "image"
            b.synthetic(f"[image: {one_line(alt)}]", Style(dim=True))
        else:  # html_inline cannot occur (html disabled); anything else: show its text
            if child.content:
                cursor = b.unmapped_text(child.content, cursor, limit, style)


def _overlaps(start: int, end: int, spans: Sequence[Span]) -> bool:
    return any(s.start < end and start < s.end for s in spans)


def _render_blocks(b: _Builder, tokens: list[Token], captions: Sequence[Span]) -> None:
    quote_depth = 0
    lists: list[list[int]] = []  # stack of [ordered?, counter]
    item_prefix: str | None = None
    prev_hidden = False  # the previous block was an item of a tight list
    for token in tokens:
        kind = token.type
        if kind == "blockquote_open":
            quote_depth += 1
        elif kind == "blockquote_close":
            quote_depth -= 1
        elif kind in ("bullet_list_open", "ordered_list_open"):
            start = int(token.attrs.get("start", 1) or 1)
            lists.append([1 if kind == "ordered_list_open" else 0, start])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            if lists:
                lists.pop()
        elif kind == "list_item_open":
            if lists:
                ordered, counter = lists[-1]
                marker = f"{counter}. " if ordered else "\u2022 "
                lists[-1][1] = counter + 1
                item_prefix = "  " * (len(lists) - 1) + marker
        elif kind in ("paragraph_open", "heading_open", "fence", "code_block", "hr"):
            if b.text.plain:
                # A blank line between blocks; tight list items (hidden paragraphs) and
                # the lines of one item stay together.
                b.synthetic("\n" if token.hidden and prev_hidden else "\n\n")
            prev_hidden = token.hidden
            bar = "\u2502 " * quote_depth
            indent = "  " * len(lists)
            first = bar + (item_prefix if item_prefix is not None else indent)
            b.prefix = bar + indent
            item_prefix = None
            is_caption = False
            if token.map:
                src_start = b.line_offset(token.map[0])
                src_end = b.line_offset(token.map[1])
                is_caption = _overlaps(src_start, src_end, captions)
            if is_caption:
                first = first + "\u258f "
                b.prefix = b.prefix + "  "
            b.start_line(first, CAPTION_STYLE if is_caption else Style(dim=True))
            b.first_prefix = first
            if kind == "hr":
                b.synthetic("\u2500" * 20, Style(dim=True))
            elif kind in ("fence", "code_block"):
                _render_code(b, token)
            else:
                b.caption = is_caption
                b.heading = kind == "heading_open"
        elif kind == "inline":
            base = Style()
            if b.heading:
                base = base + HEADING_STYLE
            if b.caption:
                base = base + CAPTION_STYLE
            _render_inline(b, token, base)
        elif kind in ("paragraph_close", "heading_close"):
            b.caption = False
            b.heading = False


def _render_code(b: _Builder, token: Token) -> None:
    start_line = token.map[0] + (1 if token.type == "fence" else 0) if token.map else 0
    lines = token.content.rstrip("\n").split("\n")
    for i, line in enumerate(lines):
        if i:
            b.start_line(b.prefix)
        src = b.line_offset(start_line + i) if token.map else -1
        if src >= 0 and b.body.startswith(line, src):
            b.mapped(line, src, CODE_STYLE)
        elif src >= 0 and line and (pos := b.body.find(line, src)) >= 0:
            b.mapped(line, pos, CODE_STYLE)
        else:
            b.synthetic(visible(line), CODE_STYLE)


def find_anchor(body: str, note: Note) -> tuple[int, int] | None:
    """Where a note's anchor is in `body` now, or None if orphaned (never a guess).

    Delegates to `parallax.anchors.locate`, so the reader and the CLI agree on orphans.
    """
    if note.anchor is None:
        return None
    span = locate(note.anchor, body)
    return (span.start, span.end) if span is not None else None


def render_body(
    article: Article, notes: Sequence[Note] = (), *, speakers: bool = False
) -> RenderedBody:
    """Render an article body from Markdown, with its analysis and notes highlighted.

    Args:
        article: the article (its `analysis` may be None: then only Markdown is styled).
        notes: the article's notes; anchored ones are underlined in the text.
        speakers: ignored (kept for callers): speakers are shown by the reader in its
            gutter and under the paragraph, never inside the article text.
    """
    body = article.body or ""
    b = _Builder(body)
    _render_blocks(b, _markdown().parse(body), article.captions)
    analysis = article.analysis

    # Speakers are not spliced into the text (that would put words in the article that
    # its author never wrote, and shift every offset); the reader shows them beside it.
    del speakers
    text: Text = b.text
    src_to_out = _src_to_out(b.out_src, len(body))
    rendered = RenderedBody(text=text, src_to_out=src_to_out, prefixes=b.prefixes)

    if analysis:
        for i, sent in enumerate(analysis.sentences):
            rng = rendered.out_range(sent.start, sent.end)
            if rng:
                rendered.sentences.append(Mark(rng[0], rng[1], "sentence", i))
        for i, quote in enumerate(analysis.quotes):
            rng = rendered.out_range(quote.start, quote.end)
            if rng:
                text.stylize(QUOTE_STYLE, *rng)
                rendered.quotes.append(Mark(rng[0], rng[1], "quote", i))
        for i, ent in enumerate(analysis.entities):
            rng = rendered.out_range(ent.start, ent.end)
            if rng:
                text.stylize(ENTITY_STYLES[entity_group(ent.label)], *rng)
                rendered.entities.append(Mark(rng[0], rng[1], "entity", i))
    if not rendered.sentences:
        for start, end in split_sentences(body):
            rng = rendered.out_range(start, end)
            if rng:
                rendered.sentences.append(Mark(rng[0], rng[1], "sentence", -1))
    for i, note in enumerate(notes):
        if note.anchor is None:
            continue
        where = find_anchor(body, note)
        rng = rendered.out_range(*where) if where else None
        if rng:
            text.stylize(NOTE_STYLE, *rng)
            rendered.notes.append(Mark(rng[0], rng[1], "note", i))
        else:
            rendered.orphaned_notes.append(i)
    rendered.entities.sort(key=lambda m: (m.start, m.end))
    rendered.quotes.sort(key=lambda m: m.start)
    rendered.notes.sort(key=lambda m: m.start)
    return rendered


def render_markdown(source: str) -> Text:
    """A note's Markdown as styled, literal text: the reading pane's renderer, so emphasis,
    lists, quotes and code look the same in notes as in articles (and are as safe)."""
    b = _Builder(source)
    _render_blocks(b, _markdown().parse(source), ())
    return b.text


def _src_to_out(out_src: list[int], n: int) -> list[int]:
    src_to_out = [-1] * (n + 1)
    for out, src in enumerate(out_src):
        if 0 <= src < n and src_to_out[src] < 0:
            src_to_out[src] = out
    src_to_out[n] = len(out_src)
    return src_to_out


def split_sentences(body: str) -> list[tuple[int, int]]:
    """A cheap sentence split for un-analysed articles (no spaCy in the reader)."""
    spans: list[tuple[int, int]] = []
    start = None
    i = 0
    n = len(body)
    while i < n:
        ch = body[i]
        if start is None:
            if not ch.isspace():
                start = i
        elif ch == "\n" or (
            ch in ".!?" and (i + 1 >= n or body[i + 1].isspace()) and i - start > 1
        ):
            end = i if ch == "\n" else i + 1
            if end > start:
                spans.append((start, end))
            start = None
        i += 1
    if start is not None:
        spans.append((start, n))
    return spans


def sentence_at(rendered: RenderedBody, out: int) -> Mark | None:
    """The sentence containing (or the first after) a rendered offset."""
    for mark in rendered.sentences:
        if mark.end > out:
            return mark
    return rendered.sentences[-1] if rendered.sentences else None


__all__ = [
    "ENTITY_STYLES",
    "ENTITY_TYPES",
    "Entity",
    "Mark",
    "Quote",
    "RenderedBody",
    "entity_group",
    "find_anchor",
    "legend",
    "one_line",
    "render_body",
    "safe_text",
    "sentence_at",
    "split_sentences",
    "visible",
]
