"""Snapshot tests (pytest-textual-snapshot) of the compare screen, picker, tag editor,
note editor and notes screen at 80x24 and 120x40.

The compare snapshots use the two bundled seeds (AFP vs Yonhap on Kerry's Seoul visit).
The hostile snapshots prove that a title like `[red]x[/] [@click=app.quit]q`, markup in a
note and in tags all show literally. Update after an intended change with
`pytest --snapshot-update` and look at the SVGs before committing them.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from test_tui_compare_support import HOSTILE_TITLE, Host, make_library, settle

from parallax.anchors import make_anchor
from tui.screens.compare import CompareScreen
from tui.screens.note import NoteEditor
from tui.screens.notes import NotesScreen
from tui.screens.tags import TagEditor

SIZES = [(80, 24), (120, 40)]
ids = pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")


@ids
def test_compare_seeds(snap_compare: Any, size: tuple[int, int], tmp_path: Path) -> None:
    lib, (a, b, *_) = make_library(tmp_path)

    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("n", "n", "n", "n")
        await settle(pilot)

    app = Host(lambda: CompareScreen(lib, a.id, b.id))
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@ids
def test_compare_hostile(snap_compare: Any, size: tuple[int, int], tmp_path: Path) -> None:
    lib, (a, _b, hostile) = make_library(tmp_path, hostile=True)
    app = Host(lambda: CompareScreen(lib, hostile.id, a.id))
    assert snap_compare(app, terminal_size=size, run_before=settle)


@ids
def test_picker(snap_compare: Any, size: tuple[int, int], tmp_path: Path) -> None:
    lib, (a, *_) = make_library(tmp_path, third=True, hostile=True)
    app = Host(lambda: CompareScreen(lib, a.id))
    assert snap_compare(app, terminal_size=size, run_before=settle)


@ids
def test_tag_editor(snap_compare: Any, size: tuple[int, int]) -> None:
    known = {"north-korea": 3, "[red]x[/]": 2, "diplomacy": 1}

    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("o")
        await pilot.pause()

    app = Host(lambda: TagEditor(["seoul", "[b]bold?[/b]"], known))
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@ids
def test_note_editor(snap_compare: Any, size: tuple[int, int]) -> None:
    app = Host(
        lambda: NoteEditor(
            HOSTILE_TITLE,
            "The discussions ran late into the night, and ended without any tangible agreement.",
            "Yonhap says *a deal* on reunions: [red]check[/]",
        )
    )
    assert snap_compare(app, terminal_size=size, run_before=settle)


@ids
def test_notes_screen(
    snap_compare: Any, size: tuple[int, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = (f"2026-01-02T10:{m:02d}:00" for m in itertools.count())
    monkeypatch.setattr("storage.library._now", lambda: next(clock))
    lib, (a, b, hostile) = make_library(tmp_path, hostile=True)
    lib.add_note(
        a.id,
        "AFP only: *no comment* line",
        make_anchor(a.body, "There was no immediate comment from North Korea."),
    )
    lost = make_anchor(b.body, "His plane was briefly staying here in Alaska for refueling.")
    lib.add_note(
        b.id, "where did this go?", replace(lost, quote="edited away", prefix="", suffix="")
    )
    lib.add_note(hostile.id, "[bold]not bold[/] [@click=app.quit]no")
    app = Host(lambda: NotesScreen(lib))
    assert snap_compare(app, terminal_size=size, run_before=settle)
