"""On a large store the reader shows its first page of rows before every summary is read.

What a user would notice if this went wrong: rows reshuffling when the full list arrives,
the cursor jumping, a star pressed during the load coming undone, a filter showing a
partial result, "mark all read" marking only the rows on screen.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from test_tui_library_support import MemoryLibrary

from parallax.model import Article
from storage import ArticleFilter, Library
from tui.app import ParallaxApp
from tui.screens.library import FIRST_PAGE, LibraryScreen
from tui.widgets.article_list import ArticleList, StoryHeader, build_rows

pytestmark = pytest.mark.anyio

N = FIRST_PAGE * 3


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def articles(n: int = N) -> list[Article]:
    """Stories whose members are far apart in time: a new article's story reaches back to
    old ones, which a naive "newest N" page would leave out of its header."""
    return [
        Article(
            id=f"id{i:07d}",
            title=f"Article number {i}",
            body=f"Body {i}.",
            raw="",
            source=("AFP", "Reuters", "AP", "Yonhap")[i % 4],
            published=f"20{10 + i % 13:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}T{i % 24:02d}:00",
            story=f"s{i % 97}" if i % 5 else None,
        )
        for i in range(n)
    ]


@pytest.fixture(params=["memory", "tinydb"])
def library(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    if request.param == "memory":
        yield MemoryLibrary(articles())
        return
    lib = Library.open(tmp_path / "library.json")
    lib.add_articles(articles())
    yield lib
    lib.close()


def row_key(row: Any) -> tuple[Any, ...]:
    if isinstance(row, StoryHeader):
        return ("story", row.story, tuple(row.sources), row.count)
    return ("article", row.id)


def test_first_page_is_exactly_the_start_of_the_full_list(library: Any) -> None:
    screen = LibraryScreen(library)
    first = screen._fetch_first_page()
    assert first is not None
    rows, _titles = first
    full = build_rows(library.list(ArticleFilter(), "date", True), sort="date", group=True)
    assert len(rows) == FIRST_PAGE
    assert [row_key(r) for r in rows] == [row_key(r) for r in full[:FIRST_PAGE]]
    # The page has story headers that count members far older than the page itself.
    assert any(isinstance(r, StoryHeader) and r.count > 3 for r in rows)


def test_small_store_loads_in_one_go() -> None:
    screen = LibraryScreen(MemoryLibrary(articles(FIRST_PAGE - 1)))
    assert screen._fetch_first_page() is None


async def until(cond: Callable[[], Any], timeout: float = 20.0) -> None:
    start = time.monotonic()
    while not cond():
        assert time.monotonic() - start < timeout, "timed out"
        await asyncio.sleep(0.01)


class Gate(threading.Event):
    """Set to let the full load deliver; `read` is set once it has read the store."""

    def __init__(self) -> None:
        super().__init__()
        self.read = threading.Event()


@pytest.fixture
def gated(monkeypatch: pytest.MonkeyPatch) -> Gate:
    """Hold the full load back after it has read the store (the slow part on 100,000
    articles), so tests can act while only the first page is on screen."""
    gate = Gate()
    fetch = LibraryScreen._fetch

    def slow_fetch(self: LibraryScreen) -> Any:
        result = fetch(self)
        gate.read.set()
        gate.wait(20)
        return result

    monkeypatch.setattr(LibraryScreen, "_fetch", slow_fetch)
    return gate


def shown_ids(app: ParallaxApp) -> list[str]:
    return [s.id for s in app.library_screen.query_one(ArticleList).articles()]


def header(app: ParallaxApp) -> str:
    return str(app.library_screen.query_one("#header").render())


async def test_first_page_then_full_list_in_place(library: Any, gated: Gate) -> None:
    app = ParallaxApp(library, refresh_interval=0)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.library_screen
        article_list = screen.query_one(ArticleList)
        await until(lambda: article_list.rows)
        assert not screen.loaded
        assert "loading" in header(app)
        page = shown_ids(app)
        await pilot.press("j", "j", "j")
        current = article_list.current
        assert current is not None
        gated.set()
        await until(lambda: screen.loaded)
        await pilot.pause()
        assert shown_ids(app)[: len(page)] == page
        assert len(shown_ids(app)) == N
        assert article_list.current is not None and article_list.current.id == current.id
        assert f"{N} articles" in header(app)


async def test_star_during_the_load_is_not_undone_by_it(library: Any, gated: Gate) -> None:
    app = ParallaxApp(library, refresh_interval=0)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.library_screen
        article_list = screen.query_one(ArticleList)
        await until(lambda: article_list.rows)
        current = article_list.current
        assert current is not None and not current.starred
        await until(gated.read.is_set)
        await pilot.press("s")  # the full list was read before this: it is stale
        gated.set()
        await until(lambda: screen.loaded)
        await pilot.pause()
        assert library.summary(current.id).starred
        assert screen.by_id[current.id].starred
        assert article_list.current is not None and article_list.current.starred


async def test_filter_during_the_load_waits_for_the_full_list(library: Any, gated: Gate) -> None:
    for a in articles()[::2]:
        library.set_flag(a.id, "read", True)
    app = ParallaxApp(library, refresh_interval=0)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.library_screen
        article_list = screen.query_one(ArticleList)
        await until(lambda: article_list.rows)
        await pilot.press("U")  # unread only
        assert article_list.rows == []  # not a filter of the first page only
        assert article_list.empty_message.startswith("Loading")
        await pilot.press("R")  # mark all read: refused until the list is complete
        gated.set()
        await until(lambda: screen.loaded)
        await pilot.pause()
        assert len(shown_ids(app)) == N // 2
        assert all(not s.read for s in article_list.articles())
        assert len(library.list(ArticleFilter(read=False))) == N // 2
