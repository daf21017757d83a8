"""The library screen's hand-offs to the other screens: tags, notes, annotate, compare.

Those screens are built separately; here each is replaced by a stand-in with the agreed
signature, so these tests check what the library screen sends and does with the answer.
"""

from __future__ import annotations

import sys
import types
from typing import Any

import pytest
from test_tui_library_support import sample_library
from textual.app import ComposeResult
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from tui.app import ParallaxApp
from tui.messages import OpenArticle
from tui.screens.library import make_anchor
from tui.widgets.article_list import ArticleList
from tui.widgets.reader import ReaderView

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


seen: dict[str, Any] = {}


class FakeTagEditor(ModalScreen[list[str] | None]):
    def __init__(self, current: list[str], known: dict[str, int]) -> None:
        super().__init__()
        seen["tags"] = (list(current), dict(known))

    def compose(self) -> ComposeResult:
        yield Static("tags")

    def on_mount(self) -> None:
        self.dismiss(seen.get("tag_result"))


class FakeNoteEditor(ModalScreen[str | None]):
    def __init__(self, article_title: str, passage: str | None, text: str = "") -> None:
        super().__init__()
        seen["note"] = (article_title, passage, text)

    def compose(self) -> ComposeResult:
        yield Static("note")

    def on_mount(self) -> None:
        self.dismiss("my *note*")


class FakeCompare(Screen[None]):
    def __init__(self, library: Any, article_id: str, other_id: str | None = None) -> None:
        super().__init__()
        seen["compare"] = (article_id, other_id)

    def compose(self) -> ComposeResult:
        yield Static("compare")


class FakeNotes(Screen[None]):
    def __init__(self, library: Any) -> None:
        super().__init__()
        seen["notes"] = True

    def compose(self) -> ComposeResult:
        yield Static("notes")


@pytest.fixture(autouse=True)
def fake_screens(monkeypatch: pytest.MonkeyPatch) -> None:
    seen.clear()
    for name, attr, cls in (
        ("tui.screens.tags", "TagEditor", FakeTagEditor),
        ("tui.screens.note", "NoteEditor", FakeNoteEditor),
        ("tui.screens.compare", "CompareScreen", FakeCompare),
        ("tui.screens.notes", "NotesScreen", FakeNotes),
    ):
        module = types.ModuleType(name)
        setattr(module, attr, cls)
        monkeypatch.setitem(sys.modules, name, module)


async def settle(pilot: Any) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_tag_editor_gets_current_and_known_tags_and_result_is_saved() -> None:
    lib = sample_library()
    app = ParallaxApp(lib, refresh_interval=0)
    seen["tag_result"] = ["korea", "diplomacy"]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert seen["tags"] == (["korea"], {"korea": 1, "economy": 1, "rates": 1})
        assert lib.articles["afp0001"].tags == ["korea", "diplomacy"]
        row = app.library_screen.query_one(ArticleList).current
        assert row is not None and row.tags == ["korea", "diplomacy"]


async def test_cancelled_tag_editor_changes_nothing() -> None:
    lib = sample_library()
    app = ParallaxApp(lib, refresh_interval=0)
    seen["tag_result"] = None
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert lib.articles["afp0001"].tags == ["korea"]


async def test_annotate_marked_sentence_saves_an_anchored_note() -> None:
    lib = sample_library()
    app = ParallaxApp(lib, refresh_interval=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "full_stop", "full_stop")  # mark the second sentence
        await pilot.press("a")
        await settle(pilot)
        title, passage, _ = seen["note"]
        assert title.startswith("Kerry due in Seoul")
        assert passage is not None and passage.startswith("South Korea is Kerry's first stop")
        notes = lib.notes("afp0001")
        assert len(notes) == 1 and notes[0].text == "my *note*"
        anchor = notes[0].anchor
        assert anchor is not None and anchor.quote == passage
        assert lib.articles["afp0001"].body[anchor.start : anchor.end] == passage
        reader = app.library_screen.query_one(ReaderView)
        assert reader.rendered is not None and len(reader.rendered.notes) == 1
        assert "Notes (1)" in str(app.library_screen.query_one("#entity-text").render())


async def test_compare_passes_the_only_other_story_article() -> None:
    app = ParallaxApp(sample_library(), refresh_interval=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert seen["compare"] == ("afp0001", "yna0002")
        assert isinstance(app.screen, FakeCompare)


async def test_notes_screen_open_article_returns_to_the_reader_at_the_passage() -> None:
    lib = sample_library()
    app = ParallaxApp(lib, refresh_interval=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("N")
        await settle(pilot)
        assert isinstance(app.screen, FakeNotes)
        body = lib.articles["yna0002"].body
        start = body.index("28,500")
        app.screen.post_message(OpenArticle("yna0002", (start, start + 6)))
        await settle(pilot)
        reader = app.library_screen.query_one(ReaderView)
        assert app.screen is app.library_screen
        assert reader.article is not None and reader.article.id == "yna0002"
        assert reader.mark is not None and reader.rendered is not None
        assert reader.rendered.text.plain[reader.mark.start : reader.mark.end] == "28,500"


def test_make_anchor_keeps_context() -> None:
    body = "alpha beta gamma delta"
    anchor = make_anchor(body, 6, 10)
    assert anchor.quote == "beta" and anchor.start == 6 and anchor.end == 10
    assert anchor.prefix.endswith("alpha ") and anchor.suffix.startswith(" gamma")


async def test_annotate_an_extended_passage_then_jump_to_the_note() -> None:
    lib = sample_library()
    app = ParallaxApp(lib, refresh_interval=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "full_stop", "greater_than_sign", "a")
        await settle(pilot)
        passage = seen["note"][1]
        assert passage.startswith("US Secretary of State") and passage.endswith("Beijing.")
        reader = app.library_screen.query_one(ReaderView)
        await pilot.press("home", "m")
        assert reader.mark is not None and reader.mark.kind == "note"
        assert "my *note*" in str(app.library_screen.query_one("#status").render())


def test_make_anchor_picks_the_occurrence_at_the_offset() -> None:
    body = "the cat sat. the cat ran."
    anchor = make_anchor(body, 13, 20)
    assert (anchor.start, anchor.end, anchor.quote) == (13, 20, "the cat")
