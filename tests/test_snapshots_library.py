"""Snapshot tests (pytest-textual-snapshot) of the library and help screens.

Sizes: 80x24 (the stacked layout, as over SSH) and 120x40 (side by side). The hostile
snapshot proves that a title like `[red]x[/] [@click=app.quit]q` and a body full of markup
show literally. Update after an intended change with `pytest --snapshot-update` and look at
the SVGs in `tests/__snapshots__/` before committing them.
"""

from __future__ import annotations

from typing import Any

import pytest
from test_tui_library_support import sample_library

from tui.app import ParallaxApp

SIZES = [(80, 24), (120, 40)]


def app() -> ParallaxApp:
    return ParallaxApp(sample_library(), refresh_interval=0)


async def _settle(pilot: Any) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_library_reading(snap_compare: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Any) -> None:
        await _settle(pilot)
        await pilot.press("enter", "n", "n")
        await _settle(pilot)

    assert snap_compare(app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_library_filtered(snap_compare: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Any) -> None:
        await _settle(pilot)
        await pilot.press("slash", *"tag:economy", "enter")
        await _settle(pilot)

    assert snap_compare(app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_help(snap_compare: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Any) -> None:
        await _settle(pilot)
        await pilot.press("question_mark")
        await _settle(pilot)

    assert snap_compare(app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_hostile_content_is_literal(snap_compare: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Any) -> None:
        await _settle(pilot)
        await pilot.press("slash", *"source:evil", "enter")
        await _settle(pilot)
        await pilot.press("enter")
        await _settle(pilot)

    assert snap_compare(app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_filter_picker(snap_compare: Any, size: tuple[int, int]) -> None:
    """Tags, sources (one of them hostile markup, shown literally) and agencies with counts;
    bulk selection on two rows behind it shows the check column beside the unread dots."""

    async def run_before(pilot: Any) -> None:
        await _settle(pilot)
        await pilot.press("space", "space", "T")
        await _settle(pilot)

    assert snap_compare(app(), terminal_size=size, run_before=run_before)
