"""Shared helpers for the compare, tag and notes screen tests (no tests live here).

A real `storage.Library` on a temp path holding the two bundled seeds (one story), a
third article in that story and a hostile one, plus a tiny host App that pushes the
screen under test, so these tests do not depend on the library screen's layout.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import AFP_SEED, YONHAP_SEED
from textual.app import App
from textual.message import Message
from textual.screen import Screen

from parallax.ingest import ingest_text
from parallax.model import Article, Story, content_id
from storage import Library

HOSTILE_TITLE = "[red]x[/] [@click=app.quit]q"


def seed_articles() -> tuple[Article, Article]:
    a = ingest_text(AFP_SEED.read_text(encoding="utf-8"), name=str(AFP_SEED))[0]
    b = ingest_text(YONHAP_SEED.read_text(encoding="utf-8"), name=str(YONHAP_SEED))[0]
    return a, b


def hostile_article() -> Article:
    body = "[bold]Kerry[/bold] arrives in Seoul. [@click=app.quit]Click[/] here.\n\nNothing else."
    return Article(
        id=content_id(body),
        title=HOSTILE_TITLE,
        body=body,
        raw=body,
        source="[blink]evil[/]",
        published="2014-02-13",
    )


def third_article() -> Article:
    body = (
        "US Secretary of State John Kerry arrived in Seoul on Thursday.\n\n"
        "He will meet President Park Geun-hye and talk about North Korea."
    )
    return Article(
        id=content_id(body),
        title="Kerry lands in Seoul",
        body=body,
        raw=body,
        source="Wire",
        published="2014-02-13",
    )


def make_library(
    tmp: Path, *, third: bool = False, hostile: bool = False
) -> tuple[Library, list[Article]]:
    """A real store: both seeds in one story (plus optional third/hostile articles)."""
    lib = Library.open(tmp / "store" / "library.json", create=True)
    articles = list(seed_articles())
    if third:
        articles.append(third_article())
    if hostile:
        articles.append(hostile_article())
    lib.add_articles(articles)
    story_ids = [a.id for a in articles if a.title != HOSTILE_TITLE]
    lib.save_stories([Story(id="s1", title="Kerry visits Seoul", article_ids=story_ids)])
    return lib, articles


class Host(App[None]):
    """Pushes one screen on mount and records the messages screens post to the app."""

    def __init__(self, factory: Callable[[], Screen[Any]]) -> None:
        super().__init__()
        self.factory = factory
        self.received: list[Message] = []
        self.results: list[Any] = []

    def on_mount(self) -> None:
        self.push_screen(self.factory(), self.results.append)

    def on_open_article(self, message: Message) -> None:
        self.received.append(message)

    def on_library_changed(self, message: Message) -> None:
        self.received.append(message)


async def settle(pilot: Any) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
