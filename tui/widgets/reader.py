"""The reading pane: an article's header and its rendered body, with a navigation mark.

A Line API widget (like the list) because the reader must know which screen line holds a
body offset: jumping to the next entity or quote, or opening a note's passage, scrolls to
the line where `tui.render` put that offset. Lines are wrapped here with a hanging indent
(bullets and quote bars stay in their column) and re-wrapped only when the width changes.

Keys (binding id: default key):

| id                  | keys        | action                                        |
|---------------------|-------------|-----------------------------------------------|
| reader.down         | j, down     | scroll down a line                            |
| reader.up           | k, up       | scroll up a line                              |
| reader.page_down    | pagedown    | scroll down a page                            |
| reader.page_up      | pageup      | scroll up a page                              |
| reader.top          | home        | top of the article                            |
| reader.bottom       | end         | end of the article                            |
| reader.filter_entity| enter       | filter the list by the marked entity          |
| reader.next_sentence| .           | mark the next sentence (for `a` annotate)     |
| reader.prev_sentence| ,           | mark the previous sentence                    |
| reader.extend       | >           | extend the marked passage by a sentence       |
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich._wrap import divide_line
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from parallax.model import Article, Note
from tui import render
from tui.messages import FilterByEntity
from tui.render import (
    MARK_STYLE,
    Mark,
    RenderedBody,
    entity_group,
    legend,
    one_line,
    render_body,
)

GUTTER = 2  # cells left of the body: a quote mark on lines inside a quote


def _gutter_style() -> Style:
    """The quote colour of the current palette (dark or light theme), upright and bold."""
    return render.QUOTE_STYLE + Style(bold=True, italic=False)


def _gutter(quotes: Sequence[Mark], start: int, end: int) -> Text:
    """The gutter for the body line covering rendered `[start, end)`.

    `\u275d` where a quote opens on the line, `\u2502` on the lines it continues over, so
    quoted passages stand out at a glance without touching the text itself.
    """
    opens = inside = False
    for mark in quotes:
        if mark.start >= end:
            break
        if mark.end > start:
            inside = True
            if mark.start >= start:
                opens = True
                break
    if opens:
        return Text("\u275d ", style=_gutter_style(), end="")
    if inside:
        return Text("\u2502 ", style=_gutter_style(), end="")
    return Text(" " * GUTTER, end="")


@dataclass(slots=True)
class _Line:
    text: Text
    start: int  # rendered-body offset of the line's first body character; -1 for header
    col: int  # cells of indent added before `start`


class ReaderView(ScrollView, can_focus=True):
    """Shows one article; keeps a mark (entity, quote, sentence or note) to navigate."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "scroll_lines(1)", "Scroll down", show=False, id="reader.down"),
        Binding("k,up", "scroll_lines(-1)", "Scroll up", show=False, id="reader.up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="reader.page_down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="reader.page_up"),
        Binding("home", "top", "Top", show=False, id="reader.top"),
        Binding("end", "bottom", "Bottom", show=False, id="reader.bottom"),
        Binding(
            "enter", "filter_entity", "Filter by entity", show=False, id="reader.filter_entity"
        ),
        Binding("full_stop", "sentence(1)", "Next sentence", show=False, id="reader.next_sentence"),
        Binding(
            "comma", "sentence(-1)", "Previous sentence", show=False, id="reader.prev_sentence"
        ),
        Binding("greater_than_sign", "extend", "Extend passage", show=False, id="reader.extend"),
    ]

    DEFAULT_CSS = """
    ReaderView { background: $surface; padding: 0 1; }
    """

    class MarkChanged(Message):
        """The navigation mark moved; `description` says what it is on (safe `Text`)."""

        def __init__(self, description: Text) -> None:
            super().__init__()
            self.description = description

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.article: Article | None = None
        self.notes: list[Note] = []
        self.rendered: RenderedBody | None = None
        self.mark: Mark | None = None
        self._lines: list[_Line] = []
        self._wrapped_width = -1
        self._header: list[Text] = []
        self.placeholder = "Select an article and press Enter to read it."

    # -- content ------------------------------------------------------------------------

    def show(
        self, article: Article | None, notes: Sequence[Note] = (), tags: Sequence[str] | None = None
    ) -> None:
        """Display an article (None clears the pane)."""
        self.article = article
        self.notes = list(notes)
        self.mark = None
        self.rendered = render_body(article, self.notes) if article else None
        self._header = self._build_header(article, tags) if article else []
        self._wrapped_width = -1
        self._rewrap()
        self.scroll_to(y=0, animate=False, immediate=True)
        self.refresh()

    def _build_header(self, article: Article, tags: Sequence[str] | None) -> list[Text]:
        lines: list[Text] = []
        lines.append(Text(one_line(article.title) or "(untitled)", style=Style(bold=True), end=""))
        meta = Text(end="", style=Style(dim=True))
        parts = [
            ("", article.source),
            ("via ", article.agency if article.agency != article.source else None),
            ("by ", article.author),
            ("", (article.published or article.published_raw or "")[:16].replace("T", " ")),
        ]
        first = True
        for label, value in parts:
            if not value:
                continue
            if not first:
                meta.append(" \u00b7 ")
            meta.append(label + one_line(value))
            first = False
        lines.append(meta)
        flags = Text(end="")
        shown_tags = list(tags if tags is not None else article.tags)
        if article.starred:
            flags.append("\u2605 starred  ", style=Style(color="yellow"))
        if article.archived:
            flags.append("archived  ", style=Style(dim=True))
        for tag in shown_tags:
            flags.append("#" + one_line(tag) + " ", style=Style(color="green"))
        if flags.plain:
            lines.append(flags)
        if article.analysis is not None:
            lines.append(legend())
        else:
            lines.append(
                Text(
                    "not analysed: run `parallax reanalyze` for entities and quotes",
                    style=Style(dim=True, italic=True),
                )
            )
        lines.append(Text("\u2500" * 40, style=Style(dim=True)))
        return lines

    def _rewrap(self) -> None:
        width = max(10, (self.scrollable_content_region.width or self.size.width or 80))
        if width == self._wrapped_width and self._lines:
            return
        self._wrapped_width = width
        lines: list[_Line] = []
        for header in self._header:  # aligned with the body, right of the gutter
            for piece in header.wrap(self.app.console, max(10, width - GUTTER)):
                line = Text(" " * GUTTER, end="")
                line.append_text(piece)
                lines.append(_Line(line, -1, 0))
        rendered = self.rendered
        if rendered is not None:
            body_width = max(10, width - GUTTER)
            quotes = rendered.quotes
            analysis = self.article.analysis if self.article is not None else None
            offset = 0
            for logical in rendered.text.split("\n", allow_blank=True):
                length = len(logical.plain)
                plen = min(rendered.prefixes.get(offset, 0), max(0, body_width - 10))
                content = logical[plen:]
                cuts = (
                    divide_line(content.plain, max(1, body_width - plen)) if content.plain else []
                )
                pieces = content.divide(cuts) if cuts else [content]
                starts = [0, *cuts]
                for i, piece in enumerate(pieces):
                    piece.rstrip_end(body_width - plen)
                    start = offset if i == 0 else offset + plen + starts[i]
                    end = offset + plen + (starts[i + 1] if i + 1 < len(starts) else len(content))
                    line = Text(end="")
                    line.append_text(_gutter(quotes, start, end))
                    if i == 0:
                        line.append_text(logical[:plen])
                        col = GUTTER
                    else:
                        line.append(" " * plen)
                        col = GUTTER + plen
                    line.append_text(piece)
                    lines.append(_Line(line, start, col))
                if analysis is not None:
                    # Who said the paragraph's quotes, on a line of its own under it: the
                    # article's words stay exactly its words.
                    speakers: list[str] = []
                    for mark in quotes:
                        if offset <= mark.end - 1 < offset + length + 1:
                            speaker = analysis.quotes[mark.index].speaker
                            if speaker and one_line(speaker) not in speakers:
                                speakers.append(one_line(speaker))
                    if speakers:
                        label = Text(" " * GUTTER + "\u275e ", style=_gutter_style(), end="")
                        label.append(", ".join(speakers), style=render.SPEAKER_STYLE)
                        for piece in label.wrap(self.app.console, width):
                            lines.append(_Line(piece, -1, 0))
                offset += length + 1
        elif self.article is None:
            lines.append(_Line(Text(self.placeholder, style=Style(dim=True, italic=True)), -1, 0))
        self._lines = lines
        self.virtual_size = Size(width, len(lines))

    def on_resize(self) -> None:
        self._rewrap()
        self.refresh()

    def on_mount(self) -> None:
        self._rewrap()

    def render_line(self, y: int) -> Strip:
        index = round(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width or self.size.width
        if self._wrapped_width != width and width > 0:
            self._rewrap()
        if index >= len(self._lines):
            return Strip.blank(width, self.rich_style)
        line = self._lines[index]
        text = line.text
        mark = self.mark
        if mark is not None and line.start >= 0:
            line_end = line.start + len(text.plain) - line.col
            if mark.start < line_end and mark.end > line.start:
                text = text.copy()
                a = max(mark.start, line.start) - line.start + line.col
                b = min(mark.end, line_end) - line.start + line.col
                text.stylize(MARK_STYLE, a, b)
        text = text.copy()
        text.no_wrap = True
        text.truncate(width, pad=True)
        segments = list(text.render(self.app.console, end=""))
        return Strip(segments, width).apply_style(self.rich_style).simplify()

    # -- navigation ---------------------------------------------------------------------

    def line_of(self, out: int) -> int:
        """The screen line (from the top of the content) holding rendered offset `out`."""
        best = 0
        for i, line in enumerate(self._lines):
            if line.start < 0:
                continue
            if line.start <= out:
                best = i
            else:
                break
        return best

    def _set_mark(self, mark: Mark | None) -> None:
        self.mark = mark
        if mark is not None:
            line = self.line_of(mark.start)
            top = round(self.scroll_offset.y)
            height = max(1, self.scrollable_content_region.height)
            if not top <= line < top + height:
                self.scroll_to(y=max(0, line - height // 3), animate=False, immediate=True)
        self.refresh()
        self.post_message(self.MarkChanged(self.describe_mark()))

    def _jump(self, marks: list[Mark], direction: int, kind: str) -> bool:
        if not marks:
            self.notify(f"No {kind}s in this article.", severity="warning", markup=False)
            return False
        current = self.mark.start if self.mark is not None else None
        if current is None:
            top = round(self.scroll_offset.y)
            visible_start = next((ln.start for ln in self._lines[top:] if ln.start >= 0), 0)
            target = next((m for m in marks if m.start >= visible_start), marks[0])
            if direction < 0:
                before = [m for m in marks if m.start < visible_start]
                target = before[-1] if before else marks[-1]
        elif direction > 0:
            target = next((m for m in marks if m.start > current), marks[0])
        else:
            earlier = [m for m in marks if m.start < current]
            target = earlier[-1] if earlier else marks[-1]
        self._set_mark(target)
        return True

    def next_entity(self, direction: int = 1) -> bool:
        return self._jump(self.rendered.entities if self.rendered else [], direction, "entity")

    def next_quote(self, direction: int = 1) -> bool:
        return self._jump(self.rendered.quotes if self.rendered else [], direction, "quote")

    def next_note(self, direction: int = 1) -> bool:
        return self._jump(self.rendered.notes if self.rendered else [], direction, "anchored note")

    def action_sentence(self, direction: int) -> None:
        self._jump(self.rendered.sentences if self.rendered else [], direction, "sentence")

    def action_extend(self) -> None:
        """Grow the marked passage to the end of the next sentence (to annotate several)."""
        rendered = self.rendered
        if rendered is None or not rendered.sentences:
            return
        if self.mark is None:
            self.action_sentence(1)
            return
        end = self.mark.end
        following = next((m for m in rendered.sentences if m.end > end), None)
        if following is None:
            return
        self._set_mark(Mark(self.mark.start, following.end, "passage", -1))

    def mark_body_span(self, start: int, end: int) -> bool:
        """Mark (and scroll to) a body range, e.g. a note's passage."""
        if self.rendered is None:
            return False
        rng = self.rendered.out_range(start, end)
        if rng is None:
            return False
        self._set_mark(Mark(rng[0], rng[1], "passage", -1))
        return True

    def describe_mark(self) -> Text:
        """What the mark is on: entity type and key, quote speaker, or a sentence."""
        mark, article = self.mark, self.article
        text = Text(end="")
        if (
            mark is None
            or article is None
            or (article.analysis is None and mark.kind in ("entity", "quote"))
        ):
            return text
        analysis = article.analysis
        if mark.kind == "entity" and analysis is not None:
            ent = analysis.entities[mark.index]
            text.append(f"{entity_group(ent.label)} ", style=Style(bold=True))
            text.append(one_line(ent.text))
            text.append(f"  ({one_line(ent.key)})  Enter: filter by it", style=Style(dim=True))
        elif mark.kind == "quote" and analysis is not None:
            quote = analysis.quotes[mark.index]
            text.append("quote ", style=Style(bold=True))
            text.append("by " + one_line(quote.speaker) if quote.speaker else "(speaker unknown)")
        elif mark.kind == "note":
            note = self.notes[mark.index]
            text.append("note ", style=Style(bold=True))
            text.append(one_line(note.text)[:80])
        else:
            text.append(f"{mark.kind} marked", style=Style(dim=True))
            text.append("  a: annotate it", style=Style(dim=True))
        return text

    def current_passage(self) -> tuple[int, int] | None:
        """The body range to annotate: the marked passage, else the marked/visible sentence."""
        rendered, article = self.rendered, self.article
        if rendered is None or article is None:
            return None
        mark = self.mark
        if mark is not None and mark.kind in ("sentence", "passage", "quote", "note"):
            out_start, out_end = mark.start, mark.end
        else:
            if mark is not None:
                pos = mark.start
            else:
                top = round(self.scroll_offset.y)
                pos = next((ln.start for ln in self._lines[top:] if ln.start >= 0), 0)
            sentence = next((s for s in rendered.sentences if s.end > pos), None)
            if sentence is None:
                return None
            out_start, out_end = sentence.start, sentence.end
        src_start = self._src(out_start, forward=True)
        src_end = self._src(out_end - 1, forward=False)
        if src_start is None or src_end is None or src_end < src_start:
            return None
        return src_start, src_end + 1

    def _src(self, out: int, *, forward: bool) -> int | None:
        rendered = self.rendered
        assert rendered is not None
        inverse = {o: s for s, o in enumerate(rendered.src_to_out[:-1]) if o >= 0}
        step = 1 if forward else -1
        for _ in range(64):
            if out in inverse:
                return inverse[out]
            out += step
        return None

    def action_filter_entity(self) -> None:
        mark, article = self.mark, self.article
        if mark is None or article is None or article.analysis is None or mark.kind != "entity":
            self.notify("Mark an entity first (n / p), then press Enter.", markup=False)
            return
        ent = article.analysis.entities[mark.index]
        self.post_message(FilterByEntity(ent.key, ent.text))

    def on_click(self, event: events.Click) -> None:
        """Click marks the entity (else the sentence) under the pointer; double-click on an
        entity filters by it, like Enter."""
        offset = event.get_content_offset(self)
        rendered = self.rendered
        if offset is None or rendered is None:
            return
        index = round(self.scroll_offset.y) + offset.y
        if not 0 <= index < len(self._lines) or self._lines[index].start < 0:
            return
        line = self._lines[index]
        if offset.x < line.col:
            return
        out = line.start + offset.x - line.col
        hit = next((m for m in rendered.entities if m.start <= out < m.end), None)
        if hit is None:
            hit = next((m for m in rendered.sentences if m.start <= out < m.end), None)
        if hit is not None:
            self._set_mark(hit)
            if hit.kind == "entity" and event.chain >= 2:
                self.action_filter_entity()

    def action_scroll_lines(self, delta: int) -> None:
        self.scroll_to(y=max(0, round(self.scroll_offset.y) + delta), animate=False, immediate=True)

    def action_page(self, direction: int) -> None:
        height = max(1, self.scrollable_content_region.height - 1)
        self.scroll_to(
            y=max(0, round(self.scroll_offset.y) + direction * height),
            animate=False,
            immediate=True,
        )

    def action_top(self) -> None:
        self.mark = None  # start navigation afresh from the top
        self.scroll_to(y=0, animate=False, immediate=True)
        self.refresh()

    def action_bottom(self) -> None:
        self.scroll_to(y=max(0, len(self._lines) - 1), animate=False, immediate=True)

    def plain_lines(self) -> list[str]:
        """The wrapped lines as plain text (for tests and the e2e check)."""
        return [line.text.plain for line in self._lines]


__all__ = ["ReaderView"]
