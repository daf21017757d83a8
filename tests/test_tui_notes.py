"""Pilot tests for the note editor and the notes screen, on a real store."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from test_tui_compare_support import HOSTILE_TITLE, Host, make_library, settle
from textual.widgets import TextArea

from parallax.anchors import make_anchor
from tui.messages import LibraryChanged, OpenArticle
from tui.screens.note import ConfirmDialog, NoteEditor
from tui.screens.notes import NotesScreen

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def test_note_editor_saves_markdown_with_ctrl_s() -> None:
    app = Host(lambda: NoteEditor("Kerry in Seoul", "the talks ended without agreement"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        passage = str(app.screen.query_one("#note-passage").render())
        assert "the talks ended without agreement" in passage
        await pilot.press(*"**check**", "enter", *"- AFP only")
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert app.results == ["**check**\n- AFP only"]


async def test_note_editor_escape_asks_when_changed() -> None:
    app = Host(lambda: NoteEditor("T", None, "old text"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("x", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # keep editing
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query_one(TextArea).text == "old textx"
        await pilot.press("escape", "y")
        await settle(pilot)
    assert app.results == [None]


async def test_note_editor_escape_unchanged_closes_at_once() -> None:
    app = Host(lambda: NoteEditor("T", None, "same"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
    assert app.results == [None]


def _store_with_notes(tmp_path: Path):  # type: ignore[no-untyped-def]
    lib, (a, b, hostile) = make_library(tmp_path, hostile=True)
    passage = "There was no immediate comment from North Korea."
    good = lib.add_note(a.id, "AFP only: *no comment* line", make_anchor(a.body, passage))
    orphan_anchor = replace(
        make_anchor(b.body, "His plane was briefly staying here in Alaska for refueling."),
        quote="a passage that was edited away",
        prefix="",
        suffix="",
    )
    orphan = lib.add_note(b.id, "where did this go?", orphan_anchor)
    evil = lib.add_note(hostile.id, "[bold]not bold[/] [@click=app.quit]no")
    return lib, a, good, orphan, evil


async def test_notes_screen_lists_opens_and_shows_orphans(tmp_path: Path) -> None:
    lib, a, good, orphan, evil = _store_with_notes(tmp_path)
    app = Host(lambda: NotesScreen(lib))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, NotesScreen)
        by_id = {e.note.id: e for e in screen.entries}
        assert set(by_id) == {good.id, orphan.id, evil.id}
        assert by_id[orphan.id].orphaned and by_id[orphan.id].span is None
        assert not by_id[good.id].orphaned
        assert by_id[evil.id].title == HOSTILE_TITLE
        assert "1 orphaned" in str(screen.query_one("#notes-header").render())
        index = screen.entries.index(by_id[good.id])
        screen.query_one("#notes-list").highlighted = index  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot)
        opened = [m for m in app.received if isinstance(m, OpenArticle)]
        assert len(opened) == 1 and opened[0].article_id == a.id
        span = opened[0].span
        assert span is not None and a.body[span[0] : span[1]].startswith("There was no immediate")


async def test_notes_screen_delete_and_edit(tmp_path: Path) -> None:
    lib, _a, good, orphan, evil = _store_with_notes(tmp_path)
    app = Host(lambda: NotesScreen(lib))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, NotesScreen)
        first = screen.entries[0].note.id
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert len(lib.notes()) == 3
        await pilot.press("d", "y")
        await settle(pilot)
        assert first not in {n.id for n in lib.notes()}
        assert len(screen.entries) == 2
        assert any(isinstance(m, LibraryChanged) for m in app.received)
        target = screen.entries[0].note
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*" (edited)", "ctrl+s")
        await settle(pilot)
        stored = {n.id: n.text for n in lib.notes()}
        assert stored[target.id] == target.text + " (edited)"
        assert {good.id, orphan.id, evil.id} >= set(stored)


def test_notes_list_renders_note_markdown_literally_safe() -> None:
    from parallax.model import Note
    from tui.screens.notes import NoteEntry, entry_text

    note = Note(
        id="n1",
        article_id="a1",
        text="**Check** the *figure*\n\n- one\n- two\n\n[red]x[/] \x1b[31m",
        created="2014-02-13T10:00",
        updated="2014-02-13T10:00",
    )
    text = entry_text(NoteEntry(note, "Title \x1b]0;pwned\x07", "AFP", None, False))
    plain = text.plain
    assert "**" not in plain and "Check the figure" in plain  # Markdown, not its syntax
    assert "\u2022 one" in plain and "\u2022 two" in plain
    assert "[red]x[/]" in plain  # markup stays literal
    assert "\x1b" not in plain and "\x07" not in plain  # escapes shown, never sent
    bold = [plain[s.start : s.end] for s in text.spans if "bold" in str(s.style)]
    assert "Check" in bold
