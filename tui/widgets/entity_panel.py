"""The side panel: an article's entities grouped by type with counts, its quotes and notes.

It shows at a glance who and what an article is about, which is what an analyst compares
across outlets. Everything in it comes from the article, so it is built from `Text` with
explicit styles only (never markup). Orphaned notes (their passage is no longer found in
the body) are listed and marked as such rather than attached to a guess.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from parallax.model import Article, Note
from tui.render import ENTITY_STYLES, ENTITY_TYPES, RenderedBody, entity_group, one_line


def panel_text(
    article: Article | None, notes: Sequence[Note], rendered: RenderedBody | None
) -> Text:
    """The panel's content for an article (pure, so tests can check it directly)."""
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


class EntityPanel(VerticalScroll, can_focus=False):
    """Scrollable side panel; `show()` replaces its content."""

    DEFAULT_CSS = """
    EntityPanel { width: 30; border-left: vkey $panel; padding: 0 1; }
    EntityPanel > Static { width: 1fr; }
    """

    def compose(self) -> ComposeResult:
        yield Static(Text("No article open.", style=Style(dim=True, italic=True)), id="entity-text")

    def show(
        self, article: Article | None, notes: Sequence[Note], rendered: RenderedBody | None
    ) -> None:
        self.query_one("#entity-text", Static).update(panel_text(article, notes, rendered))


__all__ = ["EntityPanel", "panel_text"]
