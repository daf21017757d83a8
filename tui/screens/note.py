"""The note editor: write a Markdown note on an article or on one passage of it.

The passage being annotated is shown above the editor (literally, as the article has it)
so the note is written with the words in view.

Keys:

| id           | keys   | action                                           |
|--------------|--------|--------------------------------------------------|
| note.save    | Ctrl+S | save the note                                    |
| note.cancel  | Esc    | close; asks first when the text was changed      |
| confirm.yes  | y      | (confirm dialog) yes                             |
| confirm.no   | n, Esc | (confirm dialog) no                              |
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question (`y` / `n`, Escape = no). The question is literal text."""

    CSS_PATH = "note.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(Text(self.question), id="confirm-question")
            yield Static(Text("y yes · n no", style="dim"), id="confirm-keys")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class NoteEditor(ModalScreen[str | None]):
    """Edit a note; dismisses with its text on Ctrl+S, or None when cancelled."""

    CSS_PATH = "note.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="note.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="note.cancel"),
    ]

    ACTION_HELP: ClassVar[dict[str, str]] = {
        "save": "Save the note",
        "cancel": "Close without saving (asks first when the text changed)",
    }

    def __init__(self, article_title: str, passage: str | None, text: str = "") -> None:
        super().__init__()
        self.article_title = article_title
        self.passage = passage
        self.initial = text

    def compose(self) -> ComposeResult:
        with Vertical(id="note-box"):
            title = Text("Note on ", style="bold")
            title.append(self.article_title or "(untitled)", style="bold italic")
            yield Static(title, id="note-title")
            if self.passage:
                quote = Text("> ", style="dim")
                quote.append(" ".join(self.passage.split()), style="italic")
                yield Static(quote, id="note-passage")
            else:
                yield Static(Text("on the whole article", style="dim"), id="note-passage")
            editor = TextArea(self.initial, id="note-text", soft_wrap=True)
            try:
                editor.language = "markdown"
            except Exception:  # no tree-sitter grammar: plain text editing is fine
                editor.language = None
            yield editor
            yield Static(Text("Markdown · Ctrl+S save · Esc cancel", style="dim"), id="note-help")

    def on_mount(self) -> None:
        area = self.query_one("#note-text", TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    @property
    def text(self) -> str:
        return self.query_one("#note-text", TextArea).text

    def action_save(self) -> None:
        self.dismiss(self.text)

    def action_cancel(self) -> None:
        if self.text == self.initial:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmDialog("Discard the changes to this note?"), answered)


__all__ = ["ConfirmDialog", "NoteEditor"]
