"""Pilot tests for the tag editor: completion, add/remove, save and cancel."""

from __future__ import annotations

import pytest
from test_tui_compare_support import Host, settle

from tui.screens.tags import TagEditor, normalise_tag

pytestmark = pytest.mark.anyio

KNOWN = {"north-korea": 3, "diplomacy": 2, "nuclear": 1}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def test_normalise_tag() -> None:
    assert normalise_tag("  #North Korea ") == "North-Korea"
    assert normalise_tag("a,b\tc") == "a-b-c"
    assert normalise_tag("x\x1b[31my\x07") == "x[31my"
    assert normalise_tag("   ") == ""


async def test_completion_from_known_tags_and_save() -> None:
    app = Host(lambda: TagEditor(["seoul"], KNOWN))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*"nor")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, TagEditor)
        # the filtered list shows matching known tags; the suggester completes with Right
        assert editor._known_shown == ["north-korea"]
        await pilot.press("right")
        await pilot.press("enter")
        assert editor.tags == ["seoul", "north-korea"]
        await pilot.press(*"  Big  News ", "enter")
        assert editor.tags == ["seoul", "north-korea", "Big-News"]
        await pilot.press("enter")  # empty field: save
        await settle(pilot)
    assert app.results == [["seoul", "north-korea", "Big-News"]]


async def test_enter_accepts_the_completion_and_space_refuses_it() -> None:
    app = Host(lambda: TagEditor([], KNOWN))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, TagEditor)
        await pilot.press(*"NOR")
        await pilot.pause()
        await pilot.press("enter")  # the grey completion, as stored (case kept)
        assert editor.tags == ["north-korea"]
        await pilot.press(*"nuc ")  # a trailing space: the typed text, not "nuclear"
        await pilot.pause()
        await pilot.press("enter")
        assert editor.tags == ["north-korea", "nuc"]


async def test_remove_pick_from_list_and_cancel() -> None:
    app = Host(lambda: TagEditor(["seoul", "kerry"], KNOWN))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, TagEditor)
        await pilot.press("backspace")  # empty field: drop the last tag
        assert editor.tags == ["seoul"]
        await pilot.press(*"-seoul", "enter")
        assert editor.tags == []
        await pilot.press(*"dip", "down", "enter")  # choose from the completion list
        assert editor.tags == ["diplomacy"]
        await pilot.press("escape")
        await settle(pilot)
    assert app.results == [None]


async def test_ctrl_s_saves_pending_text() -> None:
    app = Host(lambda: TagEditor([], KNOWN))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*"urgent", "ctrl+s")
        await settle(pilot)
    assert app.results == [["urgent"]]


async def test_delete_in_tag_list_removes_highlighted_tag() -> None:
    app = Host(lambda: TagEditor(["seoul", "kerry", "talks"], KNOWN))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, TagEditor)
        await pilot.press("shift+tab", "down", "down", "delete")
        assert editor.tags == ["seoul", "talks"]
        await pilot.press("enter")  # Enter in the list does not save
        assert app.results == []
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert app.results == [["seoul", "talks"]]
