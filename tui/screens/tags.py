"""The tag editor: add and remove an article's tags, completing from tags already used.

Type a tag and press Enter to add it. When a grey completion from existing tags shows,
Enter (or Right) accepts it, because reusing a tag is what a tagger wants nearly always;
to add a new tag that is a prefix of an existing one, end it with a space. The list below
shows matching tags with their counts and Down moves into it. Backspace on an empty field removes the last tag; `-tag` removes
`tag`; Shift+Tab moves to the tag list, where Delete removes the highlighted tag. Enter on an empty field (or Ctrl+S) saves; Escape cancels.

Tags are normalised the way the CLI stores them: trimmed, a leading `#` dropped, runs of
whitespace or commas turned into `-`, control characters removed.

Keys:

| id          | keys        | action                                  |
|-------------|-------------|-----------------------------------------|
| tags.save   | Ctrl+S      | save the tags                           |
| tags.cancel | Esc         | close without saving                    |
| tags.remove | Del, Bksp   | remove the highlighted tag (tag list)   |
"""

from __future__ import annotations

import re
import unicodedata
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.events import Key
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

_SEPARATORS = re.compile(r"[\s,]+")


def normalise_tag(raw: str) -> str:
    """A tag as stored, or "" when nothing usable is left.

    Why: tags end up in lists, exports and Obsidian front matter, where spaces, commas and
    control characters break things; the CLI refuses them, the editor repairs them.
    """
    cleaned = "".join(
        ch for ch in raw if not unicodedata.category(ch).startswith("C") or ch in " \t\n"
    )
    cleaned = cleaned.strip().lstrip("#").strip()
    cleaned = _SEPARATORS.sub("-", cleaned).strip("-")
    return cleaned


class TagEditor(ModalScreen[list[str] | None]):
    """Edit a tag list; dismisses with the new list, or None when cancelled."""

    CSS_PATH = "tags.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="tags.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="tags.cancel"),
        Binding("delete,backspace", "remove_tag", "Remove", show=False, id="tags.remove"),
    ]

    ACTION_HELP: ClassVar[dict[str, str]] = {
        "save": "Save the tags (Enter on an empty field does the same)",
        "cancel": "Close without saving",
        "remove_tag": "Remove the highlighted tag (in the tag list; Shift+Tab moves there)",
    }

    def __init__(self, current: list[str], known: dict[str, int]) -> None:
        super().__init__()
        self.tags: list[str] = []
        for tag in current:
            self._add(tag)
        self.known = dict(known)
        self._known_shown: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="tags-box"):
            yield Static(Text("Tags", style="bold"), id="tags-title")
            yield OptionList(id="tags-current")
            yield Input(
                placeholder="add a tag (Enter); Enter on empty saves; -tag removes",
                suggester=SuggestFromList(self.known, case_sensitive=False),
                id="tags-input",
            )
            yield OptionList(id="tags-known")
            yield Static(
                Text(
                    "Enter adds (takes the grey completion; a trailing space refuses it) · "
                    "Enter on empty or Ctrl+S saves · Esc cancels · "
                    "Shift+Tab to the tags, Del removes",
                    style="dim",
                ),
                id="tags-help",
            )

    def on_mount(self) -> None:
        self._refresh_current()
        self._refresh_known("")
        self.query_one("#tags-input", Input).focus()

    # -- model ----------------------------------------------------------------------------

    def _add(self, raw: str) -> bool:
        tag = normalise_tag(raw)
        if not tag or tag.casefold() in {t.casefold() for t in self.tags}:
            return False
        self.tags.append(tag)
        return True

    def _remove(self, raw: str) -> bool:
        tag = normalise_tag(raw).casefold()
        kept = [t for t in self.tags if t.casefold() != tag]
        changed = len(kept) != len(self.tags)
        self.tags = kept
        return changed

    # -- view -----------------------------------------------------------------------------

    def _refresh_current(self) -> None:
        current = self.query_one("#tags-current", OptionList)
        current.clear_options()
        if self.tags:
            current.add_options(Option(Text(f"#{t}"), id=f"t{i}") for i, t in enumerate(self.tags))
        else:
            current.add_option(Option(Text("no tags yet", style="dim"), disabled=True))

    def _refresh_known(self, query: str) -> None:
        q = normalise_tag(query.lstrip("-")).casefold()
        have = {t.casefold() for t in self.tags}
        found = [
            (t, n) for t, n in self.known.items() if q in t.casefold() and t.casefold() not in have
        ][:50]
        known = self.query_one("#tags-known", OptionList)
        known.clear_options()
        for i, (tag, count) in enumerate(found):
            prompt = Text(tag)
            prompt.append(f"  {count}", style="dim")
            known.add_option(Option(prompt, id=f"k{i}"))
        self._known_shown = [t for t, _ in found]

    # -- events ---------------------------------------------------------------------------

    @on(Input.Changed, "#tags-input")
    def _typed(self, event: Input.Changed) -> None:
        self._refresh_known(event.value)

    @on(Input.Submitted, "#tags-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        if not value:
            self.action_save()
            return
        suggestion = event.input._suggestion  # the grey completion, if one is showing
        if (
            not value.startswith("-")
            and suggestion
            and event.value == event.value.rstrip()
            and suggestion.casefold().startswith(event.value.casefold())
        ):
            value = suggestion
        if value.startswith("-"):
            self._remove(value[1:])
        else:
            self._add(value)
        event.input.value = ""
        self._refresh_current()
        self._refresh_known("")

    @on(OptionList.OptionSelected, "#tags-known")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_index < len(self._known_shown):
            self._add(self._known_shown[event.option_index])
        self._refresh_current()
        field = self.query_one("#tags-input", Input)
        field.value = ""
        self._refresh_known("")
        field.focus()

    def on_key(self, event: Key) -> None:
        focused = self.focused
        if isinstance(focused, Input) and focused.id == "tags-input":
            if event.key == "backspace" and not focused.value and self.tags:
                event.stop()
                event.prevent_default()
                self.tags.pop()
                self._refresh_current()
            elif event.key == "down" and self._known_shown:
                event.stop()
                event.prevent_default()
                known = self.query_one("#tags-known", OptionList)
                known.focus()
                known.highlighted = 0

    def action_remove_tag(self) -> None:
        """Remove the highlighted tag of the tag list (when the list has focus)."""
        current = self.query_one("#tags-current", OptionList)
        index = current.highlighted
        if self.focused is not current or index is None or not 0 <= index < len(self.tags):
            return
        del self.tags[index]
        self._refresh_current()
        if self.tags:
            current.highlighted = min(index, len(self.tags) - 1)

    def action_save(self) -> None:
        pending = self.query_one("#tags-input", Input).value.strip()
        if pending:
            if pending.startswith("-"):
                self._remove(pending[1:])
            else:
                self._add(pending)
        self.dismiss(list(self.tags))

    def action_cancel(self) -> None:
        self.dismiss(None)


__all__ = ["TagEditor", "normalise_tag"]
