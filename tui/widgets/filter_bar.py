"""The filter bar: a one-line query language for the list, and the active filter shown.

`/` opens it with the current query; words are searched in title and body, and prefixed
terms filter by field, so one box covers every filter::

    kerry seoul tag:korea source:afp agency:yonhap is:unread is:starred is:archived
    story:<id> entity:<key>

Values with spaces are quoted (`source:"Korea Herald"`); source and agency match where a
word starts (`source:herald` finds The Korea Herald, `source:ap` not Japan Times); tags
match whole. Escape in the list clears all.
The parsed `FilterState` knows which parts can be checked on the in-memory summaries (fast
at 100,000 articles) and which need the store (search and entity need bodies/analysis).
"""

from __future__ import annotations

import functools
import re
import shlex
from dataclasses import dataclass, fields
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Static

from storage.protocol import ArticleFilter, ArticleSummary
from tui.render import one_line


@functools.lru_cache(maxsize=64)
def _word_start(value: str) -> re.Pattern[str]:
    """Matches `value` where a word starts, ignoring case: `source:korea` finds "The Korea
    Herald" and `source:ap` finds "AP" but not "Japan Times"."""
    return re.compile(r"(?<!\w)" + re.escape(value), re.IGNORECASE)


@dataclass(slots=True, frozen=True)
class FilterState:
    """The list's active filter. Empty fields do not filter."""

    search: str | None = None
    tag: str | None = None
    source: str | None = None
    agency: str | None = None
    unread: bool = False
    starred: bool = False
    archived: bool = False
    story: str | None = None
    entity: str | None = None
    entity_text: str | None = None
    story_text: str | None = None  # the story's title, shown instead of its id

    @property
    def active(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    @property
    def needs_store(self) -> bool:
        """True when summaries alone cannot answer (search, entity, archived)."""
        return bool(self.search or self.entity or self.archived)

    def matches(self, s: ArticleSummary) -> bool:
        """Check the summary-level parts of the filter on one summary."""
        if self.unread and s.read:
            return False
        if self.starred and not s.starred:
            return False
        if self.story and s.story != self.story:
            return False
        if self.tag and self.tag.lower() not in (t.lower() for t in s.tags):
            return False
        if self.source and not _word_start(self.source).search(s.source or ""):
            return False
        return not (self.agency and not _word_start(self.agency).search(s.agency or ""))

    def store_filter(self) -> ArticleFilter:
        """The store-side filter for the parts summaries cannot answer."""
        return ArticleFilter(
            search=self.search or None,
            entity=self.entity or None,
            archived=True if self.archived else None,
        )

    def query(self) -> str:
        """The query text that parses back to this state (shown when `/` reopens)."""
        parts: list[str] = []
        if self.search:
            parts.append(self.search)
        for name in ("tag", "source", "agency", "story", "entity"):
            value = getattr(self, name)
            if value:
                parts.append(f"{name}:{shlex.quote(value)}")
        for name in ("unread", "starred", "archived"):
            if getattr(self, name):
                parts.append(f"is:{name}")
        return " ".join(parts)

    def describe(self) -> Text:
        """The active filter as safe text for the bar (values never parsed as markup)."""
        text = Text(end="")
        if not self.active:
            text.append("all articles", style=Style(dim=True))
            return text
        items: list[tuple[str, str]] = []
        if self.search:
            items.append(("search", self.search))
        for name in ("tag", "source", "agency"):
            value = getattr(self, name)
            if value:
                items.append((name, value))
        if self.story:
            title = self.story_text or self.story
            items.append(("story", title if len(title) <= 60 else title[:59] + "\u2026"))
        if self.entity:
            items.append(("entity", self.entity_text or self.entity))
        for name in ("unread", "starred", "archived"):
            if getattr(self, name):
                items.append(("is", name))
        for i, (key, value) in enumerate(items):
            if i:
                text.append("  ")
            text.append(f"{key}:", style=Style(dim=True))
            text.append(one_line(value), style=Style(bold=True))
        text.append("   Esc clears", style=Style(dim=True))
        return text


class QueryError(ValueError):
    """The query text cannot be parsed (e.g. an unclosed quote)."""


def parse_query(query: str) -> FilterState:
    """Parse the filter language into a `FilterState` (see the module docstring)."""
    try:
        tokens = shlex.split(query)
    except ValueError as exc:
        raise QueryError(f"cannot read the filter: {exc}") from exc
    words: list[str] = []
    values: dict[str, object] = {}
    for token in tokens:
        key, sep, value = token.partition(":")
        key = key.lower()
        if sep and key in ("tag", "source", "agency", "story", "entity") and value:
            values[key] = value
            if key == "entity":
                values["entity_text"] = value
        elif sep and key == "is" and value.lower() in ("unread", "starred", "archived"):
            values[value.lower()] = True
        else:
            words.append(token)
    values["search"] = " ".join(words) or None
    return FilterState(**values)  # type: ignore[arg-type]


class FilterBar(Horizontal):
    """Shows the active filter; `/` turns it into an input for the query."""

    DEFAULT_CSS = """
    FilterBar { height: 1; background: $boost; }
    FilterBar > #filter-label { width: auto; padding: 0 1; color: $accent; }
    FilterBar > #filter-active { width: 1fr; }
    FilterBar > Input { display: none; }
    FilterBar > Input, FilterBar > Input:focus { height: 1; border: none; padding: 0; width: 1fr; }
    FilterBar.-editing > Input { display: block; }
    FilterBar.-editing > #filter-active { display: none; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", show=False, id="filter.cancel")
    ]

    class Submitted(Message):
        """The user entered a query (already parsed)."""

        def __init__(self, state: FilterState) -> None:
            super().__init__()
            self.state = state

    class Cancelled(Message):
        """The user left the input without changing the filter."""

    def compose(self) -> ComposeResult:
        yield Static("Filter", id="filter-label")
        yield Static(FilterState().describe(), id="filter-active")
        yield Input(
            placeholder="words tag:x source:x agency:x is:unread is:starred", id="filter-input"
        )

    def show_state(self, state: FilterState) -> None:
        self.query_one("#filter-active", Static).update(state.describe())

    def start(self, state: FilterState) -> None:
        """Open the input with the current query."""
        self.add_class("-editing")
        field = self.query_one(Input)
        field.value = state.query()
        field.cursor_position = len(field.value)
        field.focus()

    def stop(self) -> None:
        self.remove_class("-editing")

    @property
    def editing(self) -> bool:
        return self.has_class("-editing")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            state = parse_query(event.value)
        except QueryError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.stop()
        self.post_message(self.Submitted(state))

    def action_cancel(self) -> None:
        self.stop()
        self.post_message(self.Cancelled())


__all__ = ["FilterBar", "FilterState", "QueryError", "parse_query"]
