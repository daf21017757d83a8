"""Pick a tag, source or agency to filter the list by, with how many articles each has.

The query language (`/ tag:x source:x`) needs you to know the values; this lists them.
Values come from the summaries the list already holds (no store call), counted over the
whole library, most used first; typing narrows them. The choice is added to the current
filter, so `T` twice (a source, then a tag) narrows step by step; Esc in the list clears.

Keys:

| id              | keys  | action                                   |
|-----------------|-------|------------------------------------------|
| filters.choose  | Enter | filter the list by the highlighted value |
| filters.down    | Down  | next value                               |
| filters.up      | Up    | previous value                           |
| filters.cancel  | Esc   | close without filtering                  |
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets.option_list import Option

from storage.protocol import ArticleSummary
from tui.render import one_line
from tui.screens.picker import LIMIT, NarrowingPicker

FIELDS = ("tag", "source", "agency")


@dataclass(slots=True, frozen=True)
class Facet:
    """One value to filter by.

    Attributes:
        field: "tag", "source" or "agency" (a `FilterState` field).
        value: the value as first seen in the library (matching ignores case).
        count: articles with it (archived ones are not counted: the list hides them).
        unread: how many of those are unread.
    """

    field: str
    value: str
    count: int
    unread: int


def facets(summaries: Iterable[ArticleSummary]) -> list[Facet]:
    """Every tag, source and agency with counts: tags first, then sources, then agencies,
    each most used first (ties alphabetical)."""
    names: dict[tuple[str, str], str] = {}  # first spelling seen, by case-folded value
    totals: dict[tuple[str, str], int] = {}
    unread: dict[tuple[str, str], int] = {}
    for s in summaries:
        for field, values in (
            ("tag", s.tags),
            ("source", (s.source,) if s.source else ()),
            ("agency", (s.agency,) if s.agency else ()),
        ):
            for value in values:
                key = (field, value.casefold())
                names.setdefault(key, value)
                totals[key] = totals.get(key, 0) + 1
                if not s.read:
                    unread[key] = unread.get(key, 0) + 1
    found = [Facet(key[0], name, totals[key], unread.get(key, 0)) for key, name in names.items()]
    found.sort(key=lambda f: (FIELDS.index(f.field), -f.count, f.value.casefold()))
    return found


def facet_line(facet: Facet, active: bool, width: int = 40) -> Text:
    """One row: field, value (literal text), count and unread count."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append("\u25cf " if active else "  ", style="bold")
    text.append(f"{facet.field:<7}", style="dim")
    value = one_line(facet.value)
    if cell_len(value) > width:
        value = set_cell_size(value, width - 1) + "\u2026"
    text.append(set_cell_size(value, width), style="bold")
    text.append(f" {facet.count:>6}", style="")
    text.append(f"  {facet.unread} unread" if facet.unread else "", style="dim")
    return text


class FilterPicker(NarrowingPicker[tuple[str, str] | None]):
    """Choose a value: returns `(field, value)`, or None on Escape."""

    CSS_PATH = "filters.tcss"
    PREFIX = "filters"
    TITLE = "Filter by tag, source or agency"
    PLACEHOLDER = "type to narrow: tag, source or agency"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="filters.cancel"),
        Binding("down", "move(1)", "Next", show=False, id="filters.down"),
        Binding("up", "move(-1)", "Previous", show=False, id="filters.up"),
        Binding("enter", "choose", "Filter", id="filters.choose", priority=True),
    ]

    def __init__(self, values: list[Facet], active: Iterable[tuple[str, str]] = ()) -> None:
        super().__init__()
        self.values = values
        self.active = {(field, value.casefold()) for field, value in active}
        self.shown: list[Facet] = []

    def narrow(self, query: str) -> tuple[list[Option], Text]:
        words = query.casefold().split()
        found = [
            f
            for f in self.values
            if all(w in f.value.casefold() or f.field.startswith(w) for w in words)
        ]
        self.shown = found[:LIMIT]
        options = [
            Option(facet_line(f, (f.field, f.value.casefold()) in self.active)) for f in self.shown
        ]
        if not self.values:
            status = "No tags, sources or agencies yet."
        else:
            status = f"{len(found)} of {len(self.values)} values"
            if len(found) > LIMIT:
                status += f" (first {LIMIT} shown; type to narrow)"
        return options, Text(status, style="dim")

    def choose(self, index: int) -> None:
        facet = self.shown[index]
        self.dismiss((facet.field, facet.value))


__all__ = ["LIMIT", "Facet", "FilterPicker", "facet_line", "facets"]
