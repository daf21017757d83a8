"""The Parallax reader: a Textual app over one store.

`ParallaxApp(library, config=...)` opens on the library screen. The app holds what every
screen shares: the store (behind one lock, since workers and the UI both call it), the
user's config (theme, remapped keys) and the poll that notices another process changing
the store (`parallax import` in another terminal) and refreshes the list.

Keys (binding id: default key):

| id        | keys      | action                  |
|-----------|-----------|-------------------------|
| app.quit  | q         | quit                    |
| app.help  | ?, F1     | the help screen         |
| (Textual) | Ctrl+P    | command palette: every action by name |
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable
from typing import ClassVar, cast

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.theme import Theme

from parallax.config import Config
from parallax.model import ParallaxError, Story
from storage.protocol import ArticleFilter, ArticleSummary, LibraryProtocol
from tui.keys import display_keys, keymap_from_config
from tui.messages import LibraryChanged, OpenArticle
from tui.render import set_palette
from tui.screens.help import HelpScreen, all_binding_ids, key_conflicts
from tui.screens.library import LibraryScreen


class ParallaxApp(App[None]):
    """The reader. `library` is any `LibraryProtocol`; `config` supplies theme and keys."""

    TITLE = "Parallax"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark,f1", "help", "Help", id="app.help"),
    ]

    def __init__(
        self,
        library: LibraryProtocol,
        config: Config | None = None,
        *,
        refresh_interval: float = 2.0,
    ) -> None:
        super().__init__()
        self.library = library
        self.config = config or Config()
        self.store_lock = threading.RLock()
        self.refresh_interval = refresh_interval
        self.keymap_config, self.config_warnings = keymap_from_config(
            self.config.keys, all_binding_ids()
        )
        self.config_warnings += key_conflicts(self.keymap_config)
        self.set_keymap(self.keymap_config)
        self._polling = False

    @property
    def library_screen(self) -> LibraryScreen:
        for screen in self.screen_stack:
            if isinstance(screen, LibraryScreen):
                return screen
        raise LookupError("the library screen is not open")

    def on_mount(self) -> None:
        theme = self.config.theme
        if theme:
            if theme in self.available_themes:
                self.theme = theme
            else:
                self.config_warnings.append(
                    f"config: unknown theme {theme!r}; available: {', '.join(sorted(self.available_themes))}"
                )
        self._theme_changed(self.current_theme)
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self.push_screen(LibraryScreen(self.library, store_lock=self.store_lock))
        for warning in self.config_warnings:
            self.notify(warning, severity="warning", markup=False, timeout=8)
        if self.refresh_interval > 0:
            self.set_interval(self.refresh_interval, self.poll_store)

    def _theme_changed(self, theme: Theme) -> None:
        """Readable highlights on light themes too: switch the palette and re-render."""
        set_palette(theme.dark)
        with contextlib.suppress(LookupError):
            self.library_screen.reload_reader()

    # -- actions ------------------------------------------------------------------------

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.keymap_config))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's commands plus every action of the screen on top and of its panes.

        Titled with the help screen's wording ("Mark every article in the current filter
        read"), not the footer's two words, so searching for what one wants to do finds
        it; the help line gives the key, so the palette also teaches the keys.
        """
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help: keys", "Show every key by screen", self.action_help)
        targets: list[tuple[object, type]] = [(screen, type(screen))]
        if isinstance(screen, LibraryScreen):
            from tui.widgets.article_list import ArticleList
            from tui.widgets.entity_panel import EntityPanel
            from tui.widgets.reader import ReaderView

            targets += [
                (screen.query_one(ArticleList), ArticleList),
                (screen.query_one(ReaderView), ReaderView),
                (screen.query_one(EntityPanel), EntityPanel),
            ]
        seen: set[str] = {"Help: keys"}
        for target, cls in targets:
            long_help: dict[str, str] = getattr(cls, "ACTION_HELP", {})
            for binding in getattr(cls, "BINDINGS", []):
                if not isinstance(binding, Binding) or binding.id == "app.help":
                    continue
                action = binding.action
                name = action.partition("(")[0]
                title = long_help.get(name) or binding.description or name
                if title in seen:
                    continue
                seen.add(title)
                keys = self.keymap_config.get(binding.id or "", binding.key)
                help_line = f"key: {display_keys(keys)}" + (
                    f"   ({binding.id})" if binding.id else ""
                )

                def run(action: str = action, target: object = target) -> None:
                    if self.screen is not screen:
                        return
                    self.call_later(target.run_action, action)  # type: ignore[attr-defined]

                yield SystemCommand(title, help_line, run)

    # -- messages -----------------------------------------------------------------------

    @on(OpenArticle)
    async def _open_article(self, event: OpenArticle) -> None:
        """From another screen (e.g. notes): back to the library and open the article."""
        try:
            screen = self.library_screen
        except LookupError:
            return
        while self.screen is not screen and len(self.screen_stack) > 1:
            self.pop_screen()
        screen.open_article(event.article_id, event.span)

    @on(LibraryChanged)
    def _library_changed(self) -> None:
        """Another screen changed the store (tags, notes): refresh what the list shows."""
        self.refresh_now()

    # -- external changes -------------------------------------------------------------

    def poll_store(self) -> None:
        """Check for changes by other processes, only while the library screen is on top:
        other screens call the store from the UI thread, outside the app's lock."""
        try:
            on_top = self.screen is self.library_screen
        except LookupError:
            on_top = False
        if on_top and not self._polling:
            self._polling = True
            self._poll_worker()

    @work(thread=True, exclusive=True, group="poll")
    def _poll_worker(self) -> None:
        fresh = None
        try:
            with self.store_lock:
                if self.library.refresh():
                    fresh = self._fetch()
        except ParallaxError as exc:
            self.call_from_thread(self.notify, str(exc), severity="error", markup=False)
        finally:
            self._polling = False
        if fresh is not None:
            self.call_from_thread(self._apply_external, *fresh)

    def _fetch(self) -> tuple[list[ArticleSummary], dict[str, str]]:
        with self.store_lock:
            summaries = self.library.list(ArticleFilter(), "date", True)
            # cast: `list[...]` inside the protocol's class body names its `list` method.
            stories = cast("Iterable[Story]", self.library.stories())
            titles = {s.id: s.title for s in stories}
        return summaries, titles

    def _apply_external(self, summaries: list[ArticleSummary], titles: dict[str, str]) -> None:
        with contextlib.suppress(LookupError):
            self.library_screen.external_change(summaries, titles)

    def refresh_now(self) -> None:
        """Reload the list from the store now (after another screen changed it)."""
        try:
            self._apply_external(*self._fetch())
        except ParallaxError as exc:
            self.notify(str(exc), severity="error", markup=False)


__all__ = ["ParallaxApp"]
