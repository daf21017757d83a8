"""All notes, with the article and passage each one is about.

Each entry shows the article's title and source, the anchored passage (or "whole
article"), and the note. A note whose passage can no longer be found in the article
(`parallax.anchors.locate` returns None) is shown as orphaned, never re-attached to a
guess. Enter opens the article at the passage (posts `tui.messages.OpenArticle`).

Keys:

| id           | keys  | action                                    |
|--------------|-------|-------------------------------------------|
| notes.open   | Enter | open the article at the note's passage    |
| notes.edit   | e     | edit the note                             |
| notes.delete | d     | delete the note (asks first)              |
| notes.back   | Esc   | back to the library                       |
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from parallax.anchors import locate
from parallax.model import Article, Note, ParallaxError, Span
from storage.protocol import LibraryProtocol
from tui.messages import LibraryChanged, OpenArticle
from tui.render import one_line, render_markdown
from tui.screens.note import ConfirmDialog, NoteEditor
from tui.screens.picker import store_guard
from tui.widgets.key_footer import KeyFooter

NOTE_LINES = 6
"""Lines of each note shown in the list; the editor shows the rest."""


@dataclass(slots=True)
class NoteEntry:
    """A note with what the screen shows about its article.

    Attributes:
        span: where the anchored passage is now; None for whole-article or orphaned notes.
        orphaned: the note has an anchor but its passage is no longer in the article.
    """

    note: Note
    title: str
    source: str | None
    span: Span | None
    orphaned: bool
    missing: bool = False


def entry_text(entry: NoteEntry) -> Text:
    """One entry (several lines); every article/note string is literal text."""
    text = Text()
    text.append(one_line(entry.title) or "(untitled)", style="bold")
    if entry.source:
        text.append(f"  {one_line(entry.source)}", style="dim")
    text.append(f"  {entry.note.updated[:16].replace('T', ' ')}", style="dim")
    anchor = entry.note.anchor
    if entry.missing:
        text.append("\n  [article no longer in the store]", style="bold red")
    if anchor is not None:
        text.append("\n  > ", style="dim")
        quote = " ".join(one_line(anchor.quote).split())
        # One line at 80 columns: the passage is a reminder; Enter shows it in full.
        text.append(quote if len(quote) <= 72 else quote[:71].rstrip() + "\u2026", style="italic")
        if entry.orphaned:
            text.append("\n  [orphaned: passage no longer in the article]", style="bold red")
    else:
        text.append("\n  (whole article)", style="dim")
    body = entry.note.text.strip()
    if not body:
        text.append("\n  (empty note)", style="dim")
        return text
    # Blank lines between Markdown blocks would halve what fits: the list is a preview.
    lines = [line for line in render_markdown(body).split("\n") if line.plain.strip()]
    for line in lines[:NOTE_LINES]:
        text.append("\n  ")
        text.append_text(line)
    if len(lines) > NOTE_LINES:
        text.append(f"\n  \u2026 {len(lines) - NOTE_LINES} more lines (e edits)", style="dim")
    return text


def load_entries(library: LibraryProtocol, notes: list[Note]) -> list[NoteEntry]:
    """Resolve each note's article and anchor (one `get` per article)."""
    articles: dict[str, Article | None] = {}
    entries: list[NoteEntry] = []
    for note in notes:
        if note.article_id not in articles:
            try:
                articles[note.article_id] = library.get(note.article_id)
            except ParallaxError:
                articles[note.article_id] = None
        article = articles[note.article_id]
        if article is None:
            entries.append(NoteEntry(note, note.article_id, None, None, False, missing=True))
            continue
        span = locate(note.anchor, article.body) if note.anchor else None
        entries.append(
            NoteEntry(
                note,
                article.title,
                article.source,
                span,
                orphaned=note.anchor is not None and span is None,
            )
        )
    return entries


class NotesScreen(Screen[None]):
    """Every note in the store, newest first."""

    CSS_PATH = "notes.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", id="notes.open"),
        Binding("e", "edit", "Edit", id="notes.edit"),
        Binding("d", "delete", "Delete", id="notes.delete"),
        Binding("escape", "back", "Back", id="notes.back"),
    ]

    ACTION_HELP: ClassVar[dict[str, str]] = {
        "open": "Open the article at the note's passage",
        "edit": "Edit the highlighted note",
        "delete": "Delete the highlighted note (asks first)",
        "back": "Back to the library",
    }

    def __init__(self, library: LibraryProtocol) -> None:
        super().__init__()
        self.library = library
        self.entries: list[NoteEntry] = []

    def compose(self) -> ComposeResult:
        yield Static(Text("Notes", style="bold"), id="notes-header")
        yield OptionList(id="notes-list")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#notes-list", OptionList).focus()
        self.reload()

    @work(thread=True, exclusive=True, group="notes")
    def reload(self) -> None:
        """Read notes and their articles off the UI thread."""
        try:
            with store_guard(self.app):
                notes: list[Note] = list(reversed(cast("list[Note]", self.library.notes())))
                entries = load_entries(self.library, notes)
        except ParallaxError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        self.app.call_from_thread(self._show, entries)

    def _show(self, entries: list[NoteEntry]) -> None:
        option_list = self.query_one("#notes-list", OptionList)
        keep = option_list.highlighted
        self.entries = entries
        option_list.clear_options()
        for entry in entries:
            option_list.add_option(Option(entry_text(entry), id=entry.note.id))
            option_list.add_option(None)
        orphaned = sum(1 for e in entries if e.orphaned)
        header = Text(f"Notes  {len(entries)}", style="bold")
        if orphaned:
            header.append(f"  ({orphaned} orphaned)", style="red")
        if not entries:
            header.append("  none yet: press a in the reading pane to annotate", style="dim")
        else:
            header.append("   Enter open · e edit · d delete · Esc back", style="dim")
        self.query_one("#notes-header", Static).update(header)
        if entries:
            option_list.highlighted = min(keep or 0, len(entries) - 1)

    @property
    def current(self) -> NoteEntry | None:
        index = self.query_one("#notes-list", OptionList).highlighted
        if index is None or not 0 <= index < len(self.entries):
            return None
        return self.entries[index]

    @on(OptionList.OptionSelected, "#notes-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        entry = self.current
        if entry is None or entry.missing:
            self.app.bell()
            return
        span = (entry.span.start, entry.span.end) if entry.span else None
        if entry.orphaned:
            self.notify(
                "The note's passage is no longer in the article; opening the article.",
                markup=False,
            )
        self.post_message(OpenArticle(entry.note.article_id, span))

    def action_edit(self) -> None:
        entry = self.current
        if entry is None:
            return
        note = entry.note
        passage = note.anchor.quote if note.anchor else None

        def done(text: str | None) -> None:
            if text is None or text == note.text:
                return
            try:
                with store_guard(self.app):
                    self.library.update_note(note.id, text)
            except ParallaxError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            self.post_message(LibraryChanged())
            self.reload()

        self.app.push_screen(NoteEditor(entry.title, passage, note.text), done)

    def action_delete(self) -> None:
        entry = self.current
        if entry is None:
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                with store_guard(self.app):
                    self.library.delete_note(entry.note.id)
            except ParallaxError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            self.post_message(LibraryChanged())
            self.notify("note deleted", markup=False, timeout=2)
            self.reload()

        preview = " ".join(entry.note.text.split())[:40]
        self.app.push_screen(ConfirmDialog(f"Delete the note “{preview}”?"), answered)

    def action_back(self) -> None:
        self.dismiss()


__all__ = ["NoteEntry", "NotesScreen", "entry_text", "load_entries"]
