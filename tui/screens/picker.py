"""Pick the article to compare against: story-mates first, any article choosable.

The list is filtered as you type (every word must appear in the title, source or agency, or
start the id) and shows at most `LIMIT` rows, so a 100,000-article store costs one `Library.list`
call in a worker thread and never a 100,000-option widget.

Keys:

| id             | keys        | action                          |
|----------------|-------------|---------------------------------|
| picker.choose  | Enter       | compare with the highlighted article |
| picker.down    | Down        | next article                    |
| picker.up      | Up          | previous article                |
| picker.cancel  | Esc         | close without choosing          |
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any, ClassVar, TypeVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from parallax.model import ParallaxError
from storage.protocol import ArticleFilter, ArticleSummary, LibraryProtocol

LIMIT = 200
"""Most rows shown at once; typing narrows the rest."""

ResultT = TypeVar("ResultT")


@contextlib.contextmanager
def store_guard(app: Any) -> Iterator[None]:
    """Hold the app's store lock when it has one (workers and the UI share the store)."""
    lock = getattr(app, "store_lock", None)
    with lock if lock is not None else contextlib.nullcontext():
        yield


def summary_line(summary: ArticleSummary, same_story: bool) -> Text:
    """One picker row: story marker, source, date, title; all literal text."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append("● " if same_story else "  ", style="bold")
    source = summary.source or "?"
    if summary.agency and summary.agency != summary.source:
        source += f" ({summary.agency})"
    text.append(source, style="bold")
    text.append(f"  {(summary.published or '')[:10]}  ", style="dim")
    text.append(summary.title or "(untitled)")
    return text


def matches(summary: ArticleSummary, words: Sequence[str]) -> bool:
    """Whether every typed word occurs in the title, source or agency, or starts the id.

    Ids only match as prefixes: hex ids contain short digit runs, so "17" would otherwise
    match articles that have nothing to do with 17.
    """
    hay = " ".join(x for x in (summary.title, summary.source, summary.agency) if x).casefold()
    return all(w in hay or summary.id.startswith(w) for w in words)


class NarrowingPicker(ModalScreen[ResultT]):
    """A modal list narrowed as you type: title, input, options, status line.

    Subclasses give `PREFIX` (widget ids `PREFIX-box`, `-title`, `-filter`, `-list`,
    `-status`, styled in their own `.tcss`), `TITLE`, `PLACEHOLDER`, their `BINDINGS` (ids
    of their own, so each can be remapped) and two methods: `narrow(query)` for the
    options and status to show, `choose(index)` to dismiss with the chosen row's result.
    """

    PREFIX: ClassVar[str] = "picker"
    TITLE: ClassVar[str] = ""
    PLACEHOLDER: ClassVar[str] = "type to narrow"
    INITIAL_STATUS: ClassVar[str] = ""

    def compose(self) -> ComposeResult:
        p = self.PREFIX
        with Vertical(id=f"{p}-box"):
            yield Static(Text(self.TITLE, style="bold"), id=f"{p}-title")
            yield Input(placeholder=self.PLACEHOLDER, id=f"{p}-filter")
            yield OptionList(id=f"{p}-list")
            yield Static(Text(self.INITIAL_STATUS, style="dim"), id=f"{p}-status")

    def on_mount(self) -> None:
        self.query_one(f"#{self.PREFIX}-filter", Input).focus()
        self.start()

    def start(self) -> None:
        """Called once mounted: show the rows (or start loading them)."""
        self.refilter()

    def narrow(self, query: str) -> tuple[list[Option], Text]:  # pragma: no cover - abstract
        raise NotImplementedError

    def choose(self, index: int) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def set_status(self, text: Text) -> None:
        self.query_one(f"#{self.PREFIX}-status", Static).update(text)

    def refilter(self, query: str | None = None) -> None:
        """Show the rows matching `query` (default: what is typed)."""
        if query is None:
            query = self.query_one(f"#{self.PREFIX}-filter", Input).value
        options, status = self.narrow(query)
        option_list = self.query_one(f"#{self.PREFIX}-list", OptionList)
        option_list.clear_options()
        option_list.add_options(options)
        if options:
            option_list.highlighted = 0
        self.set_status(status)

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        if event.input.id == f"{self.PREFIX}-filter":
            self.refilter(event.value)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose_index(event.option_index)

    def _choose_index(self, index: int | None) -> None:
        count = self.query_one(f"#{self.PREFIX}-list", OptionList).option_count
        if index is None or not 0 <= index < count:
            self.app.bell()
            return
        self.choose(index)

    def action_move(self, delta: int) -> None:
        option_list = self.query_one(f"#{self.PREFIX}-list", OptionList)
        if delta > 0:
            option_list.action_cursor_down()
        else:
            option_list.action_cursor_up()

    def action_choose(self) -> None:
        self._choose_index(self.query_one(f"#{self.PREFIX}-list", OptionList).highlighted)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ArticlePicker(NarrowingPicker[str | None]):
    """Choose an article (returns its id) or None on Escape."""

    CSS_PATH = "picker.tcss"
    PREFIX = "picker"
    TITLE = "Compare with which article?"
    PLACEHOLDER = "type to filter: title, source, agency, id"
    INITIAL_STATUS = "loading\u2026"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="picker.cancel"),
        Binding("down", "move(1)", "Next", show=False, id="picker.down"),
        Binding("up", "move(-1)", "Previous", show=False, id="picker.up"),
        Binding("enter", "choose", "Compare", id="picker.choose", priority=True),
    ]

    def __init__(
        self, library: LibraryProtocol, exclude: str, prefer_story: str | None = None
    ) -> None:
        super().__init__()
        self.library = library
        self.exclude = exclude
        self.prefer_story = prefer_story
        self.summaries: list[ArticleSummary] = []
        self.shown: list[ArticleSummary] = []

    def start(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="picker")
    def _load(self) -> None:
        try:
            with store_guard(self.app):
                rows = self.library.list(ArticleFilter(all_=True), "date", True)
        except ParallaxError as exc:
            self.app.call_from_thread(self.set_status, Text(str(exc), style="red"))
            return
        self.app.call_from_thread(self._loaded, rows)

    def _loaded(self, rows: list[ArticleSummary]) -> None:
        rows = [r for r in rows if r.id != self.exclude]
        mates = [r for r in rows if self.prefer_story and r.story == self.prefer_story]
        others = [r for r in rows if not (self.prefer_story and r.story == self.prefer_story)]
        self.summaries = mates + others
        self.refilter()

    def narrow(self, query: str) -> tuple[list[Option], Text]:
        words = query.casefold().split()
        found = [s for s in self.summaries if matches(s, words)] if words else self.summaries
        self.shown = found[:LIMIT]
        options = [
            Option(
                summary_line(s, bool(self.prefer_story) and s.story == self.prefer_story), id=s.id
            )
            for s in self.shown
        ]
        status = f"{len(found)} of {len(self.summaries)} articles"
        if len(found) > LIMIT:
            status += f" (first {LIMIT} shown; type to narrow)"
        if self.prefer_story:
            status += "   \u25cf same story"
        return options, Text(status, style="dim")

    def choose(self, index: int) -> None:
        self.dismiss(self.shown[index].id)


__all__ = ["LIMIT", "ArticlePicker", "NarrowingPicker", "matches", "store_guard", "summary_line"]
