"""The help screen: every key, grouped by the screen or pane it works in.

Built from the `BINDINGS` of the classes themselves and the app's current keymap, so it
can never drift from what the keys really do, and it shows the user's remapped keys. The
binding id is listed too: it is what the config file's `[keys]` table remaps.

Keys: `Esc`, `q`, `?` close it (ids `help.close`).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from tui.keys import KeyInfo, display_keys
from tui.render import legend
from tui.widgets.key_footer import KeyFooter

# (group title, module, class name): B's screens are optional until they land.
_SOURCES: tuple[tuple[str, str, str], ...] = (
    ("Everywhere", "tui.app", "ParallaxApp"),
    ("Library screen", "tui.screens.library", "LibraryScreen"),
    ("List pane", "tui.widgets.article_list", "ArticleList"),
    ("Reading pane", "tui.widgets.reader", "ReaderView"),
    ("Entity panel (e shows it; Tab to it)", "tui.widgets.entity_panel", "EntityPanel"),
    ("Filter bar", "tui.widgets.filter_bar", "FilterBar"),
    ("Compare screen", "tui.screens.compare", "CompareScreen"),
    ("Filter picker (T)", "tui.screens.filters", "FilterPicker"),
    ("Tag editor", "tui.screens.tags", "TagEditor"),
    ("Note editor", "tui.screens.note", "NoteEditor"),
    ("Notes screen", "tui.screens.notes", "NotesScreen"),
    ("Help screen", "tui.screens.help", "HelpScreen"),
)


def binding_groups(keymap: Mapping[str, str] | None = None) -> list[tuple[str, list[KeyInfo]]]:
    """Every binding by group, with keys from `keymap` (binding id -> keys) where remapped."""
    keymap = keymap or {}
    groups: list[tuple[str, list[KeyInfo]]] = []
    for title, module_name, class_name in _SOURCES:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        cls = getattr(module, class_name, None)
        if cls is None:
            continue
        infos: list[KeyInfo] = []
        long_help: dict[str, str] = getattr(cls, "ACTION_HELP", {})
        for binding in getattr(cls, "BINDINGS", []):
            if isinstance(binding, Binding):
                key, bid = binding.key, binding.id or ""
                desc = (
                    long_help.get(binding.action.partition("(")[0])
                    or binding.description
                    or binding.action
                )
            elif isinstance(binding, tuple) and len(binding) >= 2:
                key, desc, bid = binding[0], binding[2] if len(binding) > 2 else binding[1], ""
            else:
                continue
            keys = keymap.get(bid, key) if bid else key
            infos.append(KeyInfo(bid, keys, desc, title))
        if infos:
            groups.append((title, infos))
    return groups


# Groups whose bindings are live at the same time as a group's own: the app's everywhere,
# and the library screen's keys while its list or reading pane has focus.
_ALSO_ACTIVE: dict[str, tuple[str, ...]] = {
    "List pane": ("Library screen",),
    "Reading pane": ("Library screen",),
    "Entity panel (e shows it; Tab to it)": ("Library screen",),
    "Filter bar": ("Library screen",),
}


def key_conflicts(keymap: Mapping[str, str]) -> list[str]:
    """Warnings for remapped keys that collide with another binding live at the same time.

    Why: `App.set_keymap` accepts a key bound twice without complaint and one of the two
    actions silently stops working; a user who remaps `s` to archive should be told that
    star has lost its key. Only collisions involving a remapped id are reported, so the
    defaults' deliberate overlaps (Enter in different panes) never warn.
    """
    groups = dict(binding_groups(keymap))
    everywhere = groups.get("Everywhere", [])
    warnings: list[str] = []
    seen: set[tuple[str, str, str]] = set()
    for title, infos in groups.items():
        live = list(infos) + everywhere
        for other in _ALSO_ACTIVE.get(title, ()):
            live += groups.get(other, [])
        owners: dict[str, list[str]] = {}
        for info in live:
            for key in {k.strip() for k in info.keys.split(",") if k.strip()}:
                if info.id not in owners.setdefault(key, []):
                    owners[key].append(info.id)
        for key, ids in owners.items():
            if len(ids) < 2 or not any(i in keymap for i in ids):
                continue
            pair = tuple(sorted(ids[:2]))
            if (key, *pair) in seen:
                continue
            seen.add((key, pair[0], pair[1]))
            warnings.append(
                f"config [keys]: {display_keys(key)} is bound to both {ids[0]!r} and "
                f"{ids[1]!r}; only one of them will work (change one in the config)"
            )
    return warnings


def all_binding_ids() -> set[str]:
    """Every binding id (the names the config's `[keys]` table may use)."""
    return {info.id for _, infos in binding_groups() for info in infos if info.id}


def help_text(keymap: Mapping[str, str] | None = None, width: int = 120) -> Text:
    """The help screen's content, laid out for `width` columns (ids move under the
    description when they do not fit beside it, so nothing wraps mid-word at 80x24)."""
    text = Text(end="")
    text.append("Parallax keys", style=Style(bold=True))
    text.append("   Ctrl+P: every action by name   Esc: close\n", style=Style(dim=True))
    groups = binding_groups(keymap)
    longest_id = max((len(i.id) for _, infos in groups for i in infos), default=0)
    # As wide as the longest description when the ids still fit beside it.
    col = max(
        (len(i.description) for _, infos in groups for i in infos if len(i.description) <= 64),
        default=52,
    )
    col = max(40, min(col, width - 17 - 1 - longest_id))
    for title, infos in groups:
        text.append(f"\n{title}\n", style=Style(bold=True, underline=True))
        for info in infos:
            keys = f"  {display_keys(info.keys):<12} "
            text.append(keys, style=Style(bold=True))
            room = width - len(keys) - 1
            desc = info.description
            if info.id and len(desc) <= col and col + 1 + len(info.id) <= room:
                text.append(f"{desc:<{col}} ")
                text.append(info.id, style=Style(dim=True))
            else:
                text.append(desc)
                if info.id:
                    text.append("\n" + " " * len(keys))
                    text.append(info.id, style=Style(dim=True))
            text.append("\n")
    text.append("\nList markers\n", style=Style(bold=True, underline=True))
    text.append(
        "  \u25cf unread  \u2605 starred  \u2713 selected  \u2248 near-duplicate (same wire copy)"
        "  \u270eN notes  #tag\n  \u25be a story, with the sources covering it\n"
    )
    text.append("\nColours in the reading pane\n", style=Style(bold=True, underline=True))
    text.append("  ")
    text.append_text(legend())
    text.append(
        "  \u275d in the margin: a quote (\u2502 while it goes on), \u275e under it: who said it;"
        " underlined: a note; \u258f a caption\n"
    )
    text.append("\nFilter language (/)\n", style=Style(bold=True, underline=True))
    text.append(
        "  words search title and body; tag:NAME source:NAME agency:NAME story:ID entity:KEY\n"
        '  is:unread is:starred is:archived; quote values with spaces: source:"Korea Herald"\n'
    )
    text.append(
        '\nRemap keys in the config file ([keys] table, binding id = "key,key");\n',
        style=Style(dim=True),
    )
    text.append("`parallax config --path` prints where it is.", style=Style(dim=True))
    return text


class HelpScreen(Screen[None]):
    """Lists every key by screen."""

    CSS_PATH = "help.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "close", "Close", id="help.close"),
        Binding("j,down", "scroll(1)", "Scroll down", show=False, id="help.down"),
        Binding("k,up", "scroll(-1)", "Scroll up", show=False, id="help.up"),
    ]

    def __init__(self, keymap: Mapping[str, str] | None = None) -> None:
        super().__init__()
        self.keymap = dict(keymap or {})

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-scroll"):
            yield Static(help_text(self.keymap, self.app.size.width - 8), id="help-text")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()

    def on_resize(self) -> None:
        self.query_one("#help-text", Static).update(help_text(self.keymap, self.size.width - 8))

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll(self, delta: int) -> None:
        scroll = self.query_one("#help-scroll", VerticalScroll)
        scroll.scroll_to(y=scroll.scroll_y + delta, animate=False)


__all__ = ["HelpScreen", "all_binding_ids", "binding_groups", "help_text"]
