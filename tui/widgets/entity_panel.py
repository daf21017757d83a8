"""The side panel: an article's entities grouped by type with counts, its quotes and notes.

It shows at a glance who and what an article is about, which is what an analyst compares
across outlets. Everything in it comes from the article, so it is built from `Text` with
explicit styles only (never markup). Orphaned notes (their passage is no longer found in
the body) are listed and marked as such rather than attached to a guess.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from parallax.model import Article, Note
from tui.messages import FilterByEntity
from tui.render import ENTITY_STYLES, ENTITY_TYPES, RenderedBody, entity_group, one_line


def panel_text(
    article: Article | None,
    notes: Sequence[Note],
    rendered: RenderedBody | None,
    rows: list[tuple[int, str, str]] | None = None,
) -> Text:
    """The panel's content for an article (pure, so tests can check it directly).

    `rows`, when given, is filled with (line, entity key, entity text) for each entity
    line, so the panel can put a cursor on it and filter by it.
    """
    text = Text(end="")
    if article is None:
        text.append("No article open.", style=Style(dim=True, italic=True))
        return text
    analysis = article.analysis
    if analysis is None or not analysis.entities:
        text.append("Entities\n", style=Style(bold=True))
        text.append(
            "none (not analysed)\n" if analysis is None else "none found\n", style=Style(dim=True)
        )
    else:
        by_group: dict[str, Counter[str]] = {group: Counter() for group in ENTITY_TYPES}
        names: dict[str, str] = {}
        for ent in analysis.entities:
            group = entity_group(ent.label)
            by_group[group][ent.key] += 1
            names.setdefault(ent.key, ent.text)
        for group, counts in by_group.items():
            if not counts:
                continue
            total = sum(counts.values())
            text.append(
                f"{group.capitalize()} ({total})\n", style=ENTITY_STYLES[group] + Style(bold=True)
            )
            for key, count in counts.most_common(12):
                if rows is not None:
                    rows.append((text.plain.count("\n"), key, names[key]))
                text.append(f"  {count:>2} ", style=Style(dim=True))
                text.append(one_line(names[key])[:40] + "\n")
            if len(counts) > 12:
                text.append(f"  \u2026 {len(counts) - 12} more\n", style=Style(dim=True))
    if analysis is not None and analysis.quotes:
        speakers = Counter(
            one_line(q.speaker) if q.speaker else "unattributed" for q in analysis.quotes
        )
        text.append(f"\nQuotes ({len(analysis.quotes)})\n", style=Style(bold=True))
        for speaker, count in speakers.most_common(8):
            text.append(f"  {count:>2} ", style=Style(dim=True))
            text.append(speaker[:40] + "\n")
    text.append(f"\nNotes ({len(notes)})\n", style=Style(bold=True))
    orphaned = set(rendered.orphaned_notes) if rendered else set()
    if not notes:
        text.append("  none \u2014 press a to annotate\n", style=Style(dim=True))
    for i, note in enumerate(notes):
        first = one_line(note.text.strip().splitlines()[0] if note.text.strip() else "(empty)")
        text.append("  \u270e ")
        if i in orphaned:
            text.append("[orphaned] ", style=Style(color="red", bold=True))
        elif note.anchor is None:
            text.append("[article] ", style=Style(dim=True))
        text.append(first[:60] + "\n")
    text.rstrip()
    return text


class EntityPanel(VerticalScroll, can_focus=True):
    """Scrollable side panel; `show()` replaces its content.

    Focusable (Tab from the reading pane): j/k move a cursor over the entities and Enter
    filters the list to the articles that mention the one under it, like Enter on an
    entity in the text, but without hunting for it there.

    Keys: `panel.down` (j, down), `panel.up` (k, up), `panel.filter` (Enter).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "move(1)", "Next entity", show=False, id="panel.down"),
        Binding("k,up", "move(-1)", "Previous entity", show=False, id="panel.up"),
        Binding("enter", "filter", "Filter by entity", show=False, id="panel.filter"),
    ]

    ACTION_HELP: ClassVar[dict[str, str]] = {
        "move": "Move the panel's cursor over the entities",
        "filter": "Show only the articles that mention the entity under the cursor",
    }

    DEFAULT_CSS = """
    EntityPanel { width: 30; border-left: vkey $panel; padding: 0 1; }
    EntityPanel:focus { border-left: vkey $accent; }
    EntityPanel > Static { width: 1fr; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._text = Text()
        self.rows: list[tuple[int, str, str]] = []
        self.cursor = 0

    def compose(self) -> ComposeResult:
        yield Static(Text("No article open.", style=Style(dim=True, italic=True)), id="entity-text")

    def show(
        self, article: Article | None, notes: Sequence[Note], rendered: RenderedBody | None
    ) -> None:
        self.rows = []
        self._text = panel_text(article, notes, rendered, self.rows)
        self.cursor = 0
        self._paint()

    def _paint(self) -> None:
        text = self._text
        if self.has_focus and self.rows:
            text = text.copy()
            line = self.rows[self.cursor][0]
            lines = text.plain.split("\n")
            start = sum(len(x) + 1 for x in lines[:line])
            text.stylize(Style(reverse=True), start, start + len(lines[line]))
        self.query_one("#entity-text", Static).update(text)

    def on_focus(self) -> None:
        self._paint()

    def on_blur(self) -> None:
        self._paint()

    def action_move(self, delta: int) -> None:
        if not self.rows:
            return
        self.cursor = max(0, min(len(self.rows) - 1, self.cursor + delta))
        self._paint()
        self.scroll_to(y=max(0, self.rows[self.cursor][0] - 3), animate=False)

    def action_filter(self) -> None:
        if not self.rows:
            self.notify("No entities in this article.", markup=False, timeout=2)
            return
        _, key, name = self.rows[self.cursor]
        self.post_message(FilterByEntity(key, name))


__all__ = ["EntityPanel", "panel_text"]
