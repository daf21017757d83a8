"""The library screen: the article list and the reading pane, side by side.

It owns the in-memory list of article summaries (loaded once: `library.list()` for 100,000
articles is the expensive call, everything after that is list work on light objects), the
active filter, the triage undo stack and bulk selection. On a large store the first page
of rows is shown before that load finishes (see `_fetch_first_page`). Filters that
summaries can answer (tag, source, agency, unread, starred, story) run in memory; search,
entity and archived ask the store in a worker thread so the UI never blocks on a body scan.

Keys (binding id: default key):

| id                     | keys   | action                                                |
|------------------------|--------|-------------------------------------------------------|
| library.search         | /      | search and filter (query language, see the bar)       |
| library.clear          | Esc    | clear selection, then the filter; back to the list    |
| library.toggle_read    | r      | toggle read (selection or current)                    |
| library.star           | s      | toggle star                                           |
| library.archive        | x      | archive (hide)                                        |
| library.undo           | u      | undo the last triage action                           |
| library.mark_all_read  | R      | mark every article in the current filter read         |
| library.tag            | t      | edit tags                                             |
| library.annotate       | a      | annotate the marked sentence/passage                  |
| library.notes          | N      | all notes                                             |
| library.compare        | c      | compare with another article of the story             |
| library.next_entity    | n      | mark the next entity in the reading pane              |
| library.prev_entity    | p      | mark the previous entity                              |
| library.next_quote     | ]      | mark the next quote                                   |
| library.prev_quote     | [      | mark the previous quote                               |
| library.next_note      | m      | mark the next anchored note (M: previous)             |
| library.unread_only    | U      | show only unread                                      |
| library.starred_only   | *      | show only starred                                     |
| library.same_story     | f      | show only the current article's story                 |
| library.same_source    | F      | show only the current article's source                |
| library.filter_picker  | T      | filter by a tag, source or agency picked from a list  |
| library.sort           | o      | cycle sort: date, source, title                       |
| library.group          | O      | group by story on/off                                 |
| library.panel          | e      | show/hide the entity panel                            |
| library.reload         | ctrl+r | reload from the store                                 |
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal
from textual.screen import Screen
from textual.widgets import Static

from parallax import anchors
from parallax.model import Anchor, Article, Flag, Note, ParallaxError
from storage.protocol import ArticleFilter, ArticleSummary, LibraryProtocol
from tui.messages import FilterByEntity, OpenArticle
from tui.render import one_line
from tui.widgets.article_list import SORTS, ArticleList, Row, build_rows
from tui.widgets.entity_panel import EntityPanel
from tui.widgets.filter_bar import FilterBar, FilterState
from tui.widgets.key_footer import KeyFooter
from tui.widgets.reader import ReaderView


@dataclass(slots=True)
class UndoEntry:
    """One triage action, enough to put every touched article back as it was."""

    description: str
    flag: Flag
    before: dict[str, bool]
    removed: list[ArticleSummary] = field(default_factory=list)


# Rows shown before the full list is read on a large store: a few screens' worth.
FIRST_PAGE = 200


def make_anchor(body: str, start: int, end: int) -> Anchor:
    """An anchor for `body[start:end]`: the passage plus context to re-find it later.

    Built with `parallax.anchors` (the same anchoring `parallax note` uses), choosing the
    occurrence at `start` so a passage that repeats in the body is still anchored exactly.
    """
    quote = body[start:end]
    starts: list[int] = []  # every (overlapping) occurrence, counted as anchors counts them
    pos = body.find(quote) if quote else -1
    while pos >= 0:
        starts.append(pos)
        pos = body.find(quote, pos + 1)
    occurrence = starts.index(start) + 1 if start in starts else None
    try:
        return anchors.make_anchor(body, quote, occurrence=occurrence)
    except anchors.AnchorError:
        # Cannot happen for a slice of the body; keep the exact offsets anyway.
        prefix = body[max(0, start - anchors.CONTEXT_CHARS) : start]
        suffix = body[end : end + anchors.CONTEXT_CHARS]
        return Anchor(quote=quote, prefix=prefix, suffix=suffix, start=start, end=end)


class LibraryScreen(Screen[None]):
    """List pane + reading pane (+ entity panel), with header, filter bar and footer."""

    CSS_PATH = "library.tcss"
    HORIZONTAL_BREAKPOINTS = [  # noqa: RUF012 - Textual declares the type
        (0, "-narrow"),
        (100, "-wide"),
        (150, "-very-wide"),
    ]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Search", id="library.search"),
        Binding("escape", "clear", "Clear", show=False, id="library.clear"),
        Binding("r", "toggle_read", "Read", id="library.toggle_read"),
        Binding("s", "toggle_star", "Star", id="library.star"),
        Binding("x", "archive", "Archive", show=False, id="library.archive"),
        Binding("u", "undo", "Undo", id="library.undo"),
        Binding("R", "mark_all_read", "All read", show=False, id="library.mark_all_read"),
        Binding("t", "tag", "Tags", id="library.tag"),
        Binding("a", "annotate", "Note", id="library.annotate"),
        Binding("N", "notes", "Notes", show=False, id="library.notes"),
        Binding("c", "compare", "Compare", id="library.compare"),
        Binding("n", "entity(1)", "Next entity", show=False, id="library.next_entity"),
        Binding("p", "entity(-1)", "Prev entity", show=False, id="library.prev_entity"),
        Binding(
            "right_square_bracket", "quote(1)", "Next quote", show=False, id="library.next_quote"
        ),
        Binding(
            "left_square_bracket", "quote(-1)", "Prev quote", show=False, id="library.prev_quote"
        ),
        Binding("m", "note(1)", "Next note", show=False, id="library.next_note"),
        Binding("M", "note(-1)", "Prev note", show=False, id="library.prev_note"),
        Binding("U", "unread_only", "Unread only", show=False, id="library.unread_only"),
        Binding("asterisk", "starred_only", "Starred only", show=False, id="library.starred_only"),
        Binding("f", "same_story", "Same story", show=False, id="library.same_story"),
        Binding("F", "same_source", "Same source", show=False, id="library.same_source"),
        Binding("T", "filter_picker", "Filter by", show=False, id="library.filter_picker"),
        Binding("o", "sort", "Sort", show=False, id="library.sort"),
        Binding("O", "group", "Group", show=False, id="library.group"),
        Binding("e", "panel", "Entities", show=False, id="library.panel"),
        Binding("ctrl+r", "reload", "Reload", show=False, id="library.reload"),
    ]

    ACTION_HELP: ClassVar[dict[str, str]] = {
        "search": "Search and filter the list",
        "clear": "Clear the selection, then the filter",
        "toggle_read": "Toggle read on the selection or current article",
        "toggle_star": "Toggle star on the selection or current article",
        "archive": "Archive the selection or current article",
        "undo": "Undo the last triage action",
        "mark_all_read": "Mark every article in the current filter read",
        "tag": "Edit the tags of the selection or current article",
        "annotate": "Annotate the marked sentence or passage",
        "notes": "Show all notes",
        "compare": "Compare the current article with another of its story",
        "unread_only": "Show only unread articles",
        "starred_only": "Show only starred articles",
        "same_story": "Show only the current article's story",
        "same_source": "Show only the current article's source",
        "filter_picker": "Filter by a tag, source or agency chosen from a list with counts",
        "sort": "Cycle the sort order (date, source, title)",
        "group": "Group the list by story on or off",
        "panel": "Show or hide the entity panel",
        "reload": "Reload the list from the store",
    }

    def __init__(
        self, library: LibraryProtocol, *, store_lock: threading.RLock | None = None
    ) -> None:
        super().__init__()
        self.library = library
        self.store_lock = store_lock or threading.RLock()
        self.base: list[ArticleSummary] = []  # every non-archived article
        self.by_id: dict[str, ArticleSummary] = {}  # the summaries in `base`, by id
        self.extra: dict[str, ArticleSummary] = {}  # shown but not in `base` (archived)
        self.unread_count = 0  # unread in `base`, kept up to date without rescanning
        self.shown: list[ArticleSummary] = []
        self.filter = FilterState()
        self.sort = "date"
        self.group = True
        self.undo_stack: list[UndoEntry] = []
        self.story_titles: dict[str, str] = {}
        self.open_id: str | None = None
        self._filter_generation = 0
        self._writes = 0  # store changes and reloads from this screen (see `_write`)
        self.loaded = False  # the first load from the store has finished
        self._status_plain: str | None = None
        self._status_spans: list[Any] = []

    # -- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="header")
        yield FilterBar(id="filter-bar")
        with Horizontal(id="panes"):
            yield ArticleList(id="list")
            with Container(id="reading"):
                yield ReaderView(id="reader")
            yield EntityPanel(id="entities")
        yield Static(id="status")
        yield KeyFooter()

    def on_resize(self) -> None:
        self.update_header()

    def on_mount(self) -> None:
        self.query_one(ArticleList).empty_message = "Loading\u2026"
        self.query_one(ArticleList).focus()
        self.update_header()
        self._load_worker()

    # -- data ---------------------------------------------------------------------------

    def _store(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Call the store under the app's lock (workers and the UI share one `Library`)."""
        with self.store_lock:
            return fn(*args, **kwargs)

    def _write(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """A store call that changes it: counted, so a list read meanwhile is read again."""
        self._writes += 1
        return self._store(fn, *args, **kwargs)

    def _fetch(self) -> tuple[list[ArticleSummary], dict[str, str]]:
        """Every summary and story title from the store: the one expensive call."""
        summaries = self._store(self.library.list, ArticleFilter(), "date", True)
        try:
            stories = self._store(self.library.stories)
            titles = {s.id: s.title for s in stories}
        except ParallaxError:
            titles = {}
        return summaries, titles

    def _fetch_first_page(self) -> tuple[list[Row], dict[str, str]] | None:
        """The rows a full load would start with, without building every summary.

        The newest `FIRST_PAGE` articles and every member of their stories (so each
        story header shows all its sources) are exactly what the first `FIRST_PAGE` rows
        of the full grouped list are made of: every article among the newest belongs to
        one of those groups and brings a row. None when the store is small enough that
        the full load is as quick.
        """
        top = self._store(self.library.list, ArticleFilter(), "date", True, FIRST_PAGE)
        if len(top) < FIRST_PAGE:
            return None
        ids = {s.id for s in top}
        titles: dict[str, str] = {}
        for story in dict.fromkeys(s.story for s in top if s.story):
            members = self._store(self.library.list, ArticleFilter(story=story), "date", True)
            ids.update(s.id for s in members)
            with contextlib.suppress(ParallaxError):
                titles[story] = self._store(self.library.story, story).title
        page = self._store(self.library.list, ArticleFilter(ids=frozenset(ids)), "date", True)
        rows = build_rows(page, sort="date", group=True, story_titles=titles)
        return rows[:FIRST_PAGE], titles

    @work(thread=True, exclusive=True, group="load")
    def _load_worker(self, first_page: bool = True) -> None:
        """First load off the UI thread: the screen paints (and `q` works) at once.

        On a large store the first page of rows goes up first (a few milliseconds), then
        every summary (what filters, sorts and counts need) replaces it.
        """
        writes = self._writes
        try:
            if first_page and not self.loaded and self.sort == "date" and self.group:
                first = self._fetch_first_page()
                if first is not None:
                    painted = threading.Event()
                    self.app.call_from_thread(self._first_page_loaded, *first, painted)
                    # Let that frame be drawn before the full read competes for the GIL.
                    painted.wait(timeout=1.0)
            summaries, titles = self._fetch()
        except ParallaxError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            summaries, titles = [], {}
        self.app.call_from_thread(self._loaded, summaries, titles, writes)

    def _first_page_loaded(
        self, rows: list[Row], titles: dict[str, str], painted: threading.Event
    ) -> None:
        self.call_after_refresh(painted.set)
        if self.loaded or self.filter.active or self.sort != "date" or not self.group:
            return  # the user changed the view meanwhile: wait for the full list
        self.story_titles = titles
        page = [r for r in rows if isinstance(r, ArticleSummary)]
        # Triage works on these rows already; the full load then replaces them.
        self.by_id = {s.id: s for s in page}
        self.shown = page
        self.query_one(ArticleList).set_rows(rows)

    def _loaded(
        self,
        summaries: list[ArticleSummary],
        titles: dict[str, str],
        writes: int | None = None,
    ) -> None:
        if writes is not None and writes != self._writes:
            # The user changed something while the list was being read: read it again so
            # no row shows the state from before that change.
            self._load_worker(first_page=False)
            return
        self.story_titles = titles
        self._set_base(summaries)
        # 100,000 long-lived summaries would make every garbage collection walk them all
        # (a pause on some keypresses); freezing moves them out of the collector's way.
        gc.freeze()
        self.loaded = True
        self.apply_filter()

    def load(self) -> None:
        """(Re)load every summary from the store, now (e.g. Ctrl+R)."""
        self._writes += 1  # a first load still in flight read older data: it reads again
        summaries, titles = self._fetch()
        self._loaded(summaries, titles)

    def _set_base(self, summaries: list[ArticleSummary]) -> None:
        self.base = summaries
        self.by_id = {s.id: s for s in summaries}
        self.unread_count = sum(1 for s in summaries if not s.read)

    def _lookup(self, article_id: str) -> ArticleSummary | None:
        return self.by_id.get(article_id) or self.extra.get(article_id)

    def _assign(self, summary: ArticleSummary, flag: Flag, value: bool) -> None:
        """Set a flag on an in-memory summary, keeping the unread count right."""
        if flag == "read" and summary.read != value and summary.id in self.by_id:
            self.unread_count += -1 if value else 1
        setattr(summary, flag, value)

    def apply_filter(self, keep_id: str | None = None) -> None:
        """Recompute the shown rows from `base` and the filter (store-backed parts in a worker)."""
        self._filter_generation += 1
        if self.filter.needs_store:
            self.query_one(ArticleList).empty_message = "Searching\u2026"
            self._store_filter(self.filter, self._filter_generation, keep_id)
            return
        flt = self.filter
        shown = [s for s in self.base if flt.matches(s)] if flt.active else list(self.base)
        self._show(shown, keep_id)

    @work(thread=True, exclusive=True, group="filter")
    def _store_filter(self, state: FilterState, generation: int, keep_id: str | None) -> None:
        try:
            found = self._store(self.library.list, state.store_filter(), "date", True)
        except ParallaxError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            found = []
        shown = [s for s in found if state.matches(s)]
        if state.archived:
            pass
        else:
            # Keep the in-memory objects so triage updates show in every view.
            by_id = self.by_id
            shown = [by_id.get(s.id, s) for s in shown]
        self.app.call_from_thread(self._finish_store_filter, shown, generation, keep_id)

    def _finish_store_filter(
        self, shown: list[ArticleSummary], generation: int, keep_id: str | None
    ) -> None:
        if generation != self._filter_generation:
            return  # a newer filter superseded this one
        self.query_one(ArticleList).empty_message = "No articles match the filter."
        self._show(shown, keep_id)

    def _show(self, shown: list[ArticleSummary], keep_id: str | None = None) -> None:
        article_list = self.query_one(ArticleList)
        if not self.loaded and (self.filter.active or self.sort != "date" or not self.group):
            # Only the first page is here yet: another view of it would be wrong, not
            # partial. The full load shows this view.
            article_list.empty_message = "Loading\u2026"
            article_list.set_rows([])
            self.query_one(FilterBar).show_state(self.filter)
            return
        self.shown = shown
        article_list.empty_message = (
            "No articles match the filter. Esc clears it."
            if self.filter.active
            else "The store is empty. Import articles with `parallax import FILE...` or try `parallax demo`."
        )
        rows = build_rows(shown, sort=self.sort, group=self.group, story_titles=self.story_titles)
        article_list.set_rows(rows, keep_id=keep_id)
        self.query_one(FilterBar).show_state(self.filter)
        self.update_header()

    def update_header(self) -> None:
        total = len(self.base)
        unread = self.unread_count
        path = getattr(self.library, "path", None)
        name = Path(str(path)).name if path else "store"
        text = Text(end="")
        text.append(" Parallax ", style=Style(bold=True, reverse=True))
        text.append(" ")
        text.append(one_line(name), style=Style(bold=True))
        if not self.loaded:
            text.append("  loading\u2026", style=Style(dim=True))
            self.query_one("#header", Static).update(text)
            return
        text.append(
            f"  {total} articles \u00b7 {unread} unread \u00b7 {len(self.shown)} shown",
            style=Style(),
        )
        if self.size.width >= 100 or not self.size.width:
            sort = f"  sort: {self.sort}" + (", by story" if self.group else "")
            text.append(sort, style=Style(dim=True))
        self.query_one("#header", Static).update(text)
        self.update_status()

    def update_status(self, message: Text | None = None) -> None:
        status = Text(end="")
        if message is not None:
            status.append_text(message)
        selected = len(self.query_one(ArticleList).selected)
        if selected:
            if status.plain:
                status.append("   ")
            status.append(
                f"{selected} selected (Space toggles, Esc clears)", style=Style(bold=True)
            )
        # Skip no-op updates: a Static update costs a layout pass, per cursor move.
        if status.plain != self._status_plain or status.spans != self._status_spans:
            self._status_plain, self._status_spans = status.plain, list(status.spans)
            self.query_one("#status", Static).update(status)

    # -- opening ------------------------------------------------------------------------

    @on(ArticleList.Opened)
    def _on_opened(self, event: ArticleList.Opened) -> None:
        self.open_article(event.summary.id)

    @on(ArticleList.Highlighted)
    def _on_highlighted(self, event: ArticleList.Highlighted) -> None:
        self.update_status()

    def open_article(
        self,
        article_id: str,
        span: tuple[int, int] | None = None,
        *,
        focus_reader: bool = True,
        move_cursor: bool = True,
    ) -> bool:
        """Load an article into the reading pane and mark it read (undoable)."""
        try:
            article: Article = self._store(self.library.get, article_id)
            notes: list[Note] = self._store(self.library.notes, article.id)
        except ParallaxError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return False
        summary = self._summary(article.id)
        if not article.read:
            self._set_flag([article.id], "read", True, "open")
            article.read = True
        tags = summary.tags if summary else article.tags
        reader = self.query_one(ReaderView)
        reader.show(article, notes, tags)
        self.open_id = article.id
        self.query_one(EntityPanel).show(article, notes, reader.rendered)
        article_list = self.query_one(ArticleList)
        if move_cursor and (article_list.current is None or article_list.current.id != article.id):
            article_list.move_to_id(article.id)
        if span is not None and not reader.mark_body_span(*span):
            self.notify(
                "That passage is no longer in the article (orphaned note).",
                severity="warning",
                markup=False,
            )
        if focus_reader:
            reader.focus()
        return True

    def _summary(self, article_id: str) -> ArticleSummary | None:
        return self._lookup(article_id)

    def reload_reader(self) -> None:
        """Re-read the open article (after tags or notes changed)."""
        if self.open_id:
            reader = self.query_one(ReaderView)
            top = round(reader.scroll_offset.y)
            focused = self.focused
            self.open_article(self.open_id, focus_reader=False, move_cursor=False)
            reader.scroll_to(y=top, animate=False, immediate=True)
            if focused is not None:
                focused.focus()

    @on(ReaderView.MarkChanged)
    def _on_mark(self, event: ReaderView.MarkChanged) -> None:
        self.update_status(event.description)

    # -- targets of triage --------------------------------------------------------------

    def targets(self) -> list[str]:
        """The selection if any, else the article under the cursor (else the open one)."""
        article_list = self.query_one(ArticleList)
        if article_list.selected:
            return [s.id for s in article_list.articles() if s.id in article_list.selected]
        if self.focused is self.query_one(ReaderView) and self.open_id:
            return [self.open_id]
        current = article_list.current
        if current is not None:
            return [current.id]
        return [self.open_id] if self.open_id else []

    def _set_flag(self, ids: Sequence[str], flag: Flag, value: bool, description: str) -> None:
        if self.filter.archived:  # archived-filter results are not in `base`
            self.extra = {s.id: s for s in self.shown if s.id not in self.by_id}
        found = {i: s for i in ids if (s := self._lookup(i)) is not None}
        before = {i: bool(getattr(found[i], flag)) if i in found else (not value) for i in ids}
        try:
            self._write(self.library.set_flag, list(ids), flag, value)
        except ParallaxError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        entry = UndoEntry(description, flag, before)
        for summary in found.values():
            self._assign(summary, flag, value)
        if flag == "archived" and value and not self.filter.archived:
            gone = set(ids)
            entry.removed = [s for s in self.base if s.id in gone]
            self.base = [s for s in self.base if s.id not in gone]
            for i in gone & self.by_id.keys():
                if not self.by_id.pop(i).read:
                    self.unread_count -= 1
            self.query_one(ArticleList).selected -= gone
            self._show([s for s in self.shown if s.id not in gone])
        self.undo_stack.append(entry)
        del self.undo_stack[:-100]
        self.query_one(ArticleList).refresh()
        self.update_header()

    def _toggle(self, flag: Flag, verb: str) -> None:
        ids = self.targets()
        if not ids:
            return
        # Toggle as a group: if any is off, turn all on; else all off.
        found = [s for i in ids if (s := self._lookup(i)) is not None]
        value = not all(getattr(s, flag) for s in found)
        self._set_flag(ids, flag, value, f"{verb} {len(ids)}")
        word = verb if value else f"un{verb}" if verb != "read" else "unread"
        self.notify(
            f"{word}: {len(ids)} article{'s' if len(ids) != 1 else ''}", markup=False, timeout=2
        )

    def action_toggle_read(self) -> None:
        self._toggle("read", "read")

    def action_toggle_star(self) -> None:
        self._toggle("starred", "star")

    def action_archive(self) -> None:
        ids = self.targets()
        if ids:
            self._set_flag(ids, "archived", not self.filter.archived, f"archive {len(ids)}")
            self.notify(
                f"archived {len(ids)} (u undoes)"
                if not self.filter.archived
                else f"unarchived {len(ids)}",
                markup=False,
                timeout=2,
            )

    def action_mark_all_read(self) -> None:
        if not self.loaded:
            self.notify("Still reading the list; try again in a moment.", markup=False)
            return
        ids = [s.id for s in self.query_one(ArticleList).articles() if not s.read]
        if not ids:
            self.notify("Everything in this filter is already read.", markup=False, timeout=2)
            return
        self._set_flag(ids, "read", True, f"mark {len(ids)} read")
        self.notify(f"marked {len(ids)} read (u undoes)", markup=False, timeout=2)

    def action_undo(self) -> None:
        if not self.undo_stack:
            self.notify("Nothing to undo.", markup=False, timeout=2)
            return
        entry = self.undo_stack.pop()
        on_ids = [i for i, v in entry.before.items() if v]
        off_ids = [i for i, v in entry.before.items() if not v]
        try:
            if on_ids:
                self._write(self.library.set_flag, on_ids, entry.flag, True)
            if off_ids:
                self._write(self.library.set_flag, off_ids, entry.flag, False)
        except ParallaxError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        if entry.removed:
            restored = [s for s in entry.removed if s.id not in self.by_id]
            self.base.extend(restored)
            self.by_id.update((s.id, s) for s in restored)
            self.unread_count += sum(1 for s in restored if not s.read)
        for i, value in entry.before.items():
            if (summary := self._lookup(i)) is not None:
                self._assign(summary, entry.flag, value)
        if entry.removed:
            self.apply_filter(keep_id=entry.removed[0].id)
        self.query_one(ArticleList).refresh()
        self.update_header()
        if self.open_id in entry.before:
            self.reload_reader()
        self.notify(f"undone: {entry.description}", markup=False, timeout=2)

    # -- filters ------------------------------------------------------------------------

    def set_filter(self, state: FilterState) -> None:
        if state.story and not state.story_text and state.story in self.story_titles:
            state = replace(state, story_text=self.story_titles[state.story])
        self.filter = state
        self.apply_filter()
        self.query_one(ArticleList).focus()

    def action_search(self) -> None:
        self.query_one(FilterBar).start(self.filter)

    @on(FilterBar.Submitted)
    def _on_filter(self, event: FilterBar.Submitted) -> None:
        self.set_filter(event.state)

    @on(FilterBar.Cancelled)
    def _on_filter_cancel(self) -> None:
        self.query_one(ArticleList).focus()

    @on(FilterByEntity)
    def _on_filter_entity(self, event: FilterByEntity) -> None:
        event.stop()
        self.set_filter(replace(self.filter, entity=event.key, entity_text=event.text))

    def action_clear(self) -> None:
        article_list = self.query_one(ArticleList)
        if self.focused in (self.query_one(ReaderView), self.query_one(EntityPanel)):
            article_list.focus()
            return
        if article_list.selected:
            article_list.selected.clear()
            article_list.refresh()
            self.update_status()
            return
        if self.filter.active:
            self.set_filter(FilterState())

    def action_unread_only(self) -> None:
        self.set_filter(replace(self.filter, unread=not self.filter.unread))

    def action_starred_only(self) -> None:
        self.set_filter(replace(self.filter, starred=not self.filter.starred))

    def action_same_story(self) -> None:
        current = self.query_one(ArticleList).current
        if current is None or not current.story:
            self.notify("This article is not in a story.", markup=False, timeout=2)
            return
        self.set_filter(replace(self.filter, story=None if self.filter.story else current.story))

    def action_same_source(self) -> None:
        current = self.query_one(ArticleList).current
        if current is None or not current.source:
            return
        self.set_filter(replace(self.filter, source=None if self.filter.source else current.source))

    def action_filter_picker(self) -> None:
        if not self.loaded:
            self.notify("Still reading the list; try again in a moment.", markup=False)
            return
        from tui.screens.filters import FilterPicker, facets

        flt = self.filter
        active = [(f, v) for f in ("tag", "source", "agency") if (v := getattr(flt, f))]

        def done(choice: tuple[str, str] | None) -> None:
            if choice is None:
                return
            field_name, value = choice
            if field_name == "tag":
                self.set_filter(replace(self.filter, tag=value))
            elif field_name == "source":
                self.set_filter(replace(self.filter, source=value))
            else:
                self.set_filter(replace(self.filter, agency=value))

        self.app.push_screen(FilterPicker(facets(self.base), active), done)

    def action_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self._show(self.shown)

    def action_group(self) -> None:
        self.group = not self.group
        self._show(self.shown)

    def action_panel(self) -> None:
        # Shown by default only on very wide terminals; the key inverts the default.
        self.toggle_class("-panel-toggled")

    def action_reload(self) -> None:
        with self.store_lock:
            self.library.refresh()
        keep = self.query_one(ArticleList).current
        self.load()
        if keep:
            self.query_one(ArticleList).move_to_id(keep.id)

    # -- reading-pane navigation --------------------------------------------------------

    def _reader_ready(self) -> ReaderView | None:
        reader = self.query_one(ReaderView)
        if reader.article is None:
            self.notify("Open an article first (Enter).", markup=False, timeout=2)
            return None
        return reader

    def action_entity(self, direction: int) -> None:
        if reader := self._reader_ready():
            reader.next_entity(direction)

    def action_note(self, direction: int) -> None:
        if reader := self._reader_ready():
            reader.next_note(direction)

    def action_quote(self, direction: int) -> None:
        if reader := self._reader_ready():
            reader.next_quote(direction)

    # -- other screens ------------------------------------------------------------------

    def action_tag(self) -> None:
        ids = self.targets()
        if not ids:
            return
        try:
            from tui.screens.tags import TagEditor
        except ImportError:
            self.notify(
                "The tag editor is not available in this build.", severity="error", markup=False
            )
            return
        first = self._lookup(ids[0])
        current = list(first.tags) if first else []
        known: dict[str, int] = self._store(self.library.all_tags)

        def done(result: list[str] | None) -> None:
            if result is None:
                return
            add = [t for t in result if t not in current]
            remove = [t for t in current if t not in result]
            if not add and not remove:
                return
            try:
                self._write(self.library.update_tags, ids, add, remove)
            except ParallaxError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            for i in ids:
                s = self._lookup(i)
                if s is not None:
                    tags = [t for t in s.tags if t not in remove]
                    tags.extend(t for t in add if t not in tags)
                    s.tags = tags
            self.query_one(ArticleList).refresh()
            if self.open_id in ids:
                self.reload_reader()

        self.app.push_screen(TagEditor(current, known), done)

    def action_annotate(self) -> None:
        reader = self._reader_ready()
        if reader is None or reader.article is None:
            return
        article = reader.article
        passage = reader.current_passage()
        try:
            from tui.screens.note import NoteEditor
        except ImportError:
            self.notify(
                "The note editor is not available in this build.", severity="error", markup=False
            )
            return
        quote = article.body[passage[0] : passage[1]] if passage else None

        def done(text: str | None) -> None:
            if not text or not text.strip():
                return
            anchor = make_anchor(article.body, *passage) if passage else None
            try:
                self._write(self.library.add_note, article.id, text, anchor)
            except ParallaxError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            summary = self.by_id.get(article.id)
            if summary is not None:
                summary.note_count += 1
            self.reload_reader()
            self.notify("note saved", markup=False, timeout=2)

        self.app.push_screen(NoteEditor(article.title, quote), done)

    def action_notes(self) -> None:
        try:
            from tui.screens.notes import NotesScreen
        except ImportError:
            self.notify(
                "The notes screen is not available in this build.", severity="error", markup=False
            )
            return
        self.app.push_screen(NotesScreen(self.library))

    def action_compare(self) -> None:
        ids = self.targets()
        if not ids:
            return
        try:
            from tui.screens.compare import CompareScreen
        except ImportError:
            self.notify(
                "The compare screen is not available in this build.", severity="error", markup=False
            )
            return
        article_id = ids[0]
        summary = self._summary(article_id)
        other: str | None = None
        if summary is not None and summary.story:
            same = [s.id for s in self.base if s.story == summary.story and s.id != article_id]
            if len(same) == 1:
                other = same[0]
        self.app.push_screen(CompareScreen(self.library, article_id, other))

    # -- messages from elsewhere --------------------------------------------------------

    @on(OpenArticle)
    def _on_open_article(self, event: OpenArticle) -> None:
        event.stop()
        self.open_article(event.article_id, event.span)

    def external_change(
        self, summaries: list[ArticleSummary], titles: dict[str, str] | None = None
    ) -> None:
        """Another process changed the store: swap in fresh summaries, keep the cursor."""
        self._writes += 1  # a first load still in flight read older data: it reads again
        if titles is not None:
            self.story_titles = titles
        current = self.query_one(ArticleList).current
        self._set_base(summaries)
        self.apply_filter(keep_id=current.id if current else None)
        self.reload_reader()


__all__ = ["LibraryScreen", "UndoEntry", "make_anchor"]
